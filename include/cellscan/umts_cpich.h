/* UMTS step 3 and the measurements (TS 25.214 Annex C, TS 25.215): the primary CPICH.
 *
 * The P-CPICH is channelisation code 0 (all ones) with symbol 1 + j, scrambled by the
 * cell's primary scrambling code from the frame start; despreading 256 chips with the
 * unit-modulus reference u = S (1 + j) / 2 gives D = 256 a for a CPICH of chip amplitude a
 * (power |a|^2), and 256 Io of noise power for chips of power Io.
 *
 * cs_umts_cpich_id: which of a few scrambling codes (the 8 of a group, for one or more
 * frame-timing hypotheses) is present: per code T = sum |D|^2 / sum (window energy), the
 * CPICH energy over the noise expected from the received power; about 1 for an absent
 * code (a chi-square with 2N degrees of freedom over N symbols), 1 + 256 Ec/Io for the
 * cell's code.
 *
 * cs_umts_cpich_meas: a known cell (PSC and frame timing): per path (the main one and
 * candidate echoes), the despread CPICH at the path's sample and its neighbours half a chip
 * either side; RSCP with the noise bias removed (the per-symbol noise comes from the
 * difference of consecutive symbols, so it includes whatever is not orthogonal to the
 * CPICH) and sub-chip timing from fitting the raised-cosine correlation shape to the
 * three powers; the fine frequency from the CPICH phase over 1 symbol, 1 slot and 1 frame
 * (each resolving the next one's ambiguity); the timing tracked frame by frame (a
 * delay-locked loop moves the despreading point when the path drifts) and the sample-clock
 * drift from a straight-line fit of the timing; the carrier RSSI over the same samples.
 */
#ifndef CELLSCAN_UMTS_CPICH_H
#define CELLSCAN_UMTS_CPICH_H

#include "cellscan/export.h"
#include "cellscan/types.h"
#include "cellscan/umts_block.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Code identification ---------------------------------------------------------------- */

#define CS_UMTS_ID_MAX_CODES 64

typedef struct cs_umts_code_hypothesis {
    int psc;                    /* 0..511 */
    double frame_start_samples; /* frame start at t = 0, [0, 76800) samples */
} cs_umts_code_hypothesis;

typedef struct cs_umts_cpich_id_s *cs_umts_cpich_id;

/* Up to 64 hypotheses; symbols_per_frame (1..150) limits the CPICH symbols used to the
 * first ones of each frame (fewer code chips to generate); drift_ppm as for the P-SCH. */
CS_API int cs_umts_cpich_id_create(const cs_umts_code_hypothesis *h, size_t n,
                                   unsigned symbols_per_frame, double drift_ppm,
                                   cs_umts_cpich_id *out);

CS_API int cs_umts_cpich_id_execute(cs_umts_cpich_id id, const cs_umts_block *b);

/* Stop accumulating a timing at the end of a frame once its best code is twice as far
 * above 1 as the threshold for p_false and every other code is below that threshold
 * (0, the default: use every symbol), or after 60 symbols once every code is under a
 * third of the way from 1 to that threshold. Saves time on strong cells and on noise. */
CS_API void cs_umts_cpich_id_set_early(cs_umts_cpich_id id, double p_false);

/* T of hypothesis i and the symbols it used. */
CS_API double cs_umts_cpich_id_metric(cs_umts_cpich_id id, size_t i, size_t *symbols);

CS_API void cs_umts_cpich_id_destroy(cs_umts_cpich_id id);

/* Threshold on T that noise alone exceeds with probability p_false over `symbols` symbols
 * (upper quantile of Gamma(N, 1) / N by Wilson-Hilferty). */
CS_API double cs_umts_cpich_threshold(size_t symbols, double p_false);

/* ---- Measurement of a known cell ---------------------------------------------------------- */

#define CS_UMTS_MAX_PATHS 16

typedef struct cs_umts_cpich_meas_params {
    int psc;
    double frame_start_samples;  /* [0, 76800) at t = 0 */
    double drift_ppm;            /* initial sample-clock drift (tracked from there) */
    size_t n_paths;              /* 1..16: path 0 is the main one */
    int path_delay_samples[CS_UMTS_MAX_PATHS]; /* relative to the frame start (path 0: 0) */
    int track;                   /* 1: move the despreading point with the path (default) */
} cs_umts_cpich_meas_params;

typedef struct cs_umts_path_result {
    double delay_samples;   /* from the frame start, sub-sample (at the main path's timing) */
    double power;           /* CPICH power on this path, |a|^2, noise removed (full scale 1) */
    double z;               /* significance: (energy / noise - 1) * sqrt(symbols) */
} cs_umts_path_result;

typedef struct cs_umts_cpich_meas_result {
    size_t symbols;          /* CPICH symbols measured */
    double rssi;             /* mean power of the samples measured (full scale 1) */
    double noise_per_symbol; /* noise power of one despread symbol D */
    size_t n_paths;
    cs_umts_path_result path[CS_UMTS_MAX_PATHS];
    double freq_hz;          /* frequency error left in the input, from the CPICH phase;
                                NAN when the CPICH is too weak */
    double freq_coherence;   /* |mean phasor| of the finest lag used, 0..1 */
    double drift_ppm;        /* sample-clock drift from the timing track; NAN when unknown */
    double drift_sigma_ppm;  /* its standard error */
    double timing_start_samples; /* main-path frame start at t = 0, sub-sample */
    double t_first_sample, t_last_sample; /* span measured (absolute sample indices) */
} cs_umts_cpich_meas_result;

typedef struct cs_umts_cpich_meas_s *cs_umts_cpich_meas;

CS_API void cs_umts_cpich_meas_params_init(cs_umts_cpich_meas_params *p);

CS_API int cs_umts_cpich_meas_create(const cs_umts_cpich_meas_params *p, cs_umts_cpich_meas *out);

CS_API int cs_umts_cpich_meas_execute(cs_umts_cpich_meas m, const cs_umts_block *b);

/* CS_ENOTFOUND when fewer than 20 symbols were measured. */
CS_API int cs_umts_cpich_meas_result_get(cs_umts_cpich_meas m, cs_umts_cpich_meas_result *out);

CS_API void cs_umts_cpich_meas_destroy(cs_umts_cpich_meas m);

/* Sub-chip fit of the raised-cosine correlation shape to the CPICH powers measured half a
 * chip early, on time and half a chip late: the peak's offset in chips (-0.5 .. 0.5) and
 * power. Exposed for tests. */
CS_API void cs_umts_rc_fit(double p_early, double p_on, double p_late, double *offset_chips,
                           double *peak_power);

#ifdef __cplusplus
}
#endif

#endif
