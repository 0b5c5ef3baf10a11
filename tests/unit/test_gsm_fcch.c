/* FCCH detector: detection, timing and frequency accuracy on modulated C0 carriers, its
 * false-alarm behaviour on noise, data bursts and continuous tones, and the threshold
 * model. Fixed seeds: every figure below is deterministic. */
#include <math.h>
#include <stdio.h>

#include "cellscan/gsm_fcch.h"
#include "cs_test.h"
#include "test_gsm_scan_signal.h"

typedef struct match {
    int detected, extra;
    double max_timing_sym, mean_err_hz, rms_err_hz, max_z;
} match;

/* Run the detector on s in uneven blocks; match detections to the true FCCHs. */
static match run(const ts_signal *s, double fs, double tone_hz, double max_off, double true_off,
                 double snr_db)
{
    match r = {0, 0, 0.0, 0.0, 0.0, 0.0};
    cs_gsm_fcch_config c;
    cs_gsm_fcch_config_init(&c);
    c.sample_rate_hz = fs;
    c.tone_hz = tone_hz;
    c.max_offset_hz = max_off;
    cs_gsm_fcch_detector d;
    if (cs_gsm_fcch_detector_create(&c, &d) != CS_OK) {
        CS_CHECK_MSG(0, "create: %s", cs_last_error());
        return r;
    }
    /* the noise the signal was made with (a scanner knows it from the spectrum's floor) */
    if (isfinite(snr_db))
        CS_CHECK(cs_gsm_fcch_detector_set_noise(d, cs_noise_power_for_snr(1.0, snr_db, TS_RS, fs)) == CS_OK);
    size_t off = 0, blk = 777;
    while (off < s->n) {
        size_t m = s->n - off < blk ? s->n - off : blk;
        cs_gsm_fcch_detector_execute(d, s->x + off, m);
        off += m;
        blk = blk * 3 % 20011 + 100;
    }
    cs_gsm_fcch_detector_flush(d);
    cs_gsm_fcch_detection e;
    double sum = 0, sum2 = 0;
    while (cs_gsm_fcch_detector_pop(d, &e)) {
        int hit = -1;
        for (size_t i = 0; i < s->n_fcch; i++)
            if (fabs(e.t_start_s - s->fcch_t[i]) * TS_RS < 8.0) hit = (int)i;
        if (hit < 0) {
            printf("  extra detection at %.6f s: offset %.0f Hz, T %.1f, SNR %.1f dB\n", e.t_start_s,
                   e.offset_hz, e.statistic, e.snr_db);
            r.extra++;
            continue;
        }
        r.detected++;
        const double dt = fabs(e.t_start_s - s->fcch_t[hit]) * TS_RS;
        if (getenv("TDBG")) printf("dt %.3f\n", (e.t_start_s - s->fcch_t[hit]) * TS_RS);
        if (dt > r.max_timing_sym) r.max_timing_sym = dt;
        const double err = e.offset_hz - true_off;
        sum += err;
        sum2 += err * err;
        if (fabs(err) / e.offset_sigma_hz > r.max_z) r.max_z = fabs(err) / e.offset_sigma_hz;
    }
    if (r.detected) {
        r.mean_err_hz = sum / r.detected;
        r.rms_err_hz = sqrt(sum2 / r.detected);
    }
    cs_gsm_fcch_detector_destroy(d);
    return r;
}

static void test_config(void)
{
    cs_gsm_fcch_config c;
    cs_gsm_fcch_config_init(&c);
    cs_gsm_fcch_detector d;
    CS_CHECK(cs_gsm_fcch_detector_create(&c, &d) == CS_EINVAL); /* no rate */
    CS_CHECK(strstr(cs_last_error(), "sample_rate_hz") != NULL);
    c.sample_rate_hz = 1e6;
    c.max_offset_hz = 200e3;
    CS_CHECK(cs_gsm_fcch_detector_create(&c, &d) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "max_offset_hz") != NULL);
    c.max_offset_hz = 25e3;
    c.sample_rate_hz = 60e3; /* too narrow for +-25 kHz */
    CS_CHECK(cs_gsm_fcch_detector_create(&c, &d) == CS_EINVAL);
    c.sample_rate_hz = 1e6;
    c.false_alarms_per_hour = -1;
    CS_CHECK(cs_gsm_fcch_detector_create(&c, &d) == CS_EINVAL);
    c.false_alarms_per_hour = 6;
    CS_CHECK(cs_gsm_fcch_detector_create(&c, &d) == CS_OK);
    CS_CHECK(cs_gsm_fcch_detector_threshold(d) > 10.0);
    const double t6 = cs_gsm_fcch_detector_threshold(d);
    CS_CHECK(cs_gsm_fcch_detector_set_false_alarm_rate(d, 0.01) == CS_OK);
    CS_CHECK(cs_gsm_fcch_detector_threshold(d) > t6); /* rarer alarms: higher threshold */
    CS_CHECK(cs_gsm_fcch_detector_set_false_alarm_rate(d, 0) == CS_EINVAL);
    cs_gsm_fcch_detection e;
    CS_CHECK(cs_gsm_fcch_detector_pop(d, &e) == 0);
    cs_gsm_fcch_detector_destroy(d);
    cs_gsm_fcch_detector_destroy(NULL);
}

static void test_model(void)
{
    /* the threshold and the rate are inverse functions; the rate falls with the threshold */
    const double t = cs_gsm_fcch_threshold(6.0, 83333.3, 44, 25e3, 1.0);
    CS_CHECK_NEAR(cs_gsm_fcch_false_alarms_per_hour(t, 83333.3, 44, 25e3, 1.0), 6.0, 1e-6);
    CS_CHECK(cs_gsm_fcch_false_alarms_per_hour(t + 2, 83333.3, 44, 25e3, 1.0) < 6.0);
    /* a wider search makes more tests: a higher threshold for the same rate */
    CS_CHECK(cs_gsm_fcch_threshold(6.0, 83333.3, 44, 40e3, 1.0) > t);
}

/* 10 dB, 1 MHz stream centred on the channel, +5 kHz carrier error: every FCCH, timing
 * within 2 symbols, frequency within 5 Cramer-Rao sigmas. */
static void test_clean(void)
{
    ts_params p = {1e6, 2.0, 10.0, 5000.0, 0.0009, 1000, 4, 0, 7, 0, 0};
    ts_signal s;
    ts_make(&p, &s);
    match r = run(&s, 1e6, CS_GSM_FCCH_TONE_HZ, 25e3, 5000.0, p.snr_db);
    printf("10 dB: %d/%zu detected, %d extra, timing <= %.2f sym, err mean %.1f rms %.1f Hz, "
           "max |z| %.2f\n", r.detected, s.n_fcch, r.extra, r.max_timing_sym, r.mean_err_hz,
           r.rms_err_hz, r.max_z);
    CS_CHECK(r.detected == (int)s.n_fcch);
    CS_CHECK(r.extra == 0);
    CS_CHECK(r.max_timing_sym <= 2.0);
    CS_CHECK(r.rms_err_hz < 30.0); /* CRLB at 10 dB: 18.5 Hz */
    CS_CHECK(r.max_z < 5.0);
    ts_free(&s);
}

/* 30 dB: the tone edges and the GMSK transitions are far above the noise; every FCCH
 * still passes the detector's consistency tests. */
static void test_strong(void)
{
    ts_params p = {625e3, 1.0, 30.0, 8470.0, 0.0002, 675000, 4, 0, 17, 0, 0};
    ts_signal s;
    ts_make(&p, &s);
    match r = run(&s, p.fs, CS_GSM_FCCH_TONE_HZ, 25e3, 8470.0, p.snr_db);
    printf("30 dB: %d/%zu detected, %d extra, err mean %.1f rms %.1f Hz\n", r.detected, s.n_fcch,
           r.extra, r.mean_err_hz, r.rms_err_hz);
    CS_CHECK(r.detected == (int)s.n_fcch);
    CS_CHECK(r.extra == 0);
    CS_CHECK(r.rms_err_hz < 10.0);
    ts_free(&s);
}

/* -5 dB per burst: the design goal is Pd >= 0.9 (bench/gsm_curves measures it). */
static void test_weak(void)
{
    ts_params p = {541666.67, 4.0, -5.0, -12000.0, 0.0004, 200000, 1, 2, 11, 0, 0};
    ts_signal s;
    ts_make(&p, &s);
    match r = run(&s, p.fs, CS_GSM_FCCH_TONE_HZ, 25e3, -12000.0, p.snr_db);
    const double pd = (double)r.detected / (double)s.n_fcch;
    printf("-5 dB: %d/%zu detected (Pd %.3f), %d extra, rms err %.1f Hz (CRLB 104)\n", r.detected,
           s.n_fcch, pd, r.extra, r.rms_err_hz);
    CS_CHECK(pd >= 0.88);
    CS_CHECK(r.extra <= 1);
    CS_CHECK(r.rms_err_hz < 160.0);
    ts_free(&s);
}

/* Offsets at the edges of the search range. */
static void test_offsets(void)
{
    const double offs[] = {-24000.0, 24000.0};
    for (int i = 0; i < 2; i++) {
        ts_params p = {1e6, 0.5, 6.0, offs[i], 0.0, 51 * 7, 3, 3, 21 + (uint64_t)i, 0, 0};
        ts_signal s;
        ts_make(&p, &s);
        match r = run(&s, 1e6, CS_GSM_FCCH_TONE_HZ, 25e3, offs[i], p.snr_db);
        CS_CHECK_MSG(r.detected == (int)s.n_fcch, "offset %g: %d of %zu", offs[i], r.detected, s.n_fcch);
        CS_CHECK_MSG(fabs(r.mean_err_hz) < 60.0, "offset %g: mean error %g", offs[i], r.mean_err_hz);
        ts_free(&s);
    }
}

/* Strong data bursts (no FCCH at all), a continuous tone where an FCCH would be, and two
 * minutes of white noise: nothing is an FCCH. */
static void test_false_alarms(void)
{
    ts_params p = {1e6, 2.0, 40.0, 0.0, 0.0, 0, 0, 0, 31, 1, 0};
    ts_signal s;
    ts_make(&p, &s);
    match r = run(&s, 1e6, CS_GSM_FCCH_TONE_HZ, 25e3, 0.0, p.snr_db);
    printf("data bursts at 40 dB: %d false FCCHs\n", r.extra);
    CS_CHECK(r.extra == 0);
    ts_free(&s);

    const double fs = 250e3;
    const size_t n = (size_t)(0.5 * fs);
    cs_cf32 *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        const double ph = 2.0 * M_PI * (CS_GSM_FCCH_TONE_HZ + 3000.0) * (double)i / fs;
        x[i] = (float)cos(ph) + I * (float)sin(ph);
    }
    cs_rng g;
    cs_rng_create(5, 5, &g);
    cs_cf32 *w = malloc(n * sizeof *w);
    cs_rng_fill_cgauss(g, w, n, 0.1);
    for (size_t i = 0; i < n; i++) x[i] += w[i];
    cs_gsm_fcch_config c;
    cs_gsm_fcch_config_init(&c);
    c.sample_rate_hz = fs;
    cs_gsm_fcch_detector d;
    cs_gsm_fcch_detector_create(&c, &d);
    cs_gsm_fcch_detector_execute(d, x, n);
    cs_gsm_fcch_detector_flush(d);
    cs_gsm_fcch_detection e;
    int cw = 0;
    while (cs_gsm_fcch_detector_pop(d, &e)) cw++;
    CS_CHECK_MSG(cw == 0, "continuous tone: %d detections", cw);
    cs_gsm_fcch_detector_destroy(d);
    free(x);
    free(w);

    /* noise at the working rate: 120 s at ~83 kHz, design rate 6 per hour */
    cs_gsm_fcch_config_init(&c);
    c.sample_rate_hz = 83333.33;
    c.tone_hz = 0.0;
    cs_gsm_fcch_detector_create(&c, &d);
    const size_t blk = 1 << 16;
    cs_cf32 *v = malloc(blk * sizeof *v);
    int fa = 0;
    for (size_t k = 0; k < (size_t)(120.0 * 83333.33) / blk; k++) {
        cs_rng_fill_cgauss(g, v, blk, 1.0);
        cs_gsm_fcch_detector_execute(d, v, blk);
        while (cs_gsm_fcch_detector_pop(d, &e)) fa++;
    }
    printf("120 s of noise: %d false alarms (threshold %.2f)\n", fa, cs_gsm_fcch_detector_threshold(d));
    CS_CHECK(fa == 0);
    cs_gsm_fcch_detector_destroy(d);
    cs_rng_destroy(g);
    free(v);
}

int main(void)
{
    test_config();
    test_model();
    test_clean();
    test_strong();
    test_weak();
    test_offsets();
    test_false_alarms();
    return cs_test_done();
}
