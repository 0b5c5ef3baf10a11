/* Welch power spectrum: Blackman-Harris window, 50% overlap, FFTW plan made once. */
#include "cellscan/psd.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <volk/volk.h>

#include "cellscan/status.h"
#include "fft_plan.h"

/* Segments summed in float before folding into the double accumulator: float keeps VOLK's
 * vector add, the fold keeps precision over hours of samples. */
#define FLOAT_BATCH 64


struct cs_psd_s {
    unsigned nfft, hop;
    float *window;       /* periodic 4-term Blackman-Harris */
    double scale;        /* 1 / (nfft * sum w^2): bins sum to the signal's power */
    cs_cf32 *segment;    /* samples waiting for the next FFT */
    unsigned fill;
    cs_cf32 *fft_in, *fft_out;
    fftwf_plan plan;
    float *mag2;
    float *acc_f;        /* sum over the current batch */
    unsigned batch;
    double *acc_d;       /* sum over folded batches */
    uint64_t segments;
};

int cs_psd_create(unsigned nfft, cs_psd *out)
{
    if (!out) return cs_error(CS_EINVAL, "cs_psd_create: no output pointer");
    *out = NULL;
    if (nfft < 16 || nfft > (1u << 20) || (nfft & (nfft - 1)))
        return cs_error(CS_EINVAL, "FFT size must be a power of two from 16 to 1048576 (got %u)",
                        nfft);
    cs_psd q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "out of memory for the spectrum estimator");
    size_t align = volk_get_alignment();
    q->nfft = nfft;
    q->hop = nfft / 2;
    q->window = volk_malloc(nfft * sizeof(float), align);
    q->segment = volk_malloc(nfft * sizeof(cs_cf32), align);
    q->fft_in = fftwf_malloc(nfft * sizeof(cs_cf32));
    q->fft_out = fftwf_malloc(nfft * sizeof(cs_cf32));
    q->mag2 = volk_malloc(nfft * sizeof(float), align);
    q->acc_f = volk_malloc(nfft * sizeof(float), align);
    q->acc_d = calloc(nfft, sizeof(double));
    if (!q->window || !q->segment || !q->fft_in || !q->fft_out || !q->mag2 || !q->acc_f ||
        !q->acc_d) {
        cs_psd_destroy(q);
        return cs_error(CS_ENOMEM, "out of memory for a %u-point spectrum", nfft);
    }
    q->plan = cs_fft_plan_dft_1d((int)nfft, (fftwf_complex *)q->fft_in,
                                 (fftwf_complex *)q->fft_out, FFTW_FORWARD);
    if (!q->plan) {
        cs_psd_destroy(q);
        return cs_error(CS_ENOMEM, "FFTW could not plan a %u-point FFT", nfft);
    }
    /* Periodic window (2 pi n / N): the DFT-even form, exact ENBW of 2.0044 bins. */
    static const double a[4] = { 0.35875, 0.48829, 0.14128, 0.01168 };
    double sum_w2 = 0.0;
    for (unsigned n = 0; n < nfft; n++) {
        double x = 2.0 * M_PI * n / nfft;
        double w = a[0] - a[1] * cos(x) + a[2] * cos(2 * x) - a[3] * cos(3 * x);
        q->window[n] = (float)w;
        sum_w2 += (double)q->window[n] * q->window[n];
    }
    q->scale = 1.0 / ((double)nfft * sum_w2);
    cs_psd_reset(q);
    *out = q;
    return CS_OK;
}

static void fold_batch(cs_psd q)
{
    for (unsigned k = 0; k < q->nfft; k++) q->acc_d[k] += q->acc_f[k];
    memset(q->acc_f, 0, q->nfft * sizeof(float));
    q->batch = 0;
}

static void add_segment(cs_psd q)
{
    volk_32fc_32f_multiply_32fc((lv_32fc_t *)q->fft_in, (const lv_32fc_t *)q->segment,
                                q->window, q->nfft);
    fftwf_execute(q->plan);
    volk_32fc_magnitude_squared_32f(q->mag2, (const lv_32fc_t *)q->fft_out, q->nfft);
    volk_32f_x2_add_32f(q->acc_f, q->acc_f, q->mag2, q->nfft);
    q->segments++;
    if (++q->batch == FLOAT_BATCH) fold_batch(q);
}

int cs_psd_execute(cs_psd q, const cs_cf32 *x, size_t n)
{
    if (!q || (!x && n)) return cs_error(CS_EINVAL, "cs_psd_execute: null argument");
    while (n > 0) {
        size_t take = q->nfft - q->fill;
        if (take > n) take = n;
        memcpy(q->segment + q->fill, x, take * sizeof(cs_cf32));
        q->fill += (unsigned)take;
        x += take;
        n -= take;
        if (q->fill == q->nfft) {
            add_segment(q);
            /* 50% overlap: the second half starts the next segment. */
            memmove(q->segment, q->segment + q->hop, (q->nfft - q->hop) * sizeof(cs_cf32));
            q->fill = q->nfft - q->hop;
        }
    }
    return CS_OK;
}

uint64_t cs_psd_num_segments(cs_psd q) { return q ? q->segments : 0; }

unsigned cs_psd_nfft(cs_psd q) { return q ? q->nfft : 0; }

int cs_psd_get(cs_psd q, double *power)
{
    if (!q || !power) return cs_error(CS_EINVAL, "cs_psd_get: null argument");
    if (q->segments == 0)
        return cs_error(CS_ENOTFOUND, "no spectrum yet: fewer than %u samples seen", q->nfft);
    double norm = q->scale / (double)q->segments;
    unsigned half = q->nfft / 2;
    for (unsigned k = 0; k < q->nfft; k++) {
        /* FFT bin k (DC first) goes to k + nfft/2 modulo nfft: -fs/2 first. */
        unsigned dst = (k + half) & (q->nfft - 1);
        power[dst] = (q->acc_d[k] + (double)q->acc_f[k]) * norm;
    }
    return CS_OK;
}

void cs_psd_reset(cs_psd q)
{
    if (!q) return;
    memset(q->acc_f, 0, q->nfft * sizeof(float));
    memset(q->acc_d, 0, q->nfft * sizeof(double));
    q->batch = 0;
    q->segments = 0;
    q->fill = 0;
}

void cs_psd_destroy(cs_psd q)
{
    if (!q) return;
    cs_fft_plan_destroy(q->plan);
    volk_free(q->window);
    volk_free(q->segment);
    fftwf_free(q->fft_in);
    fftwf_free(q->fft_out);
    volk_free(q->mag2);
    volk_free(q->acc_f);
    free(q->acc_d);
    free(q);
}
