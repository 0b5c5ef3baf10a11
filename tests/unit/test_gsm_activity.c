/* Burst activity: timeslots, counts, powers and intervals of bursty carriers (a handset in
 * two timeslots with a pause, the pause also skipped as quiet or as a gap), a continuous
 * C0, noise alone, and a noise-like (non-GMSK) signal gated into a timeslot. Fixed seeds. */
#include <math.h>
#include <stdio.h>

#include "cellscan/gsm_activity.h"
#include "cs_test.h"
#include "test_gsm_scan_signal.h"

static int run(const cs_cf32 *x, size_t n, double fs, double noise, cs_gsm_activity_result *r)
{
    cs_gsm_activity_config c;
    cs_gsm_activity_config_init(&c);
    c.sample_rate_hz = fs;
    c.noise_power = noise;
    cs_gsm_activity q;
    if (cs_gsm_activity_create(&c, &q) != CS_OK) return -1;
    for (size_t off = 0; off < n; off += 1000) /* small blocks: state carries over */
        cs_gsm_activity_execute(q, x + off, n - off < 1000 ? n - off : 1000);
    cs_gsm_activity_results(q, r);
    cs_gsm_activity_destroy(q);
    return 0;
}

static int popcount8(const uint64_t *v, uint64_t min)
{
    int n = 0;
    for (int t = 0; t < 8; t++) n += v[t] >= min;
    return n;
}

#define HANDSET_FS 400e3

/* A handset in TS 2 and 5 at 10 dB for 1.2 s at 400 kHz, with a pause from 0.4 to 0.7 s
 * (bursts off, noise on); returns the noise power per sample. */
static double make_handset(ts_signal *s)
{
    const double fs = HANDSET_FS, snr = 10.0;
    ts_params p = {fs, 1.2, snr, 0.0, 0.0, 0, 0, 0, 71, 1, (1u << 2) | (1u << 5)};
    ts_make(&p, s);
    const double noise = cs_noise_power_for_snr(1.0, snr, TS_RS, fs);
    cs_rng g;
    cs_rng_create(9, 9, &g);
    const size_t a = (size_t)(0.4 * fs), b = (size_t)(0.7 * fs);
    cs_rng_fill_cgauss(g, s->x + a, b - a, noise);
    cs_rng_destroy(g);
    return noise;
}

static void test_handset(void)
{
    const double fs = HANDSET_FS;
    ts_signal s;
    const double noise = make_handset(&s);
    cs_gsm_activity_result r;
    CS_CHECK(run(s.x, s.n, fs, noise, &r) == 0);
    const double frames = (1.2 - 0.3) / TS_FRAME_S;
    int ts[2], nts = 0;
    for (int t = 0; t < 8; t++)
        if (r.bursts_per_ts[t] > 0 && nts < 2) ts[nts++] = t;
    printf("handset: %llu bursts in %d timeslots (%d,%d), %.1f frames on; %zu intervals "
           "[%.3f %.3f] [%.3f %.3f]; envelope %.3f\n", (unsigned long long)r.bursts,
           popcount8(r.bursts_per_ts, 1), ts[0], nts > 1 ? ts[1] : -1, frames, r.num_intervals,
           r.intervals[0][0], r.intervals[0][1], r.intervals[1][0], r.intervals[1][1],
           r.envelope_ratio);
    CS_CHECK(popcount8(r.bursts_per_ts, 1) == 2);
    CS_CHECK(nts == 2 && (ts[1] - ts[0] == 3 || ts[1] - ts[0] == 5)); /* TS 2 and 5 */
    CS_CHECK(fabs((double)r.bursts - 2.0 * frames) <= 8.0);
    CS_CHECK(r.num_intervals == 2);
    CS_CHECK_NEAR(r.intervals[0][0], 0.0, 0.01);
    CS_CHECK_NEAR(r.intervals[0][1], 0.4, 0.01);
    CS_CHECK_NEAR(r.intervals[1][0], 0.7, 0.01);
    CS_CHECK_NEAR(r.intervals[1][1], 1.2, 0.02);
    /* burst power: signal 1 plus the noise */
    CS_CHECK_NEAR(10.0 * log10(r.burst_power - noise), 0.0, 0.5);
    CS_CHECK(r.envelope_ratio < 0.3); /* GMSK at 10 dB: (2s+1)/(s+1)^2 = 0.17 */
    CS_CHECK(r.slot_origin_s >= 0.0);
    ts_free(&s);
}

/* The slot edge to a few per cent of a slot, finer than the detector's 1/8-slot ticks (a
 * C0's frame timing numbers a carrier's timeslots only when the edges agree within 6 %):
 * slots starting half a tick after a tick boundary. */
static void test_slot_edge(void)
{
    const double fs = HANDSET_FS, snr = 10.0, delay = CS_GSM_SLOT_S / 16.0;
    ts_params p = {fs, 1.0, snr, 0.0, delay, 0, 0, 0, 72, 1, (1u << 2) | (1u << 5)};
    ts_signal s;
    CS_CHECK(ts_make(&p, &s) == 0);
    const double noise = cs_noise_power_for_snr(1.0, snr, TS_RS, fs);
    cs_gsm_activity_result r;
    CS_CHECK(run(s.x, s.n, fs, noise, &r) == 0);
    const double u = (r.slot_origin_s - delay) / CS_GSM_SLOT_S, edge = u - round(u);
    printf("slot edge: %+.3f slot from the true one\n", edge);
    CS_CHECK(fabs(edge) < 0.03);
    ts_free(&s);
}

/* The handset's pause skipped instead of fed: as quiet (the caller knows it held no
 * burst), its slots count as examined; as a gap, they do not. Bursts, timeslots and
 * intervals are those of the run that fed the pause's noise. */
static void test_skip_quiet(void)
{
    const double fs = HANDSET_FS;
    ts_signal s;
    const double noise = make_handset(&s);
    const size_t a = (size_t)(0.4 * fs), b = (size_t)(0.7 * fs);
    cs_gsm_activity_result full, quiet, gap;
    CS_CHECK(run(s.x, s.n, fs, noise, &full) == 0);
    for (int k = 0; k < 2; k++) {
        cs_gsm_activity_config c;
        cs_gsm_activity_config_init(&c);
        c.sample_rate_hz = fs;
        c.noise_power = noise;
        cs_gsm_activity q;
        CS_CHECK(cs_gsm_activity_create(&c, &q) == CS_OK);
        for (size_t off = 0; off < a; off += 1000)
            cs_gsm_activity_execute(q, s.x + off, a - off < 1000 ? a - off : 1000);
        CS_CHECK((k ? cs_gsm_activity_skip(q, b - a) : cs_gsm_activity_skip_quiet(q, b - a)) == CS_OK);
        for (size_t off = b; off < s.n; off += 1000)
            cs_gsm_activity_execute(q, s.x + off, s.n - off < 1000 ? s.n - off : 1000);
        cs_gsm_activity_results(q, k ? &gap : &quiet);
        cs_gsm_activity_destroy(q);
    }
    const double pause_slots = 0.3 / CS_GSM_SLOT_S;
    printf("skip: fed %llu bursts in %llu slots; quiet %llu in %llu; gap %llu in %llu "
           "(pause %.0f slots)\n", (unsigned long long)full.bursts, (unsigned long long)full.slots,
           (unsigned long long)quiet.bursts, (unsigned long long)quiet.slots,
           (unsigned long long)gap.bursts, (unsigned long long)gap.slots, pause_slots);
    for (int t = 0; t < 8; t++) {
        CS_CHECK((quiet.bursts_per_ts[t] > 0) == (full.bursts_per_ts[t] > 0));
        CS_CHECK(quiet.bursts_per_ts[t] + 2 >= full.bursts_per_ts[t] &&
                 quiet.bursts_per_ts[t] <= full.bursts_per_ts[t] + 2);
    }
    CS_CHECK(quiet.num_intervals == 2);
    CS_CHECK_NEAR(quiet.intervals[0][1], 0.4, 0.01);
    CS_CHECK_NEAR(quiet.intervals[1][0], 0.7, 0.01);
    CS_CHECK(quiet.slots + 3 >= full.slots && quiet.slots <= full.slots + 3);
    CS_CHECK(gap.bursts == quiet.bursts);
    CS_CHECK(fabs((double)(quiet.slots - gap.slots) - pause_slots) <= 4.0);
    ts_free(&s);
}

static void test_c0_and_noise(void)
{
    const double fs = 300e3;
    ts_params p = {fs, 0.5, 5.0, 2000.0, 0.0, 102, 1, 1, 72, 0, 0};
    ts_signal s;
    ts_make(&p, &s);
    const double noise = cs_noise_power_for_snr(1.0, 5.0, TS_RS, fs);
    cs_gsm_activity_result r;
    CS_CHECK(run(s.x, s.n, fs, noise, &r) == 0);
    printf("C0 at 5 dB: %llu bursts of %llu slots, %d timeslots, %zu interval\n",
           (unsigned long long)r.bursts, (unsigned long long)r.slots, popcount8(r.bursts_per_ts, 1),
           r.num_intervals);
    CS_CHECK(popcount8(r.bursts_per_ts, 1) == 8);
    CS_CHECK(r.bursts >= r.slots - 2);
    CS_CHECK(r.num_intervals == 1);
    ts_free(&s);

    /* noise alone: no bursts */
    const size_t n = (size_t)(2.0 * fs);
    cs_cf32 *w = malloc(n * sizeof *w);
    cs_rng g;
    cs_rng_create(10, 10, &g);
    cs_rng_fill_cgauss(g, w, n, 0.01);
    CS_CHECK(run(w, n, fs, 0.01, &r) == 0);
    printf("noise: %llu bursts in %llu slots (threshold %.2f)\n", (unsigned long long)r.bursts,
           (unsigned long long)r.slots, r.threshold);
    CS_CHECK(r.bursts == 0);
    CS_CHECK(r.slots > 3000);
    CS_CHECK(isnan(r.t_first_s));

    /* noise-like bursts in timeslot 3 (not GMSK): detected, envelope ratio near 1 */
    const double slot_samples = CS_GSM_SLOT_S * fs;
    for (size_t i = 0; i < n; i++) {
        const double slot = floor((double)i / slot_samples);
        if ((long)slot % 8 == 3) w[i] *= 10.0f;
    }
    CS_CHECK(run(w, n, fs, 0.01, &r) == 0);
    printf("noise bursts: %llu bursts, envelope %.2f\n", (unsigned long long)r.bursts, r.envelope_ratio);
    CS_CHECK(popcount8(r.bursts_per_ts, 1) == 1);
    CS_CHECK(r.envelope_ratio > 0.8);
    cs_rng_destroy(g);
    free(w);
}

static void test_config(void)
{
    cs_gsm_activity_config c;
    cs_gsm_activity_config_init(&c);
    cs_gsm_activity q;
    CS_CHECK(cs_gsm_activity_create(&c, &q) == CS_EINVAL);
    c.sample_rate_hz = 300e3;
    c.noise_power = -1.0;
    CS_CHECK(cs_gsm_activity_create(&c, &q) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "noise_power") != NULL);
    c.noise_power = NAN;
    c.max_gap_s = -1;
    CS_CHECK(cs_gsm_activity_create(&c, &q) == CS_EINVAL);
    c.max_gap_s = 0.15;
    CS_CHECK(cs_gsm_activity_create(&c, &q) == CS_OK);
    cs_gsm_activity_result r;
    CS_CHECK(cs_gsm_activity_results(q, &r) == CS_OK); /* nothing fed: nothing found */
    CS_CHECK(r.bursts == 0 && r.slots == 0);
    CS_CHECK(cs_gsm_activity_execute(q, NULL, 5) == CS_EINVAL);
    cs_gsm_activity_destroy(q);
    cs_gsm_activity_destroy(NULL);
}

int main(void)
{
    test_config();
    test_handset();
    test_slot_edge();
    test_skip_quiet();
    test_c0_and_noise();
    return cs_test_done();
}
