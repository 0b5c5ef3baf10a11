/* Parse and validate SigMF metadata text with jansson (rules in sigmf_meta.h). */
#include "sigmf_meta.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "sigmf_json.h"

/* Compact JSON text of an object, keys in file order, reals exact. */
static char *dump_compact(const json_t *o)
{
    return json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
}

static int dup_field(const char *s, char **out)
{
    *out = NULL;
    if (s && !(*out = strdup(s))) return cs_error(CS_ENOMEM, "out of memory reading metadata");
    return CS_OK;
}

static int parse_datatype(const json_t *g, cs_datatype *dt)
{
    const char *name;
    int rc = cs_sigmf_get_string(g, "global", "core:datatype", 1, &name);
    if (rc) return rc;
    rc = cs_datatype_parse(name, dt);
    if (rc == CS_ENOTSUP)
        return cs_error(CS_ENOTSUP,
                        "global: core:datatype '%s' is not supported: real-valued samples "
                        "(cellscan needs complex IQ)",
                        name);
    if (rc != CS_OK)
        return cs_error(CS_EFORMAT,
                        "global: core:datatype '%s' is unknown (expected cf64_le, cf32_le, "
                        "ci32_le, ci16_le, cu16_le, ci8, cu8 or a _be variant)",
                        name);
    if (strcmp(name, cs_datatype_name(*dt)) != 0)
        return cs_error(CS_EFORMAT,
                        "global: core:datatype '%s' is not a SigMF datatype name (did you mean "
                        "'%s'?)",
                        name, cs_datatype_name(*dt));
    return CS_OK;
}

static int parse_extensions(const json_t *g)
{
    json_t *ext = json_object_get(g, "core:extensions");
    if (!ext) return CS_OK;
    size_t i;
    json_t *e;
    if (!json_is_array(ext))
        return cs_error(CS_EFORMAT, "global: core:extensions must be an array (got %s)",
                        cs_json_type_phrase(ext));
    json_array_foreach(ext, i, e)
    {
        if (!json_is_object(e) || !json_is_string(json_object_get(e, "name")))
            return cs_error(CS_EFORMAT,
                            "global: core:extensions[%zu] must be an object with a string \"name\"",
                            i);
    }
    return CS_OK;
}

static int parse_global(const json_t *g, cs_sigmf_meta *m, double geo[3])
{
    static const char *const strings[] = { "core:license", "core:sha512", "core:collection",
                                           "core:meta_doi", "core:data_doi" };
    const char *s;
    uint64_t u;
    int present, flag, rc;

    if ((rc = parse_datatype(g, &m->datatype))) return rc;
    if (!json_object_get(g, "core:sample_rate"))
        return cs_error(CS_EFORMAT,
                        "global: core:sample_rate is missing (cellscan needs the sample rate)");
    if ((rc = cs_sigmf_get_number(g, "global", "core:sample_rate", 1, &m->sample_rate_hz)))
        return rc;
    if (!(m->sample_rate_hz > 0.0 && m->sample_rate_hz < CS_SIGMF_MAX_RATE_HZ))
        return cs_error(CS_EFORMAT,
                        "global: core:sample_rate must be above 0 and below 1e11 Hz (got %g)",
                        m->sample_rate_hz);

    if ((rc = cs_sigmf_get_string(g, "global", "core:version", 0, &s))) return rc;
    const char *major = s ? s + (s[0] == 'v') : NULL; /* "v1.0.0" is seen in the wild */
    if (major && isdigit((unsigned char)*major) && strtol(major, NULL, 10) >= 2)
        return cs_error(CS_ENOTSUP, "global: core:version %s is not supported (cellscan reads SigMF 1.x)",
                        s);
    if ((rc = dup_field(s, &m->version))) return rc;

    m->num_channels = 1;
    if ((rc = cs_sigmf_get_uint(g, "global", "core:num_channels", 0, &u, &present))) return rc;
    if (present && (u < 1 || u > CS_SIGMF_MAX_CHANNELS))
        return cs_error(CS_EFORMAT, "global: core:num_channels must be 1 to %d (got %" PRIu64 ")",
                        CS_SIGMF_MAX_CHANNELS, u);
    if (present) m->num_channels = (unsigned)u;

    if ((rc = cs_sigmf_get_uint(g, "global", "core:offset", 0, &m->offset_samples, &present)))
        return rc;
    if ((rc = cs_sigmf_get_uint(g, "global", "core:trailing_bytes", 0, &m->trailing_bytes,
                                &present)))
        return rc;

    if ((rc = cs_sigmf_get_string(g, "global", "core:dataset", 0, &s))) return rc;
    if (s && (!*s || strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, "..")))
        return cs_error(CS_EFORMAT,
                        "global: core:dataset must be the name of a file beside the metadata "
                        "(got '%s')",
                        s);
    if ((rc = dup_field(s, &m->dataset))) return rc;

    if ((rc = cs_sigmf_get_bool(g, "global", "core:metadata_only", &flag, &present))) return rc;
    if (flag)
        return cs_error(CS_EFORMAT,
                        "global: core:metadata_only is true: this metadata comes without samples");

    const char *desc, *author, *recorder, *hw;
    if ((rc = cs_sigmf_get_string(g, "global", "core:description", 0, &desc)) ||
        (rc = cs_sigmf_get_string(g, "global", "core:author", 0, &author)) ||
        (rc = cs_sigmf_get_string(g, "global", "core:recorder", 0, &recorder)) ||
        (rc = cs_sigmf_get_string(g, "global", "core:hw", 0, &hw)))
        return rc;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if ((rc = cs_sigmf_get_string(g, "global", strings[i], 0, &s))) return rc;
    if ((rc = dup_field(desc, &m->description)) || (rc = dup_field(author, &m->author)) ||
        (rc = dup_field(recorder, &m->recorder)) || (rc = dup_field(hw, &m->hw)))
        return rc;
    if ((rc = cs_sigmf_get_geolocation(g, "global", &geo[0], &geo[1], &geo[2]))) return rc;
    if ((rc = parse_extensions(g))) return rc;
    if (!(m->global_json = dump_compact(g))) return cs_error(CS_ENOMEM, "out of memory");
    return CS_OK;
}

static int parse_capture(const json_t *o, size_t i, const double geo[3], cs_sigmf_meta *m)
{
    char where[48];
    snprintf(where, sizeof where, "captures[%zu]", i);
    if (!json_is_object(o))
        return cs_error(CS_EFORMAT, "%s must be an object (got %s)", where, cs_json_type_phrase(o));
    cs_capture *c = &m->captures[i];
    uint64_t header = 0;
    int present, rc;
    const char *dt;
    if ((rc = cs_sigmf_get_uint(o, where, "core:sample_start", 1, &c->sample_start, &present)))
        return rc;
    if (i == 0 && c->sample_start != 0)
        return cs_error(CS_EFORMAT,
                        "captures[0]: core:sample_start must be 0, the start of the data (got %" PRIu64 ")",
                        c->sample_start);
    if (i > 0 && c->sample_start <= m->captures[i - 1].sample_start)
        return cs_error(CS_EFORMAT,
                        "%s: core:sample_start %" PRIu64 " is not after captures[%zu] (%" PRIu64
                        "): captures must be in increasing core:sample_start order",
                        where, c->sample_start, i - 1, m->captures[i - 1].sample_start);
    c->global_index = c->sample_start;
    if ((rc = cs_sigmf_get_uint(o, where, "core:global_index", 0, &c->global_index, &present)))
        return rc;
    if ((rc = cs_sigmf_get_uint(o, where, "core:header_bytes", 0, &header, &present))) return rc;
    if (i == 0) m->header_bytes = header;
    else if (header)
        return cs_error(CS_ENOTSUP,
                        "%s: core:header_bytes inside the dataset (a non-conforming dataset with "
                        "several headers) is not supported",
                        where);
    if ((rc = cs_sigmf_get_number(o, where, "core:frequency", 0, &c->frequency_hz))) return rc;
    if (!isnan(c->frequency_hz) && !(fabs(c->frequency_hz) <= CS_SIGMF_MAX_FREQ_HZ))
        return cs_error(CS_EFORMAT, "%s: core:frequency %g Hz is beyond 1e12 Hz", where,
                        c->frequency_hz);
    if ((rc = cs_sigmf_get_string(o, where, "core:datetime", 0, &dt))) return rc;
    if (dt) {
        if ((rc = cs_sigmf_check_datetime(where, dt))) return rc;
        snprintf(c->datetime, sizeof c->datetime, "%s", dt);
    }
    if ((rc = cs_sigmf_get_geolocation(o, where, &c->latitude_deg, &c->longitude_deg,
                                       &c->altitude_m)))
        return rc;
    if (isnan(c->latitude_deg)) { /* the global position applies to captures without one */
        c->latitude_deg = geo[0];
        c->longitude_deg = geo[1];
        c->altitude_m = geo[2];
    }
    if (!(c->json = dump_compact(o))) return cs_error(CS_ENOMEM, "out of memory");
    return CS_OK;
}

static int parse_captures(const json_t *arr, const double geo[3], cs_sigmf_meta *m)
{
    static const char implied[] = "[{\"core:sample_start\":0}]";
    json_t *own = NULL;
    if (arr && !json_is_array(arr))
        return cs_error(CS_EFORMAT, "captures must be an array (got %s)", cs_json_type_phrase(arr));
    if (json_array_size(arr) == 0) /* SigMF: no captures implies one at sample 0 */
        arr = own = json_loads(implied, 0, NULL);
    size_t n = json_array_size(arr);
    if (arr && n == 0) { /* never open without a capture: every reader relies on one */
        json_decref(own);
        return cs_error(CS_EFORMAT, "no capture segment");
    }
    m->captures = calloc(n, sizeof *m->captures);
    if (!arr || !m->captures) {
        json_decref(own);
        return cs_error(CS_ENOMEM, "out of memory reading metadata");
    }
    int rc = CS_OK;
    for (size_t i = 0; i < n && rc == CS_OK; i++, m->num_captures = i)
        rc = parse_capture(json_array_get(arr, i), i, geo, m);
    json_decref(own);
    return rc;
}

static int parse_annotation(const json_t *o, size_t i, cs_annotation *a)
{
    static const char *const strings[] = { "core:generator", "core:uuid" };
    char where[48];
    snprintf(where, sizeof where, "annotations[%zu]", i);
    if (!json_is_object(o))
        return cs_error(CS_EFORMAT, "%s must be an object (got %s)", where, cs_json_type_phrase(o));
    const char *s, *label, *comment;
    int present, rc;
    if ((rc = cs_sigmf_get_uint(o, where, "core:sample_start", 1, &a->sample_start, &present)) ||
        (rc = cs_sigmf_get_uint(o, where, "core:sample_count", 0, &a->sample_count, &present)) ||
        (rc = cs_sigmf_get_number(o, where, "core:freq_lower_edge", 0, &a->freq_lower_hz)) ||
        (rc = cs_sigmf_get_number(o, where, "core:freq_upper_edge", 0, &a->freq_upper_hz)) ||
        (rc = cs_sigmf_get_string(o, where, "core:label", 0, &label)) ||
        (rc = cs_sigmf_get_string(o, where, "core:comment", 0, &comment)))
        return rc;
    for (size_t k = 0; k < sizeof strings / sizeof strings[0]; k++)
        if ((rc = cs_sigmf_get_string(o, where, strings[k], 0, &s))) return rc;
    if (isnan(a->freq_lower_hz) != isnan(a->freq_upper_hz))
        return cs_error(CS_EFORMAT,
                        "%s: core:freq_lower_edge and core:freq_upper_edge must be given together",
                        where);
    if (!isnan(a->freq_lower_hz) &&
        !(a->freq_lower_hz <= a->freq_upper_hz && fabs(a->freq_lower_hz) <= CS_SIGMF_MAX_FREQ_HZ &&
          fabs(a->freq_upper_hz) <= CS_SIGMF_MAX_FREQ_HZ))
        return cs_error(CS_EFORMAT,
                        "%s: core:freq_lower_edge %g Hz and core:freq_upper_edge %g Hz must be "
                        "ordered and within 1e12 Hz",
                        where, a->freq_lower_hz, a->freq_upper_hz);
    char *l, *c;
    if ((rc = dup_field(label, &l))) return rc;
    a->label = l;
    if ((rc = dup_field(comment, &c))) return rc;
    a->comment = c;
    if (!(a->json = dump_compact(o))) return cs_error(CS_ENOMEM, "out of memory");
    return CS_OK;
}

typedef struct {
    uint64_t start;
    size_t index;
} order_key;

static int cmp_order(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Sort annotations by sample_start, ties in file order. */
static int sort_annotations(cs_annotation *a, size_t n)
{
    order_key *k = malloc(n * sizeof *k);
    cs_annotation *tmp = malloc(n * sizeof *tmp);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return cs_error(CS_ENOMEM, "out of memory reading metadata");
    }
    for (size_t i = 0; i < n; i++) k[i] = (order_key){ a[i].sample_start, i };
    qsort(k, n, sizeof *k, cmp_order);
    for (size_t i = 0; i < n; i++) tmp[i] = a[k[i].index];
    memcpy(a, tmp, n * sizeof *a);
    free(k);
    free(tmp);
    return CS_OK;
}

static int parse_annotations(const json_t *arr, cs_sigmf_meta *m)
{
    if (!arr) return CS_OK;
    if (!json_is_array(arr))
        return cs_error(CS_EFORMAT, "annotations must be an array (got %s)",
                        cs_json_type_phrase(arr));
    size_t n = json_array_size(arr);
    if (n == 0) return CS_OK;
    if (!(m->annotations = calloc(n, sizeof *m->annotations)))
        return cs_error(CS_ENOMEM, "out of memory reading metadata");
    int rc = CS_OK;
    for (size_t i = 0; i < n && rc == CS_OK; i++, m->num_annotations = i)
        rc = parse_annotation(json_array_get(arr, i), i, &m->annotations[i]);
    return rc ? rc : sort_annotations(m->annotations, n);
}

int cs_sigmf_meta_parse(const char *text, size_t len, const char *meta_name, cs_sigmf_meta *m)
{
    memset(m, 0, sizeof *m);
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return cs_error(CS_EFORMAT, "invalid JSON in %s at line %d, column %d: %s", meta_name,
                        err.line, err.column, err.text);
    int rc = CS_OK;
    json_t *g = json_object_get(root, "global");
    double geo[3] = { NAN, NAN, NAN };
    if (!json_is_object(root))
        rc = cs_error(CS_EFORMAT, "%s is %s, not a SigMF metadata object", meta_name,
                      cs_json_type_phrase(root));
    else if (!g)
        rc = cs_error(CS_EFORMAT, "the \"global\" object is missing");
    else if (!json_is_object(g))
        rc = cs_error(CS_EFORMAT, "global must be an object (got %s)", cs_json_type_phrase(g));
    if (rc == CS_OK) rc = parse_global(g, m, geo);
    if (rc == CS_OK) rc = parse_captures(json_object_get(root, "captures"), geo, m);
    if (rc == CS_OK) rc = parse_annotations(json_object_get(root, "annotations"), m);
    json_decref(root);
    if (rc != CS_OK) cs_sigmf_meta_free(m);
    return rc;
}

int cs_sigmf_meta_check_extent(const cs_sigmf_meta *m, uint64_t num_samples)
{
    for (size_t i = 0; i < m->num_captures; i++)
        if (m->captures[i].sample_start >= num_samples)
            return cs_error(CS_EFORMAT,
                            "captures[%zu]: core:sample_start %" PRIu64
                            " is beyond the end of the data (%" PRIu64 " samples)",
                            i, m->captures[i].sample_start, num_samples);
    for (size_t i = 0; i < m->num_annotations; i++) {
        const cs_annotation *a = &m->annotations[i];
        if (a->sample_start >= num_samples)
            return cs_error(CS_EFORMAT,
                            "annotation at core:sample_start %" PRIu64
                            " is beyond the end of the data (%" PRIu64 " samples)",
                            a->sample_start, num_samples);
        if (a->sample_count > num_samples - a->sample_start)
            return cs_error(CS_EFORMAT,
                            "annotation at core:sample_start %" PRIu64 " with core:sample_count %" PRIu64
                            " runs past the end of the data (%" PRIu64 " samples)",
                            a->sample_start, a->sample_count, num_samples);
    }
    return CS_OK;
}

void cs_sigmf_meta_free(cs_sigmf_meta *m)
{
    for (size_t i = 0; i < m->num_captures; i++) free((char *)m->captures[i].json);
    for (size_t i = 0; i < m->num_annotations; i++) {
        free((char *)m->annotations[i].label);
        free((char *)m->annotations[i].comment);
        free((char *)m->annotations[i].json);
    }
    free(m->captures);
    free(m->annotations);
    free(m->dataset);
    free(m->version);
    free(m->description);
    free(m->author);
    free(m->recorder);
    free(m->hw);
    free(m->global_json);
    memset(m, 0, sizeof *m);
}
