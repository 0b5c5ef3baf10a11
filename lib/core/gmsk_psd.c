/* GMSK power spectrum from its exact autocorrelation (see gmsk_psd.h). */
#include "gmsk_psd.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fft_plan.h"

#include "cellscan/gmsk_modulator.h"
#include "cellscan/status.h"
#include "gmsk_phase.h"
#include "kernels/simd_x86.h"

#define STEPS 32                     /* grid points per symbol for t and tau */
#define SPAN (2 * GMSK_PULSE_HALF + 1) /* R(tau) = 0 from this many symbols on */
#define QN (2 * GMSK_PULSE_HALF * STEPS + 1)

static double r_tab[SPAN * STEPS + 1];
static pthread_once_t r_once = PTHREAD_ONCE_INIT;

/* R(m / STEPS symbols), m = 0 .. SPAN * STEPS (trapezoid over t: the integrand is periodic
 * in t with one symbol, so equal weights are exact up to its smoothness). Once per process. */
static void autocorrelation(void)
{
    double *r = r_tab;
    double q[QN]; /* q(-4 + j / STEPS) */
    for (int j = 0; j < QN; j++) q[j] = gmsk_phase_pulse(-GMSK_PULSE_HALF + (double)j / STEPS);
    for (int m = 0; m <= SPAN * STEPS; m++) {
        double sum = 0.0;
        for (int i = 0; i < STEPS; i++) {
            /* sample points x = t - k (symbols) on the grid: index (i - k STEPS) + offset */
            double prod = 1.0;
            for (int k = -GMSK_PULSE_HALF - 1; k <= GMSK_PULSE_HALF + SPAN + 1; k++) {
                const int a = i - k * STEPS + GMSK_PULSE_HALF * STEPS; /* q index at t - k */
                const int b = a + m;                                    /* ... at t + tau - k */
                const double qa = a < 0 ? 0.0 : a >= QN ? 1.0 : q[a];
                const double qb = b < 0 ? 0.0 : b >= QN ? 1.0 : q[b];
                if (qa == qb) continue;
                prod *= cos(0.5 * M_PI * (qb - qa));
            }
            sum += prod;
        }
        r[m] = sum / STEPS;
    }
}

/* The cosine sums of all frequencies side by side: per frequency the same operations in
 * the same order as one at a time (so the same values), the loop over frequencies
 * innermost, which vectorises. */
CS_VECTOR_CLONES static void cosine_sums(const double *r, const double *cx, const double *sx,
                                         double *c, double *sn, double *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c[i] = 1.0;
        sn[i] = 0.0;
        s[i] = 0.5 * r[0];
    }
    for (int m = 1; m <= SPAN * STEPS; m++) {
        const double rm = r[m];
        for (size_t i = 0; i < n; i++) {
            const double t = c[i] * cx[i] - sn[i] * sx[i];
            sn[i] = sn[i] * cx[i] + c[i] * sx[i];
            c[i] = t;
            s[i] += rm * c[i];
        }
    }
}

double cs_gmsk_filter_share(const double *freq_hz, const double *weight2, size_t n,
                            double bin_hz, double shift_hz)
{
    pthread_once(&r_once, autocorrelation);
    const double dtau = 1.0 / (CS_GSM_SYMBOL_RATE_HZ * STEPS);
    /* the frequencies with a weight, then their sums S(f) = integral of R(tau)
     * cos(2 pi f tau) over all tau (R even), trapezoid; cos(m x) by the rotation
     * recurrence: no cos() per term */
    double *buf = malloc(6 * (n ? n : 1) * sizeof *buf);
    if (!buf) return NAN;
    double *cx = buf, *sx = buf + n, *c = buf + 2 * n, *sn = buf + 3 * n, *s = buf + 4 * n,
           *w = buf + 5 * n;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(weight2[i] > 0.0)) continue;
        const double f = freq_hz[i] - shift_hz;
        cx[m] = cos(2.0 * M_PI * f * dtau);
        sx[m] = sin(2.0 * M_PI * f * dtau);
        w[m++] = weight2[i];
    }
    cosine_sums(r_tab, cx, sx, c, sn, s, m);
    double share = 0.0;
    for (size_t i = 0; i < m; i++) share += w[i] * 2.0 * s[i] * dtau * bin_hz;
    free(buf);
    return share;
}

#define ENV_FFT 1024   /* samples per record: the filter's response is well inside a quarter */
#define ENV_RECORDS 24

double cs_gmsk_filter_envelope(const double *freq_hz, const double *weight2, size_t n,
                               double bin_hz)
{
    double result = NAN;
    cs_gmsk_config mc;
    cs_gmsk_config_init(&mc);
    mc.sample_rate_hz = ENV_FFT * bin_hz; /* FFT bins fall on the filter's bins */
    cs_gmsk_modulator m = NULL;
    fftwf_complex *x = fftwf_malloc(ENV_FFT * sizeof *x), *X = fftwf_malloc(ENV_FFT * sizeof *X);
    float *w = calloc(ENV_FFT, sizeof *w);
    cs_cf32 *buf = NULL;
    fftwf_plan fwd = NULL, inv = NULL;
    if (!x || !X || !w || cs_gmsk_modulator_create(&mc, &m) != CS_OK) goto out;
    buf = malloc(cs_gmsk_modulator_max_samples(m) * sizeof *buf);
    fwd = cs_fft_plan_dft_1d(ENV_FFT, x, X, FFTW_FORWARD);
    inv = cs_fft_plan_dft_1d(ENV_FFT, X, x, FFTW_BACKWARD);
    if (!buf || !fwd || !inv) goto out;
    for (size_t i = 0; i < n; i++) { /* the filter's bins onto the FFT's */
        const long b = lround(freq_hz[i] / bin_hz);
        if (labs(b) < ENV_FFT / 2) w[(b + ENV_FFT) % ENV_FFT] = (float)sqrt(weight2[i]);
    }
    uint32_t seed = 0x9e3779b9u;
    size_t used = 0, got = 0;
    double m2 = 0.0, m4 = 0.0;
    for (int r = 0; r < ENV_RECORDS; r++) {
        for (size_t j = 0; j < ENV_FFT; j++) {
            while (used == got) { /* next burst of random bits */
                uint8_t bits[CS_GSM_BURST_BITS];
                for (int i = 0; i < CS_GSM_BURST_BITS; i++) {
                    seed = seed * 1664525u + 1013904223u;
                    bits[i] = (uint8_t)(seed >> 31);
                }
                cs_gmsk_modulator_push_slot(m, bits, CS_GSM_BURST_BITS, 1.0, buf,
                                            cs_gmsk_modulator_max_samples(m), &got);
                used = 0;
            }
            x[j][0] = crealf(buf[used]);
            x[j][1] = cimagf(buf[used++]);
        }
        fftwf_execute(fwd);
        for (size_t j = 0; j < ENV_FFT; j++) {
            X[j][0] *= w[j];
            X[j][1] *= w[j];
        }
        fftwf_execute(inv);
        /* the middle half, clear of the circular wrap at the record's ends */
        for (size_t j = ENV_FFT / 4; j < 3 * ENV_FFT / 4; j++) {
            const double p = (double)x[j][0] * x[j][0] + (double)x[j][1] * x[j][1];
            m2 += p;
            m4 += p * p;
        }
    }
    {
        const double cnt = (double)ENV_RECORDS * (ENV_FFT / 2);
        result = (m4 / cnt) / ((m2 / cnt) * (m2 / cnt)) - 1.0;
    }
out:
    cs_fft_plan_destroy(fwd);
    cs_fft_plan_destroy(inv);
    cs_gmsk_modulator_destroy(m);
    fftwf_free(x);
    fftwf_free(X);
    free(w);
    free(buf);
    return result;
}
