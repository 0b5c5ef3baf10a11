/* Multipath and fading: profile tables, exact fractional delays, per-tap average power
 * measured from the signal against the profile, Rayleigh statistics, Doppler spectrum
 * width and shape, Rice direct path, determinism and streaming, bad arguments. */
#include "cellscan/impairments.h"

#include "cellscan/status.h"
#include "cs_test.h"
#include "dsp_measure.h"

static cs_cf32 *run(const cs_channel_tap *taps, size_t nt, double fs, double fd, uint64_t seed,
                    const cs_cf32 *x, size_t n, size_t chunk)
{
    cs_multipath_config c = { fs, fd, 1, seed, 9 };
    cs_multipath q = NULL;
    CS_CHECK(cs_multipath_create(taps, nt, &c, &q) == CS_OK);
    if (!q)
        return NULL;
    cs_cf32 *y = malloc((n + 16) * sizeof *y);
    size_t got = 0, m = 0;
    for (size_t pos = 0; pos < n; pos += chunk) {
        const size_t k = pos + chunk > n ? n - pos : chunk;
        CS_CHECK(cs_multipath_execute(q, x + pos, k, y + got, k, &m) == CS_OK);
        got += m;
    }
    CS_CHECK(cs_multipath_flush(q, y + got, 16, &m) == CS_OK);
    got += m;
    CS_CHECK(got == n);
    cs_multipath_destroy(q);
    return y;
}

static void test_profiles(void)
{
    CS_CHECK(cs_channel_profile_count() == 10);
    int ok = 1;
    for (size_t i = 0; i < cs_channel_profile_count(); i++) {
        const cs_channel_profile *p = cs_channel_profile_at(i);
        double maxp = -1e9;
        ok &= p->num_taps >= 2 && p->num_taps <= CS_CHANNEL_MAX_TAPS && p->taps[0].delay_s == 0.0;
        ok &= p->reference && strlen(p->reference) > 10 && p->speed_kmh > 0;
        for (size_t t = 0; t < p->num_taps; t++) {
            maxp = fmax(maxp, p->taps[t].power_db);
            if (t > 0)
                ok &= p->taps[t].delay_s > p->taps[t - 1].delay_s;
        }
        ok &= maxp == 0.0;
        for (size_t j = 0; j < i; j++)
            ok &= strcmp(cs_channel_profile_at(j)->name, p->name) != 0;
        ok &= cs_channel_profile_find(p->name) == p;
    }
    CS_CHECK(ok);
    const cs_channel_profile *tu = cs_channel_profile_find("tu");
    CS_CHECK(tu && tu->num_taps == 6 && fabs(tu->taps[1].delay_s - 0.2e-6) < 1e-15 &&
             tu->taps[1].power_db == 0.0 && fabs(tu->taps[5].delay_s - 5.0e-6) < 1e-15 &&
             tu->taps[5].power_db == -10.0 && tu->taps[0].power_db == -3.0);
    const cs_channel_profile *ht = cs_channel_profile_find("HT");
    CS_CHECK(ht && fabs(ht->taps[4].delay_s - 15.0e-6) < 1e-15 && ht->taps[4].power_db == -8.0);
    const cs_channel_profile *ra = cs_channel_profile_find("RA");
    CS_CHECK(ra && ra->taps[0].kind == CS_FADING_RICE && ra->taps[5].power_db == -20.0);
    const cs_channel_profile *c3 = cs_channel_profile_find("Case3");
    CS_CHECK(c3 && c3->num_taps == 4 && fabs(c3->taps[3].delay_s - 781e-9) < 1e-15 &&
             c3->taps[3].power_db == -9.0 && c3->speed_kmh == 120.0);
    const cs_channel_profile *va = cs_channel_profile_find("VA");
    CS_CHECK(va && fabs(va->taps[5].delay_s - 2510e-9) < 1e-15 && va->taps[5].power_db == -20.0);
    CS_CHECK(cs_channel_profile_find("nonesuch") == NULL && cs_channel_profile_at(99) == NULL);
    CS_CHECK_NEAR(cs_doppler_hz(50.0, 900e6), 41.6955, 1e-3);
}

/* A static tap at 2.37 samples delays band-limited tones exactly. */
static void test_fractional_delay(void)
{
    const double fs = 1e6;
    const cs_channel_tap tap = { 2.37e-6, 0.0, CS_FADING_STATIC, 0, 0 };
    const size_t n = 20000;
    const double freqs[] = { 0.01, 0.2, 0.35, -0.4 };
    for (int i = 0; i < 4; i++) {
        cs_cf32 *x = malloc(n * sizeof *x);
        for (size_t k = 0; k < n; k++)
            x[k] = cexpf(I * (float)(2 * M_PI * fmod(freqs[i] * k, 1.0)));
        cs_cf32 *y = run(&tap, 1, fs, 0.0, 1, x, n, 777);
        double err = 0.0;
        for (size_t k = 100; k + 100 < n; k++) {
            const double complex want = cexp(I * 2 * M_PI * freqs[i] * ((double)k - 2.37));
            err += pow(cabs((double complex)y[k] - want), 2);
        }
        err /= (n - 200);
        printf("fractional delay 2.37 samples, tone at %+.2f fs: error %.1f dB\n", freqs[i], db10(err));
        CS_CHECK(db10(err) < -70.0);
        free(x);
        free(y);
    }
    /* delay 0: the input comes out untouched */
    const cs_channel_tap zero = { 0.0, 0.0, CS_FADING_STATIC, 0, 0 };
    cs_cf32 *x = malloc(1000 * sizeof *x);
    for (size_t k = 0; k < 1000; k++)
        x[k] = (float)k - I * (float)(k % 7);
    cs_cf32 *y = run(&zero, 1, fs, 0.0, 1, x, 1000, 100);
    int same = 1;
    for (size_t k = 0; k < 1000; k++)
        same &= y[k] == x[k];
    CS_CHECK(same);
    free(x);
    free(y);
}

/* TU at 10 MS/s (all delays whole samples): per-tap gains estimated from the signal by
 * correlating the output with the delayed input over 0.1 ms windows; their mean power
 * against the profile, and against the gains the object reports. */
static void test_tap_powers(void)
{
    const double fs = 10e6, fd = 500.0;
    const cs_channel_profile *tu = cs_channel_profile_find("TU");
    const size_t nt = tu->num_taps, n = 5000000, w = 1000;
    double meas[CS_CHANNEL_MAX_TAPS] = { 0 }, total = 0.0, truth_err = 0.0;
    size_t all_windows = 0, truth_n = 0;
    int delay[CS_CHANNEL_MAX_TAPS];
    for (size_t t = 0; t < nt; t++)
        delay[t] = (int)lround(tu->taps[t].delay_s * fs);
    cs_cf32 *x = malloc(n * sizeof *x);
    const int seeds = 3;
    for (int seed = 0; seed < seeds; seed++) {
        cs_rng rng = NULL;
        cs_rng_create(500 + seed, 0, &rng);
        const float a = (float)M_SQRT1_2;
        for (size_t k = 0; k < n; k++) {
            const uint64_t v = cs_rng_u64(rng);
            x[k] = ((v & 1) ? a : -a) + I * ((v & 2) ? a : -a);
        }
        cs_rng_destroy(rng);
        cs_cf32 *y = run(tu->taps, nt, fs, fd, 1000 + seed, x, n, 65536);
        cs_multipath_config c = { fs, fd, 1, 1000 + (uint64_t)seed, 9 };
        cs_multipath q = NULL;
        cs_multipath_create(tu->taps, nt, &c, &q); /* same seed: the gains it applied */
        total += mean_power(y + 100, n - 100) / seeds;
        size_t windows = 0;
        for (size_t k0 = 100; k0 + w <= n; k0 += w, windows++) {
            for (size_t t = 0; t < nt; t++) {
                double complex acc = 0.0;
                for (size_t k = k0; k < k0 + w; k++)
                    acc += (double complex)y[k] * conj((double complex)x[k - delay[t]]);
                acc /= (double)w;
                meas[t] += creal(acc * conj(acc));
                if (windows % 500 == 0) {
                    const double complex g = cs_multipath_tap_gain(q, t, (k0 + w / 2.0) / fs);
                    truth_err += pow(cabs(acc - g), 2);
                    truth_n++;
                }
            }
        }
        all_windows += windows;
        cs_multipath_destroy(q);
        free(y);
    }
    for (size_t t = 0; t < nt; t++)
        meas[t] /= (double)all_windows;
    double lin_total = 0.0;
    for (size_t t = 0; t < nt; t++)
        lin_total += pow(10.0, tu->taps[t].power_db / 10.0);
    double worst = 0.0;
    printf("TU, f_d %.0f Hz, 3 x 0.5 s: tap power re. profile (dB):", fd);
    for (size_t t = 0; t < nt; t++) {
        const double want = pow(10.0, tu->taps[t].power_db / 10.0) / lin_total;
        const double d = db10(meas[t] / want);
        printf(" %+.2f", d);
        worst = fmax(worst, fabs(d));
    }
    truth_err = sqrt(truth_err / truth_n);
    printf("; total power %.3f dB; RMS |estimate - reported gain| %.3f over %zu windows\n",
           db10(total), truth_err, truth_n);
    CS_CHECK(worst < 0.5);
    CS_CHECK(fabs(db10(total)) < 0.3);
    CS_CHECK(truth_err < 0.045); /* cross-talk of the other taps: 1/sqrt(1000) = 0.032 */
    free(x);
}

/* Statistics of one tap's gain over a long time (the process the object reports). */
static void test_rayleigh_and_doppler(void)
{
    const double fd = 100.0, fg = 1000.0; /* gain sampled at 1 kHz */
    const size_t n = 1 << 19;            /* 524 s */
    const size_t nfft = 4096;
    double *psd = calloc(nfft, sizeof *psd), *one = malloc(nfft * sizeof *one);
    cs_cf32 *g = malloc(n * sizeof *g);
    double p_mean = 0, below01 = 0, below1 = 0;
    const int seeds = 4;
    for (int s = 0; s < seeds; s++) {
        cs_rng rng = NULL;
        cs_rng_create(600 + s, 0, &rng);
        cs_fading f = NULL;
        CS_CHECK(cs_fading_create(CS_FADING_RAYLEIGH, fd, 0, 0, rng, &f) == CS_OK);
        for (size_t k = 0; k < n; k++) {
            g[k] = cs_fading_gain(f, k / fg);
            const double p = crealf(g[k]) * crealf(g[k]) + cimagf(g[k]) * cimagf(g[k]);
            p_mean += p;
            below01 += p < 0.1;
            below1 += p < 1.0;
        }
        meas_psd(g, n, nfft, one);
        for (size_t i = 0; i < nfft; i++)
            psd[i] += one[i] / seeds;
        cs_fading_destroy(f);
        cs_rng_destroy(rng);
    }
    p_mean /= (double)n * seeds;
    below01 /= (double)n * seeds;
    below1 /= (double)n * seeds;
    const double tot = psd_band_power(psd, nfft, fg, -fg, fg);
    const double inside = psd_band_power(psd, nfft, fg, -1.02 * fd, 1.02 * fd) / tot;
    const double edge = (psd_band_power(psd, nfft, fg, 0.9 * fd, fg) +
                         psd_band_power(psd, nfft, fg, -fg, -0.9 * fd)) / tot;
    double m2 = 0.0;
    for (size_t i = 0; i < nfft; i++)
        m2 += psd[i] * pow(psd_bin_freq(i, nfft, fg), 2);
    const double rms = sqrt(m2 / tot);
    printf("Rayleigh f_d 100 Hz: mean power %.4f, P(p<0.1) %.4f (0.0952), P(p<1) %.4f (0.6321); "
           "Doppler: %.5f of power within 1.02 f_d, %.3f beyond 0.9 f_d (Jakes 0.287), RMS %.2f Hz "
           "(f_d/sqrt2 = 70.71)\n",
           p_mean, below01, below1, inside, edge, rms);
    CS_CHECK_NEAR(p_mean, 1.0, 0.03);
    CS_CHECK_NEAR(below01, 1 - exp(-0.1), 0.01);
    CS_CHECK_NEAR(below1, 1 - exp(-1.0), 0.02);
    CS_CHECK(inside > 0.999);
    CS_CHECK_NEAR(edge, 1 - 2 / M_PI * asin(0.9), 0.05);
    CS_CHECK_NEAR(rms, fd / M_SQRT2, 3.0);

    /* Rice, COST 207 RICE: the direct path at 0.7 f_d holds K/(K+1) of the power */
    cs_rng rng = NULL;
    cs_rng_create(700, 0, &rng);
    cs_fading f = NULL;
    CS_CHECK(cs_fading_create(CS_FADING_RICE, fd, 3.4625, 0.7, rng, &f) == CS_OK);
    for (size_t k = 0; k < n; k++)
        g[k] = cs_fading_gain(f, k / fg);
    meas_psd(g, n, nfft, one);
    const double t2 = psd_band_power(one, nfft, fg, -fg, fg);
    const double line = psd_band_power(one, nfft, fg, 0.7 * fd - 0.5, 0.7 * fd + 0.5) / t2;
    const double k_lin = pow(10, 0.34625);
    printf("Rice K 3.46 dB: power %.4f, line at 0.7 f_d %.4f of it (K/(K+1) = %.4f)\n", t2, line,
           k_lin / (k_lin + 1));
    CS_CHECK_NEAR(t2, 1.0, 0.03);
    CS_CHECK_NEAR(line, k_lin / (k_lin + 1), 0.03);
    cs_fading_destroy(f);
    cs_rng_destroy(rng);
    free(g);
    free(psd);
    free(one);
}

static void test_determinism_and_errors(void)
{
    const cs_channel_profile *c3 = cs_channel_profile_find("CASE3");
    const size_t n = 100000;
    cs_cf32 *x = malloc(n * sizeof *x);
    for (size_t k = 0; k < n; k++)
        x[k] = cexpf(I * (float)(0.37 * k)) * (float)(1 + (k % 5));
    const double fs = 7.68e6, fd = cs_doppler_hz(c3->speed_kmh, 2.1e9);
    cs_cf32 *a = run(c3->taps, c3->num_taps, fs, fd, 5, x, n, n);
    cs_cf32 *b = run(c3->taps, c3->num_taps, fs, fd, 5, x, n, 333);
    cs_cf32 *c = run(c3->taps, c3->num_taps, fs, fd, 6, x, n, n);
    CS_CHECK(memcmp(a, b, n * sizeof *a) == 0);
    CS_CHECK(memcmp(a, c, n * sizeof *a) != 0);
    free(a);
    free(b);
    free(c);
    free(x);

    cs_multipath_config cfg = { 1e6, 10.0, 1, 1, 1 };
    cs_multipath q = NULL;
    cs_channel_tap taps[13];
    memset(taps, 0, sizeof taps);
    CS_CHECK(cs_multipath_create(taps, 0, &cfg, &q) == CS_EINVAL && !q);
    CS_CHECK(cs_multipath_create(taps, 13, &cfg, &q) == CS_EINVAL);
    taps[0].delay_s = 200e-6;
    CS_CHECK(cs_multipath_create(taps, 1, &cfg, &q) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "tap 0 delay") != NULL);
    taps[0].delay_s = -1e-6;
    CS_CHECK(cs_multipath_create(taps, 1, &cfg, &q) == CS_EINVAL);
    taps[0].delay_s = 0.0;
    cfg.doppler_hz = 6000.0;
    CS_CHECK(cs_multipath_create(taps, 1, &cfg, &q) == CS_EINVAL);
    cfg.doppler_hz = 10.0;
    taps[0].kind = (cs_fading_kind)7;
    CS_CHECK(cs_multipath_create(taps, 1, &cfg, &q) == CS_EINVAL && !q);
    taps[0].kind = CS_FADING_RAYLEIGH;
    CS_CHECK(cs_multipath_create(taps, 1, &cfg, &q) == CS_OK);
    cs_cf32 v[32] = { 0 }, o[32];
    size_t m = 0;
    CS_CHECK(cs_multipath_execute(q, v, 32, o, 4, &m) == CS_EINVAL);
    cs_multipath_reset(q);
    CS_CHECK(cs_multipath_execute(q, v, 32, o, 32, &m) == CS_OK && m == 17);
    CS_CHECK(cs_multipath_flush(q, o, 32, &m) == CS_OK && m == 15);
    CS_CHECK(cs_multipath_execute(q, v, 32, o, 32, &m) == CS_EINVAL);
    cs_multipath_destroy(q);
}

int main(void)
{
    test_profiles();
    test_fractional_delay();
    test_tap_powers();
    test_rayleigh_and_doppler();
    test_determinism_and_errors();
    return cs_test_done();
}
