/* A recording opened for streaming: SigMF (either file of the pair) or a raw IQ file with
 * explicit parameters. Samples come out as cf32 with full scale 1.0, in blocks, so memory
 * stays bounded whatever the file size.
 *
 *   cs_recording rec;
 *   if (cs_recording_open("x.sigmf-meta", &rec) != CS_OK) puts(cs_last_error());
 *   const cs_recording_info *info = cs_recording_get_info(rec);
 *   size_t n;
 *   while (cs_recording_read(rec, buf, 65536, &n) == CS_OK && n > 0) { ... }
 *   cs_recording_destroy(rec);
 */
#ifndef CELLSCAN_RECORDING_H
#define CELLSCAN_RECORDING_H

#include "cellscan/datatype.h"
#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One SigMF capture segment. */
typedef struct cs_capture {
    uint64_t sample_start; /* first sample (per channel) this segment applies to */
    double frequency_hz;   /* RF centre; NAN when unknown */
    char datetime[64];     /* ISO 8601 UTC of sample_start; "" when absent */
    double latitude_deg;   /* core:geolocation (GeoJSON point); NAN when absent */
    double longitude_deg;
    double altitude_m;
    const char *json;      /* the whole capture object as JSON text (all keys, extensions too) */
    uint64_t global_index; /* core:global_index: index of sample_start in the original stream;
                              equals sample_start when absent (writer: 0 = not written) */
} cs_capture;

/* One SigMF annotation. */
typedef struct cs_annotation {
    uint64_t sample_start;
    uint64_t sample_count;  /* 0 when absent */
    double freq_lower_hz;   /* NAN when absent */
    double freq_upper_hz;   /* NAN when absent */
    const char *label;      /* NULL when absent */
    const char *comment;    /* NULL when absent */
    const char *json;       /* the whole annotation object as JSON text (all keys) */
} cs_annotation;

typedef struct cs_recording_info {
    const char *data_path;        /* the sample file */
    const char *meta_path;        /* the .sigmf-meta, NULL for raw files */
    cs_datatype datatype;
    double sample_rate_hz;
    unsigned num_channels;        /* interleaved channels per sample frame (core:num_channels) */
    uint64_t num_samples;         /* samples per channel (frames) in the data file */
    double duration_s;            /* num_samples / sample_rate_hz */
    double full_scale;            /* cs_datatype_full_scale(datatype) */
    size_t num_captures;          /* >= 1: a raw file has one synthetic capture */
    const cs_capture *captures;   /* ordered by sample_start */
    size_t num_annotations;
    const cs_annotation *annotations;
    const char *version;          /* core:version; NULL when absent or raw */
    const char *description;      /* core:description; NULL when absent */
    const char *author;           /* core:author */
    const char *recorder;         /* core:recorder */
    const char *hw;               /* core:hw */
    const char *global_json;      /* the whole global object as JSON text; NULL for raw */
    uint64_t offset_samples;      /* core:offset: index of the first sample of the dataset in
                                     the original stream (0 when absent); informational:
                                     capture and annotation indices are dataset-relative */
    uint64_t data_offset_bytes;   /* bytes skipped before the first sample (core:header_bytes of
                                     the first capture, non-conforming datasets; 0 otherwise) */
} cs_recording_info;

/* Parameters of a raw (headerless) IQ file. */
typedef struct cs_raw_params {
    cs_datatype datatype;
    double sample_rate_hz;   /* > 0, finite */
    double frequency_hz;     /* RF centre, NAN when unknown */
    unsigned num_channels;   /* interleaved channels, 0 means 1 */
} cs_raw_params;

typedef struct cs_recording_s *cs_recording;

/* Open a SigMF recording from either file of the pair (".sigmf-meta", ".sigmf-data") or from
 * the basename without extension. Validates global, captures and annotations and checks the
 * data file size against the datatype. Returns CS_OK or an error with cs_last_error() set.
 * Rules (details in lib/core/sigmf_meta.h): core:datatype and core:sample_rate are required;
 * captures start at 0, strictly increase and start inside the data; annotations may come in
 * any order (returned sorted by sample_start) but must lie inside the data, since one beyond
 * it means the metadata belongs to another data file. core:offset is informational (sample
 * indices are relative to the data file); core:dataset, core:header_bytes on the first
 * capture and core:trailing_bytes (non-conforming datasets) are honoured. Archives (.sigmf)
 * and collections are refused with CS_ENOTSUP. Only regular files are opened. */
CS_API int cs_recording_open(const char *path, cs_recording *out);

/* Open a raw IQ file (GNU Radio .cfile, rtl_sdr .cu8, .cs16, .cs8, ...). */
CS_API int cs_recording_open_raw(const char *path, const cs_raw_params *params,
                                 cs_recording *out);

/* Metadata; valid until cs_recording_destroy. */
CS_API const cs_recording_info *cs_recording_get_info(cs_recording rec);

/* Read up to max_frames sample frames (num_channels interleaved cs_cf32 each) into out,
 * which must hold max_frames * num_channels values. *n_frames = 0 at the end of the data.
 * Fails with CS_EIO when the file shrinks or a read fails. */
CS_API int cs_recording_read(cs_recording rec, cs_cf32 *out, size_t max_frames,
                             size_t *n_frames);

/* By default a NaN or Inf in a float recording makes cs_recording_read fail with CS_EFORMAT
 * ("non-finite sample (NaN or Inf) at sample N"), and so does a cf64 value beyond the
 * single-precision range, which would become Inf in cf32 ("sample N value 1e+300 is beyond
 * the single-precision range"). allow != 0 passes them through instead (as NaN/Inf, for
 * statistics that count them). */
CS_API void cs_recording_allow_nonfinite(cs_recording rec, int allow);

/* Position the next read at frame `frame` (0 .. num_samples). */
CS_API int cs_recording_seek(cs_recording rec, uint64_t frame);

/* Frame index of the next read. */
CS_API uint64_t cs_recording_tell(cs_recording rec);

/* Index of the capture that covers sample frame `frame`. */
CS_API size_t cs_recording_capture_at(cs_recording rec, uint64_t frame);

CS_API void cs_recording_destroy(cs_recording rec);

#ifdef __cplusplus
}
#endif

#endif
