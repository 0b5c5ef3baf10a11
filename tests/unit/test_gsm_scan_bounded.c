/* The GSM scanner's memory stays bounded on a long recording: past the stored detections
 * (a cap lowered to 64 so that 20 s of a C0, about 430 FCCHs and 430 SCHs, pass it) the
 * lists stop growing, while the carrier's BSIC, counts, frequency error and last time come
 * out as when every detection is stored. Generated in memory (cs_synth), fixed seed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cellscan/gsm_scanner.h"
#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cs_test.h"
#include "gsm_test_scan.h"
#include "gsm_scan_internal.h"
#include "gsm_scan_validate.h"

#define CAP 64

static cs_synth_scenario *scenario(void)
{
    cs_synth_scenario *sc;
    CS_CHECK(cs_synth_scenario_create(&sc) == CS_OK);
    sc->sample_rate_hz = 500e3;
    sc->centre_freq_hz = 941.0e6; /* ARFCN 30 */
    sc->duration_s = 20.0;
    sc->seed = 21;
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0:8") == CS_OK);
    sc->gsm[0].c.freq_error_hz = 230.0;
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    return sc;
}

/* Scan the scenario with at most max_events detections stored per channel. */
static const cs_gsm_scan_results *scan(cs_synth_scenario *sc, size_t max_events, cs_gsm_scanner *s)
{
    const cs_gsm_scan_results *r = gsm_test_scan(sc, max_events, s);
    CS_CHECK(cs_gsm_scanner_set_max_events(*s, 10) == CS_EINVAL); /* too late once samples went in */
    return r;
}


static void print(const char *what, const cs_gsm_carrier *k)
{
    printf("%s: BSIC %d-%d, FCCH %u of %u (%zu stored), SCH %u (%zu stored, %zu FNs), "
           "error %.2f +- %.2f Hz, t %.4f..%.4f s, truncated %d\n",
           what, k->ncc, k->bcc, k->fcch_count, k->fcch_detections, k->num_fcch, k->sch_count,
           k->num_sch, k->num_frame_numbers, k->freq_error_hz, k->freq_error_sigma_hz,
           k->t_first_s, k->t_last_s, k->events_truncated);
}

/* Without an SCH, FCCHs past the cap are checked against the stored FCCH group: in FCCH
 * frames (51-multiframe pattern) at its frequency; others count as detections only. */
static void test_fcch_only(void)
{
    const double frame_s = 1250.0 * 6.0 / 1625000.0;
    scan_channel c;
    memset(&c, 0, sizeof c);
    c.fcch_list = calloc(40, sizeof *c.fcch_list);
    CS_CHECK(c.fcch_list != NULL);
    if (!c.fcch_list) return;
    long fn = 0; /* FCCH frames: FN 0, 10, 20, 30, 40, 51, ... */
    for (int i = 0; i < 40; i++, fn += fn % 51 == 40 ? 11 : 10) {
        scan_fcch *f = &c.fcch_list[c.num_fcch++];
        f->t_start_s = 0.01 + fn * frame_s;
        f->offset_hz = 500.0 + (i % 2 ? 10.0 : -10.0);
        f->sigma_hz = 10.0;
        f->statistic = 30.0;
        f->power = 1e-3;
    }
    cs_gsm_scan_stream_start(&c);
    CS_CHECK(c.stream.active && !c.stream.timing.known && c.stream.have_fcch_anchor);
    int folded = 0, good = 0;
    for (int i = 0; i < 200; i++) {
        scan_fcch f = c.fcch_list[0];
        f.offset_hz = 503.0;
        if (i % 10 == 3) {
            f.t_start_s = 0.01 + (fn + 5) * frame_s; /* not an FCCH frame: not the carrier's */
        } else {
            f.t_start_s = 0.01 + fn * frame_s;
            fn += fn % 51 == 40 ? 11 : 10;
            good++;
        }
        cs_gsm_scan_stream_fcch(&c, &f);
        folded++;
    }
    printf("FCCH only: %u folded, %u consistent, mean %.2f Hz\n", c.stream.fcch_total,
           c.stream.fcch_valid, c.stream.freq_mean_hz);
    CS_CHECK(c.stream.fcch_total == (unsigned)folded);
    CS_CHECK(c.stream.fcch_valid == (unsigned)good);
    double mean_hz, sigma_hz;
    CS_CHECK(cs_gsm_scan_frequency(c.fcch_list, c.num_fcch, &c.stream.freq, &mean_hz, &sigma_hz, NULL) ==
             (int)(40 + good));
    CS_CHECK_NEAR(mean_hz, (40 * 500.0 + good * 503.0) / (40 + good), 1e-9);
    /* an outlier in frequency at the right time counts but stays out of the mean */
    scan_fcch f = c.fcch_list[0];
    f.t_start_s = 0.01 + fn * frame_s;
    f.offset_hz = 560.0; /* 5.7 sigma off; within the FCCH group's 5 sigma + 20 Hz */
    const unsigned n_freq = c.stream.freq.n;
    cs_gsm_scan_stream_fcch(&c, &f);
    CS_CHECK(c.stream.fcch_valid == (unsigned)good + 1 && c.stream.freq.n == n_freq);
    free(c.fcch_list);
}

int main(void)
{
    test_fcch_only();
    cs_synth_scenario *sc = scenario();
    const double truth_hz = sc->gsm[0].c.offset_hz; /* the carrier's error as seen in the file */
    cs_gsm_scanner all_s, capped_s;
    const cs_gsm_scan_results *all = scan(sc, 1u << 20, &all_s);
    const cs_gsm_scan_results *capped = scan(sc, CAP, &capped_s);
    const cs_gsm_carrier *a = gsm_test_carrier(all, 30), *b = gsm_test_carrier(capped, 30);
    CS_CHECK(a && b);
    if (a && b) {
        print("every detection stored", a);
        print("64 stored", b);
        /* (a) bounded: the lists stop at the cap, on the carrier and on every channel */
        CS_CHECK(!a->events_truncated && b->events_truncated);
        CS_CHECK(a->num_fcch > 5 * CAP && a->num_sch > 5 * CAP);
        CS_CHECK(b->num_fcch <= CAP && b->num_sch <= CAP && b->num_frame_numbers <= CAP);
        for (size_t i = 0; i < capped->num_channels; i++)
            CS_CHECK(capped->channels[i].num_fcch <= CAP && capped->channels[i].num_sch <= CAP);
        /* (b) the carrier as with everything stored: counts keep growing past the cap */
        CS_CHECK(b->ncc == 4 && b->bcc == 0 && a->ncc == 4 && a->bcc == 0);
        CS_CHECK(b->fcch_detections == a->fcch_detections);
        CS_CHECK(b->fcch_count == a->fcch_count);
        CS_CHECK(b->sch_count == a->sch_count);
        CS_CHECK(b->sch_attempts == a->sch_attempts);
        CS_CHECK(b->fcch_count > 5 * CAP && b->sch_count > 5 * CAP);
        CS_CHECK(!strcmp(b->evidence, "sch"));
        CS_CHECK_NEAR(b->t_last_s, a->t_last_s, 1e-9);
        CS_CHECK_NEAR(b->t_first_s, a->t_first_s, 1e-9);
        CS_CHECK(b->frame_numbers[0] == a->frame_numbers[0]);
        CS_CHECK(b->num_frame_numbers == CAP &&
                 !memcmp(b->frame_numbers, a->frame_numbers, CAP * sizeof *b->frame_numbers));
        CS_CHECK_NEAR(b->freq_error_hz, a->freq_error_hz, 0.5 * a->freq_error_sigma_hz);
        CS_CHECK_NEAR(b->freq_error_sigma_hz, a->freq_error_sigma_hz, 0.2 * a->freq_error_sigma_hz);
        CS_CHECK_NEAR(b->freq_error_hz, truth_hz, 3.0 * b->freq_error_sigma_hz + 1.0);
        CS_CHECK_NEAR(b->power_dbfs, a->power_dbfs, 0.05);
        printf("truth %.2f Hz\n", truth_hz);
    }
    CS_CHECK(capped->num_carriers == all->num_carriers);
    CS_CHECK(cs_gsm_scanner_set_max_events(NULL, 10) == CS_EINVAL);
    cs_gsm_scanner_destroy(all_s);
    cs_gsm_scanner_destroy(capped_s);
    cs_synth_scenario_destroy(sc);
    return cs_test_done();
}
