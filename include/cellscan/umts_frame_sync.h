/* UMTS step 2 (TS 25.214 Annex C): frame synchronisation and code-group identification
 * from the S-SCH, for one P-SCH candidate (slot timing known).
 *
 * In every slot the 256 chips at the candidate's timing are correlated with all 16
 * secondary codes (fast Walsh-Hadamard, cs_umts_ssc_correlate) and with the primary code.
 * The P-SCH of the same slot is the phase reference (coherent S-SCH): the score of code k
 * in slot position s accumulates Re{S_k conj(P)}, which also makes the result independent
 * of the SCH sign a (both codes carry it). The 960 (group, slot) words of TS 25.213
 * Table 4 are then scored over the accumulated 15 x 16 matrix and ranked; the noise level
 * of one matrix entry (a robust spread of the entries) turns the best metric and its lead
 * over the runner-up into z-scores.
 *
 * The same slots give the frequency error: the phase step between the two 128-chip halves
 * of the P-SCH correlation (unambiguous over +-15 kHz) and, more precisely, from one slot
 * to the next (+-750 Hz), combined.
 */
#ifndef CELLSCAN_UMTS_FRAME_SYNC_H
#define CELLSCAN_UMTS_FRAME_SYNC_H

#include "cellscan/export.h"
#include "cellscan/types.h"
#include "cellscan/umts_block.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_UMTS_FRAME_SAMPLES 76800 /* one 10 ms frame at 7.68 MS/s */
#define CS_UMTS_FRAME_HYPOTHESES 4  /* ranked (group, slot) hypotheses kept */

typedef struct cs_umts_frame_hypothesis {
    int group;                  /* scrambling code group 0..63: PSCs 8g .. 8g+7 */
    double frame_start_samples; /* a frame start, [0, 76800), at sample 0 drift-free */
    double metric_z;            /* score over the noise of a 15-slot word */
} cs_umts_frame_hypothesis;

typedef struct cs_umts_frame_sync_result {
    size_t slots;               /* slots used */
    cs_umts_frame_hypothesis hyp[CS_UMTS_FRAME_HYPOTHESES]; /* best first */
    double margin_z;            /* best minus runner-up, over the same noise */
    double sch_snr;             /* P-SCH correlation power per slot over its noise (linear) */
    double freq_hz;             /* frequency error left in the input (NAN when unknown) */
} cs_umts_frame_sync_result;

typedef struct cs_umts_frame_sync_s *cs_umts_frame_sync;

/* slot_offset_index: the candidate's P-SCH start in the slot (0 .. 5119, samples of the
 * input at t = 0); drift_ppm: sample-clock drift (the P-SCH moves by drift * t). */
CS_API int cs_umts_frame_sync_create(int slot_offset_index, double drift_ppm,
                                     cs_umts_frame_sync *out);

CS_API int cs_umts_frame_sync_execute(cs_umts_frame_sync f, const cs_umts_block *b);

/* Rank the hypotheses. CS_ENOTFOUND when fewer than 15 slots were seen. */
CS_API int cs_umts_frame_sync_result_get(cs_umts_frame_sync f, cs_umts_frame_sync_result *out);

CS_API void cs_umts_frame_sync_reset(cs_umts_frame_sync f);
CS_API void cs_umts_frame_sync_destroy(cs_umts_frame_sync f);

#ifdef __cplusplus
}
#endif

#endif
