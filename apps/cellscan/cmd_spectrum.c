/* cellscan spectrum: averaged spectrum of a recording and the power, noise floor, SNR and
 * occupancy of every GSM ARFCN, UMTS UARFCN or fixed-width bin it covers. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellscan/bands.h"
#include "cellscan/channel_power.h"
#include "cellscan/status.h"
#include "cli.h"
#include "commands.h"

enum {
    OPT_RASTER = CLI_OPT_FIRST_FREE,
    OPT_BAND,
    OPT_BIN_HZ,
    OPT_NFFT,
    OPT_THRESHOLD,
    OPT_OCCUPIED,
    OPT_FORMAT,
    OPT_CAL,
    OPT_RX
};
typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSONL } out_format;

/* Sample frames per read: bounds memory whatever the file size. */
#define READ_BLOCK_FRAMES 65536

typedef struct options {
    cs_channel_power_params cp;
    int raster_given;
    out_format format;
    int occupied_only;
    double cal_db;     /* NAN: no --cal-db */
    unsigned rx;       /* channel of a multichannel recording */
    const char *output;
} options;

/* What one run measured. */
typedef struct spectrum {
    cs_channel_power cp;
    cs_channel_result *results;
    uint64_t samples;  /* frames used */
    double duration_s;
    char datetime[64];    /* of the first capture (a copy: the recording is closed before
                             printing); "" when unknown */
} spectrum;

static void usage(FILE *fp)
{
    fprintf(fp,
"usage: cellscan spectrum [--raster gsm|umts|bins] [--band B] [--bin-hz HZ] [--nfft N]\n"
"                         [--threshold-db X] [--occupied-only] [--cal-db X] [--rx K]\n"
"                         [--format table|csv|jsonl] [-o FILE] [raw input options] FILE\n\n"
"Average the spectrum of a recording (Welch: Blackman-Harris window, 50%% overlap) and\n"
"measure every channel whose centre lies in the usable band, the central 80%% of the\n"
"sample rate, and whose edges stay inside the central 90%%. The outer 10%% on each side\n"
"is the receiver's filter rolloff: never used for the noise floor.\n\n"
"Per channel:\n"
"  power   PSD integrated over the channel: GSM 200 kHz (the raster; holds 95.9%% of a\n"
"          GMSK carrier, a neighbour leaks -17 dB into it), UMTS 3.84 MHz, bins: bin width\n"
"  noise   the noise floor in the same bandwidth. The floor is the 2nd percentile of the\n"
"          per-bin PSD over the usable band, corrected for that percentile's statistical\n"
"          bias, so it holds when most channels are occupied; on a sloping floor it\n"
"          follows the lowest part of the band\n"
"  SNR     10 log10((power - noise) / noise): the channel's power above the noise floor,\n"
"          both in the channel bandwidth (a GSM detector's Es/N0, noise in 270.833 kHz, is\n"
"          1.3 dB lower); empty/null when the power does not exceed the noise. On the\n"
"          THC GSM recordings this reproduces the published \"power above the noise\n"
"          floor\" within 2 dB, including neighbours lit only by a strong carrier's skirt\n"
"  occupied  SNR >= --threshold-db\n"
"Channels carry ARFCN/UARFCN, band and link (uplink channels too) only when the\n"
"recording's centre frequency is known; otherwise only offsets from the centre.\n\n"
"Options:\n"
"  --raster R       gsm (default): ARFCNs, 200 kHz apart; umts: UARFCNs 5 MHz apart,\n"
"                   anchored on the UARFCN nearest the centre; bins: --bin-hz wide bins,\n"
"                   one centred on the centre\n"
"  --band B         number channels in band B only (GSM450, GSM480, GSM850, P-GSM900,\n"
"                   E-GSM900, R-GSM900, DCS1800, PCS1900, UMTS-I ... UMTS-VIII); needed\n"
"                   where bands overlap (a UMTS band selects --raster umts). Default:\n"
"                   the first band in that order, downlink before uplink\n"
"  --bin-hz HZ      bin width for --raster bins (giving it selects that raster)\n"
"  --nfft N         FFT size, a power of two (default: bins of 5 kHz or less; UMTS 20 kHz)\n"
"  --threshold-db X occupied when SNR >= X dB (default 6)\n"
"  --occupied-only  list occupied channels only (table, jsonl)\n"
"  --cal-db X       add X dB to turn dBFS into dBm: adds power_dbm/noise_dbm fields;\n"
"                   the CSV values become dBm\n"
"  --rx K           channel K (from 0) of a multichannel recording (default 0)\n"
"  --format F       table (default), csv or jsonl\n"
"  -o FILE          write to FILE (replaced only when complete) instead of stdout\n"
"  -h, --help       show this help\n\n" CLI_INPUT_HELP
"  --freq also gives the centre of a SigMF recording whose metadata has none.\n\n"
"Formats:\n"
"  table  one line per channel: channel, band, link, freq MHz, offset kHz, power dBFS,\n"
"         noise dBFS, SNR dB, occupied\n"
"  csv    one rtl_power-style row: date, time (of the first capture, empty when\n"
"         unknown), Hz low, Hz high, Hz step, samples, then one power value in dB per\n"
"         channel from Hz low up. Hz low/high are the outer edges of the first and last\n"
"         channel on the channel spacing (200 kHz, 5 MHz or the bin width), absolute\n"
"         when the centre is known, else relative to it; samples = IQ samples used\n"
"  jsonl  one {\"type\":\"channel_power\",...} object per channel (file, standard, raster,\n"
"         arfcn or uarfcn, band, link, freq_hz, offset_hz, bandwidth_hz, power_dbfs,\n"
"         noise_dbfs, snr_db, occupied), then one {\"type\":\"summary\",...}\n\n"
"Exit status: 0 on success, 1 when the file cannot be read or measured (one line on\n"
"stderr, no output), 2 for a usage error.\n");
}

static int parse_options(int argc, char **argv, options *o, cli_input_opts *io)
{
    static const struct option longopts[] = {
        { "raster", required_argument, 0, OPT_RASTER },
        { "band", required_argument, 0, OPT_BAND },
        { "bin-hz", required_argument, 0, OPT_BIN_HZ },
        { "nfft", required_argument, 0, OPT_NFFT },
        { "threshold-db", required_argument, 0, OPT_THRESHOLD },
        { "occupied-only", no_argument, 0, OPT_OCCUPIED },
        { "format", required_argument, 0, OPT_FORMAT },
        { "cal-db", required_argument, 0, OPT_CAL },
        { "rx", required_argument, 0, OPT_RX },
        { "output", required_argument, 0, 'o' },
        { "help", no_argument, 0, 'h' },
        CLI_INPUT_LONG_OPTIONS,
        { 0, 0, 0, 0 },
    };
    unsigned long u;
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': usage(stdout); return 1;
        case 'o': o->output = optarg; break;
        case OPT_RASTER:
        {
            static const char *const names[] = { "gsm", "umts", "bins", NULL }; /* cs_raster order */
            int k;
            if (cli_parse_choice("--raster", optarg, names, &k)) return -1;
            o->cp.raster = (cs_raster)k;
            o->raster_given = 1;
            break;
        }
        case OPT_BAND: o->cp.band = optarg; break;
        case OPT_BIN_HZ:
            if (cli_parse_double("--bin-hz", optarg, 1e-3, 1e11, &o->cp.bin_hz)) return -1;
            break;
        case OPT_NFFT:
            if (cli_parse_uint("--nfft", optarg, 16, 1u << 20, &u)) return -1;
            if (u & (u - 1)) return cli_error("--nfft", "%lu is not a power of two", u), -1;
            o->cp.nfft = (unsigned)u;
            break;
        case OPT_THRESHOLD:
            if (cli_parse_double("--threshold-db", optarg, -100, 200, &o->cp.threshold_db))
                return -1;
            break;
        case OPT_OCCUPIED: o->occupied_only = 1; break;
        case OPT_FORMAT:
        {
            static const char *const names[] = { "table", "csv", "jsonl", NULL }; /* out_format order */
            int k;
            if (cli_parse_choice("--format", optarg, names, &k)) return -1;
            o->format = (out_format)k;
            break;
        }
        case OPT_CAL:
            if (cli_parse_double("--cal-db", optarg, -300, 300, &o->cal_db)) return -1;
            break;
        case OPT_RX:
            if (cli_parse_uint("--rx", optarg, 0, 63, &u)) return -1;
            o->rx = (unsigned)u;
            break;
        case ':': return cli_error(argv[optind - 1], "option needs a value (see 'cellscan spectrum --help')"), -1;
        case '?': return cli_error(argv[optind - 1], "unknown option (see 'cellscan spectrum --help')"), -1;
        default:
            if (cli_input_option(io, opt, optarg) != 0) return -1;
        }
    }
    /* Infer the raster from --bin-hz or a UMTS band when --raster was not given. */
    const cs_band *band = o->cp.band ? cs_band_find(o->cp.band) : NULL;
    if (o->cp.band && !band)
        return cli_error("--band", "unknown band '%s' (see 'cellscan spectrum --help')",
                         o->cp.band), -1;
    if (!o->raster_given && o->cp.bin_hz > 0) o->cp.raster = CS_RASTER_BINS;
    if (!o->raster_given && band && cs_band_standard(band) == CS_STANDARD_UMTS)
        o->cp.raster = CS_RASTER_UMTS;
    if (band && o->cp.raster == CS_RASTER_BINS)
        return cli_error("--band", "applies to --raster gsm and umts, not bins"), -1;
    if (band && (cs_band_standard(band) == CS_STANDARD_UMTS) != (o->cp.raster == CS_RASTER_UMTS))
        return cli_error("--band", "%s is not a %s band", cs_band_name(band),
                         o->cp.raster == CS_RASTER_UMTS ? "UMTS" : "GSM"), -1;
    if (o->cp.raster == CS_RASTER_BINS && !(o->cp.bin_hz > 0))
        return cli_error("--raster", "bins needs --bin-hz"), -1;
    if (o->cp.raster != CS_RASTER_BINS && o->cp.bin_hz > 0)
        return cli_error("--bin-hz", "applies to --raster bins only"), -1;
    if (o->occupied_only && o->format == FORMAT_CSV)
        return cli_error("--occupied-only", "not with --format csv (an rtl_power row holds "
                                            "every channel)"), -1;
    if (optind >= argc)
        return cli_error("spectrum", "no input file (see 'cellscan spectrum --help')"), -1;
    if (argc - optind > 1)
        return cli_error(argv[optind + 1], "spectrum takes one file (use 'cellscan batch' or a "
                                           "shell loop for several)"), -1;
    return 0;
}

/* Frames to measure: up to the first capture that retunes the receiver. */
static uint64_t frames_at_first_tuning(const char *path, const cs_recording_info *in)
{
    double f0 = in->captures[0].frequency_hz;
    for (size_t i = 1; i < in->num_captures; i++) {
        double f = in->captures[i].frequency_hz;
        if (f == f0 || (isnan(f) && isnan(f0))) continue;
        if (in->captures[i].sample_start == 0) return 0; /* reported as too short */
        fprintf(stderr, "cellscan: %s: note: capture %zu retunes at sample %" PRIu64
                        "; the spectrum covers samples 0 to %" PRIu64 " only\n",
                path, i, in->captures[i].sample_start, in->captures[i].sample_start - 1);
        return in->captures[i].sample_start;
    }
    return in->num_samples;
}

/* Stream the recording into the channel power meter. Returns 0 or -1 after an error line. */
static int measure(const char *path, cs_recording rec, options *o, const cli_input_opts *io,
                   spectrum *s)
{
    const cs_recording_info *in = cs_recording_get_info(rec);
    o->cp.sample_rate_hz = in->sample_rate_hz;
    o->cp.centre_hz = in->captures[0].frequency_hz;
    if (!isnan(io->freq_hz) && in->meta_path) {
        if (!isnan(o->cp.centre_hz) && fabs(o->cp.centre_hz - io->freq_hz) > 0.5)
            return cli_error(path, "--freq %.15g Hz conflicts with the metadata's centre "
                                   "%.15g Hz", io->freq_hz, o->cp.centre_hz), -1;
        o->cp.centre_hz = io->freq_hz;
    }
    if (o->rx >= in->num_channels)
        return cli_error(path, "--rx %u: the recording has %u channel%s", o->rx,
                         in->num_channels, in->num_channels == 1 ? "" : "s"), -1;
    snprintf(s->datetime, sizeof s->datetime, "%s", in->captures[0].datetime);
    cs_clear_error();
    if (cs_channel_power_create(&o->cp, &s->cp) != CS_OK)
        return cli_error(path, "%s", cs_last_error()), -1;
    uint64_t limit = frames_at_first_tuning(path, in);
    unsigned nfft = cs_channel_power_nfft(s->cp);
    if (limit < nfft)
        return cli_error(path, "too short: %" PRIu64 " samples, the %u-point spectrum needs at "
                               "least %u (see --nfft)", limit, nfft, nfft), -1;
    size_t nch = in->num_channels;
    cs_cf32 *buf = malloc(READ_BLOCK_FRAMES * nch * sizeof *buf);
    s->results = malloc(cs_channel_power_num_channels(s->cp) * sizeof *s->results);
    if (!buf || !s->results) {
        free(buf);
        return cli_error(path, "out of memory"), -1;
    }
    int rc = CS_OK;
    size_t n = 0;
    while (s->samples < limit) {
        size_t want = READ_BLOCK_FRAMES;
        if (limit - s->samples < want) want = (size_t)(limit - s->samples);
        if ((rc = cs_recording_read(rec, buf, want, &n)) != CS_OK || n == 0) break;
        /* Pick one channel out of the interleaved frames, in place. */
        if (nch > 1)
            for (size_t i = 0; i < n; i++) buf[i] = buf[i * nch + o->rx];
        cs_channel_power_execute(s->cp, buf, n);
        s->samples += n;
    }
    free(buf);
    if (rc == CS_OK) rc = cs_channel_power_results(s->cp, s->results);
    if (rc != CS_OK)
        return cli_error(path, "%s", *cs_last_error() ? cs_last_error() : cs_strerror(rc)), -1;
    s->duration_s = (double)s->samples / in->sample_rate_hz;
    return 0;
}

static const char *standard_name(cs_raster r)
{
    return r == CS_RASTER_GSM ? "GSM" : r == CS_RASTER_UMTS ? "UMTS" : NULL;
}

static const char *raster_name(cs_raster r)
{
    return r == CS_RASTER_GSM ? "gsm" : r == CS_RASTER_UMTS ? "umts" : "bins";
}

static void print_table(FILE *fp, const char *path, const options *o, const spectrum *s)
{
    cs_channel_power cp = s->cp;
    const cs_channel *ch = cs_channel_power_channels(cp);
    unsigned nfft = cs_channel_power_nfft(cp);
    int cal = !isnan(o->cal_db);
    fprintf(fp, "# %s: %.6g MHz wide", path, o->cp.sample_rate_hz / 1e6);
    if (isnan(o->cp.centre_hz)) fprintf(fp, ", centre unknown");
    else fprintf(fp, " at %.6f MHz", o->cp.centre_hz / 1e6);
    fprintf(fp, ", %.3f s, %" PRIu64 " x %u-point FFT (%.3f kHz bins), noise floor %.1f dBFS/Hz\n",
            s->duration_s, cs_channel_power_num_segments(cp), nfft,
            o->cp.sample_rate_hz / nfft / 1e3, cs_channel_power_noise_density_dbfs_hz(cp));
    fprintf(fp, "%-7s %-9s %-4s %11s %11s %11s %11s %7s %s%s\n",
            o->cp.raster == CS_RASTER_UMTS ? "uarfcn" : o->cp.raster == CS_RASTER_GSM ? "arfcn"
                                                                                    : "bin",
            "band", "link", "freq_MHz", "offset_kHz", "power_dBFS", "noise_dBFS", "SNR_dB",
            cal ? "power_dBm " : "", "occupied");
    for (size_t i = 0; i < cs_channel_power_num_channels(cp); i++) {
        const cs_channel_result *r = &s->results[i];
        if (o->occupied_only && !r->occupied) continue;
        char num[24] = "-", freq[24] = "-", snr[24] = "-";
        if (ch[i].number >= 0) snprintf(num, sizeof num, "%d", ch[i].number);
        else if (o->cp.raster == CS_RASTER_BINS) snprintf(num, sizeof num, "%zu", i);
        if (isfinite(ch[i].freq_hz)) snprintf(freq, sizeof freq, "%.4f", ch[i].freq_hz / 1e6);
        if (isfinite(r->snr_db)) snprintf(snr, sizeof snr, "%.1f", r->snr_db);
        fprintf(fp, "%-7s %-9s %-4s %11s %11.1f %11.2f %11.2f %7s ", num,
                ch[i].band ? ch[i].band : "-", ch[i].band ? (ch[i].uplink ? "up" : "down") : "-",
                freq, ch[i].offset_hz / 1e3, r->power_dbfs, r->noise_dbfs, snr);
        if (cal) fprintf(fp, "%10.2f ", r->power_dbfs + o->cal_db);
        fprintf(fp, "%s\n", r->occupied ? "yes" : "no");
    }
}

/* rtl_power layout: date, time, Hz low, Hz high, Hz step, samples, dB, dB, ... */
static void print_csv(FILE *fp, const options *o, const spectrum *s)
{
    cs_channel_power cp = s->cp;
    const cs_channel *ch = cs_channel_power_channels(cp);
    size_t n = cs_channel_power_num_channels(cp);
    double step = n > 1 ? ch[1].offset_hz - ch[0].offset_hz : ch[0].bandwidth_hz;
    if (o->cp.raster == CS_RASTER_UMTS) step = 5e6; /* the raster, even for one channel */
    double base = isnan(o->cp.centre_hz) ? 0.0 : o->cp.centre_hz;
    char date[16] = "", tod[16] = "";
    if (strlen(s->datetime) >= 19 && s->datetime[10] == 'T') {
        snprintf(date, sizeof date, "%.10s", s->datetime);
        snprintf(tod, sizeof tod, "%.8s", s->datetime + 11);
    }
    fprintf(fp, "%s, %s, %.0f, %.0f, %.2f, %" PRIu64, date, tod,
            base + ch[0].offset_hz - step / 2, base + ch[n - 1].offset_hz + step / 2, step,
            s->samples);
    double cal = isnan(o->cal_db) ? 0.0 : o->cal_db;
    for (size_t i = 0; i < n; i++) fprintf(fp, ", %.2f", s->results[i].power_dbfs + cal);
    fputc('\n', fp);
}

static void json_num(FILE *fp, const char *key, double v, int decimals)
{
    fprintf(fp, ",\"%s\":", key);
    cli_json_number(fp, v, decimals);
}

static void print_jsonl(FILE *fp, const char *path, const options *o, const spectrum *s,
                        double processing_s)
{
    cs_channel_power cp = s->cp;
    const cs_channel *ch = cs_channel_power_channels(cp);
    size_t n = cs_channel_power_num_channels(cp), occupied = 0;
    int cal = !isnan(o->cal_db);
    for (size_t i = 0; i < n; i++) {
        const cs_channel_result *r = &s->results[i];
        occupied += r->occupied != 0;
        if (o->occupied_only && !r->occupied) continue;
        fputs("{\"type\":\"channel_power\",\"file\":", fp);
        cli_json_string(fp, path);
        fputs(",\"standard\":", fp);
        cli_json_string(fp, standard_name(o->cp.raster));
        fprintf(fp, ",\"raster\":\"%s\"", raster_name(o->cp.raster));
        if (o->cp.raster != CS_RASTER_BINS) {
            fprintf(fp, ",\"%s\":", o->cp.raster == CS_RASTER_GSM ? "arfcn" : "uarfcn");
            if (ch[i].number >= 0) fprintf(fp, "%d", ch[i].number);
            else fputs("null", fp);
        }
        fputs(",\"band\":", fp);
        cli_json_string(fp, ch[i].band);
        fputs(",\"link\":", fp);
        cli_json_string(fp, ch[i].band ? (ch[i].uplink ? "uplink" : "downlink") : NULL);
        json_num(fp, "freq_hz", ch[i].freq_hz, 1);
        json_num(fp, "offset_hz", ch[i].offset_hz, 1);
        json_num(fp, "bandwidth_hz", ch[i].bandwidth_hz, 1);
        json_num(fp, "power_dbfs", r->power_dbfs, 3);
        json_num(fp, "noise_dbfs", r->noise_dbfs, 3);
        json_num(fp, "snr_db", r->snr_db, 3);
        if (cal) {
            json_num(fp, "power_dbm", r->power_dbfs + o->cal_db, 3);
            json_num(fp, "noise_dbm", r->noise_dbfs + o->cal_db, 3);
        }
        fprintf(fp, ",\"occupied\":%s}\n", r->occupied ? "true" : "false");
    }
    fputs("{\"type\":\"summary\",\"file\":", fp);
    cli_json_string(fp, path);
    fputs(",\"receiver_ppm\":null", fp);
    json_num(fp, "duration_s", s->duration_s, 9);
    json_num(fp, "sample_rate_hz", o->cp.sample_rate_hz, 3);
    json_num(fp, "centre_hz", o->cp.centre_hz, 3);
    json_num(fp, "processing_s", processing_s, 6);
    fprintf(fp, ",\"raster\":\"%s\",\"nfft\":%u,\"segments\":%" PRIu64, raster_name(o->cp.raster),
            cs_channel_power_nfft(cp), cs_channel_power_num_segments(cp));
    json_num(fp, "noise_density_dbfs_hz", cs_channel_power_noise_density_dbfs_hz(cp), 3);
    fprintf(fp, ",\"channels\":%zu,\"occupied_channels\":%zu}\n", n, occupied);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cmd_spectrum(int argc, char **argv)
{
    double t0 = now_s();
    options o;
    memset(&o, 0, sizeof o);
    cs_channel_power_params_init(&o.cp);
    o.format = FORMAT_TABLE;
    o.cal_db = NAN;
    cli_input_opts io;
    cli_input_opts_init(&io);
    int prc = parse_options(argc, argv, &o, &io);
    if (prc) return prc > 0 ? 0 : 2;
    const char *path = argv[optind];

    cs_recording rec;
    if (cli_open(path, &io, &rec) != 0) return 1;
    spectrum s;
    memset(&s, 0, sizeof s);
    int rc = measure(path, rec, &o, &io, &s);
    cs_recording_destroy(rec);
    cli_output out;
    if (rc == 0) rc = cli_output_open(&out, o.output);
    if (rc == 0) {
        if (o.format == FORMAT_TABLE) print_table(out.fp, path, &o, &s);
        else if (o.format == FORMAT_CSV) print_csv(out.fp, &o, &s);
        else print_jsonl(out.fp, path, &o, &s, now_s() - t0);
        rc = cli_output_commit(&out);
    }
    cs_channel_power_destroy(s.cp);
    free(s.results);
    return rc == 0 ? 0 : 1;
}
