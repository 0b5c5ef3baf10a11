/* GSM scanner benchmark driver: scans SigMF recordings with cs_gsm_scanner and prints,
 * as JSON lines, every carrier with each of its FCCH detections and SCH decodes (for the
 * sensitivity curves of bench/gsm_curves.py) and the processing time (speed).
 *
 *   bench_gsm_scan [--band B] [--max-offset HZ] [--false-alarms N] FILE.sigmf-meta...
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellscan/gsm_scanner.h"
#include "cellscan/recording.h"
#include "cellscan/status.h"

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void num(const char *key, double v)
{
    if (isfinite(v)) printf(",\"%s\":%.6g", key, v);
    else printf(",\"%s\":null", key);
}

static int scan_file(const char *path, const cs_gsm_scanner_config *base)
{
    cs_recording rec;
    if (cs_recording_open(path, &rec) != CS_OK) {
        fprintf(stderr, "bench_gsm_scan: %s: %s\n", path, cs_last_error());
        return 1;
    }
    const cs_recording_info *in = cs_recording_get_info(rec);
    cs_gsm_scanner_config c = *base;
    c.sample_rate_hz = in->sample_rate_hz;
    c.centre_hz = in->captures[0].frequency_hz;
    cs_gsm_scanner s;
    if (cs_gsm_scanner_create(&c, &s) != CS_OK) {
        fprintf(stderr, "bench_gsm_scan: %s: %s\n", path, cs_last_error());
        cs_recording_destroy(rec);
        return 1;
    }
    const size_t cap = 1 << 18;
    cs_cf32 *buf = malloc(cap * sizeof *buf);
    size_t n;
    double t_read = 0.0, t_scan = 0.0;
    for (;;) {
        double t0 = cpu_s();
        if (cs_recording_read(rec, buf, cap, &n) != CS_OK || n == 0) break;
        double t1 = cpu_s();
        cs_gsm_scanner_execute(s, buf, n);
        t_read += t1 - t0;
        t_scan += cpu_s() - t1;
    }
    double t0 = cpu_s();
    const cs_gsm_scan_results *r;
    const int rc = cs_gsm_scanner_finish(s, &r);
    t_scan += cpu_s() - t0;
    if (rc != CS_OK) {
        fprintf(stderr, "bench_gsm_scan: %s: %s\n", path, cs_last_error());
    } else {
        printf("{\"type\":\"run\",\"file\":\"%s\"", path);
        num("duration_s", r->duration_s);
        num("sample_rate_hz", in->sample_rate_hz);
        num("channels", (double)r->num_channels);
        num("read_cpu_s", t_read);
        num("scan_cpu_s", t_scan);
        num("fcch_threshold", r->fcch_threshold);
        num("receiver_ppm", r->receiver_ppm);
        printf("}\n");
        for (size_t i = 0; i < r->num_carriers; i++) {
            const cs_gsm_carrier *k = &r->carriers[i];
            printf("{\"type\":\"carrier\",\"arfcn\":%d,\"ncc\":%d,\"bcc\":%d", k->arfcn, k->ncc, k->bcc);
            num("offset_hz", k->offset_hz);
            num("freq_error_hz", k->freq_error_hz);
            num("freq_error_sigma_hz", k->freq_error_sigma_hz);
            num("snr_db", k->snr_db);
            printf(",\"evidence\":\"%s\"}\n", k->evidence);
        }
        for (size_t i = 0; i < r->num_channels; i++) {
            const cs_gsm_channel_power *p = &r->channels[i];
            printf("{\"type\":\"channel\",\"arfcn\":%d,\"uplink\":%d,\"carrier\":%d,\"fcch\":%zu,\"sch\":%zu",
                   p->arfcn, p->uplink, p->carrier, p->num_fcch, p->num_sch);
            num("offset_hz", p->offset_hz);
            num("snr_db", p->snr_db);
            printf("}\n");
            for (size_t j = 0; j < p->num_fcch; j++) {
                const cs_gsm_fcch_event *e = &p->fcch[j];
                printf("{\"type\":\"fcch\",\"arfcn\":%d,\"valid\":%d", p->arfcn, e->valid);
                num("offset_ch_hz", p->offset_hz);
                num("t_start_s", e->t_start_s);
                num("offset_hz", e->offset_hz);
                num("sigma_hz", e->sigma_hz);
                num("snr_db", e->snr_db);
                num("statistic", e->statistic);
                printf("}\n");
            }
            for (size_t j = 0; j < p->num_sch; j++) {
                const cs_gsm_sch_event *e = &p->sch[j];
                printf("{\"type\":\"sch\",\"arfcn\":%d,\"fn\":%u,\"ncc\":%d,\"bcc\":%d,\"consistent\":%d",
                       p->arfcn, e->fn, e->ncc, e->bcc, e->consistent);
                num("offset_ch_hz", p->offset_hz);
                num("t_start_s", e->t_start_s);
                num("snr_db", e->snr_db);
                num("quality", e->quality);
                printf("}\n");
            }
        }
    }
    free(buf);
    cs_gsm_scanner_destroy(s);
    cs_recording_destroy(rec);
    return rc != CS_OK;
}

int main(int argc, char **argv)
{
    cs_gsm_scanner_config c;
    cs_gsm_scanner_config_init(&c);
    int failed = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--band") && i + 1 < argc) c.band = argv[++i];
        else if (!strcmp(argv[i], "--max-offset") && i + 1 < argc) c.max_offset_hz = atof(argv[++i]);
        else if (!strcmp(argv[i], "--false-alarms") && i + 1 < argc) c.fcch_false_alarms_per_hour = atof(argv[++i]);
        else {
            failed |= scan_file(argv[i], &c);
            files++;
        }
    }
    if (!files) {
        fprintf(stderr, "usage: bench_gsm_scan [--band B] [--max-offset HZ] [--false-alarms N] FILE...\n");
        return 2;
    }
    return failed;
}
