/* Shared pieces of the cellscan subcommands (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/status.h"

void cli_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cellscan: %s: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_input_opts_init(cli_input_opts *o)
{
    o->format_in = NULL;
    o->rate_hz = NAN;
    o->freq_hz = NAN;
    o->channels = 1;
}

int cli_parse_double(const char *what, const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        cli_error(what, "'%s' is not a finite number", s);
        return -1;
    }
    if (v < lo || v > hi) {
        cli_error(what, "%s is out of range [%g, %g]", s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_uint(const char *what, const char *s, unsigned long lo, unsigned long hi,
                   unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    if (*s == '-' || *s == '+') {
        cli_error(what, "'%s' is not a whole number from %lu to %lu", s, lo, hi);
        return -1;
    }
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
        cli_error(what, "'%s' is not a whole number from %lu to %lu", s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_choice(const char *what, const char *s, const char *const *names, int *out)
{
    char list[256] = "";
    for (int i = 0; names[i]; i++) {
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    }
    cli_error(what, "'%s' is not one of %s", s, list);
    return -1;
}

int cli_input_option(cli_input_opts *o, int opt, const char *arg)
{
    unsigned long n;
    switch (opt) {
    case CLI_OPT_FORMAT_IN: o->format_in = arg; return 0;
    case CLI_OPT_RATE: return cli_parse_double("--rate", arg, 1.0, 1e11, &o->rate_hz);
    case CLI_OPT_FREQ: return cli_parse_double("--freq", arg, 0.0, 1e12, &o->freq_hz);
    case CLI_OPT_CHANNELS:
        if (cli_parse_uint("--channels", arg, 1, 64, &n)) return -1;
        o->channels = (unsigned)n;
        return 0;
    default: return -1;
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Type implied by a raw file's extension, or NULL. */
static const char *raw_type_from_extension(const char *path)
{
    static const struct { const char *ext, *type; } table[] = {
        { ".cfile", "cf32" }, { ".cf32", "cf32" }, { ".fc32", "cf32" }, { ".cf64", "cf64" },
        { ".cs16", "ci16" },  { ".ci16", "ci16" }, { ".sc16", "ci16" }, { ".cs8", "ci8" },
        { ".ci8", "ci8" },    { ".cu8", "cu8" },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (ends_with(path, table[i].ext)) return table[i].type;
    return NULL;
}

static int looks_like_sigmf(const char *path)
{
    if (ends_with(path, ".sigmf-meta") || ends_with(path, ".sigmf-data") ||
        ends_with(path, ".sigmf"))
        return 1;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s.sigmf-meta", path);
    struct stat st;
    return stat(buf, &st) == 0;
}

int cli_open(const char *path, const cli_input_opts *o, cs_recording *out)
{
    int rc;
    cs_clear_error();
    if (o->format_in == NULL && looks_like_sigmf(path)) {
        rc = cs_recording_open(path, out);
    } else {
        const char *type = o->format_in ? o->format_in : raw_type_from_extension(path);
        if (type == NULL) {
            cli_error(path, "not a SigMF recording (no .sigmf-meta); for a raw IQ file give "
                            "--format-in and --rate");
            return -1;
        }
        if (isnan(o->rate_hz)) {
            cli_error(path, "raw IQ file needs --rate (sample rate in Hz)");
            return -1;
        }
        cs_raw_params p = { CS_DT_UNKNOWN, o->rate_hz, o->freq_hz, o->channels };
        if (cs_datatype_parse(type, &p.datatype) != CS_OK) {
            cli_error("--format-in", "%s", cs_last_error());
            return -1;
        }
        rc = cs_recording_open_raw(path, &p, out);
    }
    if (rc != CS_OK) {
        const char *msg = cs_last_error();
        cli_error(path, "%s", *msg ? msg : cs_strerror(rc));
        return -1;
    }
    return 0;
}

int cli_output_open(cli_output *out, const char *path)
{
    memset(out, 0, sizeof *out);
    if (path == NULL || strcmp(path, "-") == 0) {
        out->fp = open_memstream(&out->mem, &out->mem_len);
        if (!out->fp) {
            cli_error("stdout", "cannot buffer output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t n = strlen(path) + 16;
    out->path = strdup(path);
    out->tmp_path = malloc(n);
    if (!out->path || !out->tmp_path) {
        cli_error(path, "out of memory");
        cli_output_abort(out);
        return -1;
    }
    snprintf(out->tmp_path, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0 || !(out->fp = fdopen(fd, "w"))) {
        cli_error(path, "cannot create output file: %s", strerror(errno));
        if (fd >= 0) close(fd);
        free(out->tmp_path);
        out->tmp_path = NULL;
        cli_output_abort(out);
        return -1;
    }
    return 0;
}

int cli_output_commit(cli_output *out)
{
    int rc = 0;
    if (out->path == NULL) {
        if (fclose(out->fp) != 0) rc = -1;
        out->fp = NULL;
        if (rc == 0 && out->mem_len && fwrite(out->mem, 1, out->mem_len, stdout) != out->mem_len)
            rc = -1;
        if (fflush(stdout) != 0) rc = -1;
        if (rc) cli_error("stdout", "write failed: %s", strerror(errno));
    } else {
        if (fflush(out->fp) != 0 || fsync(fileno(out->fp)) != 0) rc = -1;
        if (fclose(out->fp) != 0) rc = -1;
        out->fp = NULL;
        if (rc == 0 && rename(out->tmp_path, out->path) != 0) rc = -1;
        if (rc) {
            cli_error(out->path, "cannot write output: %s", strerror(errno));
            unlink(out->tmp_path);
        }
    }
    free(out->mem);
    free(out->path);
    free(out->tmp_path);
    memset(out, 0, sizeof *out);
    return rc;
}

void cli_output_abort(cli_output *out)
{
    if (out->fp) fclose(out->fp);
    if (out->tmp_path) unlink(out->tmp_path);
    free(out->mem);
    free(out->path);
    free(out->tmp_path);
    memset(out, 0, sizeof *out);
}

void cli_json_string(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default:
            if (*p < 0x20) fprintf(fp, "\\u%04x", *p);
            else fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

void cli_json_number(FILE *fp, double v, int decimals)
{
    if (isfinite(v)) fprintf(fp, "%.*f", decimals, v);
    else fputs("null", fp);
}
