/* cellscan scan: find and measure cells in recordings, per standard (see scan.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellscan/status.h"
#include "cli.h"
#include "commands.h"
#include "scan.h"

/* Every detector this build has; the default --standard is all of them. */
static const scan_detector *const detectors[] = { &scan_gsm_detector, &scan_umts_detector };
#define N_DETECTORS (sizeof detectors / sizeof detectors[0])

enum {
    OPT_STANDARD = CLI_OPT_FIRST_FREE,
    OPT_BAND,
    OPT_CAL,
    OPT_ANNOTATE,
    OPT_ANNOTATE_OUT,
    OPT_FORMAT,
    OPT_START,
    OPT_DURATION,
    OPT_RX,
    OPT_MAX_CELLS,
    OPT_FREQ_RANGE,
    OPT_FREQ_STEP,
    OPT_MAX_PPM,
    OPT_P_FALSE,
    OPT_PATH_DB,
    OPT_NO_CANCEL,
    OPT_UARFCN,
    OPT_UMTS_OFFSET,
    OPT_SWEEP_S,
    OPT_GSM_MAX_OFFSET,
    OPT_GSM_FALSE_ALARMS,
    OPT_GSM_MIN_SNR,
    OPT_GSM_DOWNLINK_ONLY,
    OPT_ALL_CHANNELS
};
typedef enum { FMT_TABLE, FMT_JSONL, FMT_CSV } out_format;

typedef struct cmd {
    scan_options o;
    int use[N_DETECTORS];
    out_format format;
    const char *output;
    int annotate;
    const char *annotate_out;
    int all_channels;           /* --all-channels: the table hides no channel */
    int standards_given;        /* --standard named the detectors */
} cmd;

static void usage(FILE *fp)
{
    fprintf(fp,
"usage: cellscan scan [--standard LIST] [--band B] [--cal-db X] [--annotate]\n"
"                     [--format table|jsonl|csv] [-o FILE] [--start S] [--duration S]\n"
"                     [GSM options] [UMTS options] [raw input options] FILE...\n\n"
"Find the cells in each recording and measure them. GSM: power per ARFCN over the\n"
"whole recording (downlink and uplink channels), on every downlink ARFCN a coherent FCCH\n"
"search (frequency error per burst and combined), SCH timing, channel estimate, soft\n"
"equaliser and Viterbi decoding to BSIC and frame number, C0 power; burst activity per\n"
"timeslot on every channel; the receiver's frequency error from the FCCHs.\n"
"UMTS: every 5 MHz carrier the recording holds (carrier RSSI per UARFCN), then per\n"
"carrier the three-step cell search\n"
"(P-SCH slot timing with a coarse frequency search, S-SCH frame timing and code group,\n"
"CPICH scrambling code confirmed against a noise-based threshold) and per cell the PSC,\n"
"CPICH RSCP (noise bias removed), Ec/Io, frequency error, frame timing and multipath.\n\n"
"Options:\n"
"  --standard LIST     detectors to run, comma separated (default: all; this build: gsm,umts)\n"
"  --band B            number channels in band B (UMTS-I, UMTS-VIII, ...) where bands overlap\n"
"  --cal-db X          add X dB to turn dBFS into dBm: every *_dbfs field gains a *_dbm twin\n"
"  --annotate          write BASE.cellscan.sigmf-meta beside each recording: its metadata\n"
"                      plus one annotation per cell (the recording itself is not touched)\n"
"  --annotate-out F    the annotated metadata goes to F (one input only; may be the\n"
"                      recording's own .sigmf-meta)\n"
"  --format F          table (default), jsonl or csv\n"
"  --all-channels      the table lists every channel scanned (default: carriers, and\n"
"                      channels 6 dB or more above the noise outside UMTS carriers;\n"
"                      jsonl and csv list all)\n"
"  -o FILE             write to FILE (replaced only when complete) instead of stdout\n"
"  --start S           skip the first S seconds of each recording\n"
"  --duration S        scan S seconds only (default: to the end)\n"
"  --rx K              channel K (from 0) of a multichannel recording (default 0)\n"
"GSM:\n"
"  --gsm-max-offset HZ  FCCH search +-HZ (default: 25 kHz, or 20 ppm of the band if more)\n"
"  --gsm-false-alarms N design FCCH false alarms per channel-hour of noise (default 6);\n"
"                      a carrier needs SCHs, FCCHs that agree in timing and frequency (or\n"
"                      one strong FCCH), or GMSK bursts above --gsm-min-snr\n"
"  --gsm-min-snr DB    carrier found by power alone: Es/N0 at least DB (default 6)\n"
"  --gsm-downlink-only skip the uplink channels (burst activity of handsets)\n"
"UMTS:\n"
"  --uarfcn N          search this downlink UARFCN (repeatable; needs the centre frequency)\n"
"  --umts-offset HZ    search a carrier HZ from the recording centre (repeatable)\n"
"                      (default: the centre for recordings below 9.6 MS/s, else every\n"
"                      carrier visible in the spectrum; then the sweep)\n"
"  --sweep-s S         without --uarfcn/--umts-offset, also search every other carrier\n"
"                      position (200 kHz raster, at least 4.2 MHz from a carrier with\n"
"                      cells) over the first S seconds, and in full where a cell is\n"
"                      confirmed: finds carriers too weak to see in the spectrum\n"
"                      (default with --standard umts: 0.1, cells to about Ec/Io -20 dB,\n"
"                      less for recordings wider than 15.36 MS/s, none beyond a CPU\n"
"                      budget; default when scanning every standard: off, as it costs\n"
"                      several times the rest of the scan; 0: off)\n"
"  --freq-range HZ     coarse frequency search +-HZ around each carrier (default 25000)\n"
"  --freq-step HZ      its grid (default 5000)\n"
"  --max-ppm X         search sample-clock drift up to +-X ppm in step 1 (default: 10\n"
"                      for spans over 0.15 s, else 0; cells are tracked and the drift\n"
"                      measured either way)\n"

"  --max-cells N       at most N cells per carrier (default 32)\n"
"  --p-false P         false-alarm probability of one CPICH code test on noise (1e-6)\n"
"  --path-threshold-db X  report echoes down to X dB below a cell's strongest path (15)\n"
"  --no-cancellation   skip the second search round after cancelling the cells found\n"
"  -h, --help          show this help\n\n" CLI_INPUT_HELP
"  --freq also gives the centre of a SigMF recording whose metadata has none.\n\n"
"Records (jsonl; csv has one section per type; see docs for every field):\n"
"  gsm_channel   every ARFCN: arfcn, band, link, freq_hz, offset_hz, power_dbfs, noise_dbfs,\n"
"                snr_db (in 200 kHz), carrier\n"
"  gsm_carrier   arfcn, band, freq_hz, offset_hz, freq_error_hz, power_dbfs, snr_db (Es/N0:\n"
"                noise in 270.833 kHz), fcch_count, bsic {ncc, bcc}, frame_numbers (of the\n"
"                first 4096 SCHs), t_first_s, t_last_s, then freq_error_sigma_hz, noise_dbfs,\n"
"                sch_count (all), evidence, ...\n"
"  gsm_activity  arfcn, band, link, timeslots, bursts, power_dbfs, intervals [[t0, t1]...],\n"
"                then timeslot_reference (c0/relative), bursts_per_ts, snr_db, duty_cycle\n"
"  umts_cell     uarfcn, band, freq_hz, offset_hz, psc, group, rscp_dbfs, rssi_dbfs,\n"
"                ecio_db, freq_error_hz, frame_offset_chips, paths [{delay_chips, ecio_db}],\n"
"                t_first_s, t_last_s, then peak_ecio_db, drift_ppm, cpich_z, psch_snr_db,\n"
"                ssch_z, round\n"
"  umts_carrier  one per carrier with cells: uarfcn, band, freq_hz, offset_hz, rssi_dbfs,\n"
"                freq_error_hz, cells\n"
"  summary       per file: receiver_ppm (carriers' mean apparent error, measured - nominal\n"
"                over nominal, from GSM FCCH/SCH and UMTS CPICH; > 0 when they appear high;\n"
"                null without a known carrier frequency or drift), duration_s, sample_rate_hz, centre_hz,\n"
"                processing_s, standards\n"
"Absent knowledge is null: without a centre frequency uarfcn, band and freq_hz are null\n"
"and offsets are relative to the recording centre.\n\n"
"Exit status: 0 when every file was scanned, 1 when a file could not be (one line\n"
"\"cellscan: FILE: problem\" on stderr; the other files are still scanned and reported),\n"
"2 for a usage error.\n");
}

static int parse_standards(cmd *c, const char *list)
{
    memset(c->use, 0, sizeof c->use);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    int any = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < N_DETECTORS && strcasecmp(detectors[i]->name, t)) i++;
        if (i == N_DETECTORS) {
            return cli_error("--standard", "unknown standard '%s' (available: gsm, umts)", t), -1;
        }
        c->use[i] = 1;
        any = 1;
    }
    if (!any) return cli_error("--standard", "no standard in '%s'", list), -1;
    return 0;
}

static int parse(int argc, char **argv, cmd *c, cli_input_opts *io)
{
    static const struct option longopts[] = {
        { "standard", required_argument, 0, OPT_STANDARD },
        { "band", required_argument, 0, OPT_BAND },
        { "cal-db", required_argument, 0, OPT_CAL },
        { "annotate", no_argument, 0, OPT_ANNOTATE },
        { "annotate-out", required_argument, 0, OPT_ANNOTATE_OUT },
        { "format", required_argument, 0, OPT_FORMAT },
        { "start", required_argument, 0, OPT_START },
        { "duration", required_argument, 0, OPT_DURATION },
        { "rx", required_argument, 0, OPT_RX },
        { "max-cells", required_argument, 0, OPT_MAX_CELLS },
        { "freq-range", required_argument, 0, OPT_FREQ_RANGE },
        { "freq-step", required_argument, 0, OPT_FREQ_STEP },
        { "max-ppm", required_argument, 0, OPT_MAX_PPM },
        { "p-false", required_argument, 0, OPT_P_FALSE },
        { "path-threshold-db", required_argument, 0, OPT_PATH_DB },
        { "no-cancellation", no_argument, 0, OPT_NO_CANCEL },
        { "uarfcn", required_argument, 0, OPT_UARFCN },
        { "umts-offset", required_argument, 0, OPT_UMTS_OFFSET },
        { "sweep-s", required_argument, 0, OPT_SWEEP_S },
        { "gsm-max-offset", required_argument, 0, OPT_GSM_MAX_OFFSET },
        { "gsm-false-alarms", required_argument, 0, OPT_GSM_FALSE_ALARMS },
        { "gsm-min-snr", required_argument, 0, OPT_GSM_MIN_SNR },
        { "gsm-downlink-only", no_argument, 0, OPT_GSM_DOWNLINK_ONLY },
        { "all-channels", no_argument, 0, OPT_ALL_CHANNELS },
        { "output", required_argument, 0, 'o' },
        { "help", no_argument, 0, 'h' },
        CLI_INPUT_LONG_OPTIONS,
        { 0, 0, 0, 0 },
    };
    unsigned long u;
    double v;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': usage(stdout); return 1;
        case 'o': c->output = optarg; break;
        case OPT_STANDARD:
            if (parse_standards(c, optarg)) return -1;
            c->standards_given = 1;
            break;
        case OPT_BAND: c->o.band = optarg; break;
        case OPT_CAL: if (cli_parse_double("--cal-db", optarg, -300, 300, &c->o.cal_db)) return -1; break;
        case OPT_ANNOTATE: c->annotate = 1; break;
        case OPT_ANNOTATE_OUT: c->annotate = 1; c->annotate_out = optarg; break;
        case OPT_FORMAT:
        {
            static const char *const names[] = { "table", "jsonl", "csv", NULL }; /* out_format order */
            int k;
            if (cli_parse_choice("--format", optarg, names, &k)) return -1;
            c->format = (out_format)k;
            break;
        }
        case OPT_START: if (cli_parse_double("--start", optarg, 0, 1e9, &c->o.start_s)) return -1; break;
        case OPT_DURATION:
            if (cli_parse_double("--duration", optarg, 1e-6, 1e9, &c->o.duration_s)) return -1;
            break;
        case OPT_RX:
            if (cli_parse_uint("--rx", optarg, 0, 63, &u)) return -1;
            c->o.rx = (unsigned)u;
            break;
        case OPT_MAX_CELLS:
            if (cli_parse_uint("--max-cells", optarg, 1, 64, &u)) return -1;
            c->o.umts_max_cells = (unsigned)u;
            break;
        case OPT_FREQ_RANGE:
            if (cli_parse_double("--freq-range", optarg, 0, 500e3, &c->o.umts_freq_range_hz)) return -1;
            break;
        case OPT_FREQ_STEP:
            if (cli_parse_double("--freq-step", optarg, 100, 15e3, &c->o.umts_freq_step_hz)) return -1;
            break;
        case OPT_MAX_PPM: if (cli_parse_double("--max-ppm", optarg, 0, 200, &c->o.umts_max_ppm)) return -1; break;
        case OPT_P_FALSE: if (cli_parse_double("--p-false", optarg, 1e-15, 0.1, &c->o.umts_p_false)) return -1; break;
        case OPT_PATH_DB:
            if (cli_parse_double("--path-threshold-db", optarg, 0, 40, &c->o.umts_path_db)) return -1;
            break;
        case OPT_NO_CANCEL: c->o.umts_cancellation = 0; break;
        case OPT_SWEEP_S: if (cli_parse_double("--sweep-s", optarg, 0, 1e6, &c->o.umts_sweep_s)) return -1; break;
        case OPT_UARFCN:
            if (cli_parse_uint("--uarfcn", optarg, 0, 16383, &u)) return -1;
            if (c->o.n_uarfcn == SCAN_MAX_CARRIERS) return cli_error("--uarfcn", "at most %d", SCAN_MAX_CARRIERS), -1;
            c->o.uarfcn[c->o.n_uarfcn++] = (int)u;
            break;
        case OPT_UMTS_OFFSET:
            if (cli_parse_double("--umts-offset", optarg, -1e9, 1e9, &v)) return -1;
            if (c->o.n_umts_offsets == SCAN_MAX_CARRIERS)
                return cli_error("--umts-offset", "at most %d", SCAN_MAX_CARRIERS), -1;
            c->o.umts_offset_hz[c->o.n_umts_offsets++] = v;
            break;
        case OPT_GSM_MAX_OFFSET:
            if (cli_parse_double("--gsm-max-offset", optarg, 1e3, 90e3, &c->o.gsm_max_offset_hz)) return -1;
            break;
        case OPT_GSM_FALSE_ALARMS:
            if (cli_parse_double("--gsm-false-alarms", optarg, 1e-6, 1e5, &c->o.gsm_fcch_per_hour)) return -1;
            break;
        case OPT_GSM_MIN_SNR:
            if (cli_parse_double("--gsm-min-snr", optarg, -10, 60, &c->o.gsm_min_snr_db)) return -1;
            break;
        case OPT_GSM_DOWNLINK_ONLY: c->o.gsm_downlink_only = 1; break;
        case OPT_ALL_CHANNELS: c->all_channels = 1; break;
        case ':': return cli_error(argv[optind - 1], "option needs a value (see 'cellscan scan --help')"), -1;
        case '?': return cli_error(argv[optind - 1], "unknown option (see 'cellscan scan --help')"), -1;
        default:
            if (cli_input_option(io, opt, optarg) != 0) return -1;
        }
    }
    if (optind >= argc) return cli_error("scan", "no input file (see 'cellscan scan --help')"), -1;
    if (c->annotate_out && argc - optind > 1)
        return cli_error("--annotate-out", "takes one input file (use --annotate for several)"), -1;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Open one file and work out its centre and span; -1 after printing the problem. */
static int prepare(const char *path, const cmd *c, const cli_input_opts *io, scan_file *f)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    if (cli_open(path, io, &f->rec) != 0) return -1;
    f->info = cs_recording_get_info(f->rec);
    const cs_recording_info *in = f->info;
    f->centre_hz = in->captures[0].frequency_hz;
    if (!isnan(io->freq_hz) && in->meta_path) {
        if (!isnan(f->centre_hz) && fabs(f->centre_hz - io->freq_hz) > 0.5)
            return cli_error(path, "--freq %.15g Hz conflicts with the metadata's centre %.15g Hz",
                             io->freq_hz, f->centre_hz), -1;
        f->centre_hz = io->freq_hz;
    }
    for (size_t i = 1; i < in->num_captures; i++)
        if (in->captures[i].frequency_hz != in->captures[0].frequency_hz &&
            !(isnan(in->captures[i].frequency_hz) && isnan(in->captures[0].frequency_hz)))
            return cli_error(path, "capture %zu retunes the receiver at sample %" PRIu64
                                   "; scan each tuning separately (--start/--duration)",
                             i, in->captures[i].sample_start), -1;
    if (c->o.rx >= in->num_channels)
        return cli_error(path, "--rx %u: the recording has %u channel%s", c->o.rx, in->num_channels,
                         in->num_channels == 1 ? "" : "s"), -1;
    double first = floor(c->o.start_s * in->sample_rate_hz + 0.5);
    if (first >= (double)in->num_samples)
        return cli_error(path, "--start %g s is beyond the end (%.6f s)", c->o.start_s, in->duration_s), -1;
    f->first = (uint64_t)first;
    f->count = in->num_samples - f->first;
    if (isfinite(c->o.duration_s)) {
        double n = floor(c->o.duration_s * in->sample_rate_hz + 0.5);
        if (n < (double)f->count) f->count = (uint64_t)n;
    }
    if (f->count == 0) return cli_error(path, "no samples to scan"), -1;
    return 0;
}

static void summary(report *rep, const scan_file *f, const cmd *c, const scan_ppm *ppm, double t0)
{
    report_record *r = report_add(rep, "summary", f->path);
    rec_num(rep, r, "receiver_ppm", ppm->sum_w > 0 ? ppm->sum_wx / ppm->sum_w : NAN, 4);
    rec_num(rep, r, "duration_s", (double)f->count / f->info->sample_rate_hz, 6);
    rec_num(rep, r, "sample_rate_hz", f->info->sample_rate_hz, 1);
    rec_num(rep, r, "centre_hz", f->centre_hz, 1);
    rec_num(rep, r, "processing_s", now_s() - t0, 4);
    char list[128] = "[";
    for (size_t i = 0; i < N_DETECTORS; i++)
        if (c->use[i])
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s\"%s\"", strlen(list) > 1 ? "," : "",
                     detectors[i]->name);
    strcat(list, "]");
    rec_json(rep, r, "standards", list);
    rec_num(rep, r, "start_s", (double)f->first / f->info->sample_rate_hz, 6);
}

/* BASE.cellscan.sigmf-meta beside the data file. */
static char *annotation_path(const scan_file *f)
{
    const char *data = f->info->data_path;
    size_t n = strlen(data);
    const char *ext = ".sigmf-data";
    if (n > strlen(ext) && !strcmp(data + n - strlen(ext), ext)) n -= strlen(ext);
    char *out = malloc(n + 32);
    if (out) snprintf(out, n + 32, "%.*s.cellscan.sigmf-meta", (int)n, data);
    return out;
}

static int scan_one(const char *path, const cmd *c, const cli_input_opts *io, report *rep)
{
    const double t0 = now_s();
    scan_file f;
    if (prepare(path, c, io, &f) != 0) {
        if (f.rec) cs_recording_destroy(f.rec);
        return -1;
    }
    const size_t from = rep->n;
    scan_ppm ppm = { 0, 0 };
    int rc = 0;
    for (size_t i = 0; i < N_DETECTORS && rc == 0; i++)
        if (c->use[i]) rc = detectors[i]->run(&f, &c->o, rep, &ppm);
    if (rc != 0) report_truncate(rep, from);
    else summary(rep, &f, c, &ppm, t0);
    if (rc == 0 && c->annotate) {
        char *meta = c->annotate_out ? strdup(c->annotate_out) : annotation_path(&f);
        rc = meta ? report_write_sigmf(rep, path, f.rec, meta) : (cli_error(path, "out of memory"), -1);
        free(meta);
    }
    cs_recording_destroy(f.rec);
    return rc;
}

int cmd_scan(int argc, char **argv)
{
    cmd c;
    memset(&c, 0, sizeof c);
    c.o.cal_db = NAN;
    c.o.duration_s = NAN;
    c.o.umts_freq_range_hz = 25e3;
    c.o.umts_freq_step_hz = 5e3;
    c.o.umts_max_ppm = NAN; /* automatic: see scan_umts.c */
    c.o.umts_p_false = 1e-6;
    c.o.umts_path_db = 15.0;
    c.o.umts_max_cells = 32;
    c.o.umts_cancellation = 1;
    c.o.umts_sweep_s = NAN; /* automatic: see scan_umts_sweep.c */
    c.o.gsm_min_snr_db = NAN;
    for (size_t i = 0; i < N_DETECTORS; i++) c.use[i] = 1;
    cli_input_opts io;
    cli_input_opts_init(&io);
    int prc = parse(argc, argv, &c, &io);
    if (prc) return prc > 0 ? 0 : 2;
    /* the UMTS sweep costs several times a whole GSM scan: asked for UMTS, a user gets
     * it; a general scan stays quick unless --sweep-s says otherwise */
    if (!c.standards_given && isnan(c.o.umts_sweep_s)) c.o.umts_sweep_s = 0.0;
    for (size_t i = 0; i < N_DETECTORS; i++) detectors[i]->layout();
    report rep;
    report_init(&rep, c.o.cal_db);
    rep.table_all_rows = c.all_channels;
    int failed = 0;
    for (int i = optind; i < argc; i++)
        if (scan_one(argv[i], &c, &io, &rep) != 0) failed = 1;
    cli_output out;
    int rc = cli_output_open(&out, c.output);
    if (rc == 0) {
        rc = c.format == FMT_TABLE ? report_write_table(out.fp, &rep)
             : c.format == FMT_JSONL ? report_write_jsonl(out.fp, &rep)
                                     : report_write_csv(out.fp, &rep);
        if (rc != 0) {
            cli_error(c.output ? c.output : "stdout", "cannot write the report (out of memory?)");
            cli_output_abort(&out);
        } else {
            rc = cli_output_commit(&out);
        }
    }
    report_free(&rep);
    return (rc != 0 || failed) ? 1 : 0;
}

void scan_ppm_add(scan_ppm *p, double ppm, double sigma_ppm)
{
    if (!isfinite(ppm) || !(sigma_ppm > 0) || !isfinite(sigma_ppm)) return;
    const double w = 1.0 / (sigma_ppm * sigma_ppm);
    p->sum_w += w;
    p->sum_wx += w * ppm;
}

int scan_read(const scan_file *f, unsigned rx, int (*fn)(void *ctx, const cs_cf32 *x, size_t n),
              void *ctx)
{
    return scan_read_blocks(f, rx, 65536, fn, ctx);
}

int scan_read_blocks(const scan_file *f, unsigned rx, size_t block,
                     int (*fn)(void *ctx, const cs_cf32 *x, size_t n), void *ctx)
{
    const unsigned nch = f->info->num_channels;
    cs_cf32 *buf = malloc((size_t)block * nch * sizeof *buf);
    if (!buf) return cli_error(f->path, "out of memory"), -1;
    cs_clear_error();
    int rc = cs_recording_seek(f->rec, f->first);
    uint64_t done = 0;
    while (rc == CS_OK && done < f->count) {
        size_t want = f->count - done < block ? (size_t)(f->count - done) : block, n = 0;
        if ((rc = cs_recording_read(f->rec, buf, want, &n)) != CS_OK) break;
        if (n == 0) {
            rc = cs_error(CS_EIO, "the data ended at sample %" PRIu64 ", before the expected %" PRIu64,
                          f->first + done, f->first + f->count);
            break;
        }
        if (nch > 1)
            for (size_t i = 0; i < n; i++) buf[i] = buf[i * nch + rx];
        done += n;
        if (fn(ctx, buf, n) != 0) {
            free(buf);
            return -1;
        }
    }
    free(buf);
    if (rc != CS_OK) return cli_error(f->path, "%s", *cs_last_error() ? cs_last_error() : cs_strerror(rc)), -1;
    return 0;
}
