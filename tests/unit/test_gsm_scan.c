/* The GSM scanner end to end on generated recordings (cs_synth, in memory): two C0s with
 * their BSICs and frame numbers, a traffic carrier's timeslots numbered from the C0, the
 * receiver's reference error in ppm, burst activity of handsets on uplink channels, and
 * nothing on noise. Also the channelizer's exact timing and phase. Fixed seeds. */
#include <math.h>
#include <stdio.h>

#include "cellscan/gsm_scanner.h"
#include "cellscan/status.h"
#include "cellscan/impairments.h"
#include "cellscan/synth.h"
#include "cs_test.h"
#include "gsm_test_scan.h"
#include "gsm_channelizer.h"

/* A tone through the channelizer comes out at the right frequency with continuous phase
 * across blocks, and output sample i is input time i * N / K. */
static void test_channelizer(void)
{
    const double fs = 2e6, f_tone = 312345.0, centre = 300e3;
    cs_gsm_channelizer q;
    CS_CHECK(cs_gsm_channelizer_create(fs, 512, 1, &q) == CS_OK);
    const int o = cs_gsm_channelizer_add(q, centre, 64, 80e3, 120e3, CHZ_EXACT);
    CS_CHECK(o >= 0);
    cs_gsm_channelizer_enable(q, o, 1);
    const unsigned d = cs_gsm_channelizer_decimation(q, o);
    CS_CHECK(d == 8);
    CS_CHECK(cs_gsm_channelizer_noise_fraction(q, o) > 0.5 && cs_gsm_channelizer_noise_fraction(q, o) <= 1.0);
    const size_t n = 100000;
    cs_cf32 *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        const double ph = 2.0 * M_PI * f_tone * (double)i / fs + 0.3;
        x[i] = (float)cos(ph) + I * (float)sin(ph);
    }
    double worst = 0.0;
    size_t got = 0;
    uint64_t expect_index = 0;
    for (size_t off = 0; off < n; off += 3001) {
        const size_t m = n - off < 3001 ? n - off : 3001;
        cs_gsm_channelizer_push(q, x + off, m);
        while (cs_gsm_channelizer_next_block(q)) {
            size_t k;
            uint64_t first;
            const cs_cf32 *y = cs_gsm_channelizer_output(q, o, &k, &first);
            CS_CHECK(first == expect_index);
            expect_index = first + k;
            for (size_t j = 0; j < k; j++) {
                const double t = (double)((first + j) * d) / fs;
                const double ph = 2.0 * M_PI * (f_tone - centre) * t + 0.3;
                const cs_cf32 want = (float)cos(ph) + I * (float)sin(ph);
                const double e = cabsf(y[j] - want);
                /* skip the start (zero-padded history) */
                if ((first + j) * d > 2000 && e > worst) worst = e;
                got++;
            }
        }
    }
    printf("channelizer: %zu samples, worst error %.2e\n", got, worst);
    CS_CHECK(got > n / d - 200);
    CS_CHECK(worst < 1e-2);
    CS_CHECK(cs_gsm_channelizer_add(q, 0.0, 3, 1e3, 2e3, CHZ_EXACT) < 0); /* not a power of two */
    /* block mode: the same up to the bin rounding, which it reports */
    const int ob = cs_gsm_channelizer_add(q, centre, 64, 80e3, 120e3, CHZ_BLOCK);
    CS_CHECK(ob >= 0);
    CS_CHECK_NEAR(cs_gsm_channelizer_residual(q, ob), centre - round(centre / (fs / 512)) * (fs / 512), 1e-6);
    CS_CHECK(cs_gsm_channelizer_residual(q, o) == 0.0);
    cs_gsm_channelizer_destroy(q);
    free(x);
}

/* Generate a scenario and run the scanner on it. */
static const cs_gsm_scan_results *scan(cs_synth_scenario *sc, cs_gsm_scanner *out)
{
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    return gsm_test_scan(sc, 0, out);
}


/* Two C0s (one weak, with a transmitter error), a traffic carrier, a receiver reference
 * 4 ppm fast (all carriers appear 3.76 kHz low). */
static void test_downlink(void)
{
    cs_synth_scenario *sc;
    cs_synth_scenario_create(&sc);
    sc->sample_rate_hz = 2e6;
    sc->centre_freq_hz = 941.3e6;
    sc->duration_s = 0.6;
    sc->seed = 12;
    sc->rx.ppm = 4.0;
    cs_synth_scenario_add_gsm_spec(sc, "30:4:0:15");
    cs_synth_scenario_add_gsm_spec(sc, "33:2:5:2");
    sc->gsm[1].c.freq_error_hz = 150.0;
    cs_synth_scenario_add_traffic_spec(sc, "32:1,3:12");
    cs_gsm_scanner s;
    const cs_gsm_scan_results *r = scan(sc, &s);
    const double shift = cs_ref_error_offset_hz(4.0, 941e6); /* -3764 Hz at ARFCN 30 */
    const cs_gsm_carrier *a = gsm_test_carrier(r, 30), *b = gsm_test_carrier(r, 33);
    CS_CHECK(a && b);
    if (a && b) {
        printf("ARFCN 30: BSIC %d-%d, %zu FNs, error %.1f +- %.1f Hz, SNR %.1f dB\n", a->ncc, a->bcc,
               a->num_frame_numbers, a->freq_error_hz, a->freq_error_sigma_hz, a->snr_db);
        printf("ARFCN 33: BSIC %d-%d, %zu FNs, error %.1f +- %.1f Hz, SNR %.1f dB\n", b->ncc, b->bcc,
               b->num_frame_numbers, b->freq_error_hz, b->freq_error_sigma_hz, b->snr_db);
        CS_CHECK(a->ncc == 4 && a->bcc == 0);
        CS_CHECK(b->ncc == 2 && b->bcc == 5);
        CS_CHECK(a->num_frame_numbers >= 10);
        /* every FN is an SCH frame (FN mod 51 in 1, 11, ..., 41), at the time the generator
         * put that frame (first_fn at first_frame_s) */
        for (size_t i = 0; i < a->num_frame_numbers; i++) CS_CHECK(a->frame_numbers[i] % 51 % 10 == 1);
        const double frames = (a->first_fn_time_s - sc->gsm[0].first_frame_s) / (1250.0 * 6.0 / 1625000.0);
        CS_CHECK_NEAR(frames, round(frames), 0.01);
        CS_CHECK(a->frame_numbers[0] == (uint32_t)(sc->gsm[0].first_fn + (int64_t)llround(frames)));
        CS_CHECK(a->fcch_count >= 11);
        CS_CHECK_NEAR(a->freq_error_hz, shift, 10.0);
        CS_CHECK_NEAR(b->freq_error_hz, cs_ref_error_offset_hz(4.0, 941.6e6) + 150.0,
                      4.0 * b->freq_error_sigma_hz + 5.0);
        CS_CHECK_NEAR(a->snr_db, 15.0, 1.5);
        CS_CHECK_NEAR(b->snr_db, 2.0, 1.5);
        CS_CHECK(!strcmp(a->evidence, "sch"));
    }
    /* the receiver: 4 ppm fast reference, carriers appear low: -4 ppm apparent */
    printf("receiver %.3f +- %.3f ppm from %u carriers\n", r->receiver_ppm, r->receiver_ppm_sigma,
           r->receiver_ppm_carriers);
    CS_CHECK_NEAR(r->receiver_ppm, -4.0, 0.15);
    /* the traffic carrier's bursts, numbered from ARFCN 30's frame timing */
    int found = 0;
    for (size_t i = 0; i < r->num_activities; i++) {
        const cs_gsm_activity_record *t = &r->activities[i];
        if (t->arfcn != 32) continue;
        found = 1;
        printf("ARFCN 32: timeslots 0x%02x (reference %d), %llu bursts, SNR %.1f dB\n", t->timeslot_mask,
               t->timeslot_reference, (unsigned long long)t->bursts, t->snr_db);
        CS_CHECK(t->timeslot_mask == ((1u << 1) | (1u << 3)));
        CS_CHECK(t->timeslot_reference == 1);
        CS_CHECK_NEAR(t->snr_db, 12.0, 1.5);
        CS_CHECK(!t->uplink);
    }
    CS_CHECK(found);
    cs_gsm_scanner_destroy(s);
    cs_synth_scenario_destroy(sc);
}

/* Handsets on the uplink: activity only, intervals as generated; noise: nothing. */
static void test_uplink_and_noise(void)
{
    cs_synth_scenario *sc;
    cs_synth_scenario_create(&sc);
    sc->sample_rate_hz = 1e6;
    sc->centre_freq_hz = 896.2e6;
    sc->duration_s = 0.8;
    sc->seed = 13;
    cs_synth_scenario_add_uplink_spec(sc, "30:2:0.1-0.3,0.5-0.7:10");
    cs_gsm_scanner s;
    const cs_gsm_scan_results *r = scan(sc, &s);
    CS_CHECK(r->num_carriers == 0);
    CS_CHECK(r->num_activities == 1);
    if (r->num_activities == 1) {
        const cs_gsm_activity_record *t = &r->activities[0];
        printf("uplink ARFCN %d: %zu intervals [%.3f %.3f] [%.3f %.3f], SNR %.1f dB\n", t->arfcn,
               t->num_intervals, t->intervals[0][0], t->intervals[0][1], t->intervals[1][0],
               t->intervals[1][1], t->snr_db);
        CS_CHECK(t->arfcn == 30 && t->uplink);
        CS_CHECK(t->num_intervals == 2);
        CS_CHECK_NEAR(t->intervals[0][0], 0.1, 0.01);
        CS_CHECK_NEAR(t->intervals[0][1], 0.3, 0.01);
        CS_CHECK_NEAR(t->intervals[1][0], 0.5, 0.01);
        CS_CHECK_NEAR(t->intervals[1][1], 0.7, 0.01);
        CS_CHECK(__builtin_popcount(t->timeslot_mask) == 1);
        CS_CHECK_NEAR(t->snr_db, 10.0, 1.5);
    }
    CS_CHECK(isnan(r->receiver_ppm));
    cs_gsm_scanner_destroy(s);
    cs_synth_scenario_destroy(sc);

    /* noise only, 10 ARFCNs for 3 s */
    cs_synth_scenario_create(&sc);
    sc->sample_rate_hz = 2.5e6;
    sc->centre_freq_hz = 1850e6;
    sc->duration_s = 3.0;
    sc->seed = 14;
    sc->content = CS_SYNTH_NOISE_ONLY;
    sc->noise_dbfs = -30.0;
    r = scan(sc, &s);
    printf("noise: %zu channels, %zu carriers, %zu activities, FCCH threshold %.1f\n",
           r->num_channels, r->num_carriers, r->num_activities, r->fcch_threshold);
    CS_CHECK(r->num_channels >= 9);
    CS_CHECK(r->num_carriers == 0);
    CS_CHECK(r->num_activities == 0);
    CS_CHECK_NEAR(r->noise_dbfs_hz, -30.0 - 10.0 * log10(2.5e6), 0.3);
    cs_gsm_scanner_destroy(s);
    cs_synth_scenario_destroy(sc);
}

static void test_config(void)
{
    cs_gsm_scanner_config c;
    cs_gsm_scanner_config_init(&c);
    cs_gsm_scanner s;
    c.sample_rate_hz = 250e3;
    CS_CHECK(cs_gsm_scanner_create(&c, &s) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "400 kHz") != NULL);
    c.sample_rate_hz = 1e6;
    c.centre_hz = 2140e6; /* UMTS band I: no GSM channel */
    CS_CHECK(cs_gsm_scanner_create(&c, &s) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "no GSM channel") != NULL);
    c.centre_hz = 941e6;
    c.band = "nosuchband";
    CS_CHECK(cs_gsm_scanner_create(&c, &s) == CS_EINVAL);
    c.band = "DCS1800"; /* 941 MHz is not DCS */
    CS_CHECK(cs_gsm_scanner_create(&c, &s) == CS_EINVAL);
    c.band = NULL;
    c.centre_hz = NAN; /* unknown centre: channels by offset */
    CS_CHECK(cs_gsm_scanner_create(&c, &s) == CS_OK);
    CS_CHECK(cs_gsm_scanner_num_channels(s) == 3);
    cs_gsm_scanner_destroy(s);
    /* DCS versus PCS at 1880 MHz: the band decides the numbers */
    c.centre_hz = 1880e6;
    c.band = "PCS1900";
    CS_CHECK(cs_gsm_scanner_create(&c, &s) == CS_OK);
    const cs_gsm_scan_results *r;
    CS_CHECK(cs_gsm_scanner_finish(s, &r) == CS_OK);
    CS_CHECK(r->num_channels > 0 && !strcmp(r->channels[0].band, "PCS1900"));
    CS_CHECK(r->channels[r->num_channels / 2].arfcn == 661); /* 1880.0 MHz PCS downlink */
    cs_gsm_scanner_destroy(s);
}

int main(void)
{
    test_config();
    test_channelizer();
    test_downlink();
    test_uplink_and_noise();
    return cs_test_done();
}
