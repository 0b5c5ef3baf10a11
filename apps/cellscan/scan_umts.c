/* UMTS detector of `cellscan scan`: carriers (given, at the centre of a narrow recording, or
 * seen in the spectrum), then every cell of every carrier with its measurements
 * (cs_umts_searcher), as umts_carrier and umts_cell records (see scan.h); in automatic
 * mode then the sweep of the carrier positions left (scan_umts_sweep.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/bands.h"
#include "cellscan/psd.h"
#include "cellscan/status.h"
#include "cellscan/umts_carriers.h"
#include "cellscan/umts_searcher.h"
#include "cli.h"
#include "scan.h"
#include "scan_umts.h"

#define CARRIER_HALF_WIDTH_HZ 2.34e6 /* (1 + 0.22) * 3.84 MHz / 2 */
#define SINGLE_CARRIER_RATE 9.6e6   /* below this a recording holds one carrier */
#define PSD_BIN_HZ 25e3
#define AUTO_DRIFT_SPAN_S 0.15        /* longer spans search drift by default ... */
#define AUTO_DRIFT_PPM 10.0            /* ... over +-10 ppm (common SDR references) */
#define BS_PPM_SIGMA 0.1            /* base station frequency accuracy (0.05 ppm) and margin */

static void layout(void)
{
    static const report_column cells[] = {
        { "uarfcn", "uarfcn", 6 },          { "offset_kHz", "offset_khz", 10 },
        { "PSC", "psc", 4 },                { "grp", "group", 3 },
        { "Ec/Io_dB", "ecio_db", 8 },       { "peak_dB", "peak_ecio_db", 7 },
        { "RSCP_dBFS", "rscp_dbfs", 9 },    { "RSCP_dBm", "rscp_dbm", 8 },
        { "RSSI_dBFS", "rssi_dbfs", 9 },    { "ferr_Hz", "freq_error_hz", 8 },
        { "frame_chips", "frame_offset_chips", 11 }, { "paths", "n_paths", 5 },
        { "drift_ppm", "drift_ppm", 9 },
    };
    static const report_column carriers[] = {
        { "uarfcn", "uarfcn", 6 },          { "band", "band", 10 },
        { "offset_kHz", "offset_khz", 10 }, { "RSSI_dBFS", "rssi_dbfs", 9 },
        { "RSSI_dBm", "rssi_dbm", 8 },      { "ferr_Hz", "freq_error_hz", 8 },
        { "cells", "cells", 5 },            { "drift_ppm", "drift_ppm", 9 },
    };
    report_table_layout("umts_cell", cells, sizeof cells / sizeof cells[0]);
    report_table_layout("umts_carrier", carriers, sizeof carriers / sizeof carriers[0]);
}

void scan_umts_number(umts_carrier *c, double centre_hz, const char *band_name)
{
    c->freq_hz = NAN;
    c->uarfcn = -1;
    c->band = NULL;
    if (!isfinite(centre_hz)) return;
    c->freq_hz = centre_hz + c->offset_hz;
    int n = -1, up = 0;
    const cs_band *b = NULL;
    if (band_name) {
        b = cs_band_find(band_name);
        if (b && cs_band_channel_number(b, c->freq_hz, 0, 1e3, &n) != CS_OK) b = NULL;
    } else {
        b = cs_band_lookup(CS_STANDARD_UMTS, c->freq_hz, 1e3, &n, &up);
        if (b && up) b = NULL;
    }
    if (b) {
        c->uarfcn = n;
        c->band = cs_band_name(b);
    }
}

typedef struct psd_ctx {
    cs_psd psd;
} psd_ctx;

static int feed_psd(void *ctx, const cs_cf32 *x, size_t n)
{
    return cs_psd_execute(((psd_ctx *)ctx)->psd, x, n) == CS_OK ? 0 : -1;
}

/* Carriers visible in the spectrum of a wideband recording. */
static int spectral_carriers(const scan_file *f, const scan_options *o, umts_carrier *out, size_t *n)
{
    const double fs = f->info->sample_rate_hz;
    unsigned nfft = 64;
    while (nfft < 65536 && fs / nfft > PSD_BIN_HZ) nfft *= 2;
    psd_ctx ctx;
    if (cs_psd_create(nfft, &ctx.psd) != CS_OK) return cli_error(f->path, "%s", cs_last_error()), -1;
    int rc = scan_read(f, o->rx, feed_psd, &ctx);
    double *p = rc == 0 ? malloc(nfft * sizeof *p) : NULL;
    if (rc == 0 && (!p || cs_psd_get(ctx.psd, p) != CS_OK)) {
        cli_error(f->path, "too short for a spectrum of %u points", nfft);
        rc = -1;
    }
    if (rc == 0) {
        cs_umts_carrier_guess g[SCAN_MAX_CARRIERS];
        size_t m = cs_umts_find_carriers(p, nfft, fs, f->centre_hz, 3.0, g, SCAN_MAX_CARRIERS);
        for (size_t i = 0; i < m; i++) {
            out[*n].offset_hz = g[i].offset_hz;
            scan_umts_number(&out[(*n)++], f->centre_hz, o->band);
        }
    }
    free(p);
    cs_psd_destroy(ctx.psd);
    return rc;
}

static int plan_carriers(const scan_file *f, const scan_options *o, umts_carrier *out, size_t *n)
{
    const double fs = f->info->sample_rate_hz;
    *n = 0;
    if (fs < 3.84e6 * (1 - 1e-9)) { /* cannot hold a UMTS carrier: nothing to search */
        fprintf(stderr, "cellscan: %s: note: UMTS needs at least 3.84 MS/s (the recording has %.6g MS/s); "
                        "not searched\n", f->path, fs / 1e6);
        return 0;
    }
    for (size_t i = 0; i < o->n_uarfcn; i++) {
        if (!isfinite(f->centre_hz))
            return cli_error(f->path, "--uarfcn needs the recording's centre frequency (give --freq)"), -1;
        double freq;
        const cs_band *b = NULL;
        if (cs_channel_freq(CS_STANDARD_UMTS, o->band, o->uarfcn[i], 0, &freq, &b) != CS_OK)
            return cli_error("--uarfcn", "%d is not a downlink UARFCN%s%s", o->uarfcn[i],
                             o->band ? " of " : "", o->band ? o->band : ""), -1;
        out[*n].offset_hz = freq - f->centre_hz;
        scan_umts_number(&out[(*n)++], f->centre_hz, o->band);
    }
    for (size_t i = 0; i < o->n_umts_offsets; i++) {
        out[*n].offset_hz = o->umts_offset_hz[i];
        scan_umts_number(&out[(*n)++], f->centre_hz, o->band);
    }
    for (size_t i = 0; i < *n; i++)
        if (fabs(out[i].offset_hz) + UMTS_FIT_HALF_HZ > fs / 2.0 * (1 + 1e-9))
            return cli_error(f->path, "a UMTS carrier %.0f Hz from the centre does not fit in %.6g MS/s",
                             out[i].offset_hz, fs / 1e6), -1;
    if (*n > 0) return 0;
    if (fs < SINGLE_CARRIER_RATE) {
        /* one carrier: on the UARFCN raster point nearest the centre when that is known */
        out[0].offset_hz = 0.0;
        scan_umts_number(&out[0], f->centre_hz, o->band);
        if (out[0].uarfcn >= 0) {
            double freq;
            const cs_band *b = cs_band_find(out[0].band);
            if (b && cs_band_channel_freq(b, out[0].uarfcn, 0, &freq) == CS_OK) out[0].offset_hz = freq - f->centre_hz;
            scan_umts_number(&out[0], f->centre_hz, o->band);
        } else if (isfinite(f->centre_hz)) {
            double near = round(f->centre_hz / 200e3) * 200e3; /* nearest raster point */
            out[0].offset_hz = near - f->centre_hz;
            scan_umts_number(&out[0], f->centre_hz, o->band);
            if (out[0].uarfcn < 0) out[0].offset_hz = 0.0, scan_umts_number(&out[0], f->centre_hz, o->band);
        }
        *n = 1;
        return 0;
    }
    return spectral_carriers(f, o, out, n);
}

static int feed_search(void *ctx, const cs_cf32 *x, size_t n)
{
    if (cs_umts_searcher_execute((cs_umts_searcher)ctx, x, n) != CS_OK) return -1;
    return 0;
}

static char *paths_json(const cs_umts_cell *c)
{
    size_t cap = 64 + 64 * c->n_paths, len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    len += (size_t)snprintf(s + len, cap - len, "[");
    for (size_t k = 0; k < c->n_paths; k++)
        len += (size_t)snprintf(s + len, cap - len, "%s{\"delay_chips\":%.2f,\"ecio_db\":%.2f}", k ? "," : "",
                                c->path[k].delay_chips, 10.0 * log10(c->path[k].rscp / c->rssi));
    snprintf(s + len, cap - len, "]");
    return s;
}

static void cell_record(report *rep, const scan_file *f, const umts_carrier *ca, const cs_umts_cell *c)
{
    const double fs = f->info->sample_rate_hz;
    report_record *r = report_add(rep, "umts_cell", f->path);
    if (ca->uarfcn >= 0) rec_int(rep, r, "uarfcn", ca->uarfcn);
    else rec_null(rep, r, "uarfcn");
    rec_str(rep, r, "band", ca->band);
    rec_num(rep, r, "freq_hz", ca->freq_hz, 1);
    rec_num(rep, r, "offset_hz", ca->offset_hz, 1);
    rec_int(rep, r, "psc", c->psc);
    rec_int(rep, r, "group", c->group);
    rec_num(rep, r, "rscp_dbfs", 10.0 * log10(c->rscp), 2);
    rec_num(rep, r, "rssi_dbfs", 10.0 * log10(c->rssi), 2);
    rec_num(rep, r, "ecio_db", 10.0 * log10(c->rscp / c->rssi), 2);
    rec_num(rep, r, "freq_error_hz", c->freq_error_hz, 1);
    rec_num(rep, r, "frame_offset_chips", c->frame_offset_chips, 2);
    char *paths = paths_json(c);
    rec_json(rep, r, "paths", paths);
    free(paths);
    const double t0 = (double)f->first / fs;
    rec_num(rep, r, "t_first_s", t0 + c->t_first_s, 6);
    rec_num(rep, r, "t_last_s", t0 + c->t_last_s, 6);
    rec_num(rep, r, "peak_ecio_db", 10.0 * log10(c->peak_rscp / c->rssi), 2);
    rec_int(rep, r, "n_paths", (long long)c->n_paths);
    rec_num(rep, r, "offset_khz", ca->offset_hz / 1e3, 1);
    rec_num(rep, r, "drift_ppm", c->drift_ppm, 3);
    rec_num(rep, r, "cpich_z", c->cpich_z, 1);
    rec_num(rep, r, "psch_snr_db", c->psch_snr > 0 ? 10.0 * log10(c->psch_snr) : NAN, 2);
    rec_num(rep, r, "ssch_z", c->ssch_z, 1);
    rec_int(rep, r, "round", c->round);
    char label[64], comment[160];
    snprintf(label, sizeof label, "UMTS PSC %d", c->psc);
    snprintf(comment, sizeof comment, "CPICH Ec/Io %.1f dB, RSCP %.1f dBFS, frequency error %.0f Hz, frame offset %.1f chips",
             10.0 * log10(c->rscp / c->rssi), 10.0 * log10(c->rscp), c->freq_error_hz, c->frame_offset_chips);
    uint64_t start = f->first + (uint64_t)llround(c->t_first_s * fs);
    uint64_t count = (uint64_t)llround((c->t_last_s - c->t_first_s) * fs);
    if (start >= f->info->num_samples) start = f->info->num_samples - 1;
    if (count > f->info->num_samples - start) count = f->info->num_samples - start;
    double lo = isfinite(ca->freq_hz) ? ca->freq_hz + c->freq_error_hz - CARRIER_HALF_WIDTH_HZ : NAN;
    double hi = isfinite(ca->freq_hz) ? ca->freq_hz + c->freq_error_hz + CARRIER_HALF_WIDTH_HZ : NAN;
    rec_span(rep, r, start, count, lo, hi, label, comment);
}

int scan_umts_searcher_run(const scan_file *f, const scan_options *o, double offset_hz, double range_hz,
                           unsigned max_cells, int cancellation, cs_umts_searcher *out)
{
    *out = NULL;
    cs_umts_searcher_params p;
    cs_umts_searcher_params_init(&p);
    p.input_rate_hz = f->info->sample_rate_hz;
    p.carrier_offset_hz = offset_hz;
    p.freq_range_hz = range_hz;
    p.freq_step_hz = o->umts_freq_step_hz;
    /* Unless told, search drift when it would smear the P-SCH fold: a receiver 10 ppm off
     * moves the timing 3.8 chips in 100 ms, which costs little; 2.5 s would be 96 chips. */
    double span_s = (double)f->count / f->info->sample_rate_hz;
    p.max_drift_ppm = isnan(o->umts_max_ppm) ? (span_s > AUTO_DRIFT_SPAN_S ? AUTO_DRIFT_PPM : 0.0)
                                             : o->umts_max_ppm;
    p.max_cells = max_cells;
    p.p_false = o->umts_p_false;
    p.path_threshold_db = o->umts_path_db;
    p.cancellation = cancellation;
    p.expected_input_samples = f->count;
    cs_umts_searcher s;
    cs_clear_error();
    if (cs_umts_searcher_create(&p, &s) != CS_OK) return cli_error(f->path, "%s", cs_last_error()), -1;
    int rc;
    do {
        if (scan_read(f, o->rx, feed_search, s) != 0) {
            cs_umts_searcher_destroy(s);
            return -1;
        }
        cs_clear_error();
        rc = cs_umts_searcher_end_pass(s);
    } while (rc == 1);
    if (rc < 0) {
        if (rc == CS_ENOTFOUND) { /* too short to search: no cells, not an error */
            cs_umts_searcher_destroy(s);
            return 0;
        }
        cli_error(f->path, "%s", *cs_last_error() ? cs_last_error() : cs_strerror(rc));
        cs_umts_searcher_destroy(s);
        return -1;
    }
    *out = s;
    return 0;
}

int scan_umts_search_carrier(const scan_file *f, const scan_options *o, const umts_carrier *ca, report *rep,
                             scan_ppm *ppm, size_t *n_cells)
{
    *n_cells = 0;
    cs_umts_searcher s;
    if (scan_umts_searcher_run(f, o, ca->offset_hz, o->umts_freq_range_hz, o->umts_max_cells,
                               o->umts_cancellation, &s) != 0)
        return -1;
    if (!s) return 0;
    const size_t n = cs_umts_searcher_num_cells(s);
    if (n > 0) {
        report_record *r = report_add(rep, "umts_carrier", f->path);
        if (ca->uarfcn >= 0) rec_int(rep, r, "uarfcn", ca->uarfcn);
        else rec_null(rep, r, "uarfcn");
        rec_str(rep, r, "band", ca->band);
        rec_num(rep, r, "freq_hz", ca->freq_hz, 1);
        rec_num(rep, r, "offset_hz", ca->offset_hz, 1);
        rec_num(rep, r, "rssi_dbfs", 10.0 * log10(cs_umts_searcher_rssi(s)), 2);
        rec_num(rep, r, "freq_error_hz", cs_umts_searcher_freq_error_hz(s), 1);
        rec_int(rep, r, "cells", (long long)n);
        double sigma;
        double drift = cs_umts_searcher_drift_ppm(s, &sigma);
        rec_num(rep, r, "drift_ppm", drift, 4);
        for (size_t i = 0; i < n; i++) cell_record(rep, f, ca, cs_umts_searcher_cell(s, i));
        /* receiver_ppm is the carriers' apparent error (as GSM's): the carrier's offset over
         * its frequency (a base station is within 0.05 ppm) when that is known, else the
         * sample clock's drift, which a receiver running fast makes positive while its
         * carriers appear low */
        if (isfinite(ca->freq_hz))
            scan_ppm_add(ppm, cs_umts_searcher_freq_error_hz(s) / ca->freq_hz * 1e6, BS_PPM_SIGMA);
        else if (sigma < 1.0)
            scan_ppm_add(ppm, -drift, sigma);
    }
    *n_cells = n;
    cs_umts_searcher_destroy(s);
    return 0;
}

static int run(const scan_file *f, const scan_options *o, report *rep, scan_ppm *ppm)
{
    umts_carrier c[SCAN_MAX_CARRIERS];
    size_t n = 0;
    if (plan_carriers(f, o, c, &n) != 0) return -1;
    umts_searched done = { .n = 0 };
    for (size_t i = 0; i < n; i++) {
        size_t cells;
        if (scan_umts_search_carrier(f, o, &c[i], rep, ppm, &cells) != 0) return -1;
        scan_umts_searched_add(&done, c[i].offset_hz, cells > 0);
    }
    /* automatic mode: then every carrier position the spectrum did not give cells on */
    if (o->n_uarfcn == 0 && o->n_umts_offsets == 0 && scan_umts_sweep(f, o, &done, rep, ppm) != 0) return -1;
    return 0;
}

const scan_detector scan_umts_detector = { "umts", layout, run };
