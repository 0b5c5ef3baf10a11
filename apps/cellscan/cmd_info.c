/* cellscan info: describe recordings (format, rate, centre, captures, annotations) and
 * measure their signal in one streaming pass (power, peak, clipping, DC, NaN/Inf). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/signal_stats.h"
#include "cellscan/status.h"
#include "cli.h"
#include "commands.h"

enum { OPT_FORMAT = CLI_OPT_FIRST_FREE };
typedef enum { FORMAT_TABLE, FORMAT_JSONL } out_format;

/* Captures listed one per line in the table; JSON Lines lists them all. */
#define TABLE_MAX_CAPTURES 20

/* Samples per read: bounds memory (512 KiB of cf32) whatever the file size. */
#define READ_BLOCK_SAMPLES 65536

typedef struct measured {
    cs_signal_stats_result all;
    double channel_power_dbfs[64];
} measured;

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: cellscan info [--format table|jsonl] [raw input options] FILE...\n\n"
            "Describe each recording (datatype, sample rate, centre frequency, duration,\n"
            "channels, captures, annotations, description) and measure its signal in one\n"
            "pass: mean and peak power (dBFS), clipped fraction, DC offset, NaN/Inf samples.\n"
            "FILE is a .sigmf-meta, a .sigmf-data, their basename, or a raw IQ file.\n\n"
            "Options:\n"
            "  --format F      table (default, human-readable) or jsonl (one JSON object\n"
            "                  per file: \"type\": \"info\", \"file\": ...)\n"
            "  -h, --help      show this help\n\n" CLI_INPUT_HELP
            "\nA file that cannot be read gets one error line on stderr; the others are\n"
            "still described. Exit status: 0 when every file was read, 1 otherwise,\n"
            "2 for a usage error.\n");
}

/* Stream the whole recording through the statistics. */
static int measure(const char *path, cs_recording rec, measured *m)
{
    const cs_recording_info *in = cs_recording_get_info(rec);
    size_t frames = READ_BLOCK_SAMPLES / in->num_channels;
    cs_cf32 *buf = malloc(frames * in->num_channels * sizeof *buf);
    cs_signal_stats st = NULL;
    int rc = buf ? cs_signal_stats_create(in->datatype, in->num_channels, &st)
                 : cs_error(CS_ENOMEM, "out of memory");
    size_t n = 0;
    while (rc == CS_OK && (rc = cs_recording_read(rec, buf, frames, &n)) == CS_OK && n > 0)
        cs_signal_stats_execute(st, buf, n);
    if (rc == CS_OK) {
        cs_signal_stats_get(st, CS_SIGNAL_STATS_ALL_CHANNELS, &m->all);
        for (unsigned c = 0; c < in->num_channels; c++) {
            cs_signal_stats_result r;
            cs_signal_stats_get(st, (int)c, &r);
            m->channel_power_dbfs[c] = r.mean_power_dbfs;
        }
    } else {
        cli_error(path, "%s", *cs_last_error() ? cs_last_error() : cs_strerror(rc));
    }
    cs_signal_stats_destroy(st);
    free(buf);
    return rc == CS_OK ? 0 : -1;
}

static void print_hz(FILE *fp, double hz)
{
    if (isnan(hz)) fputs("unknown", fp);
    else fprintf(fp, "%.15g Hz (%.6f MHz)", hz, hz / 1e6);
}

static void print_capture(FILE *fp, size_t i, const cs_capture *c)
{
    fprintf(fp, "  [%zu]%*ssample %" PRIu64 ": ", i, (int)(10 - snprintf(NULL, 0, "%zu", i)), "",
            c->sample_start);
    if (isnan(c->frequency_hz)) fputs("frequency unknown", fp);
    else print_hz(fp, c->frequency_hz);
    if (c->datetime[0]) fprintf(fp, ", %s", c->datetime);
    if (isfinite(c->latitude_deg))
        fprintf(fp, ", lat %.6f lon %.6f", c->latitude_deg, c->longitude_deg);
    if (c->global_index != c->sample_start) fprintf(fp, ", global index %" PRIu64, c->global_index);
    fputc('\n', fp);
}

static void print_table(FILE *fp, const char *path, const cs_recording_info *in, const measured *m)
{
    const cs_signal_stats_result *s = &m->all;
    fprintf(fp, "file          %s\n", path);
    fprintf(fp, "data file     %s\n", in->data_path);
    fprintf(fp, "datatype      %s (full scale %.10g)\n", cs_datatype_name(in->datatype), in->full_scale);
    fprintf(fp, "sample rate   %.15g Hz\n", in->sample_rate_hz);
    fprintf(fp, "centre        ");
    print_hz(fp, in->captures[0].frequency_hz);
    fprintf(fp, "\nduration      %.6f s (%" PRIu64 " samples)\n", in->duration_s, in->num_samples);
    fprintf(fp, "channels      %u\n", in->num_channels);
    fprintf(fp, "captures      %zu\n", in->num_captures);
    for (size_t i = 0; i < in->num_captures && i < TABLE_MAX_CAPTURES; i++)
        print_capture(fp, i, &in->captures[i]);
    if (in->num_captures > TABLE_MAX_CAPTURES)
        fprintf(fp, "  ... and %zu more (see --format jsonl)\n", in->num_captures - TABLE_MAX_CAPTURES);
    fprintf(fp, "annotations   %zu\n", in->num_annotations);
    if (in->description) fprintf(fp, "description   %s\n", in->description);
    if (in->author) fprintf(fp, "author        %s\n", in->author);
    if (in->recorder) fprintf(fp, "recorder      %s\n", in->recorder);
    if (in->hw) fprintf(fp, "hardware      %s\n", in->hw);
    fprintf(fp, "mean power    %+.2f dBFS\n", s->mean_power_dbfs);
    if (in->num_channels > 1) {
        fprintf(fp, "per channel  ");
        for (unsigned c = 0; c < in->num_channels; c++)
            fprintf(fp, " %u: %+.2f", c, m->channel_power_dbfs[c]);
        fprintf(fp, " dBFS\n");
    }
    fprintf(fp, "peak power    %+.2f dBFS\n", s->peak_power_dbfs);
    /* Float files cannot saturate; values beyond +-1 only mean the file is not normalised. */
    int is_float = in->full_scale == 1.0;
    fprintf(fp, "%s %.4f %% of I/Q values (%" PRIu64 " of %" PRIu64 ")%s\n",
            is_float ? "beyond +-1   " : "clipped      ", 100.0 * s->clipped_fraction,
            s->clipped_components, 2 * s->samples,
            is_float && s->clipped_fraction > 0.5 ? " - float data not normalised to full scale 1"
                                                 : "");
    fprintf(fp, "DC offset     %+.2f dBFS (I %+.6g, Q %+.6g)\n", s->dc_power_dbfs, s->dc_i, s->dc_q);
    fprintf(fp, "non-finite    %" PRIu64 " samples (NaN or Inf)\n", s->nonfinite_samples);
}

static void json_key(FILE *fp, const char *key) { fprintf(fp, ",\"%s\":", key); }

static void print_jsonl(FILE *fp, const char *path, const cs_recording_info *in, const measured *m)
{
    const cs_signal_stats_result *s = &m->all;
    fputs("{\"type\":\"info\",\"file\":", fp);
    cli_json_string(fp, path);
    json_key(fp, "data_file"), cli_json_string(fp, in->data_path);
    json_key(fp, "meta_file"), cli_json_string(fp, in->meta_path);
    json_key(fp, "datatype"), cli_json_string(fp, cs_datatype_name(in->datatype));
    json_key(fp, "sample_rate_hz"), cli_json_number(fp, in->sample_rate_hz, 3);
    json_key(fp, "centre_hz"), cli_json_number(fp, in->captures[0].frequency_hz, 3);
    json_key(fp, "duration_s"), cli_json_number(fp, in->duration_s, 9);
    fprintf(fp, ",\"samples\":%" PRIu64 ",\"channels\":%u,\"captures\":[", in->num_samples,
            in->num_channels);
    for (size_t i = 0; i < in->num_captures; i++) {
        const cs_capture *c = &in->captures[i];
        fprintf(fp, "%s{\"sample_start\":%" PRIu64 ",\"global_index\":%" PRIu64, i ? "," : "",
                c->sample_start, c->global_index);
        json_key(fp, "frequency_hz"), cli_json_number(fp, c->frequency_hz, 3);
        json_key(fp, "datetime"), cli_json_string(fp, c->datetime[0] ? c->datetime : NULL);
        json_key(fp, "lat"), cli_json_number(fp, c->latitude_deg, 7);
        json_key(fp, "lon"), cli_json_number(fp, c->longitude_deg, 7);
        fputc('}', fp);
    }
    fprintf(fp, "],\"annotations\":%zu", in->num_annotations);
    json_key(fp, "version"), cli_json_string(fp, in->version);
    json_key(fp, "description"), cli_json_string(fp, in->description);
    json_key(fp, "author"), cli_json_string(fp, in->author);
    json_key(fp, "recorder"), cli_json_string(fp, in->recorder);
    json_key(fp, "hw"), cli_json_string(fp, in->hw);
    json_key(fp, "mean_power_dbfs"), cli_json_number(fp, s->mean_power_dbfs, 3);
    json_key(fp, "peak_power_dbfs"), cli_json_number(fp, s->peak_power_dbfs, 3);
    json_key(fp, "clipped_fraction"), cli_json_number(fp, s->clipped_fraction, 9);
    json_key(fp, "dc_offset_dbfs"), cli_json_number(fp, s->dc_power_dbfs, 3);
    json_key(fp, "dc_i"), cli_json_number(fp, s->dc_i, 12);
    json_key(fp, "dc_q"), cli_json_number(fp, s->dc_q, 12);
    fprintf(fp, ",\"nonfinite_samples\":%" PRIu64 ",\"channel_mean_power_dbfs\":[",
            s->nonfinite_samples);
    for (unsigned c = 0; c < in->num_channels; c++) {
        if (c) fputc(',', fp);
        cli_json_number(fp, m->channel_power_dbfs[c], 3);
    }
    fputs("]}\n", fp);
}

/* Describe one file; its output appears only when complete. */
static int info_one(const char *path, const cli_input_opts *io, out_format fmt, int first)
{
    cs_recording rec;
    if (cli_open(path, io, &rec) != 0) return -1;
    cs_recording_allow_nonfinite(rec, 1); /* counted, not fatal */
    measured m;
    int rc = measure(path, rec, &m);
    cli_output out;
    if (rc == 0) rc = cli_output_open(&out, NULL);
    if (rc == 0) {
        const cs_recording_info *in = cs_recording_get_info(rec);
        if (fmt == FORMAT_JSONL) print_jsonl(out.fp, path, in, &m);
        else {
            if (!first) fputc('\n', out.fp);
            print_table(out.fp, path, in, &m);
        }
        rc = cli_output_commit(&out);
    }
    cs_recording_destroy(rec);
    return rc;
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, 0, OPT_FORMAT },
        { "help", no_argument, 0, 'h' },
        CLI_INPUT_LONG_OPTIONS,
        { 0, 0, 0, 0 },
    };
    cli_input_opts io;
    cli_input_opts_init(&io);
    out_format fmt = FORMAT_TABLE;
    int opt;
    optind = 1;
    opterr = 0; /* our own one-line messages below */
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h': usage(stdout); return 0;
        case OPT_FORMAT:
        {
            static const char *const names[] = { "table", "jsonl", NULL }; /* out_format order */
            int k;
            if (cli_parse_choice("--format", optarg, names, &k)) return 2;
            fmt = (out_format)k;
            break;
        }
        case ':':
            cli_error(argv[optind - 1], "option needs a value (see 'cellscan info --help')");
            return 2;
        case '?':
            cli_error(argv[optind - 1], "unknown option (see 'cellscan info --help')");
            return 2;
        default:
            if (cli_input_option(&io, opt, optarg) != 0) return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "cellscan: info: no input file (see 'cellscan info --help')\n");
        return 2;
    }
    int failed = 0, shown = 0;
    for (int i = optind; i < argc; i++) {
        if (info_one(argv[i], &io, fmt, shown == 0) != 0) failed++;
        else shown++;
    }
    return failed ? 1 : 0;
}
