/* UMTS step 1 (TS 25.214 Annex C): P-SCH slot synchronisation with a coarse frequency
 * search, non-coherent accumulation over every slot given, and candidate selection.
 *
 * Input: one carrier at 7.68 MS/s after the RRC matched filter (cs_umts_frontend), sample
 * 0 being the first sample given after create/reset.
 *
 * Method. The 256-chip primary synchronisation code is 16 blocks of a 16-chip inner code
 * with an outer sign pattern. The inner correlations u(t) hardly depend on the frequency
 * (16 chips: -0.15 dB at 25 kHz); a frequency offset f only rotates block p by
 * w^p = exp(-j 2 pi f 16 p / 3.84 MHz). Then, for every f,
 *     sum over slots |sum_p outer_p w^p u(t + 32p)|^2
 *       = G_0(t) + 2 Re sum_{d=1}^{15} w^d G_d(t),
 * where G_d is built from the slot-folded lag products R_d(t) = sum_k u(t + kL + 32d)
 * u*(t + kL). So 16 lag products per input sample serve every frequency hypothesis at
 * once, and the frequency grid costs only a few operations per slot position. Searches
 * wider than +-40 kHz use several such centres (the inner code loses 0.4 dB at 40 kHz).
 *
 * At a single frequency the outer code is folded directly (a few adds per sample).
 *
 * Candidates: the folded energy at each (slot position, frequency) over its noise level
 * (the median of the map, for chi-square statistics with 2K degrees of freedom) gives a
 * per-slot SNR and a z-score; peaks are taken strongest first, masking each peak's main
 * lobe and discounting the P-SCH's aperiodic correlation side lobes (up to -12 dB, kept
 * with 3 dB margin) around it, so weaker cells and multipath echoes further away remain.
 * With max_drift_ppm > 0 the folding is done per segment and segments are combined along
 * sample-clock drift hypotheses (a 10 ppm clock moves the P-SCH 4 chips per 100 ms).
 */
#ifndef CELLSCAN_UMTS_PSCH_SYNC_H
#define CELLSCAN_UMTS_PSCH_SYNC_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_UMTS_SLOT_SAMPLES 5120 /* one slot at 7.68 MS/s */

typedef struct cs_umts_psch_params {
    double freq_min_hz;      /* coarse frequency search range (default -25 kHz .. +25 kHz) */
    double freq_max_hz;
    double freq_step_hz;     /* grid step (default 5 kHz: at most 0.2 dB lost between points) */
    double max_drift_ppm;    /* sample-clock drift hypotheses up to +-this (default 0: none) */
    unsigned segment_slots;  /* slots per stored segment when drift is searched (default 15) */
    unsigned max_candidates; /* default 16 */
    double threshold_z;      /* candidate threshold, noise-normalised (default 4.5) */
} cs_umts_psch_params;

typedef struct cs_umts_psch_candidate {
    double slot_offset_samples; /* P-SCH start in the slot at sample 0 drift-free, [0, 5120),
                                   interpolated between samples */
    int slot_offset_index;      /* the peak's integer sample, 0 .. 5119 */
    double freq_hz;             /* frequency offset, interpolated between grid points */
    int freq_index;             /* grid point of the peak */
    double snr;                 /* P-SCH energy per slot over the noise (linear, >= 0) */
    double z;                   /* detection statistic: (energy / noise - 1) * sqrt(slots) */
    double drift_ppm;           /* the drift hypothesis the peak belongs to */
} cs_umts_psch_candidate;

typedef struct cs_umts_psch_sync_s *cs_umts_psch_sync;

CS_API void cs_umts_psch_params_init(cs_umts_psch_params *p);

/* CS_EINVAL (message names the parameter) or CS_ENOMEM. */
CS_API int cs_umts_psch_sync_create(const cs_umts_psch_params *p, cs_umts_psch_sync *out);

/* Accumulate n more samples. */
CS_API int cs_umts_psch_sync_execute(cs_umts_psch_sync s, const cs_cf32 *x, size_t n);

/* Close the accumulation and select candidates (strongest first). Further execute calls
 * need a reset. CS_ENOTFOUND when less than two slots were given. */
CS_API int cs_umts_psch_sync_finish(cs_umts_psch_sync s);

CS_API size_t cs_umts_psch_sync_num_candidates(cs_umts_psch_sync s);
CS_API const cs_umts_psch_candidate *cs_umts_psch_sync_candidate(cs_umts_psch_sync s, size_t i);

/* After finish: the per-slot P-SCH SNR (energy over noise - 1) at every slot position for
 * frequency grid point freq_index, along the chosen drift hypothesis: out[5120]. */
CS_API int cs_umts_psch_sync_map(cs_umts_psch_sync s, int freq_index, float *out);

/* Frequency grid: number of points and the frequency of one. */
CS_API int cs_umts_psch_sync_num_freqs(cs_umts_psch_sync s);
CS_API double cs_umts_psch_sync_freq(cs_umts_psch_sync s, int freq_index);

/* Slots accumulated (may be fractional at the edges) and the chosen drift (ppm). */
CS_API double cs_umts_psch_sync_slots(cs_umts_psch_sync s);
CS_API double cs_umts_psch_sync_drift_ppm(cs_umts_psch_sync s);

/* Normalised side-lobe power of the P-SCH correlation (RC-shaped chips, 2 samples per
 * chip, worst case over sub-sample timing and +-2.5 kHz residual frequency) at a
 * distance of delta_samples from the peak; 1 at 0, 0 beyond 276 chips. */
CS_API double cs_umts_psch_sidelobe(int delta_samples);

CS_API void cs_umts_psch_sync_reset(cs_umts_psch_sync s);
CS_API void cs_umts_psch_sync_destroy(cs_umts_psch_sync s);

#ifdef __cplusplus
}
#endif

#endif
