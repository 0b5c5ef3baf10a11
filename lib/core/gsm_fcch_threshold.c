/* FCCH detector set-up: window and FFT sizes, the data-burst whitening table, and the
 * false-alarm model behind the threshold.
 *
 * Model: on white noise the detections with statistic above t come at
 *     rate(t) = exp(LN_RATE0 + LN_RATE_PER_SAMPLE * (L - 44)) * (R / 25 kHz) * exp(-beta t)
 * per hour, L the window in samples, R the search range, beta the noise fraction: the
 * maximum of many correlated exponential tests, whose number grows with the search range
 * and slightly with the window's resolution. The constants were fitted to 10 hours of
 * noise at L = 44 and 1 hour at L = 82 (T from 14 to 22, rates from 4500 down to 0.3 per
 * hour); bench/gsm_false_alarms measures the rate again through the scanner. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/gsm_fcch.h"
#include "cellscan/status.h"
#include "fft_plan.h"
#include "gsm_fcch_internal.h"
#include "gsm_scan_dsp.h"
#include "kernels/convert_kernels.h"
#include "kernels/simd_x86.h"

#define LN_RATE0 21.4
#define LN_RATE_PER_SAMPLE 0.03
#define CANDIDATES_PER_S 40.0 /* coarse candidates on noise: fine-search cost only */
#define COARSE_FRACTION 0.55  /* candidates down to this fraction of the threshold */

static double ln_rate0(unsigned window_len, double max_offset_hz)
{
    return LN_RATE0 + LN_RATE_PER_SAMPLE * ((double)window_len - 44.0) + log(max_offset_hz / 25e3);
}

double cs_gsm_fcch_false_alarms_per_hour(double t, double rate_hz, unsigned window_len,
                                         double max_offset_hz, double beta)
{
    (void)rate_hz;
    return exp(ln_rate0(window_len, max_offset_hz) - beta * t);
}

double cs_gsm_fcch_threshold(double per_hour, double rate_hz, unsigned window_len,
                             double max_offset_hz, double beta)
{
    (void)rate_hz;
    const double t = (ln_rate0(window_len, max_offset_hz) - log(per_hour)) / beta;
    return t > 1.0 ? t : 1.0;
}

static unsigned next_pow2(double x)
{
    unsigned n = 16;
    while (n < x) n <<= 1;
    return n;
}

int cs_gsm_fcch_core_init(fcch_core *k, double fz, double r)
{
    memset(k, 0, sizeof *k);
    k->L = (unsigned)lround(CS_GSM_FCCH_WINDOW_SYMBOLS * fz / CS_GSM_RS_HZ);
    k->H = k->L / 2 ? k->L / 2 : 1;
    k->nc = next_pow2(1.4 * k->L);
    k->nf = 2 * k->nc;
    /* search bins reach past the range by a bin: a tone at its edge peaks in the bin
     * beyond as often as in the one before */
    k->kc_max = (int)ceil(r * k->nc / fz) + 1;
    k->kf_max = (int)ceil(r * k->nf / fz) + 1;
    if (k->kc_max > (int)k->nc / 2 - 1) k->kc_max = (int)k->nc / 2 - 1;
    if (k->kf_max > (int)k->nf / 2 - 1) k->kf_max = (int)k->nf / 2 - 1;
    if (k->nf > FCCH_MAX_FFT)
        return cs_error(CS_EINVAL, "fcch detector: window of %u samples too long", k->L);
    k->tvals = malloc((2 * k->H + 2) * sizeof(double));
    k->bg = calloc(k->nc, sizeof(double));
    k->bg_gain = calloc(2 * (size_t)k->kc_max + 1 + FCCH_PAD, sizeof(float));
    k->fine_gain = calloc(2 * (size_t)k->kf_max + 1 + FCCH_PAD, sizeof(float));
    k->fine_gain_stale = 1;
    k->fine_to_coarse = malloc((2 * (size_t)k->kf_max + 1) * sizeof(int));
    k->noise = NAN;
#if CS_HAVE_X86_SIMD
    k->avx2 = cs_cpu_use_avx2();
#endif
    k->cap = 4096;
    k->z = malloc(k->cap * sizeof *k->z);
    k->cum = malloc((k->cap + 1) * sizeof *k->cum);
    if (!k->tvals || !k->z || !k->cum || !k->bg ||
        !k->bg_gain || !k->fine_gain || !k->fine_to_coarse) {
        cs_gsm_fcch_core_free(k);
        return cs_error(CS_ENOMEM, "fcch detector: out of memory");
    }
    k->cum[0] = 0.0;
    const int ratio = (int)(k->nf / k->nc);
    for (int i = -k->kf_max; i <= k->kf_max; i++) {
        int c = i >= 0 ? (i + ratio / 2) / ratio : -((-i + ratio / 2) / ratio);
        if (c > k->kc_max) c = k->kc_max; /* the fine grid reaches half a bin further */
        if (c < -k->kc_max) c = -k->kc_max;
        k->fine_to_coarse[i + k->kf_max] = c + k->kc_max;
    }
    /* planned on aligned arrays of their own (measuring overwrites them); executed on the
     * per-thread scratch of gsm_fcch.c, aligned the same */
    fftwf_complex *a = fftwf_malloc(k->nf * sizeof(fftwf_complex));
    fftwf_complex *b = fftwf_malloc(k->nf * sizeof(fftwf_complex));
    if (a && b) {
        k->pc = cs_fft_plan_dft_1d((int)k->nc, a, b, FFTW_FORWARD);
        k->pf = cs_fft_plan_dft_1d((int)k->nf, a, b, FFTW_FORWARD);
    }
    fftwf_free(a);
    fftwf_free(b);
    if (!k->pc || !k->pf) {
        cs_gsm_fcch_core_free(k);
        return cs_error(CS_ENOMEM, "fcch detector: FFT plan failed");
    }
    return CS_OK;
}

void cs_gsm_fcch_core_thresholds(fcch_core *k, double per_hour, double fz, double r, double beta)
{
    k->gamma = cs_gsm_fcch_threshold(per_hour, fz, k->L, r, beta);
    double gc = cs_gsm_fcch_threshold(CANDIDATES_PER_S * 3600.0, fz, k->L, r, beta);
    if (gc > COARSE_FRACTION * k->gamma) gc = COARSE_FRACTION * k->gamma;
    k->gamma_c = gc;
}

double cs_gsm_fcch_core_floor(const fcch_core *k)
{
    if (k->blk_count < 16) return 0.0;
    double m = k->blk_e[0];
    for (unsigned i = 1; i < k->blk_count; i++)
        if (k->blk_e[i] < m) m = k->blk_e[i];
    /* the minimum of about 64 chi-square blocks with 2L degrees of freedom sits about
     * 2.3 standard deviations (1/sqrt(L)) below their mean */
    const double bias = 1.0 - 2.3 / sqrt((double)k->L);
    return m / k->L / (bias > 0.3 ? bias : 0.3);
}

void cs_gsm_fcch_core_free(fcch_core *k)
{
    cs_fft_plan_destroy(k->pc);
    cs_fft_plan_destroy(k->pf);
    free(k->tvals);
    free(k->bg);
    free(k->bg_gain);
    free(k->fine_gain);
    free(k->fine_to_coarse);
    free(k->z);
    free(k->cum);
    memset(k, 0, sizeof *k);
}
