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

/* Accumulators of one despreading point (path p, offset d = -1, 0, +1 samples). The sums
 * are weighted by the share of time each symbol stands for (1, more once thinned), so the
 * means weigh every part of the input alike; the counts are of symbols measured. */
typedef struct point {
    double complex pair;  /* first symbol of the pair in progress */
    int in_pair;
    double pair_power;    /* sum w |D_a + D_b|^2 / 4 */
    double pair_noise;    /* sum w |D_a - D_b|^2 / 2 */
    size_t pairs;
    double w_pairs;       /* sum w over pairs */
    double energy;        /* sum w |D|^2 */
    size_t symbols;
    double w_symbols;     /* sum w over symbols */
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
    double dll_sum;         /* for the mean shift over symbols (weighted as the points) */
    double w_symbols;       /* its weight */
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
    /* thinning (umts_cpich_thin.c): every thin-th pair of symbols measured once tight */
    int thin;               /* 1, or the pairs per pair kept once decided */
    int thin_decided;
    double thin_target_db;  /* standard error the RSCP needs; 0 = off */
    double thin_echo_z;     /* significance an echo at the reporting floor must keep */
    double thin_freq_hz;    /* frequency when thinning began (for the frame lag) */
};

/* Stop measuring echo paths (path 1 on) once they surely cannot be reported: after 75
 * pairs of symbols of the main path, and at every 1.5-fold, a path whose power at the end
 * (upper bound of its prediction from what is in, 3 sigma) stays under floor_rel of the
 * strongest path's (lower bound), or whose significance cannot climb to the threshold for
 * p_false by expected_symbols (same prediction), is dropped.
 * The searcher reports only paths above both, so the cells it reports do not change
 * beyond chance; what changes is the work spent on noise (most P-SCH echo candidates). */
void umts_cpich_meas_set_pruning(cs_umts_cpich_meas m, double floor_rel, double p_false,
                                 size_t expected_symbols);

/* Whether path i was dropped (its result covers the symbols up to then only). */
int umts_cpich_meas_dropped(cs_umts_cpich_meas m, size_t i);

/* The checks, at the end of every frame (umts_cpich_meas.c calls it). */
void umts_cpich_meas_prune(cs_umts_cpich_meas m);

/* Thinning: a cell whose RSCP is already measured tightly needs not every symbol. Once the
 * first HALF_SYMBOLS symbols are in (frequency and timing settled), and before half the
 * input is, a cell is measured on every thin-th pair of symbols (thin 2 .. THIN_MAX, the
 * largest that qualifies) for the rest of the input, still over all of it so fading is
 * averaged as before (the sums weighted for time), when its main path's RSCP standard
 * error would stay within target_db and an echo at the reporting floor (floor_rel of the
 * main path's power, as in pruning) would keep a significance of echo_z. Needs the
 * expected symbols of pruning. */
#define THIN_MAX 3 /* thinner (4 - 8) gave RSCP 1 - 2 % low at -14 .. -11 dB Ec/Io in the
                      * generated curves, cause not found; 3 shows no bias there */
void umts_cpich_meas_set_thinning(cs_umts_cpich_meas m, double target_db, double echo_z);

/* The decision, at a frame start (umts_cpich_meas.c calls it). */
void umts_cpich_meas_thin_decide(cs_umts_cpich_meas m);

/* The finest frequency estimate so far (Hz; NAN without one), as the result gives it. */
double umts_cpich_meas_freq_hz(cs_umts_cpich_meas m);

/* Whether symbol sym is left out. Thinned, the first pair of every slot is left out: its
 * first symbol carries the cell's own SCH, not orthogonal to the CPICH, whose
 * cross-correlation with the code is fixed for each slot of the frame and averages away
 * only over all of them. Of the 4 other pairs of each slot, every thin-th is kept, moving
 * by one from frame to frame: other cells' CPICH repeats every frame, and so does its
 * cross-correlation with this cell's code at a given symbol (the same few symbols in every
 * frame moved the RSCP by 0.3 dB on real recordings). */
#define SLOT_PAIRS 5 /* pairs of symbols per slot */
static inline int umts_cpich_meas_thinned(const struct cs_umts_cpich_meas_s *m, long sym)
{
    if (m->thin <= 1) return 0;
    const long in_frame = umts_mod(sym, SYMS_PER_FRAME), frame = (sym - in_frame) / SYMS_PER_FRAME;
    const long pair = in_frame / 2;
    if (pair % SLOT_PAIRS == 0) return 1;
    return umts_mod(pair - pair / SLOT_PAIRS - 1 + frame, m->thin) != 0;
}

/* Time weight of a kept pair: the pairs of the slot it stands for. */
static inline double umts_cpich_meas_thin_weight(int thin)
{
    return (double)thin * SLOT_PAIRS / (SLOT_PAIRS - 1);
}

/* Whether the half-chip side points of a kept symbol are measured (thinned: on the first
 * symbol of each kept pair, 1 in 4 symbols as unthinned at thin 2), the time weights of
 * its on-time and side points, and the measured symbols per side measurement. */
static inline int umts_cpich_meas_sides(const struct cs_umts_cpich_meas_s *m, long sym, double *w_on,
                                        double *w_side, double *per_side)
{
    if (m->thin <= 1) {
        *w_on = *w_side = 1.0;
        *per_side = SIDE_EVERY;
        return (sym & (SIDE_EVERY - 1)) == 0;
    }
    *per_side = 2.0;
    *w_on = umts_cpich_meas_thin_weight(m->thin);
    *w_side = *w_on * *per_side / SIDE_EVERY;
    return umts_mod(sym, 2) == 0;
}

#endif
