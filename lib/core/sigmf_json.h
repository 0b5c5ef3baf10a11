/* Internal: typed access to SigMF metadata fields with one-line errors that name the
 * field ("captures[2]: core:frequency must be a number (got a string)"), the GeoJSON and
 * datetime checks, the JSON form of captures and annotations, and atomic metadata output.
 * Shared by the reader (sigmf_meta.c) and the writers (sigmf_writer.c, sigmf_annotate.c). */
#ifndef CELLSCAN_SIGMF_JSON_H
#define CELLSCAN_SIGMF_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "cellscan/recording.h"

/* Largest metadata file we parse: a bound on memory, far above any real recording's. */
#define CS_SIGMF_META_MAX_BYTES (64u * 1024u * 1024u)

/* Largest plausible sample rate and centre frequency (Hz): beyond is a corrupt field. */
#define CS_SIGMF_MAX_RATE_HZ 1e11
#define CS_SIGMF_MAX_FREQ_HZ 1e12

/* "an integer", "a string", ... for messages. */
const char *cs_json_type_phrase(const json_t *v);

/* Each getter: absent key → *present = 0 (or the "absent" value) and CS_OK unless
 * `required`; wrong type or range → CS_EFORMAT naming `where` and `key`. */
int cs_sigmf_get_uint(const json_t *obj, const char *where, const char *key, int required,
                      uint64_t *out, int *present);
int cs_sigmf_get_number(const json_t *obj, const char *where, const char *key, int required,
                        double *out); /* NAN when absent */
int cs_sigmf_get_string(const json_t *obj, const char *where, const char *key, int required,
                        const char **out); /* NULL when absent */
int cs_sigmf_get_bool(const json_t *obj, const char *where, const char *key, int *out,
                      int *present);

/* RFC 3339 UTC timestamp as SigMF requires: YYYY-MM-DDTHH:MM:SS[.frac]Z. */
int cs_sigmf_check_datetime(const char *where, const char *s);

/* core:geolocation (GeoJSON Point, [lon, lat(, alt)]) of obj, when present; lat/lon/alt
 * stay NAN when absent. */
int cs_sigmf_get_geolocation(const json_t *obj, const char *where, double *lat_deg,
                             double *lon_deg, double *alt_m);

/* Capture and annotation as JSON objects: the extra keys of c->json / a->json first, then
 * the struct's core fields, which win (a NAN / NULL / 0 field removes its key). Returns
 * NULL with cs_last_error() set when the extra JSON is not an object or a field is absurd. */
json_t *cs_sigmf_capture_json(const cs_capture *c, int *status);
json_t *cs_sigmf_annotation_json(const cs_annotation *a, int *status);

/* Write root (indented) to a new temporary file beside final_path, flushed to disk.
 * *tmp_path (malloc'ed) names it; the caller renames or unlinks it. */
int cs_sigmf_dump_to_temp(const char *final_path, const json_t *root, char **tmp_path);

/* Stable sort of an array of annotation objects by core:sample_start. */
void cs_sigmf_sort_annotations(json_t *annotations);

#endif
