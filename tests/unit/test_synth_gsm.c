/* GSM emitters of the generator, demodulated here by differential phase detection at the
 * truth's timing: SCH bursts decode to the configured BSIC and frame numbers, BCCH blocks
 * to the configured SI3, FCCH and dummy bursts are where TS 45.002 puts them, and uplink
 * bursts appear only in their timeslot, 3 slots after the downlink, inside their
 * on-intervals and never in FN mod 26 = 25. Also: output does not depend on block size. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cs_test.h"

#define RS (1625000.0 / 6.0)
#define FRAME_S (1250.0 / RS)

static cs_cf32 *generate(cs_synth_scenario *sc, size_t *n_out, size_t chunk)
{
    cs_synth g;
    if (cs_synth_create(sc, &g) != CS_OK) {
        printf("create: %s\n", cs_last_error());
        exit(1);
    }
    size_t n = (size_t)sc->num_samples;
    cs_cf32 *x = malloc(n * sizeof *x);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < chunk ? n - done : chunk;
        CS_CHECK(cs_synth_generate(g, x + done, k) == CS_OK);
        done += k;
        chunk = chunk * 7 % 5003 + 1; /* vary the block size */
    }
    cs_synth_destroy(g);
    *n_out = n;
    return x;
}

/* 148 hard bits of the slot starting at t0_s (1 + e scaling of time ignored: ppm 0). */
static int demod_slot(const cs_cf32 *x, size_t n, double fs, double t0_s, uint8_t bits[148])
{
    uint8_t prev = 1; /* the guard symbols before a burst are d = 1 */
    for (int i = 0; i < 148; i++) {
        long a = lround((t0_s + i / RS) * fs), b = lround((t0_s + (i + 1) / RS) * fs);
        if (a < 0 || b >= (long)n) return -1;
        const int alpha = cimagf(x[b] * conjf(x[a])) > 0 ? 1 : -1;
        const uint8_t dhat = alpha > 0 ? 0 : 1;
        bits[i] = dhat ^ prev;
        prev = bits[i];
    }
    return 0;
}

static void test_c0(void)
{
    cs_synth_scenario *sc;
    cs_synth_scenario_create(&sc);
    cs_synth_scenario_add_gsm_spec(sc, "30:3:5:40");
    cs_synth_gsm *gc = &sc->gsm[0];
    gc->mcc = 262, gc->mnc = 2, gc->mnc_digits = 2, gc->lac = 318, gc->ci = 11225;
    sc->duration_s = 0.6;
    sc->seed = 99;
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    const double fs = sc->sample_rate_hz;
    size_t n;
    cs_cf32 *x = generate(sc, &n, 4096);
    const cs_synth_gsm *g = &sc->gsm[0];
    int sch_ok = 0, sch_total = 0, si3_ok = 0, fcch_ok = 0, fcch_total = 0, dummy_ok = 0;
    uint8_t bits[148], ref[148], dummy[148];
    cs_gsm_dummy_burst(dummy);
    float soft[4][148], payload[4][CS_GSM_NB_PAYLOAD_BITS];
    for (int k = 0; k < (int)(sc->duration_s / FRAME_S) - 1; k++) {
        const uint32_t fn = (uint32_t)((g->first_fn + k) % CS_GSM_HYPERFRAME);
        const double tf = g->first_frame_s + k * FRAME_S;
        const int t3 = (int)(fn % 51);
        if (demod_slot(x, n, fs, tf, bits)) continue;
        if (t3 % 10 == 0 && t3 != 50) {
            fcch_total++;
            int zeros = 0;
            for (int i = 0; i < 148; i++) zeros += bits[i] == 0;
            fcch_ok += zeros == 148;
        }
        if (t3 % 10 == 1) {
            sch_total++;
            cs_gsm_sch_result r;
            cs_gsm_bits_to_soft(bits, 148, soft[0]);
            if (cs_gsm_sch_decode_burst(soft[0], &r) == CS_OK && r.valid && r.ncc == 3 && r.bcc == 5 && r.fn == fn)
                sch_ok++;
            else
                printf("SCH at FN %u: valid %d BSIC %d-%d FN %u\n", fn, r.valid, r.ncc, r.bcc, r.fn);
            cs_gsm_sch_burst(3, 5, fn, ref);
            CS_CHECK(!memcmp(bits, ref, 148));
        }
        if (t3 == 2 && (fn / 51) % 2 == 0) { /* SI3 at even TC */
            int got = 1;
            for (int b = 0; b < 4; b++) {
                got &= demod_slot(x, n, fs, tf + b * FRAME_S, bits) == 0;
                cs_gsm_bits_to_soft(bits, 148, soft[b]);
                cs_gsm_normal_burst_payload(soft[b], payload[b], NULL);
            }
            uint8_t l2[23];
            cs_gsm_xcch_result xr;
            cs_gsm_cell_id id;
            if (got && cs_gsm_xcch_decode((const float(*)[CS_GSM_NB_PAYLOAD_BITS])payload, l2, &xr) == CS_OK &&
                xr.fire_ok && cs_gsm_si3_parse(l2, &id) == CS_OK && id.mcc == 262 && id.mnc == 2 &&
                id.mnc_digits == 2 && id.lac == 318 && id.ci == 11225)
                si3_ok++;
        }
        if (k == 3) { /* TS1 of any frame: a dummy burst */
            CS_CHECK(demod_slot(x, n, fs, tf + 157 / RS, bits) == 0);
            dummy_ok = !memcmp(bits, dummy, 148);
        }
    }
    printf("C0: %d/%d SCH decode to BSIC 3-5 and their FN, %d/%d FCCH all zero, %d SI3, dummy %d\n",
           sch_ok, sch_total, fcch_ok, fcch_total, si3_ok, dummy_ok);
    CS_CHECK(sch_total >= 12 && sch_ok == sch_total);
    CS_CHECK(fcch_total >= 12 && fcch_ok == fcch_total);
    CS_CHECK(si3_ok >= 1);
    CS_CHECK(dummy_ok);
    free(x);

    /* Same scenario, other block sizes: identical samples. */
    size_t n2;
    cs_cf32 *a = generate(sc, &n2, 65536), *b = generate(sc, &n2, 333);
    CS_CHECK(!memcmp(a, b, n2 * sizeof *a));
    free(a);
    free(b);
    cs_synth_scenario_destroy(sc);
}

/* Energy of the slot window [t0, t0 + 148/Rs] relative to the burst power. */
static double slot_energy(const cs_cf32 *x, size_t n, double fs, double t0)
{
    long a = lround((t0 + 10 / RS) * fs), b = lround((t0 + 138 / RS) * fs);
    if (a < 0 || b > (long)n) return -1;
    double e = 0;
    for (long i = a; i < b; i++) e += crealf(x[i] * conjf(x[i]));
    return e / (double)(b - a);
}

static void test_uplink(void)
{
    cs_synth_scenario *sc;
    cs_synth_scenario_create(&sc);
    CS_CHECK(cs_synth_scenario_add_uplink_spec(sc, "30:2:0.05-0.15:30") == CS_OK);
    sc->duration_s = 0.2;
    sc->content = CS_SYNTH_SIGNAL_ONLY;
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    const cs_synth_gsm_bursts *u = &sc->bursts[0];
    CS_CHECK_NEAR(u->c.freq_hz, 896.0e6, 1e-3); /* Fu(30) */
    const double fs = sc->sample_rate_hz, p = pow(10.0, u->c.power_dbfs / 10.0);
    size_t n;
    cs_cf32 *x = generate(sc, &n, 10000);
    const double ul = 468.75 / RS; /* uplink frame = downlink + 3 timeslots */
    int on = 0, off_ok = 0, wrong = 0, idle26 = 0;
    for (int k = 0; k < 43; k++) {
        const uint32_t fn = (uint32_t)((u->first_fn + k) % CS_GSM_HYPERFRAME);
        const double tf = u->first_frame_s + k * FRAME_S + ul;
        for (int ts = 0; ts < 8; ts++) {
            /* slots of 157, 156, 156, 156, 157, 156, 156, 156 symbols */
            const double ts_start = tf + (ts == 0 ? 0 : (157 + 156.0 * (ts - 1) + (ts > 4 ? 1 : 0))) / RS;
            double e = slot_energy(x, n, fs, ts_start);
            if (e < 0) continue;
            const int inside = ts_start >= 0.05 && ts_start + 156.25 / RS <= 0.15;
            const int expect = ts == 2 && inside && fn % 26 != 25;
            if (expect) on += fabs(e / p - 1) < 0.02;
            else if (e / p < 1e-3) off_ok++;
            else wrong++;
            if (ts == 2 && inside && fn % 26 == 25) idle26 += e / p < 1e-3;
        }
    }
    printf("uplink: %d bursts at full power in TS2 inside 0.05-0.15 s, %d silent slots, %d wrong, "
           "%d idle frames silent\n", on, off_ok, wrong, idle26);
    CS_CHECK(on >= 18 && wrong == 0 && off_ok > 250);
    free(x);
    cs_synth_scenario_destroy(sc);
}

int main(void)
{
    test_c0();
    test_uplink();
    return cs_test_done();
}
