/* UMTS cell searcher: every cell on one 5 MHz carrier of a recording, with its
 * measurements. It runs the front end (cs_umts_frontend) and the three search steps in
 * passes over the same samples:
 *   1. P-SCH slot timing and coarse frequency over the whole input (cs_umts_psch_sync);
 *      the carrier RSSI; the carrier's frequency error from the strongest candidate. With
 *      the whole input cached, a cell standing out in its first 20 ms fixes the frequency
 *      and the rest of the search runs at that one frequency.
 *   2. S-SCH frame timing and code group of every candidate (cs_umts_frame_sync).
 *   3. CPICH code identification among the group's 8 codes (cs_umts_cpich_id) against a
 *      noise-based threshold; candidates of one code merge into one cell (echoes).
 *   4. CPICH measurement of every cell over the whole input (cs_umts_cpich_meas), with the
 *      echoes found in the P-SCH map as path candidates, and a final confirmation.
 *   Then, when a cell was found and the input is cached, a cancellation round: the
 *   synchronisation channels of the cells found are subtracted and steps 1-4 repeat, at
 *   the carrier's frequency and near the cells found, for weaker cells hidden under their
 *   correlation side lobes. Candidates must also show a P-SCH phase that is steady from
 *   slot to slot, cells a coherent CPICH phase and a P-SCH no more than 10 dB above their
 *   CPICH.
 * The samples after the front end are kept in memory when they fit (cache_samples), so the
 * caller feeds the input once; otherwise the caller feeds the same input again for every
 * pass the searcher asks for:
 *
 *   cs_umts_searcher s;
 *   cs_umts_searcher_create(&params, &s);
 *   do {
 *       rewind the input;
 *       while (read a block) cs_umts_searcher_execute(s, block, n);
 *   } while (cs_umts_searcher_end_pass(s) == 1);
 *   for (i < cs_umts_searcher_num_cells(s)) ... cs_umts_searcher_cell(s, i) ...
 *
 * Results are ranked by CPICH RSCP, strongest first.
 */
#ifndef CELLSCAN_UMTS_SEARCHER_H
#define CELLSCAN_UMTS_SEARCHER_H

#include "cellscan/export.h"
#include "cellscan/types.h"
#include "cellscan/umts_cpich.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_umts_searcher_params {
    double input_rate_hz;     /* rate of the samples given to execute (>= 3.84 MS/s) */
    double carrier_offset_hz; /* carrier centre relative to the input's centre */
    double freq_range_hz;     /* coarse frequency search +- this (default 25 kHz) */
    double freq_step_hz;      /* its grid (default 5 kHz) */
    double max_drift_ppm;     /* sample-clock drift searched in step 1 (default 0) */
    unsigned max_cells;       /* at most this many cells (default 32) */
    unsigned max_candidates;  /* P-SCH candidates per round (default 16) */
    double psch_threshold_z;  /* P-SCH candidate threshold (default 4.5) */
    double p_false;           /* CPICH confirmation: false-alarm probability of one code
                                 test on noise (default 1e-6) */
    double path_threshold_db; /* echoes reported down to this far below the cell's
                                 strongest path (default 15 dB) */
    size_t cache_samples;     /* working-rate samples kept in memory (default 2^23, about
                                 1.1 s; 16 bytes each while caching); 0 = never */
    int cancellation;         /* 1 (default): a second round after cancelling found cells
                                 (cached inputs only) */
    uint64_t expected_input_samples; /* input length when known (sizes the cache), or 0 */
} cs_umts_searcher_params;

typedef struct cs_umts_cell_path {
    double delay_chips;       /* after the cell's strongest path */
    double rscp;              /* CPICH power on the path (linear, full scale 1) */
    double z;                 /* significance */
} cs_umts_cell_path;

typedef struct cs_umts_cell {
    int psc;                  /* primary scrambling code 0..511 */
    int group;                /* psc / 8 */
    double rscp;              /* CPICH RSCP, all reported paths (linear, full scale 1) */
    double peak_rscp;         /* strongest path alone */
    double rssi;              /* carrier RSSI after the matched filter (linear) */
    double freq_error_hz;     /* carrier as received minus the carrier_offset_hz searched */
    double frame_offset_chips;/* frame start at t = 0 of the input, 0 .. 38400 */
    double drift_ppm;         /* from the timing track; NAN when unknown */
    double drift_sigma_ppm;
    size_t n_paths;           /* >= 1; path[0] is the strongest */
    cs_umts_cell_path path[CS_UMTS_MAX_PATHS];
    double cpich_z;           /* confirmation statistic of the strongest path */
    double psch_snr;          /* P-SCH energy per slot over noise at step 1 (linear) */
    double ssch_z;            /* S-SCH word metric over noise at step 2 */
    double t_first_s, t_last_s; /* span measured, seconds from the first input sample */
    int round;                /* 1, or 2 when found after cancellation */
} cs_umts_cell;

typedef struct cs_umts_searcher_s *cs_umts_searcher;

/* Defaults; input_rate_hz must be set. */
CS_API void cs_umts_searcher_params_init(cs_umts_searcher_params *p);

CS_API int cs_umts_searcher_create(const cs_umts_searcher_params *p, cs_umts_searcher *out);

/* Feed the next n input samples of the current pass. */
CS_API int cs_umts_searcher_execute(cs_umts_searcher s, const cs_cf32 *x, size_t n);

/* The input of this pass is complete. Returns 1 when the same input must be fed again
 * from its first sample, 0 when the search is done, or a negative status. */
CS_API int cs_umts_searcher_end_pass(cs_umts_searcher s);

/* Results (valid after end_pass returned 0). */
CS_API size_t cs_umts_searcher_num_cells(cs_umts_searcher s);
CS_API const cs_umts_cell *cs_umts_searcher_cell(cs_umts_searcher s, size_t i);

/* Carrier: RSSI (linear; 0 before the first pass ended), frequency error of the carrier
 * (NAN when no cell), sample-clock drift estimated from the cells (NAN when unknown) and
 * its standard error, input duration (s). */
CS_API double cs_umts_searcher_rssi(cs_umts_searcher s);
CS_API double cs_umts_searcher_freq_error_hz(cs_umts_searcher s);
CS_API double cs_umts_searcher_drift_ppm(cs_umts_searcher s, double *sigma_ppm);
CS_API double cs_umts_searcher_duration_s(cs_umts_searcher s);

/* Passes run so far (the input was read this many times). */
CS_API unsigned cs_umts_searcher_passes(cs_umts_searcher s);

/* Start over (same parameters). */
CS_API void cs_umts_searcher_reset(cs_umts_searcher s);
CS_API void cs_umts_searcher_destroy(cs_umts_searcher s);

#ifdef __cplusplus
}
#endif

#endif
