/* Shared state of the P-SCH slot synchroniser (umts_psch_sync.c accumulates,
 * umts_psch_maps.c turns lag products into energy maps, umts_psch_candidates.c picks). */
#ifndef CELLSCAN_UMTS_PSCH_INTERNAL_H
#define CELLSCAN_UMTS_PSCH_INTERNAL_H

#include "cellscan/umts_psch_sync.h"
#include "umts_internal.h"
#include "umts_kernels.h"

#define PSCH_L CS_UMTS_SLOT_SAMPLES /* fold period */
#define PSCH_LAGS 16                /* outer code blocks */
#define PSCH_BLOCK_LAG 32           /* samples per 16-chip block at 2 samples per chip */
#define PSCH_INNER_SPAN 30          /* inner code reaches x[t + 30] */
#define PSCH_LAG_SPAN (PSCH_BLOCK_LAG * (PSCH_LAGS - 1)) /* 480 */
#define PSCH_PIECE 4096             /* samples per processing step */
#define PSCH_BATCH_SLOTS 16         /* slots folded per kernel call */
#define PSCH_U_CAP (PSCH_BATCH_SLOTS * PSCH_L + PSCH_LAG_SPAN + PSCH_PIECE)
#define PSCH_MAX_CENTRES 64
#define PSCH_MAX_SEGMENTS 64

/* One frequency centre: the input derotated to it, its inner outputs and lag products. */
typedef struct psch_centre {
    double freq_hz;
    float *xr, *xi;   /* PSCH_INNER_SPAN history + piece */
    size_t x_have;
    float *ur, *ui;   /* inner outputs from position t_acc (a slot boundary) on */
    size_t u_have;
    float *rr, *ri;   /* PSCH_LAGS x PSCH_L lag products of the current segment */
    int first_freq, n_freqs; /* grid points it serves */
} psch_centre;

struct cs_umts_psch_sync_s {
    cs_umts_psch_params p;
    const umts_kernels *k;
    int n_freqs;
    size_t n_centres;
    psch_centre centre[PSCH_MAX_CENTRES];
    uint64_t t_in;       /* input samples consumed */
    uint64_t t_acc;      /* positions folded into R */
    uint64_t seg_start;  /* first position of the current segment */
    uint64_t seg_len;    /* positions per segment (drift mode), else unbounded */
    int drift_mode;
    int direct;          /* one frequency: the outer code folded directly, no lag products */
    int windowed;        /* only the positions marked in active[] were folded */
    unsigned char *active; /* PSCH_L flags (umts_psch_windows.c) */
    float *outside;      /* per-slot SNR map for the positions not folded */
    int use_outside;
    /* energy maps: drift mode keeps one per segment, else one in total */
    size_t n_segments;
    float *seg_maps;     /* [segment][freq][PSCH_L] */
    double seg_mid[PSCH_MAX_SEGMENTS]; /* centre position of each segment */
    double seg_positions[PSCH_MAX_SEGMENTS]; /* positions folded per slot position */
    float *gr, *gi;      /* scratch: G_d, PSCH_LAGS x PSCH_L */
    /* results */
    int finished;
    float *snr_map;      /* [freq][PSCH_L] per-slot SNR along the chosen drift */
    double slots, drift_ppm;
    size_t n_cand;
    cs_umts_psch_candidate cand[256];
};

/* Accumulate n more samples (n even; every earlier call even too) given as the polyphase
 * arrays of a cs_umts_block, poly = { re0, im0, re1, im1 }, indexed from the sample pair
 * after those already given. */
int umts_psch_sync_execute_poly(struct cs_umts_psch_sync_s *s, const float *const poly[4], size_t n);

/* Fold only the slot positions within half_width samples of the given positions (slot
 * offsets), straight from the polyphase arrays of n cached samples, instead of execute
 * calls; then finish as usual. outside (PSCH_L, or NULL): the per-slot SNR map to use for
 * the other positions (an earlier search's), without the peaks within PSCH_MAIN_LOBE of the
 * n_tested positions `tested` there. For a fresh one-frequency object searching at 0 Hz
 * without drift; CS_ENOTSUP otherwise (feed the samples instead), CS_ENOMEM. */
#define PSCH_MAIN_LOBE 2

/* The same over the whole slot: all n cached samples folded at once. */
int umts_psch_sync_fold_cache(struct cs_umts_psch_sync_s *s, const float *const poly[4], size_t n);
int umts_psch_sync_fold_windows(struct cs_umts_psch_sync_s *s, const float *const poly[4], size_t n,
                                const double *centres, size_t n_centres, int half_width,
                                const float *outside, const int *tested, size_t n_tested);

/* umts_psch_windows.c: a fresh one-frequency object at 0 Hz without drift, the kind the
 * folds straight from the cache serve. */
int psch_fresh_direct(const struct cs_umts_psch_sync_s *s);

/* umts_psch_stream.c: umts_psch_sync_fold_cache in steps, while the cache is still being
 * written or changed from its start on (the searcher folds each stretch as soon as it is
 * final, still in cache). begin: on a psch_fresh_direct object (CS_ENOTSUP otherwise,
 * CS_ENOMEM). upto (f may be NULL: nothing): fold what lies wholly before sample n_final
 * (non-decreasing; the arrays may have moved since). end: the rest of n cached samples,
 * the same result as umts_psch_sync_fold_cache to the bit (the same sums in the same
 * order), and frees f; abort (f may be NULL) frees a fold not wanted after all (the
 * object must then not be finished). */
typedef struct psch_stream_fold psch_stream_fold;
int psch_stream_fold_begin(struct cs_umts_psch_sync_s *s, psch_stream_fold **out);
void psch_stream_fold_upto(psch_stream_fold *f, const float *const poly[4], size_t n_final);
int psch_stream_fold_end(psch_stream_fold *f, const float *const poly[4], size_t n);
void psch_stream_fold_abort(psch_stream_fold *f);

/* A look before finishing (lag products, no drift): the largest per-slot SNR over every
 * slot position and grid frequency so far as a z score (SNR * sqrt(slots)), and the
 * frequency of that peak refined to 25 Hz between the grid points around it. The search
 * goes on unchanged. CS_ENOTSUP when it cannot tell (one frequency, drift, < 2 slots). */
int umts_psch_sync_peek(struct cs_umts_psch_sync_s *s, double *z, double *freq_hz);

/* umts_psch_maps.c: energy of every grid frequency of a centre from its lag products,
 * added into maps[freq][PSCH_L]. */
void psch_energy_maps(struct cs_umts_psch_sync_s *s, psch_centre *c, float *maps);

/* umts_psch_maps.c: combine the segment maps (along the best drift hypothesis) into the
 * per-slot SNR map; sets slots and drift_ppm. -1 when out of memory. */
int psch_combine(struct cs_umts_psch_sync_s *s);

/* umts_psch_sidelobes.c: cs_umts_psch_sidelobe(d) as a table, t[d] for |d| <= PSCH_SIDELOBE_REACH
 * (built on first use; no per-call synchronisation in loops). */
#define PSCH_SIDELOBE_REACH 552
const float *umts_psch_sidelobe_table(void);

/* umts_psch_candidates.c: noise-normalise the combined maps and pick candidates. */
void psch_select_candidates(struct cs_umts_psch_sync_s *s);

#endif
