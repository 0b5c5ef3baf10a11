/* FCCH pre-detector on the wideband block spectra (see gsm_fcch_gate.h). */
#include "gsm_fcch_gate.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <xmmintrin.h>
#endif

#include "cellscan/status.h"
#include "kernels/convert_kernels.h"
#include "kernels/simd_x86.h"

#define GATE_LEVEL_EVERY 4    /* the level updates on every 4th block ... */
#define GATE_LEVEL_UPDATES 16 /* ... with a time constant of 16 updates (64 blocks, 20 ms at 20 MS/s) */
#define GATE_MIN_BLOCKS 8     /* open until this many blocks set the level */
#define GATE_CLIP 4.0f        /* one block raises a bin's level by at most 4x: FCCHs barely count */
/* P(Gamma(4) > 17) = 4e-5 per bin pair: about 1 noise block in 1000 passes over 24 pairs
 * (13, 1e-3 per pair, opened 3 times as many stretches for nothing); an FCCH at -5 dB
 * still passes (curves unchanged at -8 .. -4 dB; 21 starts to lose bursts) */
#define GATE_THRESHOLD 17.0
/* Share of the channel's power in the flagged pair: an FCCH at -5 dB Es/N0 reaches 0.09
 * or more in its best block pair, random GMSK bursts and noise mostly stay under 0.06 */
#define GATE_MIN_SHARE 0.08
#define GATE_HANDOFF_EVERY 8  /* level updates per hand-off of the background to the detector */
/* The background's time constant, updates: as long as the detector's own (64 of its
 * windows' periodograms), so its noise costs the FCCH statistic as little */
#define GATE_BG_UPDATES 64
#define GATE_STACK_BINS 128   /* search bins whose scratch goes on the stack (25 at 20 MS/s) */

int cs_gsm_fcch_gate_init(cs_gsm_fcch_gate *g, unsigned nfft, int centre_bin, double bin_hz,
                          double max_offset_hz, int chan_bin, double chan_half_hz)
{
    memset(g, 0, sizeof *g);
    const int ch = (int)floor(chan_half_hz / bin_hz);
    g->chan0 = chan_bin - ch;
    g->nchan = 2u * (unsigned)ch + 1u;
    g->min_share = GATE_MIN_SHARE;
    const int half = (int)ceil(max_offset_hz / bin_hz) + 1;
    g->nfft = nfft;
    g->bin0 = centre_bin - half;
    g->nb = 2u * (unsigned)half + 1u;
    g->first_hz = -half * bin_hz;
    g->bin_hz = bin_hz;
    g->threshold = GATE_THRESHOLD;
    /* the seven arrays in one block: a channel's gate state in a few cache lines; each
     * padded to whole steps of 8 (the AVX2 look reads and writes them 8 at a time; the
     * padding of inv_level stays 0) */
    const size_t m = (g->nb + 7u) & ~(size_t)7u;
    g->npad = (unsigned)m;
    float *a = calloc(7 * m, sizeof *a);
    if (!a) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    /* what a look at a block reads first (a level update reads the next two too) */
    g->inv_level = a;
    g->pair_prev = a + m;
    g->level = a + 2 * m;
    g->bg = a + 3 * m;
    g->pair = a + 4 * m;
    g->norm = a + 5 * m;
    g->sums = a + 6 * m;
#if CS_HAVE_X86_SIMD
    g->avx2 = cs_cpu_use_avx2();
#endif
    return CS_OK;
}

static float bin_power(const cs_gsm_fcch_gate *g, const cs_cf32 *spectrum, int b)
{
    b = b < 0 ? b + (int)g->nfft : b;
    const cs_cf32 v = spectrum[b];
    return crealf(v) * crealf(v) + cimagf(v) * cimagf(v);
}

/* Sum of |f[u]|^2 over m complex values, and |f[u]|^2 of each into out (when not NULL):
 * SSE where the target has it (the baseline of x86-64), else plain loops. */
static float powers(const float *f, unsigned m, float *out)
{
    unsigned u = 0;
    float sum = 0.0f;
#ifdef __SSE2__
    __m128 acc = _mm_setzero_ps();
    for (; u + 4 <= m; u += 4) {
        const __m128 a = _mm_loadu_ps(f + 2 * u), b = _mm_loadu_ps(f + 2 * u + 4);
        const __m128 a2 = _mm_mul_ps(a, a), b2 = _mm_mul_ps(b, b);
        const __m128 pw = _mm_add_ps(_mm_shuffle_ps(a2, b2, _MM_SHUFFLE(2, 0, 2, 0)),
                                     _mm_shuffle_ps(a2, b2, _MM_SHUFFLE(3, 1, 3, 1)));
        if (out) _mm_storeu_ps(out + u, pw);
        acc = _mm_add_ps(acc, pw);
    }
    float lanes[4];
    _mm_storeu_ps(lanes, acc);
    sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
#endif
    for (; u < m; u++) {
        const float pw = f[2 * u] * f[2 * u] + f[2 * u + 1] * f[2 * u + 1];
        if (out) out[u] = pw;
        sum += pw;
    }
    return sum;
}

/* |X|^2 of spectrum bins b0 .. b0 + n - 1 (b0 may be negative: FFT order wraps) into out
 * (when not NULL), and their sum: at most two straight runs. */
static double band_power(const cs_cf32 *spectrum, unsigned nfft, int b0, unsigned n, float *out)
{
    double e = 0.0;
    unsigned j = 0;
    while (j < n) {
        const int b = b0 + (int)j;
        const unsigned first = (unsigned)(b < 0 ? b + (int)nfft : b);
        unsigned m = n - j;
        if (b < 0 && m > (unsigned)(-b)) m = (unsigned)(-b); /* up to the wrap */
        e += powers((const float *)(spectrum + first), m, out ? out + j : NULL);
        j += m;
    }
    return e;
}

/* Power of the channel's band in a spectrum. */
static double channel_power(const cs_gsm_fcch_gate *g, const cs_cf32 *spectrum)
{
    return band_power(spectrum, g->nfft, g->chan0, g->nchan, NULL);
}

/* Share of the channel's power (this block and the previous) in search bins j, j + 1;
 * p: this block's search-bin powers. */
static double pair_share(const cs_gsm_fcch_gate *g, const float *p, const cs_cf32 *spectrum,
                         const cs_cf32 *prev, unsigned j)
{
    const int b = g->bin0 + (int)j;
    double pair = (double)p[j] + p[j + 1];
    double total = channel_power(g, spectrum);
    if (prev) {
        pair += bin_power(g, prev, b) + bin_power(g, prev, b + 1);
        total += channel_power(g, prev);
    }
    return total > 0.0 ? pair / total : 0.0;
}

/* The pair statistic: x = p * inv; sums s[j] = x[j] + x[j + 1], t[j] = s[j] + pp[j] (the
 * previous block's s), pp = s; returns the largest t (0 if none is larger). x[j + 1] is
 * taken from registers, not reloaded from x: a load straddling two fresh stores stalls. */
static float pair_stat(const float *p, const float *inv, unsigned nb, float *x, float *pp, float *t)
{
    unsigned j = 0;
    float best = 0.0f;
#ifdef __SSE2__
    if (nb >= 5) {
        __m128 mx = _mm_setzero_ps();
        __m128 xa = _mm_mul_ps(_mm_loadu_ps(p), _mm_loadu_ps(inv));
        _mm_storeu_ps(x, xa);
        for (; j + 8 <= nb; j += 4) {
            const __m128 xb = _mm_mul_ps(_mm_loadu_ps(p + j + 4), _mm_loadu_ps(inv + j + 4));
            _mm_storeu_ps(x + j + 4, xb);
            /* (xa1, xa2, xa3, xb0) */
            const __m128 m = _mm_move_ss(xa, xb);
            const __m128 x1 = _mm_shuffle_ps(m, m, _MM_SHUFFLE(0, 3, 2, 1));
            const __m128 sp = _mm_add_ps(xa, x1);
            const __m128 tv = _mm_add_ps(sp, _mm_loadu_ps(pp + j));
            _mm_storeu_ps(t + j, tv);
            _mm_storeu_ps(pp + j, sp);
            mx = _mm_max_ps(mx, tv);
            xa = xb;
        }
        /* x[j..j+3] is stored; the rest below */
        for (unsigned i = j + 4; i < nb; i++) x[i] = p[i] * inv[i];
        if (j + 5 <= nb) {
            const __m128 xb = _mm_set_ss(x[j + 4]);
            const __m128 m = _mm_move_ss(xa, xb);
            const __m128 sp = _mm_add_ps(xa, _mm_shuffle_ps(m, m, _MM_SHUFFLE(0, 3, 2, 1)));
            const __m128 tv = _mm_add_ps(sp, _mm_loadu_ps(pp + j));
            _mm_storeu_ps(t + j, tv);
            _mm_storeu_ps(pp + j, sp);
            mx = _mm_max_ps(mx, tv);
            j += 4;
        }
        float lanes[4];
        _mm_storeu_ps(lanes, mx);
        for (int i = 0; i < 4; i++) best = lanes[i] > best ? lanes[i] : best;
    } else
#endif
        for (unsigned i = 0; i < nb; i++) x[i] = p[i] * inv[i];
    for (; j + 1 < nb; j++) {
        const float sp = x[j] + x[j + 1];
        t[j] = sp + pp[j];
        pp[j] = sp;
        best = t[j] > best ? t[j] : best;
    }
    return best;
}

/* update_levels one bin at a time from bin j on (the vector forms' tails). */
static inline void update_levels_from(unsigned j, const float *p, unsigned nb, float clip, float a,
                                      float ab, float *lv, float *il, float *bg)
{
    for (; j < nb; j++) {
        const float cl = clip * lv[j], v = cl < p[j] ? cl : p[j];
        float l = lv[j] + a * (v - lv[j]);
        l = l > 1e-30f ? l : 1e-30f;
        lv[j] = l;
        il[j] = 1.0f / l;
        const float cb = clip * bg[j], w = cb < p[j] ? cb : p[j];
        bg[j] += ab * (w - bg[j]);
    }
}

#if CS_HAVE_X86_SIMD
/* Powers p of bins j .. j + 7 from their spectrum values f (interleaved), stored and
 * returned: the operations of powers() lane by lane, so the same values. */
CS_INLINE CS_AVX2 __m256 power8(const float *f, unsigned j, float *p)
{
    const __m256 a = _mm256_loadu_ps(f + 2 * j), b = _mm256_loadu_ps(f + 2 * j + 8);
    const __m256 a2 = _mm256_mul_ps(a, a), b2 = _mm256_mul_ps(b, b);
    /* per 128-bit half: re^2 + im^2 of bins (0, 1, 4, 5 | 2, 3, 6, 7), then in order */
    const __m256 s = _mm256_add_ps(_mm256_shuffle_ps(a2, b2, _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm256_shuffle_ps(a2, b2, _MM_SHUFFLE(3, 1, 3, 1)));
    const __m256 pw = _mm256_permutevar8x32_ps(s, _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7));
    _mm256_storeu_ps(p + j, pw);
    return pw;
}

/* x = p * inv of bins j .. j + 7 (as pair_stat() has it), storing the powers p. */
CS_INLINE CS_AVX2 __m256 norm8(const float *f, const float *inv, unsigned j, float *p)
{
    return _mm256_mul_ps(power8(f, j, p), _mm256_loadu_ps(inv + j));
}

/* The look at a settled block in one pass, eight bins a step: bin powers p, normalised
 * x, pair sums s[j] = x[j] + x[j + 1] into pp (the next block's previous), 4-cell sums
 * t[j] = s[j] + pp[j] for j < nb - 1 (0 beyond), their largest (0 if none is larger).
 * f: the search bins, readable up to npad (a multiple of 8); inv, pp, p, t: npad long. */
CS_AVX2 static float look_avx2(const float *f, unsigned nb, unsigned npad, const float *inv,
                               float *pp, float *p, float *t)
{
    const __m256i rot = _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 0);
    __m256 mx = _mm256_setzero_ps();
    __m256 xa = norm8(f, inv, 0, p);
    for (unsigned j = 0; j < npad; j += 8) {
        const int last = j + 8 >= npad;
        const __m256 xb = last ? _mm256_setzero_ps() : norm8(f, inv, j + 8, p);
        /* (xa1 .. xa7, xb0) */
        const __m256 x1 = _mm256_permutevar8x32_ps(_mm256_blend_ps(xa, xb, 1), rot);
        const __m256 sp = _mm256_add_ps(xa, x1);
        __m256 tv = _mm256_add_ps(sp, _mm256_loadu_ps(pp + j));
        _mm256_storeu_ps(pp + j, sp);
        if (last) { /* pairs j + v < nb - 1 only */
            const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(nb - 1 - j)),
                                                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
            tv = _mm256_and_ps(tv, _mm256_castsi256_ps(keep));
        }
        _mm256_storeu_ps(t + j, tv);
        mx = _mm256_max_ps(mx, tv);
        xa = xb;
    }
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_shuffle_ps(m4, m4, _MM_SHUFFLE(1, 1, 1, 1)));
    return _mm_cvtss_f32(m4);
}

/* Bin powers p of the search bins (f as for look_avx2), npad of them. */
CS_AVX2 static void powers_avx2(const float *f, unsigned npad, float *p)
{
    for (unsigned j = 0; j < npad; j += 8) (void)power8(f, j, p);
}

/* update_levels eight bins a step (the same operations lane by lane), the rest as there. */
CS_AVX2 static void update_levels_avx2(const float *p, unsigned nb, float clip, float a, float ab,
                                       float *lv, float *il, float *bg)
{
    const __m256 c = _mm256_set1_ps(clip), va = _mm256_set1_ps(a), vab = _mm256_set1_ps(ab);
    const __m256 tiny = _mm256_set1_ps(1e-30f), one = _mm256_set1_ps(1.0f);
    unsigned j = 0;
    for (; j + 8 <= nb; j += 8) {
        const __m256 pj = _mm256_loadu_ps(p + j), l0 = _mm256_loadu_ps(lv + j);
        const __m256 b0 = _mm256_loadu_ps(bg + j);
        /* minps returns its second operand when one is NaN (0 x INFINITY): p then */
        const __m256 v = _mm256_min_ps(_mm256_mul_ps(c, l0), pj);
        const __m256 l =
            _mm256_max_ps(_mm256_add_ps(l0, _mm256_mul_ps(va, _mm256_sub_ps(v, l0))), tiny);
        _mm256_storeu_ps(lv + j, l);
        _mm256_storeu_ps(il + j, _mm256_div_ps(one, l));
        const __m256 w = _mm256_min_ps(_mm256_mul_ps(c, b0), pj);
        _mm256_storeu_ps(bg + j, _mm256_add_ps(b0, _mm256_mul_ps(vab, _mm256_sub_ps(w, b0))));
    }
    update_levels_from(j, p, nb, clip, a, ab, lv, il, bg);
}
#endif

/* Running means of the level (clipped at clip x itself, rate a; its inverse too) and of
 * the background (rate ab); a clip of INFINITY before the levels settle. */
static void update_levels(const float *p, unsigned nb, float clip, float a, float ab, float *lv,
                          float *il, float *bg)
{
    unsigned j = 0;
#ifdef __SSE2__
    const __m128 c = _mm_set1_ps(clip), va = _mm_set1_ps(a), vab = _mm_set1_ps(ab);
    const __m128 tiny = _mm_set1_ps(1e-30f), one = _mm_set1_ps(1.0f);
    for (; j + 4 <= nb; j += 4) {
        const __m128 pj = _mm_loadu_ps(p + j), l0 = _mm_loadu_ps(lv + j), b0 = _mm_loadu_ps(bg + j);
        /* minps returns its second operand when one is NaN (0 x INFINITY): p then */
        const __m128 v = _mm_min_ps(_mm_mul_ps(c, l0), pj);
        const __m128 l = _mm_max_ps(_mm_add_ps(l0, _mm_mul_ps(va, _mm_sub_ps(v, l0))), tiny);
        _mm_storeu_ps(lv + j, l);
        _mm_storeu_ps(il + j, _mm_div_ps(one, l));
        const __m128 w = _mm_min_ps(_mm_mul_ps(c, b0), pj);
        _mm_storeu_ps(bg + j, _mm_add_ps(b0, _mm_mul_ps(vab, _mm_sub_ps(w, b0))));
    }
#endif
    update_levels_from(j, p, nb, clip, a, ab, lv, il, bg);
}

int cs_gsm_fcch_gate_block(cs_gsm_fcch_gate *g, const cs_cf32 *spectrum, const cs_cf32 *prev,
                           int look)
{
    const unsigned nb = g->nb;
    const int settled = g->count >= GATE_MIN_BLOCKS;
    g->level_changed = 0;
    if (settled && !look) {
        /* levels only: nothing to do between their updates; the pair sums go stale */
        g->pairs_stale = 1;
        if (g->count % GATE_LEVEL_EVERY) {
            g->count++;
            return 0;
        }
    }
    /* scratch on the stack where it fits: the channel's own arrays (beside its levels)
     * would be cache lines more per channel and block */
    float stack[3 * GATE_STACK_BINS];
    const int on_stack = nb <= GATE_STACK_BINS;
    float *p = on_stack ? stack : g->pair; /* bin powers */
    float best = 0.0f;
    unsigned best_j = 0;
    const float *f = NULL; /* the search bins for the AVX2 steps (NULL: not those) */
#if CS_HAVE_X86_SIMD
    _Alignas(32) cs_cf32 near_edge[GATE_STACK_BINS];
    if (g->avx2 && on_stack) {
        const unsigned first = (unsigned)(g->bin0 < 0 ? g->bin0 + (int)g->nfft : g->bin0);
        if (first + g->npad <= g->nfft) {
            f = (const float *)(spectrum + first);
        } else { /* the band wraps, or ends too near the top for 8-bin steps: a copy */
            for (unsigned j = 0; j < g->npad; j++) {
                const int b = g->bin0 + (int)j;
                near_edge[j] = j < nb ? spectrum[b < 0 ? b + (int)g->nfft : b] : 0.0f;
            }
            f = (const float *)near_edge;
        }
    }
#endif
    if (settled && look) {
        if (g->pairs_stale) { /* the previous block was not looked at: this one alone */
            memset(g->pair_prev, 0, g->npad * sizeof *g->pair_prev);
            g->pairs_stale = 0;
        }
        /* normalised powers, pair sums over bins and blocks, their largest; the index
         * only when it passes */
        float *t = on_stack ? stack + 2 * GATE_STACK_BINS : g->sums;
#if CS_HAVE_X86_SIMD
        if (f) best = look_avx2(f, nb, g->npad, g->inv_level, g->pair_prev, p, t);
        else
#endif
        {
            band_power(spectrum, g->nfft, g->bin0, nb, p);
            best = pair_stat(p, g->inv_level, nb, on_stack ? stack + GATE_STACK_BINS : g->norm,
                             g->pair_prev, t);
        }
        if (best >= g->threshold)
            while (best_j + 1 < nb && t[best_j] != best) best_j++;
    } else {
#if CS_HAVE_X86_SIMD
        if (f) powers_avx2(f, g->npad, p);
        else
#endif
            band_power(spectrum, g->nfft, g->bin0, nb, p);
    }
    /* level update on every GATE_LEVEL_EVERY-th block (and each of the first): mean, each
     * block clipped at GATE_CLIP x the level */
    if (!settled || g->count % GATE_LEVEL_EVERY == 0) {
        const unsigned u = settled ? GATE_MIN_BLOCKS + (g->count - GATE_MIN_BLOCKS) / GATE_LEVEL_EVERY
                                   : g->count;
        const float a = u < GATE_LEVEL_UPDATES ? 1.0f / (float)(u + 1) : 1.0f / GATE_LEVEL_UPDATES;
        const float ab = u < GATE_BG_UPDATES ? 1.0f / (float)(u + 1) : 1.0f / GATE_BG_UPDATES;
        /* clipping only once settled: before, the cap is infinite */
        const float clip = settled ? GATE_CLIP : INFINITY;
#if CS_HAVE_X86_SIMD
        if (f) update_levels_avx2(p, nb, clip, a, ab, g->level, g->inv_level, g->bg);
        else
#endif
            update_levels(p, nb, clip, a, ab, g->level, g->inv_level, g->bg);
        /* the detector's background follows every GATE_HANDOFF_EVERY-th update */
        g->level_changed = g->count + 1 >= GATE_MIN_BLOCKS && u % GATE_HANDOFF_EVERY == 0;
    }
    g->count++;
    if (!settled) {
        if (g->count == GATE_MIN_BLOCKS) /* first pair sums for the next block */
            for (unsigned j = 0; j + 1 < nb; j++)
                g->pair_prev[j] = p[j] * g->inv_level[j] + p[j + 1] * g->inv_level[j + 1];
        return 1;
    }
    if (!look || best < g->threshold) return 0;
    g->passed++;
    return pair_share(g, p, spectrum, prev, best_j) >= g->min_share;
}

void cs_gsm_fcch_gate_free(cs_gsm_fcch_gate *g)
{
    free(g->inv_level); /* the block of all seven arrays */
    memset(g, 0, sizeof *g);
}
