/* False alarms of the GSM scanner on white noise: runs cs_gsm_scanner on generated
 * complex Gaussian noise (no file), then counts FCCH detections (per channel-hour, against
 * the design rate), SCH decodes, and carrier and activity records (which must be none).
 *
 *   bench_gsm_false_alarms [--rate HZ] [--centre HZ] [--seconds S] [--seed N]
 *                          [--false-alarms PER_HOUR]
 * Defaults: 4 MHz at 941 MHz (17 downlink ARFCNs of P-GSM900), 212 s (one channel-hour),
 * seed 1, 6 FCCH false alarms per channel-hour.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellscan/gsm_scanner.h"
#include "cellscan/rng.h"
#include "cellscan/status.h"

int main(int argc, char **argv)
{
    double rate = 4e6, centre = 941e6, seconds = 212.0, far = 6.0;
    unsigned long seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--rate")) rate = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--centre")) centre = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed")) seed = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--false-alarms")) far = atof(argv[i + 1]);
        else {
            fprintf(stderr, "bench_gsm_false_alarms: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    cs_gsm_scanner_config c;
    cs_gsm_scanner_config_init(&c);
    c.sample_rate_hz = rate;
    c.centre_hz = centre;
    c.fcch_false_alarms_per_hour = far;
    cs_gsm_scanner s;
    if (cs_gsm_scanner_create(&c, &s) != CS_OK) {
        fprintf(stderr, "bench_gsm_false_alarms: %s\n", cs_last_error());
        return 1;
    }
    cs_rng g;
    cs_rng_create(seed, 99, &g);
    const size_t blk = 1 << 18;
    cs_cf32 *x = malloc(blk * sizeof *x);
    const uint64_t total = (uint64_t)(seconds * rate);
    const clock_t t0 = clock();
    for (uint64_t done = 0; done < total; done += blk) {
        const size_t m = total - done < blk ? (size_t)(total - done) : blk;
        cs_rng_fill_cgauss(g, x, m, 1e-3);
        cs_gsm_scanner_execute(s, x, m);
    }
    const cs_gsm_scan_results *r;
    cs_gsm_scanner_finish(s, &r);
    const double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    size_t fcch = 0, sch = 0, dl = 0;
    double max_t = 0.0;
    for (size_t i = 0; i < r->num_channels; i++) {
        if (r->channels[i].uplink) continue;
        dl++;
        fcch += r->channels[i].num_fcch;
        sch += r->channels[i].num_sch;
        for (size_t j = 0; j < r->channels[i].num_fcch; j++)
            if (r->channels[i].fcch[j].statistic > max_t) max_t = r->channels[i].fcch[j].statistic;
    }
    const double ch_hours = (double)dl * seconds / 3600.0;
    printf("{\"rate_hz\":%.0f,\"centre_hz\":%.0f,\"seconds\":%.1f,\"downlink_channels\":%zu,"
           "\"channel_hours\":%.3f,\"fcch_threshold\":%.3f,\"design_per_hour\":%g,\"fcch_detections\":%zu,"
           "\"fcch_per_channel_hour\":%.3f,\"max_statistic\":%.2f,\"sch_decodes\":%zu,\"carriers\":%zu,"
           "\"activities\":%zu,\"cpu_s\":%.1f}\n",
           rate, centre, seconds, dl, ch_hours, r->fcch_threshold, far, fcch, (double)fcch / ch_hours,
           max_t, sch, r->num_carriers, r->num_activities, cpu);
    free(x);
    cs_rng_destroy(g);
    cs_gsm_scanner_destroy(s);
    return 0;
}
