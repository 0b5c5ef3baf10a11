/* RRC pulse, chip pulse shaper and matched filter: RRC*RRC = raised cosine (zero ISI at the
 * chip spacing), 3 dB bandwidth = chip rate, exact timing at integer and fractional rates,
 * unit power and noise bandwidth, streaming invariance, bad arguments. */
#include "cellscan/pulse_shaper.h"
#include "cellscan/rrc_filter.h"

#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "dsp_measure.h"

#define RC_HZ 3.84e6
#define BETA 0.22

static cs_cf32 *random_qpsk(size_t n, uint64_t seed)
{
    cs_rng rng = NULL;
    cs_rng_create(seed, 0, &rng);
    cs_cf32 *c = malloc(n * sizeof *c);
    const float a = (float)M_SQRT1_2;
    for (size_t i = 0; i < n; i++) {
        const uint64_t v = cs_rng_u64(rng);
        c[i] = ((v & 1) ? a : -a) + I * ((v & 2) ? a : -a);
    }
    cs_rng_destroy(rng);
    return c;
}

/* Shape n chips at fs (delay_s), all at once; returns the flushed output and its length. */
static cs_cf32 *shape(const cs_cf32 *chips, size_t n, double fs, double delay_s, size_t *n_out)
{
    cs_pulse_shaper_config c;
    cs_pulse_shaper_config_init(&c);
    c.sample_rate_hz = fs;
    c.delay_s = delay_s;
    cs_pulse_shaper s = NULL;
    CS_CHECK(cs_pulse_shaper_create(&c, &s) == CS_OK);
    const size_t cap = cs_pulse_shaper_max_output(s, n) + cs_pulse_shaper_max_output(s, 0);
    cs_cf32 *out = malloc(cap * sizeof *out);
    size_t a = 0, b = 0;
    CS_CHECK(cs_pulse_shaper_push(s, chips, n, out, cap, &a) == CS_OK);
    CS_CHECK(cs_pulse_shaper_flush(s, out + a, cap - a, &b) == CS_OK);
    *n_out = a + b;
    cs_pulse_shaper_destroy(s);
    return out;
}

static void test_pulse(void)
{
    CS_CHECK_NEAR(cs_rrc_impulse(0.0, BETA), 1.0 - BETA + 4.0 * BETA / M_PI, 1e-12);
    const double t0 = 1.0 / (4.0 * BETA); /* the general formula's removable singularity */
    CS_CHECK_NEAR(cs_rrc_impulse(t0 + 1e-6, BETA), cs_rrc_impulse(t0, BETA), 1e-5);
    CS_CHECK_NEAR(cs_rrc_impulse(-t0 - 1e-6, BETA), cs_rrc_impulse(t0, BETA), 1e-5);
    double energy = 0.0;
    for (double t = -64.0; t < 64.0; t += 1.0 / 64)
        energy += cs_rrc_impulse(t, BETA) * cs_rrc_impulse(t, BETA) / 64;
    CS_CHECK_NEAR(energy, 1.0, 1e-4);
    /* the continuous p*p is the raised cosine: 1 at 0, 0 at every other chip */
    double worst = 0.0;
    for (int k = 0; k <= 6; k++) {
        double rc = 0.0;
        for (double t = -48.0; t < 48.0; t += 1.0 / 64)
            rc += cs_rrc_impulse(t, BETA) * cs_rrc_impulse(k - t, BETA) / 64;
        if (k == 0)
            CS_CHECK_NEAR(rc, 1.0, 1e-4);
        else
            worst = fmax(worst, fabs(rc));
    }
    printf("pulse: energy %.6f, continuous p*p at k = 1..6 below %.1e\n", energy, worst);
    CS_CHECK(worst < 1e-4);
}

/* Transmit shaper then receive filter at 2 samples/chip: the chips come back. */
static void test_chain_2sps(void)
{
    const size_t n = 20000;
    cs_cf32 *chips = random_qpsk(n, 11);
    size_t ny = 0;
    cs_cf32 *y = shape(chips, n, 2 * RC_HZ, 0.0, &ny);
    CS_CHECK(ny == 2 * n);
    CS_CHECK_NEAR(mean_power(y + 100, ny - 200), 1.0, 0.01);
    cs_rrc_filter f = NULL;
    CS_CHECK(cs_rrc_filter_create(BETA, 2.0, 16, &f) == CS_OK);
    const size_t d = cs_rrc_filter_delay(f);
    CS_CHECK(d == 32);
    cs_cf32 *z = malloc((ny + d) * sizeof *z);
    cs_rrc_filter_execute(f, y, z, ny);
    double err = 0.0, sig = 0.0;
    for (size_t i = 40; i + 40 < n; i++) {
        const cs_cf32 e = z[2 * i + d] - chips[i];
        err += crealf(e) * crealf(e) + cimagf(e) * cimagf(e);
        sig += 1.0;
    }
    printf("2 samples/chip: shaped power %.4f, matched-filter EVM %.1f dB\n",
           mean_power(y + 100, ny - 200), db10(err / sig));
    CS_CHECK(db10(err / sig) < -50.0); /* both pulses truncated at +-16 chips */

    /* one chip alone: the cascade's response at the chip spacing */
    cs_cf32 *one = calloc(200, sizeof *one);
    one[100] = 1.0f;
    size_t m = 0;
    cs_cf32 *p = shape(one, 200, 2 * RC_HZ, 0.0, &m);
    cs_rrc_filter_reset(f);
    cs_cf32 *q = malloc(m * sizeof *q);
    cs_rrc_filter_execute(f, p, q, m);
    double isi = 0.0;
    for (int k = -45; k <= 45; k++)
        if (k != 0)
            isi = fmax(isi, cabsf(q[2 * (100 + k) + d]));
    printf("cascade: peak %.6f, largest ISI at chip spacing %.2e\n", crealf(q[200 + d]), isi);
    CS_CHECK_NEAR(crealf(q[200 + d]), 1.0, 1e-4);
    CS_CHECK(isi < 2e-3); /* -54 dB: the truncated tails, p(16) ~ 1.4e-3 */
    cs_rrc_filter_destroy(f);
    free(chips);
    free(y);
    free(z);
    free(one);
    free(p);
    free(q);
}

/* Any rate: samples equal the pulse sum at their exact time; count and power exact. */
static void test_fractional_rate(double fs, double delay_s)
{
    const size_t n = 30000;
    cs_cf32 *chips = random_qpsk(n, 12);
    size_t ny = 0;
    cs_cf32 *y = shape(chips, n, fs, delay_s, &ny);
    const size_t expect = (size_t)ceil((n / RC_HZ + delay_s) * fs - 1e-9);
    double worst = 0.0;
    for (size_t k = 0; k < ny; k += 7) {
        const double u = k * RC_HZ / fs - delay_s * RC_HZ;
        double complex acc = 0.0;
        for (long i = (long)floor(u) - 16; i <= (long)ceil(u) + 16; i++)
            if (i >= 0 && i < (long)n && fabs(u - i) < 16.0)
                acc += chips[i] * cs_rrc_impulse(u - i, BETA);
        worst = fmax(worst, cabs((double complex)y[k] - acc));
    }
    printf("%.4f MS/s, delay %.3g s: %zu samples (expected %zu), max error vs exact pulse sum "
           "%.1e, power %.4f\n",
           fs / 1e6, delay_s, ny, expect, worst, mean_power(y + 100, ny - 200));
    CS_CHECK(ny == expect);
    CS_CHECK(worst < 2e-5);
    CS_CHECK_NEAR(mean_power(y + 100, ny - 200), 1.0, 0.01);
    free(chips);
    free(y);
}

static void test_bandwidth(double fs)
{
    const size_t n = 1000000;
    cs_cf32 *chips = random_qpsk(n, 13);
    size_t ny = 0;
    cs_cf32 *y = shape(chips, n, fs, 0.0, &ny);
    const size_t nfft = 8192;
    double *psd = malloc(nfft * sizeof *psd);
    meas_psd(y, ny, nfft, psd);
    const double bin = fs / nfft;
    double level = 0.0;
    int cnt = 0;
    for (size_t i = 0; i < nfft; i++)
        if (fabs(psd_bin_freq(i, nfft, fs)) < 1.4e6) {
            level += psd[i];
            cnt++;
        }
    level /= cnt;
    /* -3 dB edges, each side, on the PSD smoothed over 33 bins (the estimate's own scatter
     * is +-0.3 dB per bin; smoothing a near-linear slope does not move its midpoint) */
    double edge[2] = { 0.0, 0.0 };
    for (int side = 0; side < 2; side++) {
        const double sgn = side ? -1.0 : 1.0;
        double prev_f = 0, prev_p = level;
        for (double f = 1.5e6; f < fs / 2 - 20 * bin; f += bin) {
            const long i = lround(sgn * f / bin);
            double p = 0.0;
            for (long j = i - 16; j <= i + 16; j++)
                p += psd[(j + (long)nfft) % (long)nfft] / 33.0;
            if (p < level / 2) {
                edge[side] = prev_f + (prev_p - level / 2) / (prev_p - p) * (f - prev_f);
                break;
            }
            prev_f = f;
            prev_p = p;
        }
    }
    double stop = 0.0;
    for (size_t i = 0; i < nfft; i++)
        if (fabs(psd_bin_freq(i, nfft, fs)) > 2.6e6)
            stop = fmax(stop, psd[i]);
    printf("%.2f MS/s: 3 dB bandwidth %.4f MHz (+%.4f/-%.4f), stop band beyond 2.6 MHz %.1f dB\n",
           fs / 1e6, (edge[0] + edge[1]) / 1e6, edge[0] / 1e6, edge[1] / 1e6, db10(stop / level));
    CS_CHECK_NEAR(edge[0] + edge[1], 3.84e6, 20e3);
    CS_CHECK_NEAR(edge[0], edge[1], 10e3);
    CS_CHECK(db10(stop / level) < -50.0);
    free(chips);
    free(y);
    free(psd);
}

/* White noise through the matched filter keeps N0 * chip rate. */
static void test_noise_bandwidth(void)
{
    const size_t n = 1000000;
    cs_cf32 *x = malloc(n * sizeof *x);
    cs_rng rng = NULL;
    cs_rng_create(14, 0, &rng);
    cs_rng_fill_cgauss(rng, x, n, 1.0);
    cs_rrc_filter f = NULL;
    const double fs = 10e6;
    CS_CHECK(cs_rrc_filter_create(BETA, fs / RC_HZ, 16, &f) == CS_OK);
    cs_rrc_filter_execute(f, x, x, n); /* in place */
    const double p = mean_power(x + 1000, n - 1000);
    printf("matched filter at 10 MS/s: noise power %.4f (N0 * 3.84 MHz = %.4f)\n", p, RC_HZ / fs);
    CS_CHECK_NEAR(p / (RC_HZ / fs), 1.0, 0.01);
    cs_rrc_filter_destroy(f);
    cs_rng_destroy(rng);
    free(x);
}

static void test_streaming(void)
{
    const size_t n = 12345;
    cs_cf32 *chips = random_qpsk(n, 15);
    size_t ny = 0;
    cs_cf32 *whole = shape(chips, n, 9.1e6, 1.3e-7, &ny);
    cs_pulse_shaper_config c;
    cs_pulse_shaper_config_init(&c);
    c.sample_rate_hz = 9.1e6;
    c.delay_s = 1.3e-7;
    cs_pulse_shaper s = NULL;
    CS_CHECK(cs_pulse_shaper_create(&c, &s) == CS_OK);
    cs_cf32 *parts = malloc((ny + 100) * sizeof *parts), *tmp = malloc(100000 * sizeof *tmp);
    size_t got = 0, pos = 0, step = 1, m = 0;
    while (pos < n) {
        const size_t k = pos + step > n ? n - pos : step;
        CS_CHECK(cs_pulse_shaper_push(s, chips + pos, k, tmp, 100000, &m) == CS_OK);
        memcpy(parts + got, tmp, m * sizeof *tmp);
        got += m;
        pos += k;
        step = step * 3 % 5001 + 1;
    }
    CS_CHECK(cs_pulse_shaper_flush(s, tmp, 100000, &m) == CS_OK);
    memcpy(parts + got, tmp, m * sizeof *tmp);
    got += m;
    CS_CHECK(got == ny);
    CS_CHECK(memcmp(parts, whole, ny * sizeof *whole) == 0);
    CS_CHECK(cs_pulse_shaper_push(s, chips, 1, tmp, 100000, &m) == CS_EINVAL);
    cs_pulse_shaper_destroy(s);
    free(chips);
    free(whole);
    free(parts);
    free(tmp);
}

static void test_bad_arguments(void)
{
    cs_rrc_filter f = NULL;
    CS_CHECK(cs_rrc_filter_create(0.0, 2.0, 16, &f) == CS_EINVAL && !f);
    CS_CHECK(cs_rrc_filter_create(0.22, 1.0, 16, &f) == CS_EINVAL);
    CS_CHECK(cs_rrc_filter_create(0.22, 2.0, 1, &f) == CS_EINVAL);
    float taps[10];
    CS_CHECK(cs_rrc_taps(0.22, 2.0, 16, taps, 10) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "65 needed") != NULL);
    cs_pulse_shaper_config c;
    cs_pulse_shaper_config_init(&c);
    c.sample_rate_hz = 4e6; /* below (1 + 0.22) * 3.84 MHz: the spectrum would alias */
    cs_pulse_shaper s = NULL;
    CS_CHECK(cs_pulse_shaper_create(&c, &s) == CS_EINVAL && !s);
    CS_CHECK(strstr(cs_last_error(), "sample_rate_hz") != NULL);
    cs_pulse_shaper_config_init(&c);
    c.span_chips = 100;
    CS_CHECK(cs_pulse_shaper_create(&c, &s) == CS_EINVAL);
}

int main(void)
{
    test_pulse();
    test_chain_2sps();
    test_fractional_rate(10e6, 0.0);
    test_fractional_rate(3.84e6 * 2.5, 0.37 / 3.84e6);
    test_fractional_rate(7.68e6, -16 / 3.84e6); /* steady-state start: 16 chips of history */
    test_bandwidth(7.68e6);
    test_bandwidth(10e6);
    test_noise_bandwidth();
    test_streaming();
    test_bad_arguments();
    return cs_test_done();
}
