/* Scenario files: JSON (and YAML, converted by synth_scenario_yaml.c) into a scenario, and
 * a resolved scenario back to JSON with the same schema. Strict: unknown keys, wrong types
 * and out-of-range values are errors naming the file and the field. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/synth_scenario.h"
#include "synth_internal.h"

typedef struct ctx {
    const char *what; /* file name or "scenario" */
    char where[96];   /* "gsm[0]" or "" */
} ctx;

static int fail(const ctx *c, const char *key, const char *fmt, const char *detail)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, detail ? detail : "");
    return cs_error(CS_EINVAL, "%s: %s%s%s: %s", c->what, c->where, *c->where ? "." : "", key, msg);
}

static int get_num(const ctx *c, json_t *o, const char *key, double lo, double hi, double *out)
{
    /* null means "not given, resolve it" for these only */
    static const char *const nullable[] = { "sample_rate_hz", "centre_freq_hz", "noise_dbfs",
                                            "first_frame_s", "frame_offset_chips", "doppler_hz",
                                            NULL };
    json_t *v = json_object_get(o, key);
    if (!v) return CS_OK;
    if (json_is_null(v)) {
        for (const char *const *k = nullable; *k; k++)
            if (!strcmp(*k, key)) {
                *out = NAN;
                return CS_OK;
            }
    }
    if (!json_is_number(v)) return fail(c, key, "must be a number%s", NULL);
    double x = json_number_value(v);
    if (!(x >= lo && x <= hi)) {
        char r[96];
        snprintf(r, sizeof r, "%g is out of range [%g, %g]", x, lo, hi);
        return fail(c, key, "%s", r);
    }
    *out = x;
    return CS_OK;
}

static int get_int(const ctx *c, json_t *o, const char *key, long long lo, long long hi,
                   long long *out)
{
    json_t *v = json_object_get(o, key);
    if (!v) return CS_OK;
    if (!json_is_integer(v)) return fail(c, key, "must be a whole number%s", NULL);
    long long x = json_integer_value(v);
    if (x < lo || x > hi) {
        char r[96];
        snprintf(r, sizeof r, "%lld is out of range [%lld, %lld]", x, lo, hi);
        return fail(c, key, "%s", r);
    }
    *out = x;
    return CS_OK;
}

#define GET_INT(c, o, key, lo, hi, dst)                                                   \
    do {                                                                                  \
        long long v_ = (dst);                                                             \
        if ((rc = get_int(c, o, key, lo, hi, &v_))) return rc;                            \
        (dst) = v_;                                                                       \
    } while (0)
#define GET_NUM(c, o, key, lo, hi, dst)                                                   \
    do {                                                                                  \
        if ((rc = get_num(c, o, key, lo, hi, &(dst)))) return rc;                         \
    } while (0)

static int get_str(const ctx *c, json_t *o, const char *key, char *dst, size_t n)
{
    json_t *v = json_object_get(o, key);
    if (!v) return CS_OK;
    if (!json_is_string(v)) return fail(c, key, "must be a string%s", NULL);
    if (strlen(json_string_value(v)) >= n) return fail(c, key, "is too long%s", NULL);
    snprintf(dst, n, "%s", json_string_value(v));
    return CS_OK;
}

/* Every key of o must be in the NULL-terminated list. */
static int check_keys(const ctx *c, json_t *o, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        int ok = 0;
        for (const char *const *k = keys; *k && !ok; k++) ok = !strcmp(*k, key);
        if (!ok) return fail(c, key, "unknown field%s", NULL);
    }
    return CS_OK;
}

#define COMMON_KEYS "freq_error_hz", "fading", "doppler_hz", "bearing_deg", "elevation_deg", "location"

static int parse_common(const ctx *c, json_t *o, cs_synth_common *e)
{
    int rc;
    GET_NUM(c, o, "freq_error_hz", -1e6, 1e6, e->freq_error_hz);
    if ((rc = get_str(c, o, "fading", e->fading, sizeof e->fading))) return rc;
    GET_NUM(c, o, "doppler_hz", 0, 1e4, e->doppler_hz);
    GET_NUM(c, o, "bearing_deg", -360, 360, e->bearing_deg);
    GET_NUM(c, o, "elevation_deg", -90, 90, e->elevation_deg);
    json_t *loc = json_object_get(o, "location");
    if (loc && !json_is_null(loc)) {
        json_t *la = json_array_get(loc, 0), *lo = json_array_get(loc, 1);
        if (!json_is_array(loc) || json_array_size(loc) != 2 || !json_is_number(la) || !json_is_number(lo) ||
            fabs(json_number_value(la)) > 90 || fabs(json_number_value(lo)) > 180)
            return fail(c, "location", "must be [latitude_deg, longitude_deg]%s", NULL);
        e->lat_deg = json_number_value(la);
        e->lon_deg = json_number_value(lo);
    }
    return CS_OK;
}

static int parse_mnc(const ctx *c, json_t *o, cs_synth_gsm *g)
{
    json_t *v = json_object_get(o, "mnc");
    if (!v) return CS_OK;
    if (json_is_integer(v)) {
        long long m = json_integer_value(v);
        if (m < 0 || m > 999) return fail(c, "mnc", "must be 0..999%s", NULL);
        g->mnc = (int)m;
        g->mnc_digits = m > 99 ? 3 : 2;
        return CS_OK;
    }
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    size_t n = s ? strlen(s) : 0;
    if (!s || (n != 2 && n != 3) || strspn(s, "0123456789") != n)
        return fail(c, "mnc", "must be a number or a string of 2 or 3 digits (\"02\")%s", NULL);
    g->mnc = atoi(s);
    g->mnc_digits = (int)n;
    return CS_OK;
}

static int parse_gsm(const ctx *c, json_t *o, cs_synth_gsm *g)
{
    static const char *const keys[] = { "arfcn", "band", "ncc", "bcc", "snr_db", "first_fn",
                                        "first_frame_s", "ccch", "mcc", "mnc", "lac", "ci",
                                        "bursts_file", COMMON_KEYS, NULL };
    int rc = check_keys(c, o, keys);
    if (rc) return rc;
    if (!json_object_get(o, "arfcn")) return fail(c, "arfcn", "is required%s", NULL);
    GET_INT(c, o, "arfcn", 0, 1023, g->arfcn);
    if ((rc = get_str(c, o, "band", g->band, sizeof g->band))) return rc;
    GET_INT(c, o, "ncc", 0, 7, g->ncc);
    GET_INT(c, o, "bcc", 0, 7, g->bcc);
    GET_NUM(c, o, "snr_db", -50, 100, g->snr_db);
    GET_INT(c, o, "first_fn", -1, CS_GSM_HYPERFRAME_FRAMES - 1, g->first_fn);
    GET_NUM(c, o, "first_frame_s", 0, CS_GSM_FRAME_S, g->first_frame_s);
    if (g->first_frame_s >= CS_GSM_FRAME_S) return fail(c, "first_frame_s", "must be below one frame (4.615 ms)%s", NULL);
    char ccch[32] = "";
    if ((rc = get_str(c, o, "ccch", ccch, sizeof ccch))) return rc;
    if (*ccch && strcmp(ccch, "combined") && strcmp(ccch, "non-combined"))
        return fail(c, "ccch", "must be \"combined\" or \"non-combined\"%s", NULL);
    if (*ccch) g->combined_ccch = !strcmp(ccch, "combined");
    GET_INT(c, o, "mcc", 0, 999, g->mcc);
    if ((rc = parse_mnc(c, o, g))) return rc;
    GET_INT(c, o, "lac", 0, 65535, g->lac);
    GET_INT(c, o, "ci", 0, 65535, g->ci);
    json_t *bf = json_object_get(o, "bursts_file");
    if (bf && !json_is_null(bf)) {
        if (!json_is_string(bf)) return fail(c, "bursts_file", "must be a path%s", NULL);
        free(g->bursts_file);
        if (!(g->bursts_file = strdup(json_string_value(bf)))) return cs_error(CS_ENOMEM, "out of memory");
    }
    return parse_common(c, o, &g->c);
}

static int parse_bursts(const ctx *c, json_t *o, cs_synth_gsm_bursts *b)
{
    static const char *const keys[] = { "link", "arfcn", "band", "timeslots", "tsc", "snr_db",
                                        "cell", "intervals", COMMON_KEYS, NULL };
    int rc = check_keys(c, o, keys);
    if (rc) return rc;
    if (!json_object_get(o, "arfcn")) return fail(c, "arfcn", "is required%s", NULL);
    GET_INT(c, o, "arfcn", 0, 1023, b->arfcn);
    if ((rc = get_str(c, o, "band", b->band, sizeof b->band))) return rc;
    json_t *ts = json_object_get(o, "timeslots");
    if (!json_is_array(ts) || json_array_size(ts) == 0)
        return fail(c, "timeslots", "is required: a list of timeslots 0..7%s", NULL);
    b->timeslot_mask = 0;
    size_t i;
    json_t *v;
    json_array_foreach(ts, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 7)
            return fail(c, "timeslots", "entries must be whole numbers 0..7%s", NULL);
        b->timeslot_mask |= 1u << json_integer_value(v);
    }
    GET_INT(c, o, "tsc", -1, 7, b->tsc);
    GET_NUM(c, o, "snr_db", -50, 100, b->snr_db);
    GET_INT(c, o, "cell", -1, 1 << 20, b->cell);
    json_t *iv = json_object_get(o, "intervals");
    if (iv) {
        if (!json_is_array(iv) || json_array_size(iv) > CS_SYNTH_MAX_INTERVALS)
            return fail(c, "intervals", "must be a list of at most 32 [t0_s, t1_s] pairs%s", NULL);
        b->num_intervals = 0;
        json_array_foreach(iv, i, v)
        {
            json_t *a = json_array_get(v, 0), *z = json_array_get(v, 1);
            if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_number(a) ||
                !json_is_number(z) || json_number_value(a) < 0 ||
                json_number_value(z) <= json_number_value(a))
                return fail(c, "intervals", "entries must be [t0_s, t1_s] with 0 <= t0 < t1%s", NULL);
            b->intervals_s[i][0] = json_number_value(a);
            b->intervals_s[i][1] = json_number_value(z);
            b->num_intervals++;
        }
    }
    return parse_common(c, o, &b->c);
}

static int parse_umts(const ctx *c, json_t *o, cs_synth_umts *u)
{
    static const char *const keys[] = { "psc", "ecio_db", "uarfcn", "band", "frame_offset_chips",
                                        "cpich_db", "pccpch_db", "psch_db", "ssch_db", "sch_sign",
                                        "ocns_codes", COMMON_KEYS, NULL };
    int rc = check_keys(c, o, keys);
    if (rc) return rc;
    if (!json_object_get(o, "psc")) return fail(c, "psc", "is required%s", NULL);
    GET_INT(c, o, "psc", 0, 511, u->psc);
    GET_NUM(c, o, "ecio_db", -60, 0, u->ecio_db);
    GET_INT(c, o, "uarfcn", -1, 16383, u->uarfcn);
    if ((rc = get_str(c, o, "band", u->band, sizeof u->band))) return rc;
    GET_NUM(c, o, "frame_offset_chips", 0, 38400, u->frame_offset_chips);
    if (u->frame_offset_chips >= 38400) return fail(c, "frame_offset_chips", "must be below 38400%s", NULL);
    GET_NUM(c, o, "cpich_db", -40, 0, u->cpich_db);
    GET_NUM(c, o, "pccpch_db", -60, 0, u->pccpch_db);
    GET_NUM(c, o, "psch_db", -60, 0, u->psch_db);
    GET_NUM(c, o, "ssch_db", -60, 0, u->ssch_db);
    GET_INT(c, o, "sch_sign", -1, 1, u->sch_sign);
    if (u->sch_sign == 0) return fail(c, "sch_sign", "must be -1 or +1%s", NULL);
    GET_INT(c, o, "ocns_codes", 0, CS_SYNTH_MAX_OCNS, u->ocns_codes);
    return parse_common(c, o, &u->c);
}

static int parse_receiver(const ctx *c, json_t *o, cs_synth_receiver *r)
{
    static const char *const keys[] = { "ppm", "cfo_hz", "dc_dbfs", "dc_phase_deg", "iq_gain_db",
                                        "iq_phase_deg", NULL };
    int rc = check_keys(c, o, keys);
    if (rc) return rc;
    GET_NUM(c, o, "ppm", -1000, 1000, r->ppm);
    GET_NUM(c, o, "cfo_hz", -1e7, 1e7, r->cfo_hz);
    json_t *dc = json_object_get(o, "dc_dbfs");
    if (dc && json_is_null(dc)) r->dc_dbfs = -INFINITY;
    else GET_NUM(c, o, "dc_dbfs", -200, 0, r->dc_dbfs);
    GET_NUM(c, o, "dc_phase_deg", -360, 360, r->dc_phase_deg);
    GET_NUM(c, o, "iq_gain_db", -6, 6, r->iq_gain_db);
    GET_NUM(c, o, "iq_phase_deg", -30, 30, r->iq_phase_deg);
    return CS_OK;
}

/* A list of emitter objects, each appended through add() and parsed by parse(). */
static int parse_list(ctx *c, json_t *root, const char *key, cs_synth_scenario *sc)
{
    json_t *list = json_object_get(root, key);
    if (!list) return CS_OK;
    if (!json_is_array(list)) return fail(c, key, "must be a list of objects%s", NULL);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        snprintf(c->where, sizeof c->where, "%s[%zu]", key, i);
        if (!json_is_object(o)) return cs_error(CS_EINVAL, "%s: %s: must be an object", c->what, c->where);
        int rc;
        if (!strcmp(key, "gsm")) {
            cs_synth_gsm *g = cs_synth_scenario_add_gsm(sc);
            rc = g ? parse_gsm(c, o, g) : CS_ENOMEM;
        } else if (!strcmp(key, "umts")) {
            cs_synth_umts *u = cs_synth_scenario_add_umts(sc);
            rc = u ? parse_umts(c, o, u) : CS_ENOMEM;
        } else {
            json_t *link = json_object_get(o, "link");
            const char *l = json_is_string(link) ? json_string_value(link) : "";
            if (strcmp(l, "uplink") && strcmp(l, "downlink"))
                return cs_error(CS_EINVAL, "%s: %s.link: must be \"uplink\" or \"downlink\"", c->what, c->where);
            cs_synth_gsm_bursts *b = cs_synth_scenario_add_bursts(sc, !strcmp(l, "uplink"));
            rc = b ? parse_bursts(c, o, b) : CS_ENOMEM;
        }
        if (rc == CS_ENOMEM) return cs_error(CS_ENOMEM, "out of memory");
        if (rc) return rc;
    }
    c->where[0] = '\0';
    return CS_OK;
}

static int from_json(cs_synth_scenario *sc, json_t *root, const char *what);

/* All or nothing: a file that fails half-way leaves the scenario as it was. */
int cs_synth_scenario_from_json_value(cs_synth_scenario *sc, json_t *root, const char *what)
{
    const cs_synth_scenario saved = *sc;
    int rc = from_json(sc, root, what);
    if (rc == CS_OK) return CS_OK;
    for (size_t i = saved.num_gsm; i < sc->num_gsm; i++) free(sc->gsm[i].bursts_file);
    cs_synth_gsm *g = sc->gsm;
    cs_synth_gsm_bursts *b = sc->bursts;
    cs_synth_umts *u = sc->umts;
    *sc = saved; /* the lists may have moved: keep their new storage, old length */
    sc->gsm = g;
    sc->bursts = b;
    sc->umts = u;
    return rc;
}

static int from_json(cs_synth_scenario *sc, json_t *root, const char *what)
{
    ctx c = { what, "" };
    if (!json_is_object(root)) return cs_error(CS_EFORMAT, "%s: a scenario must be a JSON object", what);
    /* A truth file: its "scenario" reproduces the recording. */
    json_t *gen = json_object_get(root, "generator");
    if (json_is_string(gen) && !strcmp(json_string_value(gen), "cellscan synth") &&
        json_is_object(json_object_get(root, "scenario")))
        root = json_object_get(root, "scenario");
    static const char *const keys[] = {
        "sample_rate_hz", "centre_freq_hz", "duration_s", "seed", "datatype", "power_dbfs",
        "noise_dbfs", "band", "content", "receiver", "gsm", "gsm_bursts", "umts",
        "array", "receiver_track", "antenna", NULL
    };
    int rc = check_keys(&c, root, keys);
    if (rc) return rc;
    GET_NUM(&c, root, "sample_rate_hz", 1e3, 1e10, sc->sample_rate_hz);
    GET_NUM(&c, root, "centre_freq_hz", 0, 1e11, sc->centre_freq_hz);
    GET_NUM(&c, root, "duration_s", 1e-4, 1e5, sc->duration_s);
    json_t *seed = json_object_get(root, "seed");
    if (seed) {
        if (!json_is_integer(seed) || json_integer_value(seed) < 0)
            return fail(&c, "seed", "must be a whole number >= 0%s", NULL);
        sc->seed = (uint64_t)json_integer_value(seed);
    }
    char dt[32] = "";
    if ((rc = get_str(&c, root, "datatype", dt, sizeof dt))) return rc;
    if (*dt && cs_datatype_parse(dt, &sc->datatype) != CS_OK)
        return fail(&c, "datatype", "'%s' is not a supported complex datatype", dt);
    GET_NUM(&c, root, "power_dbfs", -200, 0, sc->power_dbfs);
    GET_NUM(&c, root, "noise_dbfs", -300, 0, sc->noise_dbfs);
    if ((rc = get_str(&c, root, "band", sc->band, sizeof sc->band))) return rc;
    char content[16] = "";
    if ((rc = get_str(&c, root, "content", content, sizeof content))) return rc;
    if (*content) {
        if (!strcmp(content, "all")) sc->content = CS_SYNTH_ALL;
        else if (!strcmp(content, "signal")) sc->content = CS_SYNTH_SIGNAL_ONLY;
        else if (!strcmp(content, "noise")) sc->content = CS_SYNTH_NOISE_ONLY;
        else return fail(&c, "content", "must be \"all\", \"signal\" or \"noise\"%s", NULL);
    }
    json_t *rx = json_object_get(root, "receiver");
    if (rx) {
        if (!json_is_object(rx)) return fail(&c, "receiver", "must be an object%s", NULL);
        snprintf(c.where, sizeof c.where, "receiver");
        if ((rc = parse_receiver(&c, rx, &sc->rx))) return rc;
        c.where[0] = '\0';
    }
    if ((rc = parse_list(&c, root, "gsm", sc))) return rc;
    if ((rc = parse_list(&c, root, "gsm_bursts", sc))) return rc;
    if ((rc = parse_list(&c, root, "umts", sc))) return rc;
    if ((rc = synth_array_from_json(sc, root, what))) return rc;
    if ((rc = synth_motion_from_json(sc, root, what))) return rc;
    sc->resolved = 0;
    return CS_OK;
}

int cs_synth_scenario_load_json(cs_synth_scenario *sc, const char *text, const char *what)
{
    json_error_t err;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return cs_error(CS_EFORMAT, "%s: line %d: %s", what, err.line, err.text);
    int rc = cs_synth_scenario_from_json_value(sc, root, what);
    json_decref(root);
    return rc;
}

static int ends_with(const char *s, const char *x)
{
    size_t a = strlen(s), b = strlen(x);
    return a >= b && !strcmp(s + a - b, x);
}

int cs_synth_scenario_load(cs_synth_scenario *sc, const char *path)
{
    json_t *root;
    int rc;
    if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
        if ((rc = cs_synth_yaml_load(path, &root))) return rc;
    } else {
        FILE *fp = fopen(path, "rb");
        if (!fp) return cs_error(CS_EIO, "%s: cannot open scenario file", path);
        json_error_t err;
        root = json_loadf(fp, JSON_REJECT_DUPLICATES, &err);
        fclose(fp);
        if (!root) return cs_error(CS_EFORMAT, "%s: line %d: %s", path, err.line, err.text);
    }
    rc = cs_synth_scenario_from_json_value(sc, root, path);
    json_decref(root);
    if (rc == CS_OK) {
        free(sc->source_path);
        sc->source_path = strdup(path);
    }
    return rc;
}
