/* Resampler and fractional delay: exact output count and timing, interpolation accuracy,
 * measured clock error (tone frequency and cross-correlation delay growth) within 0.05 ppm,
 * anti-aliasing, streaming invariance, bad arguments. */
#include "cellscan/resampler.h"

#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "dsp_measure.h"

/* Resample all of x (n samples) in one go; returns the flushed output. */
static cs_cf32 *resample(double ratio, const cs_cf32 *x, size_t n, size_t *n_out)
{
    cs_resampler r = NULL;
    CS_CHECK(cs_resampler_create(ratio, &r) == CS_OK);
    const size_t cap = cs_resampler_max_output(r, n) + cs_resampler_max_output(r, 0);
    cs_cf32 *y = malloc(cap * sizeof *y);
    size_t a = 0, b = 0;
    CS_CHECK(cs_resampler_execute(r, x, n, y, cap, &a) == CS_OK);
    CS_CHECK(cs_resampler_flush(r, y + a, cap - a, &b) == CS_OK);
    *n_out = a + b;
    cs_resampler_destroy(r);
    return y;
}

static cs_cf32 *tone(size_t n, double f_norm)
{
    cs_cf32 *x = malloc(n * sizeof *x);
    for (size_t k = 0; k < n; k++) {
        const double a = 2.0 * M_PI * fmod(f_norm * (double)k, 1.0);
        x[k] = (float)cos(a) + I * (float)sin(a);
    }
    return x;
}

static void test_identity_and_upsample(void)
{
    const size_t n = 100000;
    cs_cf32 *x = tone(n, 0.123);
    size_t m = 0;
    cs_cf32 *y = resample(1.0, x, n, &m);
    double worst = 0.0;
    for (size_t k = 0; k < n && k < m; k++)
        worst = fmax(worst, cabsf(y[k] - x[k]));
    CS_CHECK(m == n);
    CS_CHECK(worst < 1e-6);
    free(y);
    free(x);
    /* ratio 2: y[m] = x(m/2), compared with the exact tone away from the ends */
    const double freqs[] = { 0.05, 0.2, 0.4, 0.43 };
    for (int i = 0; i < 4; i++) {
        x = tone(n, freqs[i]);
        y = resample(2.0, x, n, &m);
        double err = 0.0, cnt = 0.0;
        for (size_t k = 200; k + 200 < m; k++) {
            const double a = 2.0 * M_PI * fmod(freqs[i] * (double)k / 2.0, 1.0);
            const double complex want = cexp(I * a);
            err += pow(cabs((double complex)y[k] - want), 2);
            cnt += 1.0;
        }
        printf("ratio 2, tone at %.2f fs: %zu -> %zu samples, error %.1f dB\n", freqs[i], n, m,
               db10(err / cnt));
        CS_CHECK(m == 2 * n);
        CS_CHECK(db10(err / cnt) < -75.0);
        free(x);
        free(y);
    }
}

/* Clock error from the frequency of a tone: f_out = f_in / (1 + e). */
static void test_clock_tone(double ppm, double fs)
{
    const double f0 = 0.1 * fs;
    const size_t n = (size_t)(2.0 * fs);
    cs_cf32 *x = tone(n, f0 / fs);
    size_t m = 0;
    cs_cf32 *y = resample(1.0 + ppm * 1e-6, x, n, &m);
    const double f = meas_tone_freq_hz(y + 1000, m - 2000, fs);
    const double measured = (f0 / f - 1.0) * 1e6;
    printf("clock %+.3f ppm at %.2f MS/s: tone %.6f Hz -> %.6f Hz, measured %+.5f ppm\n", ppm,
           fs / 1e6, f0, f, measured);
    CS_CHECK_NEAR(measured, ppm, 0.05);
    CS_CHECK(m == (size_t)ceil(n * (1.0 + ppm * 1e-6) - 1e-6));
    free(x);
    free(y);
}

/* Band-limited noise (|f| < 0.35 fs): white noise through a long windowed-sinc low pass. */
static cs_cf32 *bandlimited_noise(size_t n, uint64_t seed)
{
    cs_rng rng = NULL;
    cs_rng_create(seed, 0, &rng);
    const int h = 64;
    cs_cf32 *w = malloc((n + 2 * h) * sizeof *w), *x = malloc(n * sizeof *x);
    cs_rng_fill_cgauss(rng, w, n + 2 * h, 1.0);
    float taps[2 * 64 + 1];
    for (int j = -h; j <= h; j++) {
        const double t = j, c = 0.7;
        const double win = 0.42 + 0.5 * cos(M_PI * t / h) + 0.08 * cos(2 * M_PI * t / h);
        taps[j + h] = (float)(c * (j == 0 ? 1.0 : sin(M_PI * c * t) / (M_PI * c * t)) * win);
    }
    for (size_t k = 0; k < n; k++) {
        cs_cf32 acc = 0.0f;
        for (int j = 0; j <= 2 * h; j++)
            acc += taps[j] * w[k + j];
        x[k] = acc;
    }
    cs_rng_destroy(rng);
    free(w);
    return x;
}

/* Delay tau of y against x (y[n] = x[n - tau]) over L samples: integer lag by
 * cross-correlation, then the slope of the cross-spectrum phase. */
static double est_delay(const cs_cf32 *y, const cs_cf32 *x, size_t L)
{
    int best = 0;
    double best_mag = -1.0;
    for (int lag = -64; lag <= 64; lag++) {
        double complex acc = 0.0;
        for (size_t k = 64; k < 4096 + 64; k++)
            acc += (double complex)y[k] * conj((double complex)x[(long)k - lag]);
        if (cabs(acc) > best_mag) {
            best_mag = cabs(acc);
            best = lag;
        }
    }
    fftwf_complex *a = fftwf_malloc(L * sizeof *a), *b = fftwf_malloc(L * sizeof *b);
    fftwf_plan pa = fftwf_plan_dft_1d((int)L, a, a, FFTW_FORWARD, FFTW_ESTIMATE);
    fftwf_plan pb = fftwf_plan_dft_1d((int)L, b, b, FFTW_FORWARD, FFTW_ESTIMATE);
    for (size_t k = 0; k < L; k++) {
        const float w = (float)(0.5 - 0.5 * cos(2 * M_PI * k / L));
        a[k] = y[k + 64] * w;
        b[k] = x[(long)k + 64 - best] * w;
    }
    fftwf_execute(pa);
    fftwf_execute(pb);
    /* weighted least squares of phase = -2 pi f tau through the origin */
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < L; i++) {
        const double f = (i < L / 2 ? (double)i : (double)i - (double)L) / L;
        if (fabs(f) > 0.3)
            continue;
        const double complex c = (double complex)a[i] * conj((double complex)b[i]);
        const double wgt = cabs(c);
        num += wgt * f * carg(c);
        den += wgt * f * f;
    }
    fftwf_destroy_plan(pa);
    fftwf_destroy_plan(pb);
    fftwf_free(a);
    fftwf_free(b);
    return best - num / den / (2.0 * M_PI);
}

static void test_clock_correlation(double ppm)
{
    const size_t n = 2000000, L = 16384;
    cs_cf32 *x = bandlimited_noise(n, 21);
    size_t m = 0;
    cs_cf32 *y = resample(1.0 + ppm * 1e-6, x, n, &m);
    const size_t s1 = 100000, s2 = 1900000;
    const double t1 = est_delay(y + s1, x + s1, L), t2 = est_delay(y + s2, x + s2, L);
    /* y[n] = x(n/(1+e)): the delay grows by e/(1+e) per sample */
    const double g = (t2 - t1) / (double)(s2 - s1);
    const double measured = g / (1.0 - g) * 1e6;
    printf("clock %+.3f ppm, delay by cross-correlation: %.4f samples at %zu, %.4f at %zu -> "
           "%+.4f ppm\n",
           ppm, t1, s1, t2, s2, measured);
    CS_CHECK_NEAR(measured, ppm, 0.05);
    free(x);
    free(y);
}

static void test_antialias(void)
{
    const size_t n = 200000;
    cs_cf32 *x = tone(n, 0.45), *x2 = tone(n, 0.3);
    size_t m = 0, m2 = 0;
    cs_cf32 *y = resample(0.8, x, n, &m), *y2 = resample(0.8, x2, n, &m2);
    const double stop = mean_power(y + 1000, m - 2000), pass = mean_power(y2 + 1000, m2 - 2000);
    printf("ratio 0.8: tone at 0.45 fs_in (above the new Nyquist) %.1f dB, at 0.3 fs_in %.4f dB\n",
           db10(stop), db10(pass));
    CS_CHECK(db10(stop) < -60.0);
    CS_CHECK(fabs(db10(pass)) < 0.01);
    free(x);
    free(x2);
    free(y);
    free(y2);
}

static void test_streaming_and_errors(void)
{
    const size_t n = 54321;
    cs_cf32 *x = bandlimited_noise(n, 22);
    size_t m = 0;
    cs_cf32 *whole = resample(1.0 - 37e-6, x, n, &m);
    cs_resampler r = NULL;
    CS_CHECK(cs_resampler_create(1.0 - 37e-6, &r) == CS_OK);
    cs_cf32 *parts = malloc((m + 64) * sizeof *parts), tmp[16384];
    size_t got = 0, pos = 0, step = 1, k = 0;
    while (pos < n) {
        const size_t c = pos + step > n ? n - pos : step;
        CS_CHECK(cs_resampler_execute(r, x + pos, c, tmp, 16384, &k) == CS_OK);
        memcpy(parts + got, tmp, k * sizeof *tmp);
        got += k;
        pos += c;
        step = step * 7 % 9001 + 1;
    }
    CS_CHECK(cs_resampler_flush(r, tmp, 16384, &k) == CS_OK);
    memcpy(parts + got, tmp, k * sizeof *tmp);
    got += k;
    CS_CHECK(got == m);
    CS_CHECK(memcmp(parts, whole, m * sizeof *whole) == 0);
    CS_CHECK(cs_resampler_execute(r, x, 10, tmp, 16384, &k) == CS_EINVAL);
    cs_resampler_reset(r);
    CS_CHECK(cs_resampler_execute(r, x, 5000, tmp, 10, &k) == CS_EINVAL);
    cs_resampler_destroy(r);
    r = NULL;
    CS_CHECK(cs_resampler_create(0.4, &r) == CS_EINVAL && !r);
    CS_CHECK(strstr(cs_last_error(), "ratio") != NULL);
    CS_CHECK(cs_resampler_create(NAN, &r) == CS_EINVAL);
    float taps[8];
    CS_CHECK(cs_fractional_delay_taps(1.0, 4, 8.0, taps) == CS_EINVAL);
    CS_CHECK(cs_fractional_delay_taps(0.0, 4, 8.0, taps) == CS_OK);
    CS_CHECK(taps[3] == 1.0f && fabsf(taps[0]) < 1e-7f && fabsf(taps[7]) < 1e-7f); /* frac 0: identity */
    free(x);
    free(whole);
    free(parts);
}

int main(void)
{
    test_identity_and_upsample();
    test_clock_tone(7.3, 1e6);
    test_clock_tone(-3.1, 1e6);
    test_clock_tone(0.04, 1e6);
    test_clock_tone(20.0, 7.68e6);
    test_clock_correlation(5.0);
    test_clock_correlation(-12.5);
    test_antialias();
    test_streaming_and_errors();
    return cs_test_done();
}
