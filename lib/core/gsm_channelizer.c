/* Overlap-save FFT channelizer (see gsm_channelizer.h). Block m covers input samples
 * [m H - V/2, m H - V/2 + N) with V = N/4 and H = N - V; its outputs keep the samples
 * standing for inputs [m H, m H + H), where the circular convolution has settled.
 * An output is computed only when asked for, into scratch buffers shared by all outputs:
 * the consumer takes it at once, so the buffers stay in cache and per-output memory is
 * just the weights. */
#include "gsm_channelizer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "fft_plan.h"
#include "gsm_ifft64.h"
#include "kernels/simd_x86.h"

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

typedef struct chan_output {
    int centre_bin;      /* integer part of the centre, bins */
    double residual_hz;  /* centre minus the bin's frequency */
    unsigned k;          /* bins = inverse FFT size */
    unsigned decim;      /* N / k (a power of two) ... */
    unsigned decim_log2; /* ... and its log2: divisions by shifts, per output and block */
    unsigned j0, nv;     /* a block's valid outputs: from j0 = (V/2) / decim, nv = H / decim */
    float *w2;           /* k weights in inverse-FFT order, including 1/N, each twice (real
                            and imaginary part) */
    unsigned n_pos;      /* weights i < n_pos (positive side) may be non-zero ... */
    unsigned n_neg;      /* ... and i >= k - n_neg (negative side); the rest are zero */
    float *w2_span;      /* CHZ_POWER: all k weights from bin c - (k - k/2) up, zeros
                            included (the negative side, then the positive) */
    float *w2_run;       /* the weights from the lowest bin up (negative side, then
                            positive), when no zero weight lies between: one run */
    double beta;         /* mean |W|^2 (weights without 1/N) */
    fftwf_plan plan;     /* shared with outputs of the same k */
    cs_gsm_chz_phase mode;
    int enabled;
    uint64_t since;      /* first block with output (blocks are numbered from 0) */
} chan_output;

struct cs_gsm_channelizer_s {
    double rate;
    unsigned n, v, hop;
    fftwf_plan fwd;
    cs_cf32 *fin;
    cs_cf32 *spectra;    /* the last `depth` blocks' spectra, block b in slot b % depth */
    int64_t *starts;     /* ... and their first input samples */
    unsigned depth;
    cs_cf32 *buf;        /* input samples [b0, b0 + len) (b0 < 0: leading zeros), fftwf_malloc:
                            blocks start multiples of hop (6N bytes) into it, so the forward
                            FFT reads it where it lies */
    size_t len, cap;
    int64_t b0;
    const cs_cf32 *ext; /* push_ref: the caller's samples [b0 + len, b0 + len + ext_n), */
    size_t ext_n;       /* read in place until release (NULL, 0: none) */
    int64_t next_start;  /* start of the next block */
    uint64_t block;      /* blocks processed */
    chan_output *outs;
    size_t nout, out_cap;
    cs_cf32 *twiddle;    /* e^{-j 2 pi m / N}: block phases without sin/cos */
    fftwf_plan iplans[32]; /* by log2(k) */
    cs_cf32 *sin, *sout; /* scratch of the inverse FFTs (N each, fftwf_malloc) */
    cs_cf32 *samples;    /* scratch of an output's phase-corrected samples (N) */
    int ifft64;          /* 64-point outputs by cs_gsm_ifft64 (AVX), not FFTW */
};

int cs_gsm_channelizer_create(double rate_hz, unsigned n, unsigned depth, cs_gsm_channelizer *out)
{
    *out = NULL;
    if (!(rate_hz > 0) || n < 64 || (n & (n - 1)) || depth < 1 || depth > 1024)
        return cs_error(CS_EINVAL, "gsm channelizer: bad rate %g, FFT size %u or depth %u",
                        rate_hz, n, depth);
    cs_gsm_channelizer q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
    q->rate = rate_hz;
    q->n = n;
    q->v = n / 4;
    q->hop = n - q->v;
    q->ifft64 = cs_gsm_ifft64_available();
    q->fin = fftwf_malloc(n * sizeof(cs_cf32));
    q->depth = depth;
    q->spectra = fftwf_malloc((size_t)depth * n * sizeof(cs_cf32));
    q->starts = malloc(depth * sizeof *q->starts);
    q->cap = 4 * (size_t)n;
    q->buf = fftwf_malloc(q->cap * sizeof *q->buf);
    q->twiddle = malloc(n * sizeof *q->twiddle);
    q->sin = fftwf_malloc(n * sizeof(cs_cf32));
    q->sout = fftwf_malloc(n * sizeof(cs_cf32));
    q->samples = malloc(n * sizeof(cs_cf32));
    if (!q->fin || !q->spectra || !q->starts || !q->buf || !q->twiddle || !q->sin || !q->sout ||
        !q->samples) {
        cs_gsm_channelizer_destroy(q);
        return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
    }
    q->fwd = cs_fft_plan_dft_1d((int)n, (fftwf_complex *)q->fin, (fftwf_complex *)q->spectra,
                                FFTW_FORWARD);
    if (!q->fwd) {
        cs_gsm_channelizer_destroy(q);
        return cs_error(CS_ENOMEM, "gsm channelizer: FFT plan failed");
    }
    for (unsigned m = 0; m < n; m++) {
        const double ph = -2.0 * M_PI * (double)m / n;
        q->twiddle[m] = (float)cos(ph) + I * (float)sin(ph);
    }
    /* leading zeros so that block 0's valid part starts at input sample 0 */
    q->b0 = -(int64_t)(q->v / 2);
    q->len = q->v / 2;
    memset(q->buf, 0, q->len * sizeof *q->buf);
    q->next_start = q->b0;
    *out = q;
    return CS_OK;
}

static unsigned ilog2(unsigned k)
{
    unsigned l = 0;
    while ((1u << l) < k) l++;
    return l;
}

int cs_gsm_channelizer_add(cs_gsm_channelizer q, double centre_hz, unsigned k, double pass_hz,
                           double stop_hz, cs_gsm_chz_phase mode)
{
    if (k < 8 || k > q->n || (k & (k - 1)) || !isfinite(centre_hz) || !(pass_hz >= 0) ||
        !(stop_hz >= pass_hz))
        return cs_error(CS_EINVAL, "gsm channelizer: bad output (%u bins at %g Hz)", k, centre_hz);
    if (q->nout == q->out_cap) {
        size_t cap = q->out_cap ? 2 * q->out_cap : 16;
        chan_output *o = realloc(q->outs, cap * sizeof *o);
        if (!o) return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
        q->outs = o;
        q->out_cap = cap;
    }
    chan_output *o = &q->outs[q->nout];
    memset(o, 0, sizeof *o);
    const double bin = q->rate / q->n;
    o->centre_bin = (int)lround(centre_hz / bin);
    o->residual_hz = centre_hz - o->centre_bin * bin;
    o->k = k;
    o->decim = q->n / k;
    while ((1u << o->decim_log2) < o->decim) o->decim_log2++;
    o->j0 = (q->v / 2) >> o->decim_log2;
    o->nv = q->hop >> o->decim_log2;
    o->mode = mode;
    o->w2 = malloc(2 * (size_t)k * sizeof(float));
    if (!o->w2) return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
    const unsigned lk = ilog2(k);
    if (!q->iplans[lk]) {
        q->iplans[lk] = cs_fft_plan_dft_1d((int)k, (fftwf_complex *)q->sin,
                                           (fftwf_complex *)q->sout, FFTW_BACKWARD);
        if (!q->iplans[lk]) {
            free(o->w2);
            return cs_error(CS_ENOMEM, "gsm channelizer: FFT plan failed");
        }
    }
    o->plan = q->iplans[lk];
    double b2 = 0.0;
    for (unsigned i = 0; i < k; i++) {
        const int kk = i < k / 2 ? (int)i : (int)i - (int)k;
        /* bin centre_bin + kk lies at kk bins minus the residual from centre_hz */
        const double f = fabs(kk * bin - o->residual_hz);
        double wv;
        if (f <= pass_hz) wv = 1.0;
        else if (f >= stop_hz) wv = 0.0;
        else wv = 0.5 * (1.0 + cos(M_PI * (f - pass_hz) / (stop_hz - pass_hz)));
        b2 += wv * wv;
        o->w2[2 * i] = o->w2[2 * i + 1] = (float)(wv / q->n);
    }
    o->beta = b2 / k;
    /* bins whose weight is zero are not gathered (their inputs are set to zero) */
    o->n_pos = k / 2;
    while (o->n_pos > 0 && o->w2[2 * (o->n_pos - 1)] == 0.0f) o->n_pos--;
    o->n_neg = k - k / 2;
    while (o->n_neg > 0 && o->w2[2 * (k - o->n_neg)] == 0.0f) o->n_neg--;
    if (mode == CHZ_POWER) {
        const unsigned neg = k - k / 2;
        o->w2_span = malloc(2 * (size_t)k * sizeof(float));
        if (!o->w2_span) return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
        memcpy(o->w2_span, o->w2 + 2 * (k - neg), 2 * (size_t)neg * sizeof(float));
        memcpy(o->w2_span + 2 * neg, o->w2, 2 * (size_t)(k / 2) * sizeof(float));
    }
    if (o->n_pos + o->n_neg == k) {
        o->w2_run = malloc(2 * (size_t)k * sizeof(float));
        if (!o->w2_run) return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
        memcpy(o->w2_run, o->w2 + 2 * (k - o->n_neg), 2 * (size_t)o->n_neg * sizeof(float));
        memcpy(o->w2_run + 2 * o->n_neg, o->w2, 2 * (size_t)o->n_pos * sizeof(float));
    }
    return (int)q->nout++;
}

void cs_gsm_channelizer_enable(cs_gsm_channelizer q, int i, int on)
{
    cs_gsm_channelizer_enable_from(q, i, on, q->block);
}

void cs_gsm_channelizer_enable_from(cs_gsm_channelizer q, int i, int on, uint64_t block)
{
    if (i < 0 || (size_t)i >= q->nout) return;
    chan_output *o = &q->outs[i];
    if (on && !o->enabled) o->since = block;
    o->enabled = on ? 1 : 0;
}

int cs_gsm_channelizer_enabled(cs_gsm_channelizer q, int i)
{
    return i >= 0 && (size_t)i < q->nout && q->outs[i].enabled;
}

double cs_gsm_channelizer_rate(cs_gsm_channelizer q, int i)
{
    return q->rate / q->outs[i].decim;
}

unsigned cs_gsm_channelizer_decimation(cs_gsm_channelizer q, int i) { return q->outs[i].decim; }

double cs_gsm_channelizer_residual(cs_gsm_channelizer q, int i)
{
    return q->outs[i].mode == CHZ_EXACT ? 0.0 : q->outs[i].residual_hz;
}

double cs_gsm_channelizer_noise_fraction(cs_gsm_channelizer q, int i) { return q->outs[i].beta; }

unsigned cs_gsm_channelizer_response(cs_gsm_channelizer q, int i, double *freq_hz,
                                     double *weight2)
{
    const chan_output *o = &q->outs[i];
    const double bin = q->rate / q->n;
    for (unsigned j = 0; j < o->k; j++) {
        const int kk = j < o->k / 2 ? (int)j : (int)j - (int)o->k;
        /* bin centre_bin + kk lies at kk bins minus the residual from centre_hz */
        if (freq_hz) freq_hz[j] = kk * bin - o->residual_hz;
        const double w = (double)o->w2[2 * j] * q->n;
        if (weight2) weight2[j] = w * w;
    }
    return o->k;
}

size_t cs_gsm_channelizer_hop(cs_gsm_channelizer q) { return q->hop; }

unsigned cs_gsm_channelizer_fft_size(cs_gsm_channelizer q) { return q->n; }

static int ready_blocks(const cs_gsm_channelizer q)
{
    const int64_t end = q->b0 + (int64_t)(q->len + q->ext_n);
    if (q->next_start + (int64_t)q->n > end) return 0;
    return (int)((end - q->next_start - (int64_t)q->n) / q->hop) + 1;
}

static int push_copy(cs_gsm_channelizer q, const cs_cf32 *x, size_t n);

int cs_gsm_channelizer_push(cs_gsm_channelizer q, const cs_cf32 *x, size_t n)
{
    int rc = cs_gsm_channelizer_release(q);
    if (rc != CS_OK) return rc;
    return push_copy(q, x, n);
}

int cs_gsm_channelizer_push_ref(cs_gsm_channelizer q, const cs_cf32 *x, size_t n)
{
    int rc = cs_gsm_channelizer_release(q);
    if (rc != CS_OK) return rc;
    /* blocks wholly in x are transformed from it where they lie; they start 6N bytes
     * apart, so all share the first one's alignment, which must be the plan's (else
     * the input is copied as by push). Blocks that start in the buffer and run into x
     * (at most two: the buffer holds less than a block past next_start) are put
     * together in the plan's input array. */
    const int64_t end = q->b0 + (int64_t)q->len;
    int64_t first = q->next_start;
    if (first < end) first += ((end - first + (int64_t)q->hop - 1) / (int64_t)q->hop) * (int64_t)q->hop;
    const size_t at = (size_t)(first - end);
    if (at >= n || fftwf_alignment_of((float *)(x + at)) != fftwf_alignment_of((float *)q->fin))
        return push_copy(q, x, n);
    q->ext = x;
    q->ext_n = n;
    return ready_blocks(q);
}

int cs_gsm_channelizer_release(cs_gsm_channelizer q)
{
    if (!q->ext) return CS_OK;
    /* keep what the next blocks still need: from the next block's start on */
    const int64_t e0 = q->b0 + (int64_t)q->len;
    const cs_cf32 *x = q->ext;
    size_t n = q->ext_n;
    if (q->next_start > e0) {
        const size_t skip = (size_t)(q->next_start - e0) < n ? (size_t)(q->next_start - e0) : n;
        /* skipped samples no block reads: the buffer restarts at the next block */
        q->b0 = e0 + (int64_t)skip;
        q->len = 0;
        x += skip;
        n -= skip;
    }
    q->ext = NULL;
    q->ext_n = 0;
    const int rc = push_copy(q, x, n);
    return rc < 0 ? rc : CS_OK;
}

static int push_copy(cs_gsm_channelizer q, const cs_cf32 *x, size_t n)
{
    /* drop what no block needs any more, only when the new samples would not fit: the
     * samples kept (less than a block) move once per several pushes, not every time */
    const int64_t drop = q->next_start - q->b0;
    if (drop > 0 && q->len + n > q->cap) {
        memmove(q->buf, q->buf + drop, (q->len - (size_t)drop) * sizeof *q->buf);
        q->len -= (size_t)drop;
        q->b0 += drop;
    }
    if (q->len + n > q->cap) {
        /* a fresh aligned buffer (realloc would not keep fftwf_malloc's alignment) */
        const size_t cap = 2 * (q->len + n);
        cs_cf32 *b = fftwf_malloc(cap * sizeof *b);
        if (!b) return cs_error(CS_ENOMEM, "gsm channelizer: out of memory");
        memcpy(b, q->buf, q->len * sizeof *b);
        fftwf_free(q->buf);
        q->buf = b;
        q->cap = cap;
    }
    if (x) {
        if (n) memcpy(q->buf + q->len, x, n * sizeof *x);
    }
    else memset(q->buf + q->len, 0, n * sizeof *q->buf);
    q->len += n;
    return ready_blocks(q);
}

int cs_gsm_channelizer_finish(cs_gsm_channelizer q)
{
    return cs_gsm_channelizer_push(q, NULL, q->n);
}

/* dst[i] = X[(b0 + i) mod n] * w[i], i < count, in contiguous runs (w2: weights twice). */
static void gather(const cs_cf32 *x, unsigned n, int b0, unsigned count,
                   const float *restrict w2, cs_cf32 *dst)
{
    int b = b0 % (int)n;
    if (b < 0) b += (int)n;
    while (count) {
        unsigned run = n - (unsigned)b;
        if (run > count) run = count;
        const float *restrict src = (const float *)(x + b);
        float *restrict d = (float *)dst; /* the spectra and the scratch never overlap */
        for (unsigned i = 0; i < 2 * run; i++) d[i] = src[i] * w2[i];
        dst += run;
        w2 += 2 * run;
        count -= run;
        b = 0;
    }
}

/* sum over i < count of |X[(b0 + i) mod n] w[i]|^2 (w2: weights twice), in the runs
 * between wraps */
static float weighted_energy(const cs_cf32 *x, unsigned n, int b0, unsigned count, const float *w2)
{
    int b = b0 % (int)n;
    if (b < 0) b += (int)n;
    float sum = 0.0f;
#if defined(__SSE2__)
    __m128 acc = _mm_setzero_ps();
#endif
    while (count) {
        unsigned run = n - (unsigned)b;
        if (run > count) run = count;
        const float *src = (const float *)(x + b);
        unsigned i = 0;
#if defined(__SSE2__)
        for (; i + 4 <= 2 * run; i += 4) {
            const __m128 v = _mm_mul_ps(_mm_loadu_ps(src + i), _mm_loadu_ps(w2 + i));
            acc = _mm_add_ps(acc, _mm_mul_ps(v, v));
        }
#endif
        for (; i < 2 * run; i++) {
            const float v = src[i] * w2[i];
            sum += v * v;
        }
        w2 += 2 * run;
        count -= run;
        b = 0;
    }
#if defined(__SSE2__)
    float part[4];
    _mm_storeu_ps(part, acc);
    sum += (part[0] + part[1]) + (part[2] + part[3]);
#endif
    return sum;
}

/* A power-only 64-bin output's bins as they lie in spectrum `fout`: the 64 from c - 32 on,
 * weighted by w2_span, for the AVX forms of gsm_ifft64.c; NULL where those are not used or
 * the bins wrap around the spectrum's end. */
static const cs_cf32 *span64(const cs_gsm_channelizer q, const chan_output *o, const cs_cf32 *fout)
{
    if (o->mode != CHZ_POWER || o->k != 64 || !q->ifft64) return NULL;
    int b = (o->centre_bin - 32) % (int)q->n;
    if (b < 0) b += (int)q->n;
    return (unsigned)b + 64u <= q->n ? fout + b : NULL;
}

double cs_gsm_channelizer_band_power(cs_gsm_channelizer q, int i, uint64_t block)
{
    if (block >= q->block || block + q->depth < q->block) return -1.0;
    const chan_output *o = &q->outs[i];
    const cs_cf32 *fout = q->spectra + (size_t)(block % q->depth) * q->n;
    const cs_cf32 *span = span64(q, o, fout);
    if (span) return cs_gsm_weighted_energy64(span, o->w2_span);
    /* the negative side first: with no weight zeroed in between, the bins are one run
     * from centre - n_neg on, and so are the weights (stored from k - n_neg on, then 0..) */
    if (o->n_pos + o->n_neg == o->k && o->w2_run)
        return weighted_energy(fout, q->n, o->centre_bin - (int)o->n_neg, o->k, o->w2_run);
    return (double)weighted_energy(fout, q->n, o->centre_bin, o->n_pos, o->w2) +
           (double)weighted_energy(fout, q->n, o->centre_bin - (int)o->n_neg, o->n_neg,
                                   o->w2 + 2 * (o->k - o->n_neg));
}

int cs_gsm_channelizer_next_block(cs_gsm_channelizer q)
{
    if (!ready_blocks(q)) return 0;
    const int64_t start = q->next_start;
    const unsigned slot = (unsigned)(q->block % q->depth);
    const int64_t e0 = q->b0 + (int64_t)q->len;
    cs_cf32 *in;
    if (start >= e0) {
        in = (cs_cf32 *)(q->ext + (start - e0)); /* read only: the plan preserves its input */
    } else if (start + (int64_t)q->n > e0) {
        /* the buffer's tail, then the caller's samples */
        const size_t m = (size_t)(e0 - start);
        memcpy(q->fin, q->buf + (start - q->b0), m * sizeof *q->fin);
        memcpy(q->fin + m, q->ext, (q->n - m) * sizeof *q->fin);
        in = q->fin;
    } else {
        in = q->buf + (start - q->b0);
    }
    if (fftwf_alignment_of((float *)in) != fftwf_alignment_of((float *)q->fin)) {
        memcpy(q->fin, in, q->n * sizeof *q->fin);
        in = q->fin;
    }
    cs_cf32 *spectrum = q->spectra + (size_t)slot * q->n;
    /* the plan preserves its input (out of place, complex): the overlap stays for the next */
    fftwf_execute_dft(q->fwd, (fftwf_complex *)in, (fftwf_complex *)spectrum);
    q->starts[slot] = start;
    q->next_start += q->hop;
    q->block++;
    return 1;
}

uint64_t cs_gsm_channelizer_blocks(cs_gsm_channelizer q) { return q->block; }

unsigned cs_gsm_channelizer_depth(cs_gsm_channelizer q) { return q->depth; }

CS_VECTOR_CLONES const cs_cf32 *cs_gsm_channelizer_output_at(cs_gsm_channelizer q, int i,
                                                             uint64_t block, size_t *n_out,
                                                             uint64_t *first_index)
{
    const chan_output *o = &q->outs[i];
    if (n_out) *n_out = 0;
    if (first_index) *first_index = 0;
    /* only blocks still held: the last `depth` processed */
    if (block >= q->block || block + q->depth < q->block) return q->samples;
    const unsigned slot = (unsigned)(block % q->depth);
    const cs_cf32 *fout = q->spectra + (size_t)slot * q->n;
    const int64_t start = q->starts[slot];
    const unsigned n = q->n, k = o->k;
    const unsigned j0 = o->j0, nv = o->nv;
    /* valid part: inputs [start + V/2, start + V/2 + H) */
    const uint64_t first = (uint64_t)(start + (int64_t)(q->v / 2)) >> o->decim_log2;
    if (first_index) *first_index = first;
    if (!o->enabled || block < o->since) return q->samples;
    /* power only: the bins go in as they lie; starting the transform's input 32 bins
     * lower turns each output sample by a phase, leaving its power */
    const cs_cf32 *span = span64(q, o, fout);
    if (span) {
        cs_gsm_ifft64_weighted(span, o->w2_span, q->sout);
        if (n_out) *n_out = nv;
        return q->sout + j0;
    }
    /* positive side: bins c, c+1, ... into in[0..n_pos); negative side: bins c-n_neg ..
     * c-1 into in[k-n_neg..k); zeros between */
    gather(fout, n, o->centre_bin, o->n_pos, o->w2, q->sin);
    memset(q->sin + o->n_pos, 0, (k - o->n_pos - o->n_neg) * sizeof(cs_cf32));
    gather(fout, n, o->centre_bin - (int)o->n_neg, o->n_neg, o->w2 + 2 * (k - o->n_neg),
           q->sin + (k - o->n_neg));
    if (k == 64 && q->ifft64) cs_gsm_ifft64(q->sin, q->sout);
    else fftwf_execute_dft(o->plan, (fftwf_complex *)q->sin, (fftwf_complex *)q->sout);
    if (n_out) *n_out = nv;
    if (o->mode == CHZ_POWER) return q->sout + j0; /* no phase work, no copy */
    /* mixing phase of the block start: integer bins, exact, from the table */
    int64_t cb = ((int64_t)o->centre_bin * start) % (int64_t)n;
    if (cb < 0) cb += n;
    const cs_cf32 ph = q->twiddle[cb];
    if (o->mode == CHZ_BLOCK) {
        /* (a + jb)(c + jd) written out: no NaN/Inf special-casing per sample */
        const float pr = crealf(ph), pi = cimagf(ph);
        const float *restrict src = (const float *)(q->sout + j0);
        float *restrict dst = (float *)q->samples;
        unsigned j = 0;
#if defined(__SSE2__)
        /* (a, b, ...) pr + (b, a, ...) (-pi, pi): the same products and sums */
        const __m128 vr = _mm_set1_ps(pr), vi = _mm_setr_ps(-pi, pi, -pi, pi);
        for (; j + 2 <= nv; j += 2) {
            const __m128 v = _mm_loadu_ps(src + 2 * j);
            const __m128 sw = _mm_shuffle_ps(v, v, _MM_SHUFFLE(2, 3, 0, 1));
            _mm_storeu_ps(dst + 2 * j, _mm_add_ps(_mm_mul_ps(v, vr), _mm_mul_ps(sw, vi)));
        }
#endif
        for (; j < nv; j++) {
            const float a = src[2 * j], b = src[2 * j + 1];
            dst[2 * j] = a * pr - b * pi;
            dst[2 * j + 1] = a * pi + b * pr;
        }
    } else {
        const double cyc = o->residual_hz * (double)first * o->decim / q->rate;
        const double ph1 = -2.0 * M_PI * (cyc - floor(cyc));
        const double dph = -2.0 * M_PI * o->residual_hz * o->decim / q->rate;
        /* phasor recurrence from an exact start: nv is at most 3k/4 samples */
        double re = cos(ph1), im = sin(ph1);
        const double sr = cos(dph), si = sin(dph);
        for (unsigned j = 0; j < nv; j++) {
            q->samples[j] = q->sout[j0 + j] * ph * ((float)re + I * (float)im);
            const double t = re * sr - im * si;
            im = re * si + im * sr;
            re = t;
        }
    }
    return q->samples;
}

const cs_cf32 *cs_gsm_channelizer_output(cs_gsm_channelizer q, int i, size_t *n_out,
                                         uint64_t *first_index)
{
    return cs_gsm_channelizer_output_at(q, i, q->block ? q->block - 1 : 0, n_out, first_index);
}

const cs_cf32 *cs_gsm_channelizer_spectrum(cs_gsm_channelizer q)
{
    const uint64_t last = q->block ? q->block - 1 : 0;
    return q->spectra + (size_t)(last % q->depth) * q->n;
}

const cs_cf32 *cs_gsm_channelizer_spectrum_at(cs_gsm_channelizer q, uint64_t block,
                                              int64_t *start)
{
    if (block >= q->block || block + q->depth < q->block) return NULL;
    const unsigned slot = (unsigned)(block % q->depth);
    if (start) *start = q->starts[slot];
    return q->spectra + (size_t)slot * q->n;
}

int cs_gsm_channelizer_centre_bin(cs_gsm_channelizer q, int i) { return q->outs[i].centre_bin; }

void cs_gsm_channelizer_destroy(cs_gsm_channelizer q)
{
    if (!q) return;
    for (size_t i = 0; i < q->nout; i++) {
        free(q->outs[i].w2);
        free(q->outs[i].w2_run);
        free(q->outs[i].w2_span);
    }
    fftwf_free(q->sin);
    fftwf_free(q->sout);
    free(q->samples);
    free(q->outs);
    for (int i = 0; i < 32; i++) cs_fft_plan_destroy(q->iplans[i]);
    cs_fft_plan_destroy(q->fwd);
    free(q->twiddle);
    fftwf_free(q->fin);
    fftwf_free(q->spectra);
    free(q->starts);
    fftwf_free(q->buf);
    free(q);
}
