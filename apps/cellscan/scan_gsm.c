/* GSM detector of `cellscan scan`: every ARFCN of the recording (cs_gsm_scanner) as
 * gsm_channel, gsm_carrier and gsm_activity records, and the receiver's frequency error
 * from the carriers' FCCHs (see scan.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/bands.h"
#include "cellscan/gsm_scanner.h"
#include "cellscan/status.h"
#include "cli.h"
#include "scan.h"

/* `cellscan scan --help` says frame_numbers holds those of the first 4096 SCHs */
_Static_assert(CS_GSM_MAX_EVENTS == 4096, "update the gsm_carrier help text in cmd_scan.c");

#define CHANNEL_HALF_WIDTH_HZ 100e3

/* half the 5 MHz of a UMTS carrier, less the edge a GSM channel may still use */
#define UMTS_HALF_WIDTH_HZ 2.4e6

static double num_field(const report_record *r, const char *key)
{
    const report_field *f = rec_get(r, key);
    return f && f->kind == RV_NUM ? f->num : NAN;
}

/* Whether a channel lies inside a UMTS carrier with cells of the same recording. */
static int inside_umts(const report *rep, const report_record *r)
{
    const double off = num_field(r, "offset_hz");
    for (size_t i = 0; i < rep->n; i++) {
        const report_record *u = &rep->r[i];
        if (strcmp(u->type, "umts_carrier") || strcmp(u->file, r->file)) continue;
        if (fabs(off - num_field(u, "offset_hz")) < UMTS_HALF_WIDTH_HZ) return 1;
    }
    return 0;
}

/* The table's channel block: carriers, and channels whose power stands out (a traffic
 * carrier, a neighbour's skirt) and is not a UMTS carrier's; a wideband scan would
 * otherwise print hundreds of rows. */
static int channel_occupied(const report *rep, const report_record *r)
{
    const report_field *c = rec_get(r, "carrier");
    if (c && c->i) return 1;
    return num_field(r, "snr_db") >= 6.0 && !inside_umts(rep, r);
}

static void layout(void)
{
    static const report_column carriers[] = {
        { "arfcn", "arfcn", 5 },            { "band", "band", 9 },
        { "offset_kHz", "offset_khz", 10 }, { "BSIC", "bsic_text", 4 },
        { "power_dBFS", "power_dbfs", 10 }, { "power_dBm", "power_dbm", 9 },
        { "SNR_dB", "snr_db", 6 },          { "ferr_Hz", "freq_error_hz", 8 },
        { "+-Hz", "freq_error_sigma_hz", 5 }, { "FCCH", "fcch_count", 4 },
        { "SCH", "sch_count", 3 },          { "first_FN", "first_fn", 8 },
        { "evidence", "evidence", 8 },
    };
    static const report_column acts[] = {
        { "arfcn", "arfcn", 5 },          { "band", "band", 9 },
        { "link", "link", 8 },            { "offset_kHz", "offset_khz", 10 },
        { "timeslots", "timeslots", 17 }, { "bursts", "bursts", 6 },
        { "power_dBFS", "power_dbfs", 10 }, { "power_dBm", "power_dbm", 9 },
        { "SNR_dB", "snr_db", 6 },        { "duty", "duty_cycle", 5 },
        { "active_s", "active_s", 8 },
    };
    static const report_column chans[] = {
        { "arfcn", "arfcn", 5 },            { "band", "band", 9 },
        { "link", "link", 8 },              { "offset_kHz", "offset_khz", 10 },
        { "power_dBFS", "power_dbfs", 10 }, { "power_dBm", "power_dbm", 9 },
        { "SNR_dB", "snr_db", 6 },          { "carrier", "carrier", 7 },
    };
    report_table_layout("gsm_channel", chans, sizeof chans / sizeof chans[0]);
    report_table_filter("gsm_channel", channel_occupied,
                        "channels without a carrier, under 6 dB SNR or inside a UMTS carrier; --all-channels lists them");
    report_table_layout("gsm_carrier", carriers, sizeof carriers / sizeof carriers[0]);
    report_table_layout("gsm_activity", acts, sizeof acts / sizeof acts[0]);
}

typedef struct ctx {
    cs_gsm_scanner s;
} ctx;

static int feed(void *c, const cs_cf32 *x, size_t n)
{
    return cs_gsm_scanner_execute(((ctx *)c)->s, x, n) == CS_OK ? 0 : -1;
}

static void channel_keys(report *rep, report_record *r, int arfcn, const char *band, double freq,
                         double off)
{
    if (arfcn >= 0) rec_int(rep, r, "arfcn", arfcn);
    else rec_null(rep, r, "arfcn");
    rec_str(rep, r, "band", band);
}

static void span(report *rep, report_record *r, const scan_file *f, double t0, double t1,
                 double freq, double half_bw, const char *label, const char *comment)
{
    const double fs = f->info->sample_rate_hz;
    if (!isfinite(t0) || !isfinite(t1)) return;
    uint64_t start = f->first + (uint64_t)llround(fmax(t0, 0.0) * fs);
    uint64_t count = (uint64_t)llround(fmax(t1 - fmax(t0, 0.0), 0.0) * fs);
    if (start >= f->info->num_samples) start = f->info->num_samples - 1;
    if (count > f->info->num_samples - start) count = f->info->num_samples - start;
    const double lo = isfinite(freq) ? freq - half_bw : NAN;
    const double hi = isfinite(freq) ? freq + half_bw : NAN;
    rec_span(rep, r, start, count, lo, hi, label, comment);
}

static void carrier_record(report *rep, const scan_file *f, const cs_gsm_carrier *k, double t0)
{
    report_record *r = report_add(rep, "gsm_carrier", f->path);
    channel_keys(rep, r, k->arfcn, k->band, k->freq_hz, k->offset_hz);
    rec_num(rep, r, "freq_hz", k->freq_hz, 1);
    rec_num(rep, r, "offset_hz", k->offset_hz, 1);
    rec_num(rep, r, "freq_error_hz", k->freq_error_hz, 1);
    rec_num(rep, r, "power_dbfs", k->power_dbfs, 2);
    rec_num(rep, r, "snr_db", k->snr_db, 2);
    rec_int(rep, r, "fcch_count", k->fcch_count);
    char buf[64];
    if (k->ncc >= 0) {
        snprintf(buf, sizeof buf, "{\"ncc\":%d,\"bcc\":%d}", k->ncc, k->bcc);
        rec_json(rep, r, "bsic", buf);
    } else {
        rec_null(rep, r, "bsic");
    }
    size_t cap = 8 + 12 * k->num_frame_numbers, len = 0;
    char *fns = malloc(cap);
    if (fns) {
        len += (size_t)snprintf(fns, cap, "[");
        for (size_t i = 0; i < k->num_frame_numbers; i++)
            len += (size_t)snprintf(fns + len, cap - len, "%s%u", i ? "," : "", k->frame_numbers[i]);
        snprintf(fns + len, cap - len, "]");
        rec_json(rep, r, "frame_numbers", fns);
        free(fns);
    } else {
        rec_json(rep, r, "frame_numbers", NULL); /* marks the report out of memory */
    }
    rec_num(rep, r, "t_first_s", t0 + k->t_first_s, 6);
    rec_num(rep, r, "t_last_s", t0 + k->t_last_s, 6);
    /* beyond the contract */
    rec_num(rep, r, "freq_error_sigma_hz", k->freq_error_sigma_hz, 1);
    rec_num(rep, r, "noise_dbfs", k->noise_dbfs, 2);
    rec_int(rep, r, "fcch_detections", k->fcch_detections);
    rec_int(rep, r, "sch_count", k->sch_count);
    rec_int(rep, r, "sch_attempts", k->sch_attempts);
    if (k->num_frame_numbers) rec_int(rep, r, "first_fn", k->frame_numbers[0]);
    else rec_null(rep, r, "first_fn");
    rec_num(rep, r, "first_fn_time_s", t0 + k->first_fn_time_s, 6);
    rec_num(rep, r, "envelope_ratio", k->envelope_ratio, 3);
    rec_str(rep, r, "evidence", k->evidence);
    rec_num(rep, r, "offset_khz", k->offset_hz / 1e3, 1);
    if (k->ncc >= 0) snprintf(buf, sizeof buf, "%d-%d", k->ncc, k->bcc);
    else snprintf(buf, sizeof buf, "-");
    rec_str(rep, r, "bsic_text", buf);

    char label[64], comment[256];
    if (k->arfcn >= 0) snprintf(label, sizeof label, "GSM %d", k->arfcn);
    else snprintf(label, sizeof label, "GSM %+.0f kHz", k->offset_hz / 1e3);
    if (k->ncc >= 0)
        snprintf(label + strlen(label), sizeof label - strlen(label), " BSIC %d-%d", k->ncc, k->bcc);
    snprintf(comment, sizeof comment,
             "C0 power %.1f dBFS, SNR %.1f dB, frequency error %.0f Hz, %u FCCH, %u SCH%s%s",
             k->power_dbfs, k->snr_db, k->freq_error_hz, k->fcch_count, k->sch_count,
             k->num_frame_numbers ? ", first FN " : "", "");
    if (k->num_frame_numbers)
        snprintf(comment + strlen(comment), sizeof comment - strlen(comment), "%u", k->frame_numbers[0]);
    const double centre = isfinite(k->freq_hz) ? k->freq_hz + (isfinite(k->freq_error_hz) ? k->freq_error_hz : 0.0)
                                               : NAN;
    span(rep, r, f, k->t_first_s, k->t_last_s, centre, CHANNEL_HALF_WIDTH_HZ, label, comment);
}

static void activity_record(report *rep, const scan_file *f, const cs_gsm_activity_record *a,
                            double t0)
{
    report_record *r = report_add(rep, "gsm_activity", f->path);
    channel_keys(rep, r, a->arfcn, a->band, a->freq_hz, a->offset_hz);
    rec_str(rep, r, "link", a->uplink ? "uplink" : "downlink");
    char buf[64] = "[";
    for (int t = 0; t < 8; t++)
        if (a->timeslot_mask & (1u << t))
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", strlen(buf) > 1 ? "," : "", t);
    strcat(buf, "]");
    rec_json(rep, r, "timeslots", buf);
    rec_int(rep, r, "bursts", (long long)a->bursts);
    rec_num(rep, r, "power_dbfs", a->power_dbfs, 2);
    size_t cap = 16 + 48 * a->num_intervals, len = 0;
    char *iv = malloc(cap);
    double active = 0.0;
    if (iv) {
        len += (size_t)snprintf(iv, cap, "[");
        for (size_t i = 0; i < a->num_intervals; i++) {
            len += (size_t)snprintf(iv + len, cap - len, "%s[%.6f,%.6f]", i ? "," : "",
                                    t0 + a->intervals[i][0], t0 + a->intervals[i][1]);
            active += a->intervals[i][1] - a->intervals[i][0];
        }
        snprintf(iv + len, cap - len, "]");
    }
    rec_json(rep, r, "intervals", iv);
    free(iv);
    /* beyond the contract */
    rec_num(rep, r, "freq_hz", a->freq_hz, 1);
    rec_num(rep, r, "offset_hz", a->offset_hz, 1);
    rec_str(rep, r, "timeslot_reference", a->timeslot_reference ? "c0" : "relative");
    snprintf(buf, sizeof buf, "[%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu]",
             (unsigned long long)a->bursts_per_ts[0], (unsigned long long)a->bursts_per_ts[1],
             (unsigned long long)a->bursts_per_ts[2], (unsigned long long)a->bursts_per_ts[3],
             (unsigned long long)a->bursts_per_ts[4], (unsigned long long)a->bursts_per_ts[5],
             (unsigned long long)a->bursts_per_ts[6], (unsigned long long)a->bursts_per_ts[7]);
    rec_json(rep, r, "bursts_per_ts", buf);
    rec_num(rep, r, "snr_db", a->snr_db, 2);
    rec_num(rep, r, "duty_cycle", a->duty_cycle, 3);
    rec_num(rep, r, "active_s", active, 4);
    rec_num(rep, r, "envelope_ratio", a->envelope_ratio, 3);
    rec_num(rep, r, "offset_khz", a->offset_hz / 1e3, 1);

    char label[64], comment[160];
    if (a->arfcn >= 0) snprintf(label, sizeof label, "GSM %d %s", a->arfcn, a->uplink ? "uplink" : "downlink");
    else snprintf(label, sizeof label, "GSM %+.0f kHz", a->offset_hz / 1e3);
    snprintf(comment, sizeof comment, "%llu bursts, timeslots %s (%s), burst power %.1f dBFS",
             (unsigned long long)a->bursts, buf, a->timeslot_reference ? "from C0" : "relative",
             a->power_dbfs);
    const double t_a = a->num_intervals ? a->intervals[0][0] : NAN;
    const double t_b = a->num_intervals ? a->intervals[a->num_intervals - 1][1] : NAN;
    span(rep, r, f, t_a, t_b, a->freq_hz, CHANNEL_HALF_WIDTH_HZ, label, comment);
}

static void channel_record(report *rep, const scan_file *f, const cs_gsm_channel_power *p)
{
    report_record *r = report_add(rep, "gsm_channel", f->path);
    channel_keys(rep, r, p->arfcn, p->band, p->freq_hz, p->offset_hz);
    rec_str(rep, r, "link", p->uplink ? "uplink" : "downlink");
    rec_num(rep, r, "freq_hz", p->freq_hz, 1);
    rec_num(rep, r, "offset_hz", p->offset_hz, 1);
    rec_num(rep, r, "power_dbfs", p->power_dbfs, 2);
    rec_num(rep, r, "noise_dbfs", p->noise_dbfs, 2);
    rec_num(rep, r, "snr_db", isfinite(p->snr_db) ? p->snr_db : NAN, 2);
    rec_bool(rep, r, "carrier", p->carrier);
    rec_num(rep, r, "offset_khz", p->offset_hz / 1e3, 1);
}

static int run(const scan_file *f, const scan_options *o, report *rep, scan_ppm *ppm)
{
    const double fs = f->info->sample_rate_hz;
    cs_gsm_scanner_config c;
    cs_gsm_scanner_config_init(&c);
    c.sample_rate_hz = fs;
    c.centre_hz = f->centre_hz;
    /* --band may name a UMTS band for the UMTS detector: GSM takes GSM bands only */
    const cs_band *b = o->band ? cs_band_find(o->band) : NULL;
    c.band = b && cs_band_standard(b) == CS_STANDARD_GSM ? o->band : NULL;
    c.max_offset_hz = o->gsm_max_offset_hz;
    c.fcch_false_alarms_per_hour = o->gsm_fcch_per_hour;
    c.min_snr_db = o->gsm_min_snr_db;
    c.uplink = o->gsm_downlink_only ? 0 : -1;
    ctx x;
    cs_clear_error();
    int rc = cs_gsm_scanner_create(&c, &x.s);
    if (rc == CS_EINVAL && fs >= 400e3 && strstr(cs_last_error(), "no GSM channel") && !o->band)
        return 0; /* the recording is outside every GSM band: nothing to report */
    if (rc != CS_OK) return cli_error(f->path, "%s", cs_last_error()), -1;
    /* large blocks: the scanner reads them in place and copies only where its FFT
     * blocks straddle two (about 2.5 FFT sizes a call) */
    if (scan_read_blocks(f, o->rx, 262144, feed, &x) != 0) {
        cs_gsm_scanner_destroy(x.s);
        return -1;
    }
    const cs_gsm_scan_results *res;
    cs_clear_error();
    if (cs_gsm_scanner_finish(x.s, &res) != CS_OK) {
        cli_error(f->path, "%s", cs_last_error());
        cs_gsm_scanner_destroy(x.s);
        return -1;
    }
    const double t0 = (double)f->first / fs;
    for (size_t i = 0; i < res->num_channels; i++) channel_record(rep, f, &res->channels[i]);
    for (size_t i = 0; i < res->num_carriers; i++) carrier_record(rep, f, &res->carriers[i], t0);
    for (size_t i = 0; i < res->num_activities; i++)
        activity_record(rep, f, &res->activities[i], t0);
    if (res->receiver_ppm_carriers) scan_ppm_add(ppm, res->receiver_ppm, res->receiver_ppm_sigma);
    cs_gsm_scanner_destroy(x.s);
    return 0;
}

const scan_detector scan_gsm_detector = { "gsm", layout, run };
