/* Internal: parse and validate the text of a .sigmf-meta file (SigMF 1.x).
 *
 * What is checked, and the decisions taken where the specification leaves room:
 * - The top level is an object with a `global` object; `captures` and `annotations` must be
 *   arrays when present (absent means one capture at sample 0 / no annotations).
 * - global: core:datatype (required, a complex SigMF name; real-valued types are "not
 *   supported"), core:sample_rate (required by cellscan: finite, > 0, < 1e11 Hz),
 *   core:version (optional string; major version 2 or later is not supported),
 *   core:num_channels (1..64), core:offset (uint, a sample index, informational),
 *   core:trailing_bytes (uint), core:dataset (a file name beside the metadata),
 *   core:metadata_only (a recording without samples is refused), core:geolocation,
 *   core:extensions (array of objects), and the type of every other known string field.
 * - captures: core:sample_start required, the first at 0 and then strictly increasing;
 *   core:global_index, core:header_bytes (only on the first capture), core:frequency
 *   (finite, |f| <= 1e12 Hz), core:datetime (RFC 3339 UTC), core:geolocation (GeoJSON
 *   Point; a capture without one inherits the global geolocation).
 * - annotations: core:sample_start required, core:sample_count, core:freq_lower_edge and
 *   core:freq_upper_edge (both or neither, lower <= upper), label/comment/generator/uuid
 *   strings. Any order is accepted; they are returned sorted by core:sample_start.
 * - Extent (cs_sigmf_meta_check_extent, once the data size is known): a capture must start
 *   inside the data, and an annotation must lie inside it (start < samples, start + count
 *   <= samples). An annotation outside the data is an error, not ignored: it means the
 *   metadata describes another (longer) data file, and every later result keyed to sample
 *   positions would be wrong.
 * Unknown keys and namespaces are kept, untouched, in the JSON text of each object. */
#ifndef CELLSCAN_SIGMF_META_H
#define CELLSCAN_SIGMF_META_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/recording.h"

#define CS_SIGMF_MAX_CHANNELS 64

typedef struct cs_sigmf_meta {
    cs_datatype datatype;
    double sample_rate_hz;
    unsigned num_channels;
    uint64_t offset_samples;    /* core:offset */
    uint64_t header_bytes;      /* core:header_bytes of the first capture */
    uint64_t trailing_bytes;    /* core:trailing_bytes */
    char *dataset;              /* core:dataset file name, NULL when absent */
    char *version, *description, *author, *recorder, *hw; /* NULL when absent */
    char *global_json;
    size_t num_captures;        /* >= 1 */
    cs_capture *captures;       /* json strings owned here */
    size_t num_annotations;
    cs_annotation *annotations; /* label, comment, json owned here */
} cs_sigmf_meta;

/* Parse len bytes of metadata text. meta_name (the file name) appears in JSON syntax
 * errors, which give the line and column. On failure *m holds nothing to free. */
int cs_sigmf_meta_parse(const char *text, size_t len, const char *meta_name, cs_sigmf_meta *m);

/* Check captures and annotations against the number of samples (frames) in the data. */
int cs_sigmf_meta_check_extent(const cs_sigmf_meta *m, uint64_t num_samples);

void cs_sigmf_meta_free(cs_sigmf_meta *m);

#endif
