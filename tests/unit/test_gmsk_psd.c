/* GMSK power spectrum: a wide flat filter passes all of a carrier's power, the spectrum is
 * symmetric, and a filter's share matches the power of modulated GMSK passed through it
 * (the modulator's own samples, through the filter by FFT; within 1 %: the guard
 * periods' dummy bits, a tone at +Rs/4 for 8 of 156 symbols, are not random). */
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#include "../../lib/core/gmsk_psd.h"
#include "cellscan/gmsk_modulator.h"
#include "cellscan/status.h"
#include "cs_test.h"

#define NB 2048

static double raised_cosine(double f, double pass, double stop)
{
    const double a = fabs(f);
    if (a <= pass) return 1.0;
    if (a >= stop) return 0.0;
    return 0.5 * (1.0 + cos(M_PI * (a - pass) / (stop - pass)));
}

/* share of a filter flat to pass_hz, zero from stop_hz, on a bin_hz grid, at shift_hz */
static double share(double pass, double stop, double shift)
{
    static double f[NB], w2[NB];
    const double bin = 1000.0;
    for (int i = 0; i < NB; i++) {
        f[i] = (i - NB / 2) * bin;
        const double w = raised_cosine(f[i], pass, stop);
        w2[i] = w * w;
    }
    return cs_gmsk_filter_share(f, w2, NB, bin, shift);
}

/* the same share measured: modulated random bursts, filtered by DFT (O(n^2) is fine) */
static double measured(double pass, double stop)
{
    const double fs = 8 * CS_GSM_SYMBOL_RATE_HZ;
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    c.sample_rate_hz = fs;
    cs_gmsk_modulator m;
    if (cs_gmsk_modulator_create(&c, &m) != CS_OK) return NAN;
    const size_t cap = cs_gmsk_modulator_max_samples(m), n = 1u << 17;
    cs_cf32 *buf = malloc(cap * sizeof *buf), *x = malloc(n * sizeof *x);
    size_t len = 0;
    uint32_t seed = 12345;
    while (len < n) {
        uint8_t bits[148];
        for (int i = 0; i < 148; i++) {
            seed = seed * 1664525u + 1013904223u;
            bits[i] = (uint8_t)(seed >> 31);
        }
        size_t got;
        cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, cap, &got);
        for (size_t i = 0; i < got && len < n; i++) x[len++] = buf[i];
    }
    /* periodogram of the whole record, weighted */
    fftwf_complex *X = fftwf_malloc(n * sizeof *X);
    fftwf_plan p = fftwf_plan_dft_1d((int)n, (fftwf_complex *)x, X, FFTW_FORWARD, FFTW_ESTIMATE);
    fftwf_execute(p);
    double passed = 0.0, total = 0.0;
    for (size_t k = 0; k < n; k++) {
        const double pw = (double)X[k][0] * X[k][0] + (double)X[k][1] * X[k][1];
        const double f = (k < n / 2 ? (double)k : (double)k - (double)n) * fs / (double)n;
        const double w = raised_cosine(f, pass, stop);
        passed += pw * w * w;
        total += pw;
    }
    fftwf_destroy_plan(p);
    fftwf_free(X);
    free(buf);
    free(x);
    cs_gmsk_modulator_destroy(m);
    return passed / total;
}

int main(void)
{
    CS_CHECK_NEAR(share(1e6, 1e6, 0.0), 1.0, 1e-4);
    CS_CHECK_NEAR(share(70e3, 80e3, 200e3), share(70e3, 80e3, -200e3), 1e-9);
    const double narrow = share(65e3, 78e3, 0.0), wide = share(90e3, 130e3, 0.0);
    CS_CHECK(narrow > 0.7 && narrow < wide && wide < 1.0);
    CS_CHECK_NEAR(narrow, measured(65e3, 78e3), 0.01);
    CS_CHECK_NEAR(wide, measured(90e3, 130e3), 0.01);
    return cs_test_done();
}
