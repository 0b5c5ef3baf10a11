/* Measurement helpers for the signal-generator tests: tone frequency by phase regression,
 * tone power by projection, Welch power spectrum. Independent of the code under test. */
#ifndef CS_DSP_MEASURE_H
#define CS_DSP_MEASURE_H

#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#include "cellscan/types.h"

/* Frequency (Hz) of a clean tone: least-squares slope of its unwrapped phase. */
static inline double meas_tone_freq_hz(const cs_cf32 *x, size_t n, double fs)
{
    double ph = 0.0, st = 0, sp = 0, stt = 0, stp = 0;
    for (size_t k = 0; k < n; k++) {
        if (k > 0)
            ph += carg((double complex)x[k] * conj((double complex)x[k - 1]));
        const double t = (double)k;
        st += t;
        sp += ph;
        stt += t * t;
        stp += t * ph;
    }
    const double slope = (n * stp - st * sp) / (n * stt - st * st);
    return slope * fs / (2.0 * M_PI);
}

/* Power of the component at f_hz: |mean(x e^{-j 2 pi f k / fs})|^2. */
static inline double meas_tone_power(const cs_cf32 *x, size_t n, double f_hz, double fs)
{
    double complex acc = 0.0;
    const double w = 2.0 * M_PI * f_hz / fs;
    for (size_t k = 0; k < n; k++) {
        const double a = fmod(w * (double)k, 2.0 * M_PI);
        acc += (double complex)x[k] * cexp(-I * a);
    }
    acc /= (double)n;
    return creal(acc * conj(acc));
}

/* Welch PSD: Hann windows of nfft with 50% overlap. psd[i] is the mean power in bin i
 * (frequency i*fs/nfft, bins above nfft/2 negative), so sum(psd) = mean power. */
static inline void meas_psd(const cs_cf32 *x, size_t n, size_t nfft, double *psd)
{
    fftwf_complex *buf = fftwf_malloc(sizeof(fftwf_complex) * nfft);
    fftwf_plan plan = fftwf_plan_dft_1d((int)nfft, buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    double *win = malloc(nfft * sizeof *win), wsum = 0.0;
    for (size_t i = 0; i < nfft; i++) {
        win[i] = 0.5 - 0.5 * cos(2.0 * M_PI * i / nfft);
        wsum += win[i] * win[i];
    }
    for (size_t i = 0; i < nfft; i++)
        psd[i] = 0.0;
    size_t segs = 0;
    for (size_t start = 0; start + nfft <= n; start += nfft / 2, segs++) {
        for (size_t i = 0; i < nfft; i++) {
            buf[i] = x[start + i] * (float)win[i]; /* fftwf_complex is float _Complex here */
        }
        fftwf_execute(plan);
        for (size_t i = 0; i < nfft; i++)
            psd[i] += (double)crealf(buf[i]) * crealf(buf[i]) + (double)cimagf(buf[i]) * cimagf(buf[i]);
    }
    for (size_t i = 0; i < nfft; i++)
        psd[i] /= (double)segs * wsum * (double)nfft;
    fftwf_destroy_plan(plan);
    fftwf_free(buf);
    free(win);
}

static inline double psd_bin_freq(size_t i, size_t nfft, double fs)
{
    return (i < nfft / 2 ? (double)i : (double)i - (double)nfft) * fs / (double)nfft;
}

/* Sum of the PSD bins with f_lo <= f <= f_hi. */
static inline double psd_band_power(const double *psd, size_t nfft, double fs, double f_lo, double f_hi)
{
    double p = 0.0;
    for (size_t i = 0; i < nfft; i++) {
        const double f = psd_bin_freq(i, nfft, fs);
        if (f >= f_lo && f <= f_hi)
            p += psd[i];
    }
    return p;
}

static inline double mean_power(const cs_cf32 *x, size_t n)
{
    double p = 0.0;
    for (size_t k = 0; k < n; k++)
        p += (double)crealf(x[k]) * crealf(x[k]) + (double)cimagf(x[k]) * cimagf(x[k]);
    return p / (double)n;
}

static inline double db10(double x) { return 10.0 * log10(x); }

#endif
