/* Shared pieces of the cellscan subcommands: input options, opening a recording,
 * one-line errors, strict number parsing and all-or-nothing output files. */
#ifndef CELLSCAN_CLI_H
#define CELLSCAN_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "cellscan/recording.h"

/* Options every command that reads recordings accepts, for raw files. */
typedef struct cli_input_opts {
    const char *format_in; /* --format-in cf32|cf64|ci16|ci8|cu8|<sigmf name>; NULL: by extension */
    double rate_hz;        /* --rate, NAN when not given */
    double freq_hz;        /* --freq, NAN when not given */
    unsigned channels;     /* --channels, 1 by default */
} cli_input_opts;

enum {
    CLI_OPT_FORMAT_IN = 1000,
    CLI_OPT_RATE,
    CLI_OPT_FREQ,
    CLI_OPT_CHANNELS,
    CLI_OPT_FIRST_FREE = 1100 /* commands number their own long-only options from here */
};

#define CLI_INPUT_LONG_OPTIONS                                  \
    { "format-in", required_argument, 0, CLI_OPT_FORMAT_IN },   \
    { "rate", required_argument, 0, CLI_OPT_RATE },             \
    { "freq", required_argument, 0, CLI_OPT_FREQ },             \
    { "channels", required_argument, 0, CLI_OPT_CHANNELS }

#define CLI_INPUT_HELP                                                                    \
    "Raw input (headerless IQ files; SigMF needs none of these):\n"                       \
    "  --format-in T   sample type: cf32 (GNU Radio .cfile), cf64, ci16/cs16, ci8/cs8,\n" \
    "                  cu8 (rtl_sdr), or any SigMF datatype name such as ci16_be\n"      \
    "  --rate HZ       sample rate in Hz\n"                                               \
    "  --freq HZ       RF centre frequency in Hz (optional)\n"                            \
    "  --channels N    interleaved channels per sample (default 1)\n"

void cli_input_opts_init(cli_input_opts *o);

/* Handle one of the CLI_OPT_* input options; returns 0, or -1 after printing an error. */
int cli_input_option(cli_input_opts *o, int opt, const char *arg);

/* Open a recording: SigMF when the path names one (or a .sigmf-meta sits beside it),
 * otherwise raw with the input options (type from --format-in or the extension).
 * On failure prints "cellscan: PATH: problem" and returns non-zero. */
int cli_open(const char *path, const cli_input_opts *o, cs_recording *out);

/* Print "cellscan: WHAT: problem" to stderr (WHAT is a file or an option). */
void cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Strict parsers: whole string, finite, within [lo, hi]; print an error naming `what`. */
int cli_parse_double(const char *what, const char *s, double lo, double hi, double *out);
int cli_parse_uint(const char *what, const char *s, unsigned long lo, unsigned long hi,
                   unsigned long *out);
/* s as one of names (NULL-terminated): *out = its index; else "'s' is not one of a, b, c". */
int cli_parse_choice(const char *what, const char *s, const char *const *names, int *out);

/* Output that appears only when complete: to stdout (buffered in memory until commit)
 * or to a file (written under a temporary name, renamed on commit). */
typedef struct cli_output {
    FILE *fp;          /* write here */
    char *path;        /* final path, NULL for stdout */
    char *tmp_path;    /* temporary file, NULL for stdout */
    char *mem;         /* stdout buffer */
    size_t mem_len;
} cli_output;

int cli_output_open(cli_output *out, const char *path); /* path NULL or "-" → stdout */
int cli_output_commit(cli_output *out);                 /* publish; returns 0 or -1 */
void cli_output_abort(cli_output *out);                 /* discard everything */

/* Print a JSON string literal (quoted, escaped); NULL prints null. */
void cli_json_string(FILE *fp, const char *s);
/* Print a JSON number, or null when not finite. */
void cli_json_number(FILE *fp, double v, int decimals);

#endif
