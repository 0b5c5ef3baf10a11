/* DSP helpers of the GSM detectors: Kaiser low-pass design, a mixing FIR decimator and
 * band-limited interpolation of short segments. */
#include "gsm_scan_dsp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

#include "kernels/convert_kernels.h"
#include "kernels/simd_x86.h"

double cs_gsm_bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = x * x / 4.0;
    for (int k = 1; k < 60; k++) {
        term *= q / ((double)k * k);
        sum += term;
        if (term < sum * 1e-17) break;
    }
    return sum;
}

double cs_gsm_kaiser_beta(double a)
{
    if (a > 50.0) return 0.1102 * (a - 8.7);
    if (a >= 21.0) return 0.5842 * pow(a - 21.0, 0.4) + 0.07886 * (a - 21.0);
    return 0.0;
}

size_t cs_gsm_kaiser_taps(double transition, double a)
{
    size_t n = (size_t)ceil((a - 7.95) / (14.36 * transition)) + 1;
    return n | 1u;
}

void cs_gsm_lowpass(float *h, size_t n, double fc, double beta)
{
    const double mid = 0.5 * (double)(n - 1), i0b = cs_gsm_bessel_i0(beta);
    double sum = 0.0;
    for (size_t k = 0; k < n; k++) {
        const double t = (double)k - mid;
        const double r = mid > 0 ? t / mid : 0.0;
        const double w = cs_gsm_bessel_i0(beta * sqrt(fmax(0.0, 1.0 - r * r))) / i0b;
        const double s = t == 0.0 ? 2.0 * fc : sin(2.0 * M_PI * fc * t) / (M_PI * t);
        h[k] = (float)(s * w);
        sum += s * w;
    }
    for (size_t k = 0; k < n; k++)
        h[k] = (float)(h[k] / sum);
}

struct cs_gsm_decimator_s {
    unsigned factor;
    double shift_hz;
    size_t ntaps;
    float *h;        /* reversed taps: h[k] multiplies x[i - (ntaps-1) + k] */
    cs_cf32 *hist;   /* last ntaps-1 mixed inputs, then room for a block */
    size_t hist_cap;
    size_t nhist;    /* valid samples in hist */
    uint64_t nin;    /* inputs consumed */
    cs_rotator rot;
    double noise_fraction;
};

int cs_gsm_decimator_create(double rate_hz, double shift_hz, unsigned factor, double pass_hz,
                            cs_gsm_decimator *out)
{
    *out = NULL;
    if (!(rate_hz > 0) || factor < 1 || !isfinite(shift_hz))
        return cs_error(CS_EINVAL, "gsm decimator: bad rate %g, shift %g or factor %u", rate_hz,
                        shift_hz, factor);
    cs_gsm_decimator q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "gsm decimator: out of memory");
    q->factor = factor;
    q->shift_hz = shift_hz;
    if (cs_rotator_create(-shift_hz, rate_hz, 0.0, &q->rot) != CS_OK) {
        free(q);
        return CS_EINVAL;
    }
    if (factor == 1) {
        q->ntaps = 1;
        q->h = malloc(sizeof(float));
        if (q->h) q->h[0] = 1.0f;
        q->noise_fraction = 1.0;
    } else {
        const double out_rate = rate_hz / factor;
        const double stop = out_rate - pass_hz;
        double tw = (stop - pass_hz) / rate_hz;
        if (tw < 0.002) tw = 0.002;
        q->ntaps = cs_gsm_kaiser_taps(tw, 70.0);
        q->h = malloc(q->ntaps * sizeof(float));
        if (q->h) {
            float *tmp = malloc(q->ntaps * sizeof(float));
            if (!tmp) {
                free(q->h);
                q->h = NULL;
            } else {
                cs_gsm_lowpass(tmp, q->ntaps, 0.5 * (pass_hz + stop) / rate_hz,
                               cs_gsm_kaiser_beta(70.0));
                double e = 0.0;
                for (size_t k = 0; k < q->ntaps; k++) {
                    q->h[k] = tmp[q->ntaps - 1 - k];
                    e += (double)tmp[k] * tmp[k];
                }
                q->noise_fraction = e * factor;
                free(tmp);
            }
        }
    }
    if (!q->h) {
        cs_gsm_decimator_destroy(q);
        return cs_error(CS_ENOMEM, "gsm decimator: out of memory");
    }
    *out = q;
    return CS_OK;
}

static int ensure(cs_cf32 **buf, size_t *cap, size_t need)
{
    if (*cap >= need) return 0;
    size_t c = need + need / 2 + 64;
    cs_cf32 *p = realloc(*buf, c * sizeof **buf);
    if (!p) return -1;
    *buf = p;
    *cap = c;
    return 0;
}

size_t cs_gsm_decimator_execute(cs_gsm_decimator q, const cs_cf32 *x, size_t n, cs_cf32 *y)
{
    if (q->factor == 1) {
        if (q->shift_hz == 0.0) memcpy(y, x, n * sizeof *x);
        else cs_rotator_execute(q->rot, x, y, n);
        q->nin += n;
        return n;
    }
    const size_t keep = q->ntaps - 1;
    if (ensure(&q->hist, &q->hist_cap, keep + n) != 0) return 0;
    cs_rotator_execute(q->rot, x, q->hist + q->nhist, n);
    const size_t total = q->nhist + n;
    /* hist[j] is input number nin - nhist + j; output m is due at input index m*factor */
    const uint64_t first_idx = q->nin - q->nhist;
    uint64_t next = (q->nin + q->factor - 1) / q->factor * q->factor;
    size_t nout = 0;
    for (; next < q->nin + n; next += q->factor) {
        const int64_t end = (int64_t)(next - first_idx); /* position of input `next` in hist */
        const int64_t start = end - (int64_t)keep;
        float re = 0.0f, im = 0.0f;
        if (start >= 0) {
            const float *h = q->h;
            const cs_cf32 *p = q->hist + start;
            for (size_t k = 0; k < q->ntaps; k++) {
                re += h[k] * crealf(p[k]);
                im += h[k] * cimagf(p[k]);
            }
        } else {
            for (size_t k = (size_t)(-start); k < q->ntaps; k++) {
                re += q->h[k] * crealf(q->hist[start + (int64_t)k]);
                im += q->h[k] * cimagf(q->hist[start + (int64_t)k]);
            }
        }
        y[nout++] = re + I * im;
    }
    q->nin += n;
    const size_t drop = total > keep ? total - keep : 0;
    if (drop) memmove(q->hist, q->hist + drop, (total - drop) * sizeof *q->hist);
    q->nhist = total - drop;
    return nout;
}

double cs_gsm_decimator_delay(cs_gsm_decimator q) { return 0.5 * (double)(q->ntaps - 1); }

double cs_gsm_decimator_noise_fraction(cs_gsm_decimator q) { return q->noise_fraction; }

void cs_gsm_decimator_reset(cs_gsm_decimator q)
{
    q->nhist = 0;
    q->nin = 0;
    cs_rotator_reset(q->rot);
}

void cs_gsm_decimator_destroy(cs_gsm_decimator q)
{
    if (!q) return;
    if (q->rot) cs_rotator_destroy(q->rot);
    free(q->h);
    free(q->hist);
    free(q);
}

#define LP_PHASES 512
#define LP_ZEROS 10 /* kernel half-length in zero crossings of the sinc */

struct cs_gsm_interp_s {
    unsigned half; /* taps per side */
    float *table;  /* (LP_PHASES + 1) x 2*half taps, each stored twice (real, imaginary) */
    int avx2;      /* run the AVX2 copy of the filter (same results, fewer instructions) */
};

int cs_gsm_interp_create(double cutoff, cs_gsm_interp *out)
{
    *out = NULL;
    if (!(cutoff >= 0.02 && cutoff <= 0.5))
        return cs_error(CS_EINVAL, "gsm interpolator: cut-off %g outside 0.02..0.5", cutoff);
    cs_gsm_interp q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "gsm interpolator: out of memory");
    q->half = (unsigned)ceil(LP_ZEROS / (2.0 * cutoff));
    const unsigned w = 2 * q->half;
    q->table = malloc((size_t)(LP_PHASES + 1) * 2 * w * sizeof(float));
    if (!q->table) {
        free(q);
        return cs_error(CS_ENOMEM, "gsm interpolator: out of memory");
    }
#if CS_HAVE_X86_SIMD
    q->avx2 = cs_cpu_use_avx2();
#endif
    const double beta = 6.0, i0b = cs_gsm_bessel_i0(beta);
    for (unsigned p = 0; p <= LP_PHASES; p++) {
        const double frac = (double)p / LP_PHASES;
        for (unsigned j = 0; j < w; j++) {
            const double t = (double)j - (double)q->half + 1.0 - frac;
            const double r = t / q->half;
            double v = 0.0;
            if (r > -1.0 && r < 1.0) {
                const double x = 2.0 * cutoff * t;
                v = 2.0 * cutoff * (x == 0.0 ? 1.0 : sin(M_PI * x) / (M_PI * x));
                v *= cs_gsm_bessel_i0(beta * sqrt(1.0 - r * r)) / i0b;
            }
            q->table[((size_t)p * w + j) * 2] = q->table[((size_t)p * w + j) * 2 + 1] = (float)v;
        }
    }
    *out = q;
    return CS_OK;
}

unsigned cs_gsm_interp_half(cs_gsm_interp q) { return q->half; }

/* The filter, inlined into a baseline and an AVX2 copy. Four partial sums per part, tap
 * j in sum j % 4, kept interleaved (acc[2u] real, acc[2u+1] imaginary) so that each
 * tap's coefficient, stored twice, multiplies the samples as they lie: eight independent
 * lanes that vectorise (two SSE or one AVX vector) with the same sums in the same order
 * either way. */
static inline __attribute__((always_inline)) void interp_body(cs_gsm_interp q, const cs_cf32 *x,
                                                              size_t n, double pos0, double step,
                                                              size_t m, cs_cf32 *y)
{
    const unsigned w = 2 * q->half;
    for (size_t k = 0; k < m; k++) {
        const double p = pos0 + (double)k * step;
        const double fl = floor(p);
        const long ph = lrint((p - fl) * LP_PHASES);
        const int64_t base = (int64_t)fl - (int64_t)q->half + 1;
        const float *c = q->table + (size_t)ph * 2 * w;
        float re = 0.0f, im = 0.0f;
        if (base >= 0 && base + (int64_t)w <= (int64_t)n) {
            const float *s = (const float *)(x + base);
            float acc[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
            const float *cj = c, *const c4 = c + 2 * (w & ~3u); /* four taps a pass */
            for (; cj < c4; cj += 8, s += 8)
                for (int v = 0; v < 8; v++) acc[v] += cj[v] * s[v];
            for (; cj < c + 2 * w; cj += 2, s += 2) {
                acc[0] += cj[0] * s[0];
                acc[1] += cj[0] * s[1];
            }
            re = (acc[0] + acc[2]) + (acc[4] + acc[6]);
            im = (acc[1] + acc[3]) + (acc[5] + acc[7]);
        } else {
            for (unsigned j = 0; j < w; j++) {
                const int64_t idx = base + (int64_t)j;
                if (idx < 0 || idx >= (int64_t)n) continue;
                re += c[2 * j] * crealf(x[idx]);
                im += c[2 * j] * cimagf(x[idx]);
            }
        }
        y[k] = re + I * im;
    }
}

static void interp_generic(cs_gsm_interp q, const cs_cf32 *x, size_t n, double pos0,
                           double step, size_t m, cs_cf32 *y)
{
    interp_body(q, x, n, pos0, step, m, y);
}

#if CS_HAVE_X86_SIMD
CS_AVX2 static void interp_avx2(cs_gsm_interp q, const cs_cf32 *x, size_t n, double pos0,
                                double step, size_t m, cs_cf32 *y)
{
    interp_body(q, x, n, pos0, step, m, y);
}
#endif

void cs_gsm_interp_execute(cs_gsm_interp q, const cs_cf32 *x, size_t n, double pos0,
                           double step, size_t m, cs_cf32 *y)
{
#if CS_HAVE_X86_SIMD
    if (q->avx2) {
        interp_avx2(q, x, n, pos0, step, m, y);
        return;
    }
#endif
    interp_generic(q, x, n, pos0, step, m, y);
}

void cs_gsm_interp_destroy(cs_gsm_interp q)
{
    if (!q) return;
    free(q->table);
    free(q);
}
