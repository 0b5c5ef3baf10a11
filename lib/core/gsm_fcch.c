/* FCCH detector: coherent tone search over 142-symbol windows (see gsm_fcch.h). */
#include "cellscan/gsm_fcch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "fft_plan.h"
#include "gsm_fcch_gate.h"
#include "gsm_fcch_internal.h"
#include "gsm_scan_dsp.h"
#include "kernels/simd_x86.h"

#define BURST_CENTRE_SYMBOLS 74.5 /* centre of the 148 tone bits from the slot start */
#define BG_WINDOWS 64            /* background time constant, updates (~70 ms) */
#define BG_EVERY 4               /* every 4th coarse window updates the background */
#define BG_MIN_WINDOWS 8         /* background used from this many updates on */
#define BG_CLIP 4.0              /* one window raises a bin by at most 4x its mean */
#define FINE_STEP 2               /* fine search: every 4th window, then around the best */
#define CW_NEIGHBOUR_RATIO 0.35   /* a tone this strong one window away is no FCCH */
#define COHERENCE_MAX 4.0        /* quarters of a true tone agree (F test, P(fail) ~1e-3) */
#define COHERENCE_SHARE 0.12      /* ... or deviate by less than this share of their energy */
#define OWN_FRACTION 0.5          /* peak over own window power: at least this * threshold */
#define PURITY_FRACTION 0.6       /* a tone holds this share of the window's signal power */
#define PURITY_MIN_SNR 2.0        /* ... checked where the signal is 3 dB above the noise */
#define GATE_SPANS 16             /* opened spans waiting (a full ring merges into the last) */

/* Window FFT scratch, one per thread rather than per detector: a scanner runs a detector
 * per channel, and per-detector buffers would push each other out of the cache. The
 * largest fine FFT is 1024 points (working rate below 420 kHz: window <= 220 samples). */
static _Thread_local struct {
    _Alignas(64) cs_cf32 in[FCCH_MAX_FFT];
    _Alignas(64) cs_cf32 out[FCCH_MAX_FFT];
    double pw[FCCH_MAX_FFT + 1];
    _Alignas(32) float q[FCCH_MAX_FFT + FCCH_PAD]; /* screening powers (AVX2) */
    int cand[FCCH_MAX_FFT + FCCH_PAD];              /* ... and the bins near their largest */
} scratch;

struct cs_gsm_fcch_detector_s {
    cs_gsm_fcch_config cfg;
    cs_gsm_decimator dec;
    unsigned factor;
    double delay_in; /* decimator group delay, input samples */
    double fz, beta;
    fcch_core core;
    cs_cf32 *tmp;
    size_t tmp_cap;
    uint64_t nin;
    cs_gsm_fcch_detection *queue; /* ring of q_cap detections waiting to be popped */
    size_t q_head, q_len, q_cap;
    /* gating (gsm_fcch_gate.h): opened spans of working-rate samples, in time order */
    int gated;
    uint64_t span_lo[GATE_SPANS], span_hi[GATE_SPANS];
    unsigned span_head, span_len;
    unsigned *bg_map; /* set_background: coarse search bin -> given bin (and the next) */
    float *bg_frac;   /* ... and the weight of the next */
    float *bg_level;  /* the level last handed over (core.bg_level) */
};

void cs_gsm_fcch_config_init(cs_gsm_fcch_config *c)
{
    memset(c, 0, sizeof *c);
    c->tone_hz = CS_GSM_FCCH_TONE_HZ;
    c->max_offset_hz = 25e3;
    c->false_alarms_per_hour = 6.0;
    c->noise_fraction = 1.0;
}

/* ---- window statistics ------------------------------------------------------------- */

static double energy(const fcch_core *k, int64_t a, int64_t b)
{
    const int64_t lo = (int64_t)k->z0, hi = (int64_t)(k->z0 + k->len);
    if (a < lo) a = lo;
    if (b > hi) b = hi;
    if (b <= a) return 0.0;
    return k->cum[b - lo] - k->cum[a - lo];
}

/* Noise-plus-signal power around the window at s: the window and both neighbours
 * (3L samples, or what exists of them). */
static double span_sigma2(const fcch_core *k, int64_t s)
{
    const int64_t lo = (int64_t)k->z0, hi = (int64_t)(k->z0 + k->len);
    int64_t a = s - (int64_t)k->L, b = s + 2 * (int64_t)k->L;
    if (a < lo) a = lo;
    if (b > hi) b = hi;
    return energy(k, a, b) / (double)(b - a);
}

/* Candidate statistic of the window at s from its periodogram peak p: T over the span
 * power, 0 when the window's own power says the peak is too small a share of it (a
 * data burst between quiet slots). */
static double window_stat(const fcch_core *k, int64_t s, double p, int fine)
{
    const double own = energy(k, s, s + k->L);
    if (!(own > 0.0)) return 0.0;
    if (p / own < OWN_FRACTION * (fine ? k->gamma : k->gamma_c)) return 0.0;
    return p / (k->L * span_sigma2(k, s));
}

/* The gains from the background set from outside: flat level over it, at most 1. */
static void apply_background(fcch_core *k)
{
    const int nb = 2 * k->kc_max + 1;
    const unsigned n = k->bg_n;
    const float *level = k->bg_level;
    float *v = k->bg_gain;
    double ref = 0.0;
    for (int j = 0; j < nb; j++) {
        const unsigned i = k->bg_map[j];
        const float f = k->bg_frac[j];
        v[j] = (1.0f - f) * level[i] + f * level[i + (n >= 2)];
        ref += v[j];
    }
    const float r = (float)(ref / nb);
    for (int j = 0; j < nb; j++) v[j] = v[j] > r ? r / v[j] : 1.0f;
    k->bg_stale = 0;
    k->fine_gain_stale = 1;
}

/* The gains of the fine search bins, in one array (each that of its coarse bin). */
static const float *fine_gains(fcch_core *k)
{
    if (k->fine_gain_stale) {
        for (int j = 0; j < 2 * k->kf_max + 1; j++) k->fine_gain[j] = k->bg_gain[k->fine_to_coarse[j]];
        k->fine_gain_stale = 0;
    }
    return k->fine_gain;
}

#if CS_HAVE_X86_SIMD
/* |x|^2 of 8 complex values, in order. */
CS_INLINE CS_AVX2 __m256 power8(const float *f)
{
    const __m256 a = _mm256_loadu_ps(f), b = _mm256_loadu_ps(f + 8);
    const __m256 a2 = _mm256_mul_ps(a, a), b2 = _mm256_mul_ps(b, b);
    /* per 128-bit half: bins (0, 1, 4, 5 | 2, 3, 6, 7), then in order */
    const __m256 s = _mm256_add_ps(_mm256_shuffle_ps(a2, b2, _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm256_shuffle_ps(a2, b2, _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm256_permutevar8x32_ps(s, _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7));
}

/* Float powers of m complex values into q. */
CS_INLINE CS_AVX2 void powers_f(const float *f, int m, float *q)
{
    int j = 0;
    for (; j + 8 <= m; j += 8) _mm256_storeu_ps(q + j, power8(f + 2 * j));
    for (; j < m; j++) q[j] = f[2 * j] * f[2 * j] + f[2 * j + 1] * f[2 * j + 1];
}

/* Screening of the search bins in float: q[j] = power x gain (gain NULL: 1) of search bin
 * j (xn: the kmax negative bins, xf: bins 0..kmax); the indices of the bins within 2^-20
 * of the largest into cand (ascending), their number returned, the largest in *qmax.
 * Float is within 3 * 2^-24 of the exact value (normal range), so the exact largest is
 * among these and every other bin is smaller than it. */
CS_AVX2 __attribute__((noipa)) static int screen_avx2(const float *xn, const float *xf, int kmax, const float *gain,
                               float *q, int *cand, float *qmax)
{
    const int nb = 2 * kmax + 1;
    powers_f(xn, kmax, q);
    powers_f(xf, kmax + 1, q + kmax);
    for (int j = nb; j < nb + FCCH_PAD; j++) q[j] = 0.0f;
    __m256 mx = _mm256_setzero_ps();
    for (int j = 0; j < nb; j += 8) {
        __m256 v = _mm256_loadu_ps(q + j);
        if (gain) {
            v = _mm256_mul_ps(v, _mm256_loadu_ps(gain + j));
            _mm256_storeu_ps(q + j, v);
        }
        mx = _mm256_max_ps(mx, v);
    }
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_shuffle_ps(m4, m4, _MM_SHUFFLE(1, 1, 1, 1)));
    const float m = _mm_cvtss_f32(m4);
    *qmax = m;
    const __m256 thr = _mm256_set1_ps(m * (1.0f - 0x1p-20f));
    int nc = 0;
    for (int j = 0; j < nb; j += 8) {
        unsigned bits = (unsigned)_mm256_movemask_ps(
            _mm256_cmp_ps(_mm256_loadu_ps(q + j), thr, _CMP_GE_OQ));
        while (bits) {
            const int v = __builtin_ctz(bits);
            if (j + v < nb) cand[nc++] = j + v;
            bits &= bits - 1;
        }
    }
    return nc;
}
#endif

/* Periodogram of the window at s on an n-point grid; returns the peak over the search
 * bins, each bin divided by the background spectrum's excess over flat (never below 1:
 * a flat background leaves the statistic as it is). The background is what this channel
 * usually holds in the tone band: data bursts, whose GMSK spectrum slopes across it, a
 * neighbour's skirt, a spur. On the coarse grid the window also updates it. */
static double window_peak(fcch_core *k, int64_t s, int fine, int *kbest)
{
    const unsigned n = fine ? k->nf : k->nc;
    cs_cf32 *in = scratch.in, *out = scratch.out;
    const cs_cf32 *z = k->z + (s - (int64_t)k->z0);
    memcpy(in, z, k->L * sizeof(cs_cf32));
    memset(in + k->L, 0, (n - k->L) * sizeof(cs_cf32));
    fftwf_execute_dft(fine ? k->pf : k->pc, (fftwf_complex *)in, (fftwf_complex *)out);
    const float *xf = (const float *)out;
    const int kmax = fine ? k->kf_max : k->kc_max, nb = 2 * kmax + 1;
    const int shaped = k->bg_count >= BG_MIN_WINDOWS;
    /* search-bin powers in search order -kmax..kmax (bins n-kmax..n-1, then 0..kmax), in
     * loops without index arithmetic; then the shaping and the first largest */
    const float *xn = xf + 2 * (n - (unsigned)kmax);
    if (shaped && k->bg_stale) apply_background(k);
    /* fine bin i sits on coarse bin round(i / ratio) */
    const float *gain = !shaped ? NULL : fine ? fine_gains(k) : k->bg_gain;
    double best = -1.0;
    int bi = 0;
    int screened = 0;
#if CS_HAVE_X86_SIMD
    if (k->avx2) {
        /* the bins near the float largest, then exactly as below on those only */
        float qmax;
        const int nc = screen_avx2(xn, xf, kmax, gain, scratch.q, scratch.cand, &qmax);
        if (qmax >= 0x1p-100f && qmax <= 0x1p100f) { /* no underflow or overflow */
            for (int c = 0; c < nc; c++) {
                const int j = scratch.cand[c];
                const float *x = j < kmax ? xn + 2 * j : xf + 2 * (j - kmax);
                double p = (double)x[0] * x[0] + (double)x[1] * x[1];
                if (gain) p *= gain[j];
                if (p > best) {
                    best = p;
                    bi = j - kmax;
                }
            }
            screened = 1;
        }
    }
#endif
    if (!screened) {
        double *pw = scratch.pw;
        for (int j = 0; j < kmax; j++)
            pw[j] = (double)xn[2 * j] * xn[2 * j] + (double)xn[2 * j + 1] * xn[2 * j + 1];
        for (int j = 0; j <= kmax; j++)
            pw[kmax + j] = (double)xf[2 * j] * xf[2 * j] + (double)xf[2 * j + 1] * xf[2 * j + 1];
        if (gain)
            for (int j = 0; j < nb; j++) pw[j] *= gain[j];
        for (int j = 0; j < nb; j++) {
            if (pw[j] > best) {
                best = pw[j];
                bi = j - kmax;
            }
        }
    }
    if (!fine && k->windows++ % BG_EVERY == 0 && !k->ext_bg) {
        /* background update: periodogram per unit window power (the n bins sum to n e) */
        const double e = energy(k, s, s + k->L);
        if (e > 0.0) {
            const double a = k->bg_count < BG_WINDOWS ? 1.0 / (double)(k->bg_count + 1) : 1.0 / BG_WINDOWS;
            double *bg = k->bg;
            if (k->bg_count >= BG_MIN_WINDOWS) {
                for (unsigned j = 0; j < n; j++) {
                    const double re = xf[2 * j], im = xf[2 * j + 1];
                    double p = (re * re + im * im) / e;
                    const double cap = BG_CLIP * bg[j];
                    p = p > cap ? cap : p;
                    bg[j] += a * (p - bg[j]);
                }
            } else {
                for (unsigned j = 0; j < n; j++) {
                    const double re = xf[2 * j], im = xf[2 * j + 1];
                    bg[j] += a * ((re * re + im * im) / e - bg[j]);
                }
            }
            /* gains of the search bins: the flat level (their mean) over the background,
             * at most 1 (a flat background leaves the statistic alone) */
            const int kc = k->kc_max;
            const double *bn = bg + (n - (unsigned)kc);
            double ref = 0.0;
            for (int j = 0; j < kc; j++) ref += bn[j];
            for (int j = 0; j <= kc; j++) ref += bg[j];
            ref /= (2 * kc + 1);
            for (int j = 0; j < kc; j++) k->bg_gain[j] = bn[j] > ref ? (float)(ref / bn[j]) : 1.0f;
            for (int j = 0; j <= kc; j++)
                k->bg_gain[kc + j] = bg[j] > ref ? (float)(ref / bg[j]) : 1.0f;
            k->fine_gain_stale = 1;
            k->bg_count++;
        }
    }
    *kbest = bi;
    return best;
}

/* Candidate statistic of the window at s: shaped peak over the span power. */
static double window_t(fcch_core *k, int64_t s, int fine, int *kbest)
{
    const double p = window_peak(k, s, fine, kbest);
    return window_stat(k, s, p, fine);
}

/* Fine search around the best coarse window of a run; queue a detection if it passes. */
static void resolve_run(cs_gsm_fcch_detector d)
{
    fcch_core *k = &d->core;
    k->run = 0;
    const int64_t lo_avail = (int64_t)k->z0;
    int64_t a = (int64_t)k->run_best - (int64_t)k->H, b = (int64_t)k->run_best + (int64_t)k->H;
    if (a < (int64_t)k->suppress) a = (int64_t)k->suppress;
    if (a < lo_avail) a = lo_avail;
    if (b + (int64_t)k->L > (int64_t)(k->z0 + k->len)) b = (int64_t)(k->z0 + k->len) - k->L;
    if (b < a) return;
    double tbest = -1.0, tprev = 0.0, tnext = 0.0;
    int64_t sbest = a;
    int kbest = 0;
    double *tv = k->tvals;
    for (int64_t s = a; s <= b; s++) tv[s - a] = -1.0;
    /* T(s) is smooth near its peak (the overlap with the tone changes linearly): every
     * FINE_STEP-th window first, then every window around the best of those */
    for (int pass = 0; pass < 2; pass++) {
        int64_t lo = a, hi = b, step = FINE_STEP;
        if (pass == 1) {
            lo = sbest - FINE_STEP + 1;
            hi = sbest + FINE_STEP - 1;
            step = 1;
            if (lo < a) lo = a;
            if (hi > b) hi = b;
        }
        for (int64_t s = lo; s <= hi; s += step) {
            if (tv[s - a] >= 0.0) continue;
            int kb;
            const double t = window_t(k, s, 1, &kb);
            tv[s - a] = t;
            if (t > tbest) {
                tbest = t;
                sbest = s;
                kbest = kb;
            }
        }
    }
    /* neighbours for the timing interpolation */
    for (int64_t s = sbest - 1; s <= sbest + 1; s += 2) {
        if (s < a || s > b || tv[s - a] >= 0.0) continue;
        int kb;
        tv[s - a] = window_t(k, s, 1, &kb);
    }
    if (tbest < k->gamma) return;
    tprev = sbest > a ? tv[sbest - 1 - a] : 0.0;
    tnext = sbest < b ? tv[sbest + 1 - a] : 0.0;
    if (tprev < 0.0) tprev = 0.0;
    if (tnext < 0.0) tnext = 0.0;

    double complex s0;
    const double fcyc = cs_gsm_fcch_refine_frequency(k, sbest, kbest, &s0);
    const double w = 2.0 * M_PI * fcyc;
    const double qpeak = creal(s0 * conj(s0));
    /* a tone as strong one window before or after is a continuous carrier, not an FCCH */
    const double qb = cs_gsm_fcch_tone_power(k, sbest - (int64_t)k->L, w);
    const double qa = cs_gsm_fcch_tone_power(k, sbest + (int64_t)k->L, w);
    if (qb > CW_NEIGHBOUR_RATIO * qpeak || qa > CW_NEIGHBOUR_RATIO * qpeak) {
        k->suppress = (uint64_t)sbest + k->L;
        return;
    }
    const double L = k->L;
    const double e_win = energy(k, sbest, sbest + k->L);
    double share;
    const double coh = cs_gsm_fcch_coherence(k, sbest, w, &share);
    if (coh > COHERENCE_MAX && share > COHERENCE_SHARE) {
        k->suppress = (uint64_t)sbest + k->L;
        return;
    }
    /* where the window stands clear of the noise (known, or the quietest recent windows),
     * an FCCH's tone carries most of the signal power in it; a data burst whose spectrum
     * peaks by chance carries far less */
    const double floor_pw = isnan(k->noise) ? cs_gsm_fcch_core_floor(k) : k->noise;
    if (floor_pw > 0.0) {
        const double signal = e_win / L - floor_pw;
        if (signal > PURITY_MIN_SNR * floor_pw && qpeak / (L * L) < PURITY_FRACTION * signal) {
            k->suppress = (uint64_t)sbest + k->L;
            return;
        }
    }
    double delta = 0.0;
    if (sbest > a && sbest < b) {
        const double den = tprev - 2.0 * tbest + tnext;
        if (den < 0.0) delta = 0.5 * (tprev - tnext) / den;
        if (delta > 0.5) delta = 0.5;
        if (delta < -0.5) delta = -0.5;
    }
    const double amp2 = qpeak / (L * L);
    double noise = (e_win - L * amp2) / (L - 2.0);
    if (noise < e_win * 1e-7 / L) noise = e_win * 1e-7 / L;
    const double s_tone = amp2 * d->beta / noise; /* per-sample SNR at the tone */
    cs_gsm_fcch_detection det;
    const double centre_z = (double)sbest + delta + 0.5 * (L - 1.0);
    const double centre_in = centre_z * d->factor - d->delay_in;
    det.t_start_s = centre_in / d->cfg.sample_rate_hz - BURST_CENTRE_SYMBOLS / CS_GSM_RS_HZ;
    det.offset_hz = fcyc * d->fz;
    det.offset_sigma_hz =
        d->fz / (2.0 * M_PI) * sqrt(6.0 / (s_tone * L * (L * L - 1.0)));
    det.snr_db = 10.0 * log10(s_tone * d->fz / CS_GSM_RS_HZ);
    det.power = amp2;
    det.statistic = tbest;
    det.threshold = k->gamma;
    k->suppress = (uint64_t)sbest + k->L;
    if (d->q_len == d->q_cap) {
        /* grow the ring, unrolling it; on failure the oldest detection makes room */
        const size_t cap = d->q_cap ? 2 * d->q_cap : 16;
        cs_gsm_fcch_detection *q = malloc(cap * sizeof *q);
        if (q) {
            for (size_t i = 0; i < d->q_len; i++)
                q[i] = d->queue[(d->q_head + i) % d->q_cap];
            free(d->queue);
            d->queue = q;
            d->q_head = 0;
            d->q_cap = cap;
        } else if (d->q_cap) {
            d->q_head = (d->q_head + 1) % d->q_cap;
            d->q_len--;
        } else {
            return;
        }
    }
    d->queue[(d->q_head + d->q_len) % d->q_cap] = det;
    d->q_len++;
}

/* Is the coarse window at s to be examined: ungated, or overlapping an opened span
 * (spans wholly before it are dropped: windows come in time order). */
static int window_open(cs_gsm_fcch_detector d, uint64_t s)
{
    if (!d->gated) return 1;
    const uint64_t e = s + d->core.L;
    while (d->span_len) {
        const unsigned h = d->span_head;
        if (d->span_hi[h] <= s) {
            d->span_head = (h + 1) % GATE_SPANS;
            d->span_len--;
            continue;
        }
        return d->span_lo[h] < e;
    }
    return 0;
}

void cs_gsm_fcch_detector_gate(cs_gsm_fcch_detector d, int on)
{
    d->gated = on ? 1 : 0;
    d->span_len = 0;
}

void cs_gsm_fcch_detector_open(cs_gsm_fcch_detector d, int64_t first, int64_t end)
{
    /* input samples -> working-rate samples: input i is working sample (i + delay) / factor */
    const double f = d->factor;
    double lo = floor(((double)first + d->delay_in) / f) - 1.0;
    const double hi = ceil(((double)end + d->delay_in) / f) + 1.0;
    if (lo < 0.0) lo = 0.0;
    if (!(hi > lo)) return;
    const uint64_t a = (uint64_t)lo, b = (uint64_t)hi;
    if (d->span_len) {
        const unsigned last = (d->span_head + d->span_len - 1) % GATE_SPANS;
        if (a <= d->span_hi[last] || d->span_len == GATE_SPANS) {
            if (b > d->span_hi[last]) d->span_hi[last] = b;
            if (a < d->span_lo[last]) d->span_lo[last] = a;
            return;
        }
    }
    const unsigned slot = (d->span_head + d->span_len) % GATE_SPANS;
    d->span_lo[slot] = a;
    d->span_hi[slot] = b;
    d->span_len++;
}

void cs_gsm_fcch_detector_set_background(cs_gsm_fcch_detector d, const float *level, unsigned n,
                                         double first_hz, double bin_hz)
{
    fcch_core *k = &d->core;
    const int kc = k->kc_max, nb = 2 * kc + 1;
    if (!d->bg_map) {
        /* where each coarse search bin falls among the given bins: linear between them,
         * held at the ends (the same bins on every call) */
        d->bg_map = malloc((size_t)nb * sizeof *d->bg_map);
        d->bg_frac = malloc((size_t)nb * sizeof *d->bg_frac);
        d->bg_level = malloc((size_t)(n ? n : 1) * sizeof *d->bg_level);
        if (!d->bg_map || !d->bg_frac || !d->bg_level) { /* keeps its own background */
            free(d->bg_map);
            free(d->bg_frac);
            free(d->bg_level);
            d->bg_map = NULL;
            d->bg_frac = NULL;
            d->bg_level = NULL;
            return;
        }
        for (int j = 0; j < nb; j++) {
            double x = (((double)(j - kc)) * d->fz / k->nc - first_hz) / bin_hz;
            x = x < 0.0 ? 0.0 : x > (double)(n - 1) ? (double)(n - 1) : x;
            unsigned i = (unsigned)x;
            if (i + 1 >= n) i = n >= 2 ? n - 2 : 0;
            d->bg_map[j] = i;
            d->bg_frac[j] = n >= 2 ? (float)(x - i) : 0.0f;
        }
        d->core.bg_map = d->bg_map;
        d->core.bg_frac = d->bg_frac;
        d->core.bg_level = d->bg_level;
        d->core.bg_n = n;
    }
    /* the gains follow when a window needs them (apply_background) */
    memcpy(k->bg_level, level, (size_t)k->bg_n * sizeof *level);
    k->bg_stale = 1;
    if (k->bg_count < BG_MIN_WINDOWS) k->bg_count = BG_MIN_WINDOWS;
    k->ext_bg = 1;
}

/* Examine every coarse window whose data (and right neighbour, unless flushing) is in. */
static void process(cs_gsm_fcch_detector d, int flushing)
{
    fcch_core *k = &d->core;
    const uint64_t end = k->z0 + k->len;
    for (;;) {
        const uint64_t need = k->sc + (flushing ? k->L : 2u * k->L);
        if (need > end) break;
        if (k->sc < k->suppress) {
            if (k->run) resolve_run(d);
            k->sc += k->H;
            continue;
        }
        int kb;
        double t;
        if (window_open(d, k->sc)) {
            t = window_t(k, (int64_t)k->sc, 0, &kb);
        } else {
            /* not examined; the background still updates on its own windows */
            if (k->windows % BG_EVERY == 0 && !k->ext_bg) window_peak(k, (int64_t)k->sc, 0, &kb);
            else k->windows++;
            t = 0.0;
        }
        if (t >= k->gamma_c) {
            if (!k->run) {
                k->run = 1;
                k->run_first = k->sc;
                k->run_best = k->sc;
                k->run_best_t = t;
            } else if (t > k->run_best_t) {
                k->run_best = k->sc;
                k->run_best_t = t;
            }
            k->sc += k->H;
            /* resolve once the next window is in, so the fine search has its data */
            if (k->sc - k->run_first > 2u * k->L) resolve_run(d);
        } else {
            if (k->run) resolve_run(d);
            k->sc += k->H;
        }
    }
    if (flushing && k->run) resolve_run(d);
}

/* Drop samples no window will need again. */
static void compact(fcch_core *k)
{
    uint64_t keep = k->run ? k->run_first : k->sc;
    const uint64_t margin = (uint64_t)k->L + 2u * k->H + 4u;
    keep = keep > margin ? keep - margin : 0;
    if (keep <= k->z0) return;
    const size_t drop = (size_t)(keep - k->z0);
    if (drop > k->len || drop < 256) return; /* small moves keep the buffer in cache */
    const double base = k->cum[drop];
    memmove(k->z, k->z + drop, (k->len - drop) * sizeof *k->z);
    for (size_t i = 0; i + drop <= k->len; i++)
        k->cum[i] = k->cum[i + drop] - base;
    k->len -= drop;
    k->z0 += drop;
}

static int append(fcch_core *k, const cs_cf32 *z, size_t n)
{
    if (k->len + n > k->cap) {
        size_t cap = (k->len + n) * 2 + 1024;
        cs_cf32 *nz = realloc(k->z, cap * sizeof *nz);
        if (!nz) return cs_error(CS_ENOMEM, "fcch detector: out of memory");
        k->z = nz;
        double *nc = realloc(k->cum, (cap + 1) * sizeof *nc);
        if (!nc) return cs_error(CS_ENOMEM, "fcch detector: out of memory");
        k->cum = nc;
        k->cap = cap;
    }
    memcpy(k->z + k->len, z, n * sizeof *z);
    /* energies first (independent, vectorised), then the running sums */
    double *cum = k->cum + k->len + 1;
    const float *f = (const float *)z;
    for (size_t i = 0; i < n; i++)
        cum[i] = (double)f[2 * i] * f[2 * i] + (double)f[2 * i + 1] * f[2 * i + 1];
    double acc = k->cum[k->len];
    size_t i = 0;
    while (i < n) {
        /* up to the end of the current floor block */
        size_t m = k->L - k->blk_n;
        if (m > n - i) m = n - i;
        double b = k->blk_acc;
        for (size_t j = i; j < i + m; j++) {
            const double e = cum[j];
            acc += e;
            b += e;
            cum[j] = acc;
        }
        k->blk_acc = b;
        k->blk_n += (unsigned)m;
        i += m;
        if (k->blk_n == k->L) {
            k->blk_e[k->blk_pos] = k->blk_acc;
            k->blk_pos = (k->blk_pos + 1) % FCCH_FLOOR_BLOCKS;
            if (k->blk_count < FCCH_FLOOR_BLOCKS) k->blk_count++;
            k->blk_acc = 0.0;
            k->blk_n = 0;
        }
    }
    k->len += n;
    return CS_OK;
}

int cs_gsm_fcch_detector_execute(cs_gsm_fcch_detector d, const cs_cf32 *x, size_t n)
{
    if (!d || (!x && n)) return cs_error(CS_EINVAL, "fcch detector: NULL argument");
    const size_t chunk = 8192;
    for (size_t off = 0; off < n; off += chunk) {
        const size_t m = n - off < chunk ? n - off : chunk;
        const size_t need = m / d->factor + 2;
        if (need > d->tmp_cap) {
            cs_cf32 *t = realloc(d->tmp, need * sizeof *t);
            if (!t) return cs_error(CS_ENOMEM, "fcch detector: out of memory");
            d->tmp = t;
            d->tmp_cap = need;
        }
        const size_t nz = cs_gsm_decimator_execute(d->dec, x + off, m, d->tmp);
        d->nin += m;
        int rc = append(&d->core, d->tmp, nz);
        if (rc != CS_OK) return rc;
        process(d, 0);
        compact(&d->core);
    }
    return CS_OK;
}

int cs_gsm_fcch_detector_flush(cs_gsm_fcch_detector d)
{
    if (!d) return cs_error(CS_EINVAL, "fcch detector: NULL argument");
    process(d, 1);
    compact(&d->core);
    return CS_OK;
}

int cs_gsm_fcch_detector_restart_at(cs_gsm_fcch_detector d, uint64_t index)
{
    if (!d || d->factor != 1 || d->cfg.tone_hz != 0.0)
        return cs_error(CS_EINVAL, "fcch detector: restart only without decimation or shift");
    fcch_core *k = &d->core;
    if (index < k->z0 + k->len)
        return cs_error(CS_EINVAL, "fcch detector: restart must move forward");
    if (index == k->z0 + k->len) return CS_OK;
    process(d, 1);
    k->z0 = index;
    k->len = 0;
    k->cum[0] = 0.0;
    if (k->sc < index) k->sc = index;
    k->run = 0;
    d->nin = index;
    return CS_OK;
}

unsigned cs_gsm_fcch_detector_factor(cs_gsm_fcch_detector d) { return d->factor; }

int cs_gsm_fcch_detector_pop(cs_gsm_fcch_detector d, cs_gsm_fcch_detection *out)
{
    if (!d || !d->q_len || !out) return 0;
    *out = d->queue[d->q_head];
    d->q_head = (d->q_head + 1) % d->q_cap;
    d->q_len--;
    return 1;
}

double cs_gsm_fcch_detector_rate_hz(cs_gsm_fcch_detector d) { return d->fz; }

int cs_gsm_fcch_detector_set_noise(cs_gsm_fcch_detector d, double noise_power)
{
    if (!d || !(isnan(noise_power) || (noise_power > 0.0 && isfinite(noise_power))))
        return cs_error(CS_EINVAL, "fcch detector: noise power must be positive or NAN (got %g)",
                        noise_power);
    /* per input sample -> per working-rate sample: the decimator keeps the density */
    d->core.noise = noise_power * (d->factor > 1 ? cs_gsm_decimator_noise_fraction(d->dec) / d->factor
                                                 : 1.0);
    return CS_OK;
}
unsigned cs_gsm_fcch_detector_window(cs_gsm_fcch_detector d) { return d->core.L; }
double cs_gsm_fcch_detector_threshold(cs_gsm_fcch_detector d) { return d->core.gamma; }
uint64_t cs_gsm_fcch_detector_samples(cs_gsm_fcch_detector d) { return d->nin; }

int cs_gsm_fcch_detector_set_false_alarm_rate(cs_gsm_fcch_detector d, double per_hour)
{
    if (!(per_hour > 0.0 && per_hour < 1e9))
        return cs_error(CS_EINVAL, "fcch detector: false_alarms_per_hour must be > 0 (got %g)",
                        per_hour);
    d->cfg.false_alarms_per_hour = per_hour;
    cs_gsm_fcch_core_thresholds(&d->core, per_hour, d->fz, d->cfg.max_offset_hz, d->beta);
    return CS_OK;
}

void cs_gsm_fcch_detector_reset(cs_gsm_fcch_detector d)
{
    cs_gsm_decimator_reset(d->dec);
    fcch_core *k = &d->core;
    k->z0 = 0;
    k->len = 0;
    k->cum[0] = 0.0;
    k->sc = 0;
    k->run = 0;
    k->suppress = 0;
    k->blk_acc = 0.0;
    k->blk_n = k->blk_pos = k->blk_count = 0;
    k->bg_count = 0;
    k->ext_bg = 0;
    k->bg_stale = 0;
    k->windows = 0;
    d->nin = 0;
    d->q_head = d->q_len = 0;
    d->span_len = 0;
}

void cs_gsm_fcch_detector_destroy(cs_gsm_fcch_detector d)
{
    if (!d) return;
    cs_gsm_decimator_destroy(d->dec);
    cs_gsm_fcch_core_free(&d->core);
    free(d->tmp);
    free(d->queue);
    free(d->bg_map);
    free(d->bg_frac);
    free(d->bg_level);
    free(d);
}

int cs_gsm_fcch_detector_create(const cs_gsm_fcch_config *c, cs_gsm_fcch_detector *out)
{
    if (!out) return cs_error(CS_EINVAL, "fcch detector: NULL output");
    *out = NULL;
    if (!c) return cs_error(CS_EINVAL, "fcch detector: no configuration");
    const double fs = c->sample_rate_hz, r = c->max_offset_hz;
    if (!(r >= 1e3 && r <= 90e3))
        return cs_error(CS_EINVAL, "fcch detector: max_offset_hz must be 1e3..90e3 (got %g)", r);
    const double need = 2.0 * (r + 12e3);
    if (!(fs >= need && fs <= 1e9))
        return cs_error(CS_EINVAL,
                        "fcch detector: sample_rate_hz must be %.0f..1e9 for a +-%.0f Hz search "
                        "(got %g)", need, r, fs);
    if (!isfinite(c->tone_hz) || fabs(c->tone_hz) > 0.5 * fs)
        return cs_error(CS_EINVAL, "fcch detector: tone_hz must be within +-rate/2 (got %g)",
                        c->tone_hz);
    if (!(c->false_alarms_per_hour > 0.0 && c->false_alarms_per_hour < 1e9))
        return cs_error(CS_EINVAL, "fcch detector: false_alarms_per_hour must be > 0 (got %g)",
                        c->false_alarms_per_hour);
    if (!(c->noise_fraction > 0.05 && c->noise_fraction <= 1.0))
        return cs_error(CS_EINVAL, "fcch detector: noise_fraction must be 0.05..1 (got %g)",
                        c->noise_fraction);
    cs_gsm_fcch_detector d = calloc(1, sizeof *d);
    if (!d) return cs_error(CS_ENOMEM, "fcch detector: out of memory");
    d->cfg = *c;
    const double target = 2.0 * r + 30e3;
    unsigned factor = (unsigned)floor(fs / target);
    if (factor < 1) factor = 1;
    d->factor = factor;
    d->fz = fs / factor;
    const double pass = r + 10e3;
    int rc = cs_gsm_decimator_create(fs, c->tone_hz, factor, pass, &d->dec);
    if (rc != CS_OK) {
        free(d);
        return rc;
    }
    d->delay_in = cs_gsm_decimator_delay(d->dec);
    d->beta = factor > 1 ? cs_gsm_decimator_noise_fraction(d->dec) : c->noise_fraction;
    rc = cs_gsm_fcch_core_init(&d->core, d->fz, r);
    if (rc != CS_OK) {
        cs_gsm_fcch_detector_destroy(d);
        return rc;
    }
    cs_gsm_fcch_core_thresholds(&d->core, c->false_alarms_per_hour, d->fz, r, d->beta);
    *out = d;
    return CS_OK;
}
