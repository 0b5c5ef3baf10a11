/* Streaming signal statistics of a recording: mean and peak power, clipping, DC offset and
 * non-finite samples, accumulated block by block in one pass (constant memory).
 *
 *   cs_signal_stats st;
 *   cs_signal_stats_create(info->datatype, info->num_channels, &st);
 *   while (read frames ...) cs_signal_stats_execute(st, buf, n_frames);
 *   cs_signal_stats_result all;
 *   cs_signal_stats_get(st, CS_SIGNAL_STATS_ALL_CHANNELS, &all);
 *   cs_signal_stats_destroy(st);
 *
 * Input is cf32 with full scale 1.0 (as cs_recording_read delivers), so powers are dBFS. */
#ifndef CELLSCAN_SIGNAL_STATS_H
#define CELLSCAN_SIGNAL_STATS_H

#include <stdint.h>

#include "cellscan/datatype.h"
#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_SIGNAL_STATS_ALL_CHANNELS (-1)

typedef struct cs_signal_stats_result {
    uint64_t samples;          /* finite complex samples counted */
    uint64_t nonfinite_samples;/* samples with a NaN or Inf in I or Q (excluded from the rest) */
    double mean_power_dbfs;    /* 10 log10 mean(|x|^2); -inf when no samples or all zero */
    double peak_power_dbfs;    /* 10 log10 max(|x|^2) */
    uint64_t clipped_components; /* I or Q values at the datatype's limits (|x| >= 1 for floats) */
    double clipped_fraction;   /* clipped_components / (2 * samples); 0 when no samples */
    double dc_i;               /* mean of I (full scale 1.0) */
    double dc_q;               /* mean of Q */
    double dc_power_dbfs;      /* 10 log10 |mean(x)|^2 */
} cs_signal_stats_result;

typedef struct cs_signal_stats_s *cs_signal_stats;

/* dt decides what counts as clipped: for integer types a component equal to the most
 * negative or most positive code; for float types |component| >= 1.0.
 * num_channels: interleaved channels of each frame (1..64). */
CS_API int cs_signal_stats_create(cs_datatype dt, unsigned num_channels, cs_signal_stats *out);

/* Accumulate n_frames frames of num_channels interleaved samples. */
CS_API void cs_signal_stats_execute(cs_signal_stats s, const cs_cf32 *frames, size_t n_frames);

/* Statistics so far of one channel (0-based) or of all (CS_SIGNAL_STATS_ALL_CHANNELS). */
CS_API int cs_signal_stats_get(cs_signal_stats s, int channel, cs_signal_stats_result *out);

CS_API void cs_signal_stats_reset(cs_signal_stats s);
CS_API void cs_signal_stats_destroy(cs_signal_stats s);

#ifdef __cplusplus
}
#endif

#endif
