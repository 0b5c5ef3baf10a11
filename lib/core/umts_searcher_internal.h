/* Internal state of the UMTS cell searcher: umts_searcher.c runs the passes and feeds
 * blocks, umts_searcher_stages.c turns each stage's results into the next stage's work,
 * umts_searcher_cancel.c subtracts found cells' synchronisation channels. */
#ifndef CELLSCAN_UMTS_SEARCHER_INTERNAL_H
#define CELLSCAN_UMTS_SEARCHER_INTERNAL_H

#include "cellscan/umts_cpich.h"
#include "cellscan/umts_frame_sync.h"
#include "cellscan/umts_frontend.h"
#include "cellscan/umts_psch_sync.h"
#include "cellscan/umts_searcher.h"
#include "umts_internal.h"

#define SEARCH_MAX_CAND 64
#define SEARCH_MAX_CELLS 64
#define SEARCH_BLOCK 1048576 /* samples per block when streaming (even) */

typedef enum search_stage {
    STAGE_PSCH = 0, /* step 1: needs the input (or the cache) */
    STAGE_FRAME,    /* step 2 */
    STAGE_ID,       /* step 3 */
    STAGE_MEAS,     /* step 4 */
    STAGE_DONE
} search_stage;

typedef struct search_cand {
    cs_umts_psch_candidate psch;
    cs_umts_frame_sync fs;
    cs_umts_frame_sync_result fsr;
    int fs_ok;
    size_t n_hyp;               /* frame hypotheses tested */
    cs_umts_cpich_id id;
    int merged_into;            /* index of the stronger candidate it echoes, or -1 */
    int psc;                    /* identified, or -1 */
    double frame_start;         /* of the identified hypothesis */
    double id_t;                /* T of the identified code */
    size_t id_symbols;
} search_cand;

typedef struct search_cell {
    int psc;
    double frame_start;          /* samples, at t = 0 */
    int cand;                    /* candidate it came from */
    size_t n_paths;
    int path_delay[CS_UMTS_MAX_PATHS];
    cs_umts_cpich_meas meas;
    int round;
} search_cell;

struct cs_umts_searcher_s {
    cs_umts_searcher_params p;
    cs_umts_frontend fe;
    search_stage stage;
    int round;
    unsigned passes;
    int streaming;              /* 1: the caller feeds every pass; 0: the cache serves */
    /* front end output of the current pass */
    cs_cf32 *fe_out;
    size_t fe_cap;
    uint64_t produced;          /* working-rate samples this pass */
    uint64_t power_n;           /* samples of pass 1 */
    double slot_acc;            /* energy of the slot in progress */
    size_t slot_fill;
    float *slot_energy;         /* energy of every whole slot of pass 1 (robust RSSI) */
    size_t n_slot_energy, slot_energy_cap;
    double rssi;                /* carrier RSSI (linear) */
    size_t rssi_slots_rejected; /* slots left out as impulsive */
    /* cache of pass 1 in polyphase SoA (re0, im0, re1, im1) */
    float *poly[4];             /* in poly_block */
    float *poly_block;
    size_t poly_n, poly_cap;    /* samples held (pairs complete) and room */
    cs_cf32 pending;            /* odd sample waiting for its pair */
    int have_pending;
    /* streaming blocks */
    cs_cf32 *blk;               /* interleaved, SEARCH_BLOCK + look-ahead */
    size_t blk_n;
    uint64_t blk_first;
    float *blk_poly[4];
    /* step 1 */
    cs_umts_psch_sync psch;
    int psch_round;             /* round whose frequency grid psch has */
    double carrier_hz;          /* frequency shifted out before steps 2-4 (Hz) */
    double derotated_hz;        /* frequency already removed from the cache */
    int first_look;             /* round 1 (umts_searcher_first.c): 0 undecided, 1 a strong
                                   cell fixed the frequency, -1 the full grid search */
    double first_freq_hz;
    struct psch_stream_fold *first_fold; /* the cache folded as it fills, once decided */
    double psch1_offset_hz;     /* frequency removed from the samples round 1's P-SCH saw */
    /* steps 2-4 */
    size_t n_cand;
    search_cand cand[SEARCH_MAX_CAND];
    size_t n_deferred;          /* round-1 P-SCH peaks left to round 2 (slot offset index) */
    int deferred[SEARCH_MAX_CAND];
    size_t n_cells;
    search_cell cell[SEARCH_MAX_CELLS];
    /* results */
    size_t n_out;
    cs_umts_cell out[SEARCH_MAX_CELLS];
    double freq_error_hz, drift_ppm, drift_sigma_ppm;
};

/* umts_searcher_stages.c */
int search_stage_psch_done(struct cs_umts_searcher_s *s);
int search_stage_frame_done(struct cs_umts_searcher_s *s);
int search_stage_id_done(struct cs_umts_searcher_s *s);
int search_stage_meas_done(struct cs_umts_searcher_s *s);
void search_free_round(struct cs_umts_searcher_s *s);
/* umts_searcher.c: a new P-SCH search for the current round (its frequency grid). */
int search_new_psch(struct cs_umts_searcher_s *s);
/* umts_searcher.c: stages 2-4 over the cache until step 1 is needed again or all is done. */
int search_run_cached(struct cs_umts_searcher_s *s);
/* umts_searcher_round2.c: cancel the cells found, search near them again. */
int search_round_two(struct cs_umts_searcher_s *s);
/* umts_searcher_first.c: round 1 from a first look at the start of the input; feed after
 * the samples went into the cache; drop: the fold as the cache fills no longer wanted. */
int search_first_eligible(const struct cs_umts_searcher_s *s);
void search_first_feed(struct cs_umts_searcher_s *s, const cs_cf32 *y, size_t n);
int search_first_finish(struct cs_umts_searcher_s *s);
void search_first_drop(struct cs_umts_searcher_s *s);
/* umts_searcher.c: remove carrier_hz - derotated_hz from the cache. */
#define UMTS_DEROTATE_MIN_HZ 1000.0
void search_derotate_cache(struct cs_umts_searcher_s *s);
/* umts_searcher_cancel.c: subtract the SCH of the cells found from the cache. */
int search_cancel(struct cs_umts_searcher_s *s);
/* the strongest cells' CPICH (umts_searcher_cancel.c): cells cancelled, or < 0; the
 * last pass feeds `fold` (may be NULL) each stretch once it is final */
struct psch_stream_fold;
int search_cancel_cpich(struct cs_umts_searcher_s *s, struct psch_stream_fold *fold);
/* Run the objects of the current stage (2-4) on one block. */
void search_block(struct cs_umts_searcher_s *s, const cs_umts_block *b);

#endif
