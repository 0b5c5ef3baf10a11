/* Receiver arrays of the generator: geometry (ULA, UCA, custom), steering vectors at each
 * emitter's own wavelength (DF.md convention), per-channel errors, and the scenario's
 * "array" object (parse, echo). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

#define SPEED_OF_LIGHT 299792458.0
#define DEG (M_PI / 180.0)

void synth_array_init(cs_synth_array *a)
{
    memset(a, 0, sizeof *a);
    a->spacing_m = NAN;
    a->radius_m = NAN;
    a->calibration_dbfs = NAN; /* the recording's mean level */
    snprintf(a->output, sizeof a->output, "collection");
    a->iqf_frame_samples = 65536;
}

int cs_synth_scenario_set_array_spec(cs_synth_scenario *sc, const char *spec)
{
    char geo[16] = "";
    unsigned m = 0;
    double size = NAN;
    int end = 0;
    int n = sscanf(spec, "%15[a-z]:%u%n", geo, &m, &end);
    if (n == 2 && spec[end] == ':') {
        char *stop;
        errno = 0;
        size = strtod(spec + end + 1, &stop);
        if (*stop || errno || !(size > 0 && size < 100)) n = 0;
        end = (int)strlen(spec);
    }
    if (n != 2 || spec[end] || (strcmp(geo, "ula") && strcmp(geo, "uca")) || m < 2 ||
        m > CS_SYNTH_MAX_ELEMENTS)
        return cs_error(CS_EINVAL, "--array: '%s' is not ula:M[:SPACING_M] or uca:M[:RADIUS_M] "
                        "with 2 <= M <= %d", spec, CS_SYNTH_MAX_ELEMENTS);
    cs_synth_array *a = &sc->array;
    snprintf(a->geometry, sizeof a->geometry, "%s", geo);
    a->num_elements = m;
    if (!strcmp(geo, "ula")) a->spacing_m = size;
    else a->radius_m = size;
    sc->resolved = 0;
    return CS_OK;
}

int synth_array_resolve(cs_synth_scenario *sc)
{
    cs_synth_array *a = &sc->array;
    if (a->num_elements == 0) return CS_OK;
    const unsigned M = a->num_elements;
    if (M < 2 || M > CS_SYNTH_MAX_ELEMENTS)
        return cs_error(CS_EINVAL, "array: %u elements (2..%d)", M, CS_SYNTH_MAX_ELEMENTS);
    const double lambda = SPEED_OF_LIGHT / sc->centre_freq_hz;
    if (!strcmp(a->geometry, "ula")) {
        if (isnan(a->spacing_m)) a->spacing_m = 0.5 * lambda;
        for (unsigned m = 0; m < M; m++) {
            a->positions_m[m][0] = 0.0;
            a->positions_m[m][1] = ((M - 1) / 2.0 - m) * a->spacing_m;
            a->positions_m[m][2] = 0.0;
        }
    } else if (!strcmp(a->geometry, "uca")) {
        if (isnan(a->radius_m)) a->radius_m = 0.5 * lambda / (2.0 * sin(M_PI / M));
        for (unsigned m = 0; m < M; m++) {
            const double phi = 2.0 * M_PI * m / M; /* clockwise from +x seen from above */
            a->positions_m[m][0] = a->radius_m * cos(phi);
            a->positions_m[m][1] = -a->radius_m * sin(phi);
            a->positions_m[m][2] = 0.0;
        }
    } else if (strcmp(a->geometry, "custom")) {
        return cs_error(CS_EINVAL, "array: geometry '%s' is not ula, uca or custom", a->geometry);
    }
    for (unsigned m = 0; m < M; m++)
        for (int k = 0; k < 3; k++) a->positions_m[m][k] += 0.0; /* no "-0.0" in the metadata */
    for (unsigned m = 0; m < M; m++)
        if (!(a->delay_ns[m] >= 0.0 && a->delay_ns[m] <= 100e3))
            return cs_error(CS_EINVAL, "array: channel %u delay must be 0..100 us", m);
    if (isnan(a->calibration_dbfs)) a->calibration_dbfs = sc->power_dbfs;
    if (!(a->calibration_s >= 0.0 && a->calibration_s < sc->duration_s))
        return cs_error(CS_EINVAL, "array: calibration segment of %g s must be shorter than the "
                        "%g s recording", a->calibration_s, sc->duration_s);
    if (strcmp(a->output, "collection") && strcmp(a->output, "interleaved") && strcmp(a->output, "iqf"))
        return cs_error(CS_EINVAL, "array: output '%s' is not collection, interleaved or iqf", a->output);
    if (!strcmp(a->output, "iqf") && sc->datatype != CS_DT_CF32_LE)
        return cs_error(CS_EINVAL, "array: KrakenSDR .iqf frames hold complex64 samples: use "
                        "datatype cf32_le");
    if (a->iqf_frame_samples < 1024 || a->iqf_frame_samples > (1u << 24))
        return cs_error(CS_EINVAL, "array: iqf_frame_samples must be 1024 .. 16777216");
    return CS_OK;
}

double synth_array_azimuth_deg(const cs_synth_scenario *sc, double bearing_deg)
{
    double az = fmod(bearing_deg - sc->array.heading_deg, 360.0);
    return az < 0 ? az + 360.0 : az;
}

void synth_array_steering(const cs_synth_scenario *sc, double freq_hz, double bearing_deg,
                          double elevation_deg, cs_cf32 *a)
{
    synth_array_steering_at(sc, freq_hz, bearing_deg, elevation_deg, sc->array.heading_deg, a);
}

void synth_array_steering_at(const cs_synth_scenario *sc, double freq_hz, double bearing_deg,
                             double elevation_deg, double heading_deg, cs_cf32 *a)
{
    const cs_synth_array *ar = &sc->array;
    const double az = (bearing_deg - heading_deg) * DEG, el = elevation_deg * DEG;
    /* clockwise azimuth: towards -y, the right of the boresight */
    const double u[3] = { cos(el) * cos(az), -cos(el) * sin(az), sin(el) };
    const double k = 2.0 * M_PI * freq_hz / SPEED_OF_LIGHT;
    for (unsigned m = 0; m < ar->num_elements; m++) {
        const double *r = ar->positions_m[m];
        const double ph = k * (r[0] * u[0] + r[1] * u[1] + r[2] * u[2]);
        a[m] = (float)cos(ph) + I * (float)sin(ph);
    }
}

cs_cf32 synth_array_channel_gain(const cs_synth_scenario *sc, unsigned m)
{
    const double g = pow(10.0, sc->array.gain_db[m] / 20.0), ph = sc->array.phase_deg[m] * DEG;
    return (float)(g * cos(ph)) + I * (float)(g * sin(ph));
}

/* ---- scenario file "array" object -------------------------------------------------- */

static int num_list(json_t *v, const char *what, const char *key, double *dst, unsigned n,
                    double scale, double lo, double hi)
{
    if (!v) return CS_OK;
    if (!json_is_array(v) || json_array_size(v) != n)
        return cs_error(CS_EINVAL, "%s: array.%s must list %u numbers (one per element)", what, key, n);
    for (unsigned i = 0; i < n; i++) {
        json_t *x = json_array_get(v, i);
        if (!json_is_number(x) || !(json_number_value(x) >= lo && json_number_value(x) <= hi))
            return cs_error(CS_EINVAL, "%s: array.%s[%u] must be a number from %g to %g", what, key, i, lo, hi);
        dst[i] = json_number_value(x) * scale;
    }
    return CS_OK;
}

int synth_array_from_json(cs_synth_scenario *sc, json_t *root, const char *what)
{
    json_t *o = json_object_get(root, "array");
    if (!o || json_is_null(o)) return CS_OK;
    if (!json_is_object(o)) return cs_error(CS_EINVAL, "%s: array: must be an object", what);
    static const char *const keys[] = { "geometry", "elements", "spacing_m", "radius_m", "positions_m",
                                        "heading_deg", "gain_db", "phase_deg", "delay_ns",
                                        "calibration_s", "calibration_dbfs", "output",
                                        "iqf_frame_samples", NULL };
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        int ok = 0;
        for (const char *const *k = keys; *k && !ok; k++) ok = !strcmp(*k, key);
        if (!ok) return cs_error(CS_EINVAL, "%s: array.%s: unknown field", what, key);
    }
    cs_synth_array *a = &sc->array;
    json_t *el = json_object_get(o, "elements"), *geo = json_object_get(o, "geometry");
    if (!json_is_integer(el) || json_integer_value(el) < 2 || json_integer_value(el) > CS_SYNTH_MAX_ELEMENTS)
        return cs_error(CS_EINVAL, "%s: array.elements: required, 2..%d", what, CS_SYNTH_MAX_ELEMENTS);
    if (!json_is_string(geo) || strlen(json_string_value(geo)) >= sizeof a->geometry)
        return cs_error(CS_EINVAL, "%s: array.geometry: required: \"ula\", \"uca\" or \"custom\"", what);
    const unsigned M = (unsigned)json_integer_value(el);
    a->num_elements = M;
    snprintf(a->geometry, sizeof a->geometry, "%s", json_string_value(geo));
    struct { const char *k; double *d; double lo, hi; } scalars[] = {
        { "spacing_m", &a->spacing_m, 1e-4, 100 }, { "radius_m", &a->radius_m, 1e-4, 100 },
        { "heading_deg", &a->heading_deg, -360, 360 }, { "calibration_s", &a->calibration_s, 0, 1e5 },
        { "calibration_dbfs", &a->calibration_dbfs, -200, 0 },
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
        json_t *x = json_object_get(o, scalars[i].k);
        if (!x || json_is_null(x)) continue;
        if (!json_is_number(x) || !(json_number_value(x) >= scalars[i].lo && json_number_value(x) <= scalars[i].hi))
            return cs_error(CS_EINVAL, "%s: array.%s must be a number from %g to %g", what, scalars[i].k,
                            scalars[i].lo, scalars[i].hi);
        *scalars[i].d = json_number_value(x);
    }
    int rc = num_list(json_object_get(o, "gain_db"), what, "gain_db", a->gain_db, M, 1, -20, 20);
    if (!rc) rc = num_list(json_object_get(o, "phase_deg"), what, "phase_deg", a->phase_deg, M, 1, -360, 360);
    if (!rc) rc = num_list(json_object_get(o, "delay_ns"), what, "delay_ns", a->delay_ns, M, 1, 0, 1e5);
    if (rc) return rc;
    json_t *pos = json_object_get(o, "positions_m");
    if (!strcmp(a->geometry, "custom")) {
        if (!json_is_array(pos) || json_array_size(pos) != M)
            return cs_error(CS_EINVAL, "%s: array.positions_m: a custom array needs %u [x, y, z] points", what, M);
        for (unsigned m = 0; m < M; m++)
            if ((rc = num_list(json_array_get(pos, m), what, "positions_m[]", a->positions_m[m], 3, 1, -100, 100)))
                return rc;
    } else if (pos) {
        return cs_error(CS_EINVAL, "%s: array.positions_m: only for geometry \"custom\"", what);
    }
    json_t *out = json_object_get(o, "output");
    if (out) {
        if (!json_is_string(out) || strlen(json_string_value(out)) >= sizeof a->output)
            return cs_error(CS_EINVAL, "%s: array.output: \"collection\", \"interleaved\" or \"iqf\"", what);
        snprintf(a->output, sizeof a->output, "%s", json_string_value(out));
    }
    json_t *fr = json_object_get(o, "iqf_frame_samples");
    if (fr) {
        if (!json_is_integer(fr) || json_integer_value(fr) < 1024 || json_integer_value(fr) > (1 << 24))
            return cs_error(CS_EINVAL, "%s: array.iqf_frame_samples: 1024 .. 16777216", what);
        a->iqf_frame_samples = (unsigned)json_integer_value(fr);
    }
    return CS_OK;
}

static json_t *list(const double *v, unsigned n, double scale)
{
    json_t *a = json_array();
    for (unsigned i = 0; i < n; i++) json_array_append_new(a, json_real(v[i] * scale));
    return a;
}

json_t *synth_array_to_json(const cs_synth_scenario *sc)
{
    const cs_synth_array *a = &sc->array;
    if (a->num_elements == 0) return json_null();
    const unsigned M = a->num_elements;
    json_t *o = json_object();
    json_object_set_new(o, "geometry", json_string(a->geometry));
    json_object_set_new(o, "elements", json_integer(M));
    if (!strcmp(a->geometry, "ula")) json_object_set_new(o, "spacing_m", json_real(a->spacing_m));
    if (!strcmp(a->geometry, "uca")) json_object_set_new(o, "radius_m", json_real(a->radius_m));
    if (!strcmp(a->geometry, "custom")) {
        json_t *pos = json_array();
        for (unsigned m = 0; m < M; m++) json_array_append_new(pos, list(a->positions_m[m], 3, 1));
        json_object_set_new(o, "positions_m", pos);
    }
    json_object_set_new(o, "heading_deg", json_real(a->heading_deg));
    json_object_set_new(o, "gain_db", list(a->gain_db, M, 1));
    json_object_set_new(o, "phase_deg", list(a->phase_deg, M, 1));
    json_object_set_new(o, "delay_ns", list(a->delay_ns, M, 1));
    json_object_set_new(o, "calibration_s", json_real(a->calibration_s));
    json_object_set_new(o, "calibration_dbfs", json_real(a->calibration_dbfs));
    json_object_set_new(o, "output", json_string(a->output));
    json_object_set_new(o, "iqf_frame_samples", json_integer(a->iqf_frame_samples));
    return o;
}
