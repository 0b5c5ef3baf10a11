/* Scenario of the generator: creation, defaults, emitters from command-line specs, labels.
 * File parsing is in synth_scenario_json.c, defaults and powers in synth_resolve.c. */
#include "cellscan/synth_scenario.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

int cs_synth_scenario_create(cs_synth_scenario **out)
{
    cs_synth_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) return cs_error(CS_ENOMEM, "out of memory");
    sc->sample_rate_hz = NAN;
    sc->centre_freq_hz = NAN;
    sc->duration_s = 0.1;
    sc->seed = 1;
    sc->datatype = CS_DT_CF32_LE;
    sc->power_dbfs = -15.0;
    sc->noise_dbfs = NAN;
    sc->content = CS_SYNTH_ALL;
    sc->rx.dc_dbfs = -INFINITY;
    synth_array_init(&sc->array);
    synth_motion_init(&sc->motion);
    sc->n0_dbfs_per_hz = NAN;
    sc->noise_power_dbfs = NAN;
    *out = sc;
    return CS_OK;
}

void cs_synth_scenario_destroy(cs_synth_scenario *sc)
{
    if (!sc) return;
    for (size_t i = 0; i < sc->num_gsm; i++) free(sc->gsm[i].bursts_file);
    free(sc->gsm);
    free(sc->bursts);
    free(sc->umts);
    free(sc->source_path);
    free(sc);
}

static void common_init(cs_synth_common *c)
{
    memset(c, 0, sizeof *c);
    c->doppler_hz = NAN; /* from the fading profile's speed */
    c->lat_deg = c->lon_deg = NAN;
    c->freq_hz = c->offset_hz = c->power_dbfs = c->bandwidth_hz = NAN;
}

/* Grow an array by one zeroed element. */
static void *grow(void **arr, size_t *n, size_t size)
{
    void *p = realloc(*arr, (*n + 1) * size);
    if (!p) return NULL;
    *arr = p;
    void *e = (char *)p + *n * size;
    memset(e, 0, size);
    (*n)++;
    return e;
}

cs_synth_gsm *cs_synth_scenario_add_gsm(cs_synth_scenario *sc)
{
    cs_synth_gsm *g = grow((void **)&sc->gsm, &sc->num_gsm, sizeof *g);
    if (!g) return NULL;
    g->arfcn = -1;
    g->snr_db = 20.0;
    g->first_fn = -1;
    g->first_frame_s = NAN;
    g->mcc = 1;
    g->mnc = 1;
    g->mnc_digits = 2;
    g->lac = 1;
    g->ci = (int)sc->num_gsm; /* 1, 2, ...: distinct per cell */
    common_init(&g->c);
    sc->resolved = 0;
    return g;
}

cs_synth_gsm_bursts *cs_synth_scenario_add_bursts(cs_synth_scenario *sc, int uplink)
{
    cs_synth_gsm_bursts *b = grow((void **)&sc->bursts, &sc->num_bursts, sizeof *b);
    if (!b) return NULL;
    b->uplink = uplink ? 1 : 0;
    b->arfcn = -1;
    b->tsc = -1;
    b->snr_db = 20.0;
    b->cell = -1;
    b->first_fn = -1;
    b->first_frame_s = NAN;
    common_init(&b->c);
    sc->resolved = 0;
    return b;
}

cs_synth_umts *cs_synth_scenario_add_umts(cs_synth_scenario *sc)
{
    cs_synth_umts *u = grow((void **)&sc->umts, &sc->num_umts, sizeof *u);
    if (!u) return NULL;
    u->psc = -1;
    u->ecio_db = -12.0;
    u->uarfcn = -1;
    u->frame_offset_chips = NAN;
    u->cpich_db = -10.0;
    u->pccpch_db = -12.0;
    u->psch_db = -15.0;
    u->ssch_db = -15.0;
    u->sch_sign = -1;
    u->ocns_codes = CS_SYNTH_MAX_OCNS;
    u->cpich_dbfs = u->io_dbfs = u->ocns_db = NAN;
    common_init(&u->c);
    sc->resolved = 0;
    return u;
}

/* ---- command-line specs ---------------------------------------------------------- */

/* Split spec at ':' into fields (copied into buf). Returns the count, or max + 1 when
 * there are more than max fields. */
static int split_fields(const char *spec, char *buf, size_t bufsize, char **fields, int max)
{
    snprintf(buf, bufsize, "%s", spec);
    int n = 1;
    for (const char *p = buf; *p; p++) n += *p == ':';
    if (n > max) return max + 1;
    char *p = buf;
    for (int i = 0; i < n; i++) {
        fields[i] = p;
        char *colon = strchr(p, ':');
        if (colon) {
            *colon = '\0';
            p = colon + 1;
        }
    }
    return n;
}

static int parse_int(const char *opt, const char *name, const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return cs_error(CS_EINVAL, "%s: %s '%s' is not a whole number from %ld to %ld", opt, name,
                        s, lo, hi);
    *out = (int)v;
    return CS_OK;
}

static int parse_num(const char *opt, const char *name, const char *s, double lo, double hi,
                     double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
        return cs_error(CS_EINVAL, "%s: %s '%s' is not a number from %g to %g", opt, name, s, lo,
                        hi);
    *out = v;
    return CS_OK;
}

int cs_synth_scenario_add_gsm_spec(cs_synth_scenario *sc, const char *spec)
{
    char buf[256], *f[4];
    if (split_fields(spec, buf, sizeof buf, f, 4) != 4)
        return cs_error(CS_EINVAL, "--gsm: '%s' is not ARFCN:NCC:BCC:SNR_DB", spec);
    int arfcn = 0, ncc = 0, bcc = 0;
    double snr = 0;
    int rc = parse_int("--gsm", "ARFCN", f[0], 0, 1023, &arfcn);
    if (!rc) rc = parse_int("--gsm", "NCC", f[1], 0, 7, &ncc);
    if (!rc) rc = parse_int("--gsm", "BCC", f[2], 0, 7, &bcc);
    if (!rc) rc = parse_num("--gsm", "SNR_DB", f[3], -50, 100, &snr);
    if (rc) return rc;
    cs_synth_gsm *g = cs_synth_scenario_add_gsm(sc);
    if (!g) return cs_error(CS_ENOMEM, "out of memory");
    g->arfcn = arfcn;
    g->ncc = ncc;
    g->bcc = bcc;
    g->snr_db = snr;
    return CS_OK;
}

int cs_synth_scenario_add_umts_spec(cs_synth_scenario *sc, const char *spec)
{
    char buf[256], *f[3];
    int n = split_fields(spec, buf, sizeof buf, f, 3);
    if (n < 2 || n > 3)
        return cs_error(CS_EINVAL, "--umts: '%s' is not PSC:ECIO_DB[:UARFCN]", spec);
    int psc = 0, uarfcn = -1;
    double ecio = 0;
    int rc = parse_int("--umts", "PSC", f[0], 0, 511, &psc);
    if (!rc) rc = parse_num("--umts", "ECIO_DB", f[1], -60, 0, &ecio);
    if (!rc && n == 3) rc = parse_int("--umts", "UARFCN", f[2], 0, 16383, &uarfcn);
    if (rc) return rc;
    cs_synth_umts *u = cs_synth_scenario_add_umts(sc);
    if (!u) return cs_error(CS_ENOMEM, "out of memory");
    u->psc = psc;
    u->ecio_db = ecio;
    u->uarfcn = uarfcn;
    return CS_OK;
}

/* "1,2,5" → mask. */
static int parse_timeslots(const char *opt, const char *s, unsigned *mask)
{
    *mask = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int ts = 0;
        if (parse_int(opt, "timeslot", tok, 0, 7, &ts)) return CS_EINVAL;
        *mask |= 1u << ts;
    }
    if (!*mask) return cs_error(CS_EINVAL, "%s: no timeslot in '%s'", opt, s);
    return CS_OK;
}

/* "0.1-0.3,0.5-0.9" or "all". */
static int parse_intervals(const char *opt, const char *s, cs_synth_gsm_bursts *b)
{
    b->num_intervals = 0;
    if (!strcmp(s, "all")) return CS_OK;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        if (!dash || dash == tok)
            return cs_error(CS_EINVAL, "%s: interval '%s' is not T0-T1 (seconds)", opt, tok);
        *dash = '\0';
        if (b->num_intervals == CS_SYNTH_MAX_INTERVALS)
            return cs_error(CS_EINVAL, "%s: more than %d intervals", opt, CS_SYNTH_MAX_INTERVALS);
        double *iv = b->intervals_s[b->num_intervals];
        if (parse_num(opt, "T0", tok, 0, 1e6, &iv[0]) || parse_num(opt, "T1", dash + 1, 0, 1e6, &iv[1]))
            return CS_EINVAL;
        if (iv[1] <= iv[0])
            return cs_error(CS_EINVAL, "%s: interval %g-%g ends before it starts", opt, iv[0], iv[1]);
        b->num_intervals++;
    }
    return CS_OK;
}

int cs_synth_scenario_add_traffic_spec(cs_synth_scenario *sc, const char *spec)
{
    char buf[256], *f[3];
    if (split_fields(spec, buf, sizeof buf, f, 3) != 3)
        return cs_error(CS_EINVAL, "--traffic: '%s' is not ARFCN:TS[,TS...]:SNR_DB", spec);
    int arfcn = 0;
    unsigned mask = 0;
    double snr = 0;
    int rc = parse_int("--traffic", "ARFCN", f[0], 0, 1023, &arfcn);
    if (!rc) rc = parse_timeslots("--traffic", f[1], &mask);
    if (!rc) rc = parse_num("--traffic", "SNR_DB", f[2], -50, 100, &snr);
    if (rc) return rc;
    cs_synth_gsm_bursts *b = cs_synth_scenario_add_bursts(sc, 0);
    if (!b) return cs_error(CS_ENOMEM, "out of memory");
    b->arfcn = arfcn;
    b->timeslot_mask = mask;
    b->snr_db = snr;
    return CS_OK;
}

int cs_synth_scenario_add_uplink_spec(cs_synth_scenario *sc, const char *spec)
{
    char buf[512], *f[4];
    if (split_fields(spec, buf, sizeof buf, f, 4) != 4)
        return cs_error(CS_EINVAL, "--uplink: '%s' is not ARFCN:TS:T0-T1[,T0-T1...]:SNR_DB", spec);
    int arfcn = 0;
    unsigned mask = 0;
    double snr = 0;
    cs_synth_gsm_bursts tmp;
    int rc = parse_int("--uplink", "ARFCN", f[0], 0, 1023, &arfcn);
    if (!rc) rc = parse_timeslots("--uplink", f[1], &mask);
    if (!rc) rc = parse_intervals("--uplink", f[2], &tmp);
    if (!rc) rc = parse_num("--uplink", "SNR_DB", f[3], -50, 100, &snr);
    if (rc) return rc;
    cs_synth_gsm_bursts *b = cs_synth_scenario_add_bursts(sc, 1);
    if (!b) return cs_error(CS_ENOMEM, "out of memory");
    b->arfcn = arfcn;
    b->timeslot_mask = mask;
    b->snr_db = snr;
    b->num_intervals = tmp.num_intervals;
    memcpy(b->intervals_s, tmp.intervals_s, sizeof tmp.intervals_s);
    return CS_OK;
}

/* ---- labels ------------------------------------------------------------------------ */

void cs_synth_gsm_label(const cs_synth_gsm *g, char *buf, size_t n)
{
    snprintf(buf, n, "GSM %d BSIC %d-%d", g->arfcn, g->ncc, g->bcc);
}

static void ts_list(unsigned mask, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int t = 0; t < 8 && k + 3 < n; t++)
        if (mask & (1u << t)) k += (size_t)snprintf(buf + k, n - k, "%s%d", k ? "," : "", t);
}

void cs_synth_bursts_label(const cs_synth_gsm_bursts *b, char *buf, size_t n)
{
    char ts[32];
    ts_list(b->timeslot_mask, ts, sizeof ts);
    snprintf(buf, n, "GSM %s %d TS %s", b->uplink ? "UL" : "DL", b->arfcn, ts);
}

void cs_synth_umts_label(const cs_synth_umts *u, char *buf, size_t n)
{
    snprintf(buf, n, "UMTS PSC %d", u->psc);
}
