/* A scenario written back in the schema of a scenario file, every default spelled out, so
 * that loading the echo reproduces the same recording. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static void put_common(json_t *o, const cs_synth_common *c)
{
    json_object_set_new(o, "freq_error_hz", json_real(c->freq_error_hz));
    json_object_set_new(o, "fading", json_string(c->fading[0] ? c->fading : "none"));
    json_object_set_new(o, "doppler_hz", num_or_null(c->doppler_hz));
    json_object_set_new(o, "bearing_deg", json_real(c->bearing_deg));
    json_object_set_new(o, "elevation_deg", json_real(c->elevation_deg));
    json_object_set_new(o, "location", isnan(c->lat_deg) ? json_null() : json_pack("[f, f]", c->lat_deg, c->lon_deg));
}

static json_t *gsm_json(const cs_synth_gsm *g)
{
    json_t *o = json_object();
    char mnc[8];
    snprintf(mnc, sizeof mnc, "%0*d", g->mnc_digits, g->mnc);
    json_object_set_new(o, "arfcn", json_integer(g->arfcn));
    json_object_set_new(o, "band", json_string(g->band));
    json_object_set_new(o, "ncc", json_integer(g->ncc));
    json_object_set_new(o, "bcc", json_integer(g->bcc));
    json_object_set_new(o, "snr_db", json_real(g->snr_db));
    json_object_set_new(o, "first_fn", json_integer(g->first_fn));
    json_object_set_new(o, "first_frame_s", num_or_null(g->first_frame_s));
    json_object_set_new(o, "ccch", json_string(g->combined_ccch ? "combined" : "non-combined"));
    json_object_set_new(o, "mcc", json_integer(g->mcc));
    json_object_set_new(o, "mnc", json_string(mnc));
    json_object_set_new(o, "lac", json_integer(g->lac));
    json_object_set_new(o, "ci", json_integer(g->ci));
    json_object_set_new(o, "bursts_file", g->bursts_file ? json_string(g->bursts_file) : json_null());
    put_common(o, &g->c);
    return o;
}

static json_t *bursts_json(const cs_synth_gsm_bursts *b)
{
    json_t *o = json_object(), *ts = json_array(), *iv = json_array();
    for (int t = 0; t < 8; t++)
        if (b->timeslot_mask >> t & 1u) json_array_append_new(ts, json_integer(t));
    for (size_t i = 0; i < b->num_intervals; i++)
        json_array_append_new(iv, json_pack("[f, f]", b->intervals_s[i][0], b->intervals_s[i][1]));
    json_object_set_new(o, "link", json_string(b->uplink ? "uplink" : "downlink"));
    json_object_set_new(o, "arfcn", json_integer(b->arfcn));
    json_object_set_new(o, "band", json_string(b->band));
    json_object_set_new(o, "timeslots", ts);
    json_object_set_new(o, "tsc", json_integer(b->tsc));
    json_object_set_new(o, "snr_db", json_real(b->snr_db));
    json_object_set_new(o, "cell", json_integer(b->cell));
    json_object_set_new(o, "intervals", iv);
    put_common(o, &b->c);
    return o;
}

static json_t *umts_json(const cs_synth_umts *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "psc", json_integer(u->psc));
    json_object_set_new(o, "ecio_db", json_real(u->ecio_db));
    json_object_set_new(o, "uarfcn", json_integer(u->uarfcn));
    json_object_set_new(o, "band", json_string(u->band));
    json_object_set_new(o, "frame_offset_chips", num_or_null(u->frame_offset_chips));
    json_object_set_new(o, "cpich_db", json_real(u->cpich_db));
    json_object_set_new(o, "pccpch_db", json_real(u->pccpch_db));
    json_object_set_new(o, "psch_db", json_real(u->psch_db));
    json_object_set_new(o, "ssch_db", json_real(u->ssch_db));
    json_object_set_new(o, "sch_sign", json_integer(u->sch_sign));
    json_object_set_new(o, "ocns_codes", json_integer(u->ocns_codes));
    put_common(o, &u->c);
    return o;
}

static const char *content_name(cs_synth_content c)
{
    return c == CS_SYNTH_SIGNAL_ONLY ? "signal" : c == CS_SYNTH_NOISE_ONLY ? "noise" : "all";
}

json_t *cs_synth_scenario_to_json_value(const cs_synth_scenario *sc)
{
    json_t *o = json_object();
    json_object_set_new(o, "sample_rate_hz", num_or_null(sc->sample_rate_hz));
    json_object_set_new(o, "centre_freq_hz", num_or_null(sc->centre_freq_hz));
    json_object_set_new(o, "duration_s", json_real(sc->duration_s));
    json_object_set_new(o, "seed", json_integer((json_int_t)sc->seed));
    json_object_set_new(o, "datatype", json_string(cs_datatype_name(sc->datatype)));
    json_object_set_new(o, "power_dbfs", json_real(sc->power_dbfs));
    json_object_set_new(o, "noise_dbfs", num_or_null(sc->noise_dbfs));
    json_object_set_new(o, "band", json_string(sc->band));
    json_object_set_new(o, "content", json_string(content_name(sc->content)));
    json_t *rx = json_object();
    json_object_set_new(rx, "ppm", json_real(sc->rx.ppm));
    json_object_set_new(rx, "cfo_hz", json_real(sc->rx.cfo_hz));
    json_object_set_new(rx, "dc_dbfs", num_or_null(sc->rx.dc_dbfs));
    json_object_set_new(rx, "dc_phase_deg", json_real(sc->rx.dc_phase_deg));
    json_object_set_new(rx, "iq_gain_db", json_real(sc->rx.iq_gain_db));
    json_object_set_new(rx, "iq_phase_deg", json_real(sc->rx.iq_phase_deg));
    json_object_set_new(o, "receiver", rx);
    json_t *g = json_array(), *b = json_array(), *u = json_array();
    for (size_t i = 0; i < sc->num_gsm; i++) json_array_append_new(g, gsm_json(&sc->gsm[i]));
    for (size_t i = 0; i < sc->num_bursts; i++) json_array_append_new(b, bursts_json(&sc->bursts[i]));
    for (size_t i = 0; i < sc->num_umts; i++) json_array_append_new(u, umts_json(&sc->umts[i]));
    json_object_set_new(o, "gsm", g);
    json_object_set_new(o, "gsm_bursts", b);
    json_object_set_new(o, "umts", u);
    json_object_set_new(o, "array", synth_array_to_json(sc));
    synth_motion_to_json(sc, o);
    return o;
}

/* Shortest "%.Ng" spelling of v that reads back as exactly v. */
static int shortest_real(double v, char *buf, size_t n)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, n, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* 9.41e+08 reads better as 941000000.0 */
    if (strstr(buf, "e+") && fabs(v) < 1e16 && v == floor(v)) snprintf(buf, n, "%.0f", v);
    /* keep it a JSON real so it reads back as one */
    if (!strpbrk(buf, ".eEni")) strncat(buf, ".0", n - strlen(buf) - 1);
    return (int)strlen(buf);
}

char *synth_json_dumps(json_t *o)
{
    char *raw = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (!raw) return NULL;
    size_t n = strlen(raw);
    char *out = malloc(n + 1), *w = out;
    if (!out) {
        free(raw);
        return NULL;
    }
    /* Re-spell every real outside strings: 0.10000000000000001 -> 0.1 (same double). */
    int in_str = 0;
    for (const char *p = raw; *p;) {
        if (in_str) {
            if (*p == '\\' && p[1]) *w++ = *p++;
            else if (*p == '"') in_str = 0;
            *w++ = *p++;
        } else if (*p == '"') {
            in_str = 1;
            *w++ = *p++;
        } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
            size_t len = strspn(p, "-+0123456789.eE");
            if (strcspn(p, ".eE") < len) {
                char tok[40], best[40];
                snprintf(tok, sizeof tok, "%.*s", (int)(len < 39 ? len : 39), p);
                int k = shortest_real(strtod(tok, NULL), best, sizeof best);
                if ((size_t)k <= len) {
                    memcpy(w, best, (size_t)k);
                    w += k;
                    p += len;
                    continue;
                }
            }
            memcpy(w, p, len);
            w += len;
            p += len;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    free(raw);
    return out;
}

char *cs_synth_scenario_to_json(const cs_synth_scenario *sc)
{
    json_t *o = cs_synth_scenario_to_json_value(sc);
    char *s = o ? synth_json_dumps(o) : NULL;
    json_decref(o);
    return s;
}
