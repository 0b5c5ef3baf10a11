/* Typed SigMF field access, datetime and GeoJSON checks, capture/annotation JSON and
 * atomic metadata output (see sigmf_json.h). */
#include "sigmf_json.h"
#include "temp_file.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/status.h"

const char *cs_json_type_phrase(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

int cs_sigmf_get_uint(const json_t *obj, const char *where, const char *key, int required,
                      uint64_t *out, int *present)
{
    json_t *v = json_object_get(obj, key);
    if (present) *present = v != NULL;
    if (!v) {
        if (required) return cs_error(CS_EFORMAT, "%s: %s is missing", where, key);
        return CS_OK;
    }
    if (json_is_real(v))
        return cs_error(CS_EFORMAT, "%s: %s must be a non-negative integer (got %g)", where, key,
                        json_real_value(v));
    if (!json_is_integer(v))
        return cs_error(CS_EFORMAT, "%s: %s must be a non-negative integer (got %s)", where, key,
                        cs_json_type_phrase(v));
    json_int_t i = json_integer_value(v);
    if (i < 0)
        return cs_error(CS_EFORMAT, "%s: %s must be a non-negative integer (got %" JSON_INTEGER_FORMAT ")",
                        where, key, i);
    *out = (uint64_t)i;
    return CS_OK;
}

int cs_sigmf_get_number(const json_t *obj, const char *where, const char *key, int required,
                        double *out)
{
    json_t *v = json_object_get(obj, key);
    *out = NAN;
    if (!v) {
        if (required) return cs_error(CS_EFORMAT, "%s: %s is missing", where, key);
        return CS_OK;
    }
    if (!json_is_number(v))
        return cs_error(CS_EFORMAT, "%s: %s must be a number (got %s)", where, key,
                        cs_json_type_phrase(v));
    *out = json_number_value(v);
    return CS_OK;
}

int cs_sigmf_get_string(const json_t *obj, const char *where, const char *key, int required,
                        const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v) {
        if (required) return cs_error(CS_EFORMAT, "%s: %s is missing", where, key);
        return CS_OK;
    }
    if (!json_is_string(v))
        return cs_error(CS_EFORMAT, "%s: %s must be a string (got %s)", where, key,
                        cs_json_type_phrase(v));
    *out = json_string_value(v);
    return CS_OK;
}

int cs_sigmf_get_bool(const json_t *obj, const char *where, const char *key, int *out,
                      int *present)
{
    json_t *v = json_object_get(obj, key);
    *present = v != NULL;
    *out = 0;
    if (!v) return CS_OK;
    if (!json_is_boolean(v))
        return cs_error(CS_EFORMAT, "%s: %s must be true or false (got %s)", where, key,
                        cs_json_type_phrase(v));
    *out = json_is_true(v);
    return CS_OK;
}

/* Parse exactly n decimal digits at *p into *v within [lo, hi]. */
static int digits(const char **p, int n, int lo, int hi, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i])) return -1;
        x = 10 * x + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return (x < lo || x > hi) ? -1 : 0;
}

/* Consume the character c (either case for letters) at *p. */
static int expect_char(const char **p, char c)
{
    if (**p != c && **p != (char)tolower((unsigned char)c)) return -1;
    (*p)++;
    return 0;
}

int cs_sigmf_check_datetime(const char *where, const char *s)
{
    const size_t max_len = sizeof(((cs_capture *)0)->datetime) - 1;
    if (strlen(s) > max_len)
        return cs_error(CS_EFORMAT, "%s: core:datetime is longer than %zu characters", where,
                        max_len);
    const char *p = s;
    int v, bad = digits(&p, 4, 0, 9999, &v) || expect_char(&p, '-') ||
                 digits(&p, 2, 1, 12, &v) || expect_char(&p, '-') || digits(&p, 2, 1, 31, &v) ||
                 expect_char(&p, 'T') || digits(&p, 2, 0, 23, &v) || expect_char(&p, ':') ||
                 digits(&p, 2, 0, 59, &v) || expect_char(&p, ':') || digits(&p, 2, 0, 60, &v);
    if (!bad && *p == '.') { /* any number of fraction digits, at least one */
        p++;
        bad = !isdigit((unsigned char)*p);
        while (isdigit((unsigned char)*p)) p++;
    }
    if (bad || expect_char(&p, 'Z') || *p != '\0')
        return cs_error(CS_EFORMAT,
                        "%s: core:datetime '%s' is not an RFC 3339 UTC time such as "
                        "2024-05-01T12:00:00.5Z",
                        where, s);
    return CS_OK;
}

int cs_sigmf_get_geolocation(const json_t *obj, const char *where, double *lat_deg,
                             double *lon_deg, double *alt_m)
{
    *lat_deg = *lon_deg = *alt_m = NAN;
    json_t *g = json_object_get(obj, "core:geolocation");
    if (!g) return CS_OK;
    if (!json_is_object(g))
        return cs_error(CS_EFORMAT, "%s: core:geolocation must be a GeoJSON Point object (got %s)",
                        where, cs_json_type_phrase(g));
    json_t *type = json_object_get(g, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "Point") != 0)
        return cs_error(CS_EFORMAT, "%s: core:geolocation must have \"type\": \"Point\"", where);
    json_t *c = json_object_get(g, "coordinates");
    size_t n = json_array_size(c);
    if (!json_is_array(c) || n < 2 || n > 3)
        return cs_error(CS_EFORMAT,
                        "%s: core:geolocation coordinates must be [longitude, latitude] or "
                        "[longitude, latitude, altitude]",
                        where);
    double v[3] = { NAN, NAN, NAN };
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(c, i);
        if (!json_is_number(e) || !isfinite(json_number_value(e)))
            return cs_error(CS_EFORMAT, "%s: core:geolocation coordinate %zu is not a finite number",
                            where, i);
        v[i] = json_number_value(e);
    }
    if (fabs(v[0]) > 180.0 || fabs(v[1]) > 90.0)
        return cs_error(CS_EFORMAT,
                        "%s: core:geolocation longitude %g / latitude %g is outside [-180, 180] / "
                        "[-90, 90] degrees (GeoJSON order is [longitude, latitude])",
                        where, v[0], v[1]);
    if (n == 3 && fabs(v[2]) > 1e8)
        return cs_error(CS_EFORMAT, "%s: core:geolocation altitude %g m is absurd", where, v[2]);
    *lon_deg = v[0];
    *lat_deg = v[1];
    *alt_m = v[2];
    return CS_OK;
}

/* Parse optional extra JSON (must be an object) into a fresh object. */
static json_t *extra_object(const char *text, const char *what, int *status)
{
    if (!text || !*text) return json_object();
    json_error_t err;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(o)) {
        json_decref(o);
        *status = cs_error(CS_EINVAL, "%s JSON is not a JSON object: %s", what,
                           o ? "another JSON type" : err.text);
        return NULL;
    }
    return o;
}

static json_t *geolocation_json(double lat, double lon, double alt)
{
    json_t *coords = json_pack("[ff]", lon, lat);
    if (coords && isfinite(alt)) json_array_append_new(coords, json_real(alt));
    return json_pack("{s:s, s:o}", "type", "Point", "coordinates", coords);
}

/* Set key to a real when finite, else remove it. */
static void set_real_or_remove(json_t *o, const char *key, double v)
{
    if (isfinite(v)) json_object_set_new(o, key, json_real(v));
    else json_object_del(o, key);
}

static void set_string_or_remove(json_t *o, const char *key, const char *s)
{
    if (s && *s) json_object_set_new(o, key, json_string(s));
    else json_object_del(o, key);
}

json_t *cs_sigmf_capture_json(const cs_capture *c, int *status)
{
    if (c->sample_start > (uint64_t)INT64_MAX) {
        *status = cs_error(CS_EINVAL, "capture sample_start %" PRIu64 " is absurd", c->sample_start);
        return NULL;
    }
    if (!isnan(c->frequency_hz) && !(fabs(c->frequency_hz) <= CS_SIGMF_MAX_FREQ_HZ)) {
        *status = cs_error(CS_EINVAL, "capture frequency %g Hz is not finite or beyond 1e12 Hz",
                           c->frequency_hz);
        return NULL;
    }
    json_t *o = extra_object(c->json, "capture", status);
    if (!o) return NULL;
    if (c->datetime[0] && cs_sigmf_check_datetime("capture", c->datetime) != CS_OK) {
        *status = CS_EINVAL; /* a caller's argument, not a file's content */
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "core:sample_start", json_integer((json_int_t)c->sample_start));
    /* 0 or sample_start means "no separate global index": keep what the extra JSON says. */
    if (c->global_index != 0 && c->global_index != c->sample_start) {
        if (c->global_index > (uint64_t)INT64_MAX) {
            json_decref(o);
            *status = cs_error(CS_EINVAL, "capture global_index %" PRIu64 " is absurd",
                               c->global_index);
            return NULL;
        }
        json_object_set_new(o, "core:global_index", json_integer((json_int_t)c->global_index));
    }
    set_real_or_remove(o, "core:frequency", c->frequency_hz);
    set_string_or_remove(o, "core:datetime", c->datetime);
    if (isfinite(c->latitude_deg) && isfinite(c->longitude_deg))
        json_object_set_new(o, "core:geolocation",
                            geolocation_json(c->latitude_deg, c->longitude_deg, c->altitude_m));
    else
        json_object_del(o, "core:geolocation");
    return o;
}

json_t *cs_sigmf_annotation_json(const cs_annotation *a, int *status)
{
    if (a->sample_start > (uint64_t)INT64_MAX || a->sample_count > (uint64_t)INT64_MAX) {
        *status = cs_error(CS_EINVAL, "annotation sample_start/sample_count is absurd");
        return NULL;
    }
    if (isnan(a->freq_lower_hz) != isnan(a->freq_upper_hz) ||
        (!isnan(a->freq_lower_hz) && !(a->freq_lower_hz <= a->freq_upper_hz &&
                                       fabs(a->freq_lower_hz) <= CS_SIGMF_MAX_FREQ_HZ &&
                                       fabs(a->freq_upper_hz) <= CS_SIGMF_MAX_FREQ_HZ))) {
        *status = cs_error(CS_EINVAL,
                           "annotation frequency edges %g..%g Hz: give both or neither, finite, "
                           "lower <= upper",
                           a->freq_lower_hz, a->freq_upper_hz);
        return NULL;
    }
    json_t *o = extra_object(a->json, "annotation", status);
    if (!o) return NULL;
    json_object_set_new(o, "core:sample_start", json_integer((json_int_t)a->sample_start));
    if (a->sample_count)
        json_object_set_new(o, "core:sample_count", json_integer((json_int_t)a->sample_count));
    else
        json_object_del(o, "core:sample_count");
    set_real_or_remove(o, "core:freq_lower_edge", a->freq_lower_hz);
    set_real_or_remove(o, "core:freq_upper_edge", a->freq_upper_hz);
    set_string_or_remove(o, "core:label", a->label);
    set_string_or_remove(o, "core:comment", a->comment);
    return o;
}

int cs_sigmf_dump_to_temp(const char *final_path, const json_t *root, char **tmp_path)
{
    *tmp_path = NULL;
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    if (!text) return cs_error(CS_ENOMEM, "out of memory writing metadata");
    int rc = cs_temp_write_text(final_path, text, tmp_path);
    free(text);
    return rc;
}

static int cmp_start(const void *a, const void *b)
{
    /* Elements are (start, original index) pairs: ties keep the original order. */
    const uint64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

void cs_sigmf_sort_annotations(json_t *annotations)
{
    size_t n = json_array_size(annotations);
    if (n < 2) return;
    uint64_t(*keys)[2] = malloc(n * sizeof *keys);
    json_t **items = malloc(n * sizeof *items);
    if (!keys || !items) {
        free(keys);
        free(items);
        return; /* unsorted but complete: readers accept any order */
    }
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_object_get(json_array_get(annotations, i), "core:sample_start");
        keys[i][0] = json_is_integer(s) ? (uint64_t)json_integer_value(s) : 0;
        keys[i][1] = i;
        items[i] = json_incref(json_array_get(annotations, i));
    }
    qsort(keys, n, sizeof *keys, cmp_start);
    json_array_clear(annotations);
    for (size_t i = 0; i < n; i++) json_array_append_new(annotations, items[keys[i][1]]);
    free(keys);
    free(items);
}
