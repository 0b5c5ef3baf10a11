/* SigMF writer: a recording (data + meta) written through temporary names and renamed
 * into place by cs_sigmf_writer_finish, so a failure never leaves a partial file; and
 * a metadata-only writer for annotations beside an existing recording. */
#ifndef CELLSCAN_SIGMF_WRITER_H
#define CELLSCAN_SIGMF_WRITER_H

#include "cellscan/datatype.h"
#include "cellscan/export.h"
#include "cellscan/recording.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_sigmf_writer_params {
    cs_datatype datatype;      /* sample format of the data file */
    double sample_rate_hz;
    unsigned num_channels;     /* interleaved channels, 0 means 1 */
    const char *description;   /* optional core:description */
    const char *author;        /* optional core:author */
    const char *recorder;      /* optional core:recorder */
    const char *global_json;   /* optional JSON object text merged into global (extensions) */
} cs_sigmf_writer_params;

typedef struct cs_sigmf_writer_s *cs_sigmf_writer;

/* Start writing BASENAME.sigmf-data and BASENAME.sigmf-meta (basename may also end in
 * either extension, which is stripped). Nothing is visible under the final names before
 * cs_sigmf_writer_finish. */
CS_API int cs_sigmf_writer_create(const char *basename, const cs_sigmf_writer_params *params,
                                  cs_sigmf_writer *out);

/* Add a capture segment (sample_start non-decreasing; c->json, when set, holds extra keys
 * merged into the capture object). */
CS_API int cs_sigmf_writer_add_capture(cs_sigmf_writer w, const cs_capture *c);

/* Add an annotation (a->json, when set, is a JSON object whose keys are merged in, so
 * extension fields round-trip). */
CS_API int cs_sigmf_writer_add_annotation(cs_sigmf_writer w, const cs_annotation *a);

/* Append n_frames frames of num_channels interleaved cf32 values (full scale 1.0).
 * *n_clipped (may be NULL) accumulates components that saturated. */
CS_API int cs_sigmf_writer_write(cs_sigmf_writer w, const cs_cf32 *frames, size_t n_frames,
                                 size_t *n_clipped);

/* Write the metadata, flush, and rename both files into place; destroys the writer. */
CS_API int cs_sigmf_writer_finish(cs_sigmf_writer w);

/* Abandon: remove the temporary files; destroys the writer. Safe on NULL. */
CS_API void cs_sigmf_writer_abort(cs_sigmf_writer w);

/* Write meta_out_path as a copy of the recording's metadata with `annotations` appended
 * (existing annotations kept), atomically (temporary name, then rename). meta_out_path may
 * equal the recording's own .sigmf-meta. */
CS_API int cs_sigmf_write_annotations(cs_recording rec, const char *meta_out_path,
                                      const cs_annotation *annotations, size_t n);

#ifdef __cplusplus
}
#endif

#endif
