/* GSM scanner: averaged Hann spectrum from the channelizer's block FFTs, the noise floor
 * and the power in a band. The blocks are rectangular-windowed; a Hann window is a
 * three-tap convolution in frequency (0.5 X[k] - 0.25 X[k-1] - 0.25 X[k+1]), so the
 * windowed spectrum costs no second FFT. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "gsm_scan_internal.h"
#include "kernels/simd_x86.h"
#include "order_stat.h"

#define FLOOR_PERCENTILE 0.03
#define SHAPE_EDGE_RATIO 0.4 /* -4 dB */
#define SHAPE_SYMMETRY 1.6    /* 2 dB */
/* blocks summed in float before they go into the double sum: float keeps the per-block
 * work at a few instructions a bin, and 16 terms lose nothing measurable (2^-20) */
#define RECENT_BLOCKS 16

int cs_gsm_scan_psd_alloc(cs_gsm_scanner s)
{
    s->psd = calloc(s->nfft, sizeof *s->psd);
    s->psd_recent = calloc(2 * (size_t)s->nfft, sizeof *s->psd_recent);
    s->psd_pending = 0;
    return s->psd && s->psd_recent ? CS_OK : cs_error(CS_ENOMEM, "gsm scanner: out of memory");
}

CS_VECTOR_CLONES void cs_gsm_scan_psd_add(cs_gsm_scanner s, const cs_cf32 *x)
{
    const unsigned n = s->nfft;
    float *restrict p = s->psd_recent; /* 2n: the squares of real and imaginary parts */
    const float *f = (const float *)x;
    /* the two wrap-around bins, then the rest without index wrapping: one flat float
     * stencil over real and imaginary parts alike, squared and summed (vectorises) */
    for (unsigned k = 0; k < n; k += n - 1) {
        const cs_cf32 a = x[k ? k - 1 : n - 1], b = x[k], c = x[k + 1 < n ? k + 1 : 0];
        const cs_cf32 h = 0.5f * b - 0.25f * (a + c);
        p[2 * k] += crealf(h) * crealf(h);
        p[2 * k + 1] += cimagf(h) * cimagf(h);
    }
    const float *restrict g = f + 2, *restrict lo = f, *restrict hi = f + 4;
    float *restrict pk = p + 2;
    for (unsigned i = 0; i < 2 * (n - 2); i++) {
        const float h = 0.5f * g[i] - 0.25f * (lo[i] + hi[i]);
        pk[i] += h * h;
    }
    s->psd_blocks++;
    if (++s->psd_pending == RECENT_BLOCKS) {
        for (unsigned k = 0; k < n; k++) s->psd[k] += (double)p[2 * k] + p[2 * k + 1];
        memset(p, 0, 2 * (size_t)n * sizeof *p);
        s->psd_pending = 0;
    }
}

/* Power per bin (full scale 1): the sum over a band is its power. The Hann window's
 * energy is 3N/8, the unnormalised FFT adds a factor N. */
static double bin_power(const cs_gsm_scanner s, unsigned k)
{
    const double n = s->nfft;
    const double sum = s->psd[k] + s->psd_recent[2 * k] + s->psd_recent[2 * k + 1];
    return sum / ((double)s->psd_blocks * n * 0.375 * n);
}

double cs_gsm_scan_noise_density(const cs_gsm_scanner s)
{
    if (!s->psd_blocks) return NAN;
    const unsigned n = s->nfft;
    const double bin = s->rate / n;
    double *v = malloc(n * sizeof *v);
    if (!v) return NAN;
    size_t m = 0;
    for (unsigned k = 0; k < n; k++) {
        const double f = (k < n / 2 ? (double)k : (double)k - n) * bin;
        if (fabs(f) <= 0.4 * s->rate) v[m++] = bin_power(s, k);
    }
    double floor_pw = NAN;
    if (m) {
        const size_t kq = (size_t)(FLOOR_PERCENTILE * (double)(m - 1));
        const double vq = cs_select_double(v, m, kq);
        /* a low percentile of noise-only bins, each the mean of M exponential values
         * (Gamma(M, 1/M)), sits below their mean: Wilson-Hilferty quantile */
        const double M = (double)s->psd_blocks, z = -1.881; /* 3rd percentile */
        const double t = 1.0 - 1.0 / (9.0 * M) + z / sqrt(9.0 * M);
        const double q = t > 0.2 ? t * t * t : 0.008;
        floor_pw = vq / q;
    }
    free(v);
    return floor_pw / bin;
}

double cs_gsm_scan_band_power(const cs_gsm_scanner s, double offset_hz, double half_bw_hz,
                              double *peak_share)
{
    if (!s->psd_blocks) {
        if (peak_share) *peak_share = NAN;
        return NAN;
    }
    const unsigned n = s->nfft;
    const double bin = s->rate / n;
    const long k0 = lround((offset_hz - half_bw_hz) / bin), k1 = lround((offset_hz + half_bw_hz) / bin);
    double sum = 0.0, peak = 0.0;
    for (long k = k0; k <= k1; k++) {
        long i = k % (long)n;
        if (i < 0) i += n;
        const double p = bin_power(s, (unsigned)i);
        sum += p;
        if (p > peak) peak = p;
    }
    /* the band edges by the fraction of the end bins inside */
    const double extra = (double)(k1 - k0 + 1) - 2.0 * half_bw_hz / bin;
    sum *= (double)(k1 - k0 + 1 - extra) / (double)(k1 - k0 + 1);
    if (peak_share) *peak_share = sum > 0.0 ? peak / sum : NAN;
    return sum;
}

/* Excess density over the noise n0 of [offset - half, offset + half], per Hz. */
static double excess(const cs_gsm_scanner s, double offset_hz, double half_hz, double n0)
{
    return cs_gsm_scan_band_power(s, offset_hz, half_hz, NULL) / (2.0 * half_hz) - n0;
}

int cs_gsm_scan_gmsk_shape(const cs_gsm_scanner s, double offset_hz, double n0)
{
    if (!s->psd_blocks || !(n0 > 0.0)) return 0;
    /* a GMSK carrier's density 75..100 kHz out is 6.7 dB below its +-50 kHz centre; a
     * flat spectrum (UMTS, LTE, noise) keeps it level, and GMSK is symmetric where a
 * wideband carrier's roll-off slopes. An edge may be lifted by a
     * neighbour at least 10 dB stronger (its skirt); at least one edge must show the
     * drop itself. */
    const double core = excess(s, offset_hz, 50e3, n0);
    if (!(core > 0.0)) return 0;
    /* symmetric about the channel centre: a slope (a wideband carrier's roll-off) is not */
    const double left = excess(s, offset_hz - 45e3, 15e3, n0);
    const double right = excess(s, offset_hz + 45e3, 15e3, n0);
    if (!(left > 0.0 && right > 0.0)) return 0;
    if (left > SHAPE_SYMMETRY * right || right > SHAPE_SYMMETRY * left) return 0;
    int low = 0;
    for (int side = -1; side <= 1; side += 2) {
        const double edge = excess(s, offset_hz + side * 87.5e3, 12.5e3, n0);
        if (edge <= SHAPE_EDGE_RATIO * core) {
            low = 1;
            continue;
        }
        const double neighbour = excess(s, offset_hz + side * 200e3, 50e3, n0);
        if (!(neighbour >= 10.0 * core)) return 0;
    }
    return low;
}
