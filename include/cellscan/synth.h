/* Recording generator: a resolved scenario (synth_scenario.h) in, complex samples out,
 * block by block with bounded memory; and the whole job behind `cellscan synth`: a SigMF
 * recording with one annotation per emitter plus BASENAME.truth.json, all or nothing.
 *
 * Signal chain (per receiver channel):
 *   emitters (GSM C0 / bursts: GMSK; UMTS: chips, RRC) at their channel offsets
 *   -> propagation (multipath fading, impairments.h) -> sum (array: steering vectors)
 *   -> receiver LO offset (cfo_hz) -> reference error (ppm: sample clock and LO)
 *   -> + thermal noise -> IQ imbalance and DC -> datatype.
 * The same scenario and seed give the same samples, whatever the block sizes.
 *
 *   cs_synth g;
 *   cs_synth_create(sc, &g);               // sc resolved, borrowed
 *   while (left) { cs_synth_generate(g, buf, n); ... }
 *   cs_synth_destroy(g);
 */
#ifndef CELLSCAN_SYNTH_H
#define CELLSCAN_SYNTH_H

#include "cellscan/export.h"
#include "cellscan/synth_scenario.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_synth_s *cs_synth;

/* Build the emitters of a scenario (resolved here if it is not yet). CS_EINVAL /
 * CS_EIO (bursts file) / CS_ENOMEM with cs_last_error() set. */
CS_API int cs_synth_create(cs_synth_scenario *sc, cs_synth *out);

/* Receiver channels per sample frame (1, or the array's elements). */
CS_API unsigned cs_synth_num_channels(cs_synth g);

/* The next n sample frames (num_channels interleaved values each, full scale 1.0). */
CS_API int cs_synth_generate(cs_synth g, cs_cf32 *out, size_t n);

CS_API void cs_synth_destroy(cs_synth g);

/* What cs_synth_write did. */
typedef struct cs_synth_result {
    uint64_t num_samples;      /* per channel */
    size_t clipped_components; /* I or Q values that saturated the datatype */
    double measured_power_dbfs;/* mean power of channel 0 as written (before quantisation) */
    double elapsed_s;          /* generation time */
} cs_synth_result;

/* Generate the whole recording: BASENAME.sigmf-data/.sigmf-meta (annotations with a
 * "cellscan:truth" object per emitter) and BASENAME.truth.json. Nothing appears under
 * the final names unless everything succeeded. result may be NULL. */
CS_API int cs_synth_write(cs_synth_scenario *sc, const char *basename, cs_synth_result *result);

#ifdef __cplusplus
}
#endif

#endif
