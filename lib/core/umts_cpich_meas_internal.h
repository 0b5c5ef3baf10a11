/* Internal state of a CPICH measurement (umts_cpich_meas.c measures, umts_cpich_prune.c
 * stops measuring echo paths that cannot be reported). */
#ifndef CELLSCAN_UMTS_CPICH_MEAS_INTERNAL_H
#define CELLSCAN_UMTS_CPICH_MEAS_INTERNAL_H

#include <complex.h>

#include "cellscan/umts_cpich.h"
#include "umts_internal.h"
#include "umts_kernels.h"

#define SYM_CHIPS 256
#define SYM_SAMPLES (SYM_CHIPS * UMTS_SPC)
#define SYMS_PER_FRAME 150
#define SYM_WORDS (SYM_CHIPS / 16)
#define T_SYM (256.0 / 3.84e6)
#define MAX_TRACK 100000  /* frames of timing history kept (1000 s) */
#define DLL_STEP 0.3      /* chips off centre before the despreading point moves */
#define ACQUIRE_FRAMES 3  /* frames that may still move the point before measuring */
#define SIDE_EVERY 4       /* symbols per half-chip side-point measurement (a power of 2) */
#define HALF_SYMBOLS 450  /* symbols whose halves give the coarsest frequency (3 frames) */

/* Accumulators of one despreading point (path p, offset d = -1, 0, +1 samples). */
typedef struct point {
    double complex pair;  /* first symbol of the pair in progress */
    int in_pair;
    double pair_power;    /* sum |D_a + D_b|^2 / 4 */
    double pair_noise;    /* sum |D_a - D_b|^2 / 2 */
    size_t pairs;
    double energy;        /* sum |D|^2 */
    size_t symbols;
} point;

typedef struct frame_acc {
    double energy[3], noise;
    size_t symbols, pairs;
    double complex prev;
    int have_prev;
} frame_acc;

struct cs_umts_cpich_meas_s {
    cs_umts_cpich_meas_params p;
    const umts_kernels *k;
    uint16_t iw[UMTS_FRAME_WORDS], qw[UMTS_FRAME_WORDS]; /* the code, packed */
    long next_sym;
    int dmin, dmax;         /* path delay range */
    long dll;               /* despreading point shift, samples */
    double dll_sum;         /* for the mean shift over symbols */
    point pt[CS_UMTS_MAX_PATHS][3];
    /* frequency: lags of 1, 10 and 150 symbols on the main path */
    double complex ring[SYMS_PER_FRAME];
    long ring_sym[SYMS_PER_FRAME];
    double complex lag_acc[3];
    double lag_mag[3];
    size_t lag_n[3];
    double complex half_acc; /* second half of a symbol times the first's conjugate */
    double half_mag;
    size_t half_n, half_symbols;
    /* timing track */
    frame_acc fr;
    long frame_index;
    int acquiring;          /* frames of acquisition left */
    double smooth;
    size_t n_track;
    double *track_t, *track_tau, *track_w;
    double f_run;           /* frequency estimate so far (Hz) */
    double phase;           /* its phase, accumulated symbol by symbol */
    long phase_sym;
    int have_phase;
    double complex unrot, unrot_step; /* exp(-j phase), and its turn per symbol */
    double rssi_sum;
    double rssi_n;
    double t_first, t_last;
    size_t symbols;
    /* echo paths no longer measured (umts_cpich_prune.c) */
    int dropped[CS_UMTS_MAX_PATHS];
    double prune_floor;     /* reporting floor relative to the strongest path; 0 = off */
    double prune_p_false;
    size_t prune_expected;  /* symbols the whole measurement will have */
    size_t prune_next;      /* on-time pairs of the main path at the next check */
};

/* Stop measuring echo paths (path 1 on) once they surely cannot be reported: after 75
 * pairs of symbols of the main path, and at every doubling, a path whose power (upper
 * bound, 3 sigma) stays under floor_rel of the strongest path's (lower bound), or whose
 * significance cannot climb to the threshold for p_false by expected_symbols, is dropped.
 * The searcher reports only paths above both, so the cells it reports do not change
 * beyond chance; what changes is the work spent on noise (most P-SCH echo candidates). */
void umts_cpich_meas_set_pruning(cs_umts_cpich_meas m, double floor_rel, double p_false,
                                 size_t expected_symbols);

/* Whether path i was dropped (its result covers the symbols up to then only). */
int umts_cpich_meas_dropped(cs_umts_cpich_meas m, size_t i);

/* The checks, at the end of every frame (umts_cpich_meas.c calls it). */
void umts_cpich_meas_prune(cs_umts_cpich_meas m);

#endif
