/* Soft-output equaliser, channel estimation and the SCH receiver: exact results on clean
 * inputs, soft-decision decoding through ISI, and BSIC/FN decoding of modulated SCH bursts
 * near the sensitivity goal (90% at +2 dB). Fixed seeds. */
#include <math.h>
#include <stdio.h>

#include "cellscan/gsm_equaliser.h"
#include "cellscan/gsm_sch_sync.h"
#include "cs_test.h"
#include "test_gsm_scan_signal.h"

/* y_i = sum h_l u_{i-l} for random bits, optional noise. */
static void through_channel(const uint8_t *bits, const cs_cf32 *h, int L, double noise, cs_rng g,
                            cs_cf32 *y)
{
    for (int i = 0; i < CS_GSM_BURST_BITS + L - 1; i++) {
        cs_cf32 acc = 0;
        for (int l = 0; l < L; l++) {
            const int m = i - l;
            if (m < 0 || m >= CS_GSM_BURST_BITS) continue; /* guard symbols: zero here */
            acc += h[l] * (float)(1 - 2 * bits[m]);
        }
        y[i] = acc;
    }
    if (noise > 0.0) {
        cs_cf32 w[CS_GSM_BURST_BITS + CS_GSM_EQ_MAX_TAPS];
        cs_rng_fill_cgauss(g, w, (size_t)(CS_GSM_BURST_BITS + L - 1), noise);
        for (int i = 0; i < CS_GSM_BURST_BITS + L - 1; i++) y[i] += w[i];
    }
}

static void test_estimate_and_equalise(void)
{
    const cs_cf32 h[5] = {0.1f + 0.05f * I, -0.3f + 0.2f * I, 1.0f - 0.4f * I, 0.35f, -0.1f * I};
    cs_rng g;
    cs_rng_create(3, 3, &g);
    uint8_t bits[CS_GSM_BURST_BITS];
    cs_gsm_sch_burst(5, 2, 1234567 - 1234567 % 51 + 11, bits);
    cs_cf32 y[CS_GSM_BURST_BITS + 4];
    through_channel(bits, h, 5, 0.0, g, y);
    /* the training alone gives the taps exactly */
    cs_cf32 est[5];
    double res = -1.0;
    CS_CHECK(cs_gsm_channel_estimate(y, bits, 42, 105, 5, est, &res) == CS_OK);
    for (int l = 0; l < 5; l++) CS_CHECK_NEAR(cabsf(est[l] - h[l]), 0.0, 1e-5);
    CS_CHECK(res < 1e-9);
    /* clean: every LLR has the right sign; pinned bits come out as +-1e4 */
    int8_t known[CS_GSM_BURST_BITS];
    for (int m = 0; m < CS_GSM_BURST_BITS; m++) known[m] = (m >= 42 && m <= 105) ? (int8_t)bits[m] : -1;
    float soft[CS_GSM_BURST_BITS];
    CS_CHECK(cs_gsm_equalise(y, h, 5, 1e-3, known, soft) == CS_OK);
    int wrong = 0;
    for (int m = 0; m < CS_GSM_BURST_BITS; m++) wrong += (soft[m] > 0) != (bits[m] == 0);
    CS_CHECK(wrong == 0);
    CS_CHECK(fabsf(soft[50]) == 1e4f);
    /* noisy, the soft values still decode: 30 bursts at per-sample SNR 3 dB */
    int decoded = 0;
    for (int k = 0; k < 30; k++) {
        const uint32_t fn = (uint32_t)(51 * (1000 + k) + 1 + 10 * (k % 5));
        cs_gsm_sch_burst(k % 8, (k + 3) % 8, fn, bits);
        through_channel(bits, h, 5, 0.5 * 1.53, g, y);
        for (int m = 0; m < CS_GSM_BURST_BITS; m++) known[m] = (m >= 42 && m <= 105) ? (int8_t)bits[m] : -1;
        double nv;
        cs_gsm_channel_estimate(y, bits, 42, 105, 5, est, &nv);
        cs_gsm_equalise(y, est, 5, nv, known, soft);
        cs_gsm_sch_result r;
        cs_gsm_sch_decode_burst(soft, &r);
        decoded += r.valid && r.fn == fn && r.ncc == k % 8 && r.bcc == (k + 3) % 8;
    }
    printf("ISI channel, noisy: %d of 30 SCH decoded\n", decoded);
    CS_CHECK(decoded >= 27);
    /* bad arguments */
    CS_CHECK(cs_gsm_equalise(y, h, 0, 1.0, NULL, soft) == CS_EINVAL);
    CS_CHECK(cs_gsm_equalise(y, h, 5, 0.0, NULL, soft) == CS_EINVAL);
    CS_CHECK(cs_gsm_channel_estimate(y, bits, 42, 48, 5, est, NULL) == CS_EINVAL);
    y[7] = NAN;
    CS_CHECK(cs_gsm_equalise(y, h, 5, 1.0, NULL, soft) == CS_EINVAL);
    cs_rng_destroy(g);
}

/* The SCH receiver on a modulated C0: every SCH at 8 dB with the right BSIC, FN and
 * timing; at +2 dB (the goal: 90%) most of them. */
static void test_sch_sync(double snr_db, double min_share, double fs, double off_hz)
{
    ts_params p = {fs, 2.5, snr_db, off_hz, 0.0007, 51 * 20000 + 40, 6, 0, 41, 0, 0};
    ts_signal s;
    ts_make(&p, &s);
    cs_gsm_sch_sync_config c;
    cs_gsm_sch_sync_config_init(&c);
    c.sample_rate_hz = fs;
    cs_gsm_sch_sync q;
    CS_CHECK(cs_gsm_sch_sync_create(&c, &q) == CS_OK);
    int ok = 0;
    double worst_t = 0.0;
    for (size_t i = 0; i < s.n_sch; i++) {
        cs_gsm_sch_sync_result r;
        /* expected from an FCCH one frame earlier, off by 3 symbols */
        const double expect = s.sch_t[i] + 3.0 / TS_RS;
        CS_CHECK(cs_gsm_sch_sync_execute(q, s.x, s.n, expect, 10.0 / TS_RS, off_hz, &r) == CS_OK);
        if (r.sch.valid && r.sch.fn == s.sch_fn[i] && r.sch.ncc == 6 && r.sch.bcc == 0) {
            ok++;
            const double dt = fabs(r.t_start_s - s.sch_t[i]) * TS_RS;
            if (getenv("TDBG")) printf("dt %.3f\n", (r.t_start_s - s.sch_t[i]) * TS_RS);
            if (dt > worst_t) worst_t = dt;
        }
    }
    printf("SCH at %.0f dB, %.0f kS/s, %+.0f Hz: %d of %zu decoded, timing within %.2f symbols\n",
           snr_db, fs / 1e3, off_hz, ok, s.n_sch, worst_t);
    CS_CHECK((double)ok >= min_share * (double)s.n_sch);
    CS_CHECK(worst_t < 0.5);
    cs_gsm_sch_sync_destroy(q);
    ts_free(&s);
}

static void test_sch_args(void)
{
    cs_gsm_sch_sync_config c;
    cs_gsm_sch_sync_config_init(&c);
    cs_gsm_sch_sync q;
    CS_CHECK(cs_gsm_sch_sync_create(&c, &q) == CS_EINVAL);
    c.sample_rate_hz = 1e6;
    c.num_taps = 9;
    CS_CHECK(cs_gsm_sch_sync_create(&c, &q) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "num_taps") != NULL);
    c.num_taps = 5;
    CS_CHECK(cs_gsm_sch_sync_create(&c, &q) == CS_OK);
    cs_cf32 x[4000] = {0};
    cs_gsm_sch_sync_result r;
    CS_CHECK(cs_gsm_sch_sync_execute(q, x, 4000, NAN, 1e-5, 0.0, &r) == CS_EINVAL);
    CS_CHECK(cs_gsm_sch_sync_execute(q, x, 4000, 1e-3, 1.0, 0.0, &r) == CS_EINVAL);
    /* silence: runs, decodes nothing */
    CS_CHECK(cs_gsm_sch_sync_execute(q, x, 4000, 1e-3, 1e-5, 0.0, &r) == CS_OK);
    CS_CHECK(!r.sch.valid);
    cs_gsm_sch_sync_destroy(q);
}

int main(void)
{
    test_estimate_and_equalise();
    test_sch_args();
    test_sch_sync(8.0, 1.0, 625e3, 0.0);
    test_sch_sync(2.0, 0.85, 1e6, 3000.0);
    return cs_test_done();
}
