/* Internal state of the FCCH detector's window search (gsm_fcch.c) and its threshold
 * model (gsm_fcch_threshold.c). */
#ifndef CELLSCAN_GSM_FCCH_INTERNAL_H
#define CELLSCAN_GSM_FCCH_INTERNAL_H

#include <fftw3.h>
#include <stdint.h>

#include "cellscan/types.h"

#define FCCH_FLOOR_BLOCKS 64 /* about 34 ms: several frames, so idle slots show */
#define FCCH_MAX_FFT 1024    /* fine FFT size limit (the detector's rates stay below it) */
#define FCCH_PAD 8           /* padding after the search-bin arrays: 8-lane steps */

typedef struct fcch_core {
    unsigned L;          /* window, samples at the working rate */
    unsigned H;          /* coarse hop */
    unsigned nc, nf;     /* coarse and fine FFT sizes */
    int kc_max, kf_max;  /* search bins: |k| <= k_max */
    double gamma;        /* detection threshold on T (fine windows) */
    double gamma_c;      /* candidate threshold (coarse windows) */
    fftwf_plan pc, pf;   /* coarse and fine window FFTs (run on per-thread scratch) */
    double *tvals;       /* fine statistics of one run */
    /* sample buffer: z[i] is working-rate sample z0 + i; cum[i] = energy of z[0..i) */
    cs_cf32 *z;
    double *cum;
    size_t len, cap;
    uint64_t z0;
    uint64_t sc;         /* next coarse window start */
    int run;             /* candidate windows in progress */
    uint64_t run_first, run_best;
    double run_best_t;
    uint64_t suppress;   /* no window starts before this (inside a detected burst) */
    /* background spectrum: robust running mean of the coarse windows' periodograms
     * (each bin clipped at 4x its mean, so FCCHs barely count), per unit window power */
    double *bg;          /* nc bins, FFT order */
    uint64_t bg_count;   /* updates averaged */
    uint64_t windows;    /* coarse windows examined */
    float *bg_gain;      /* search bins -kc_max..kc_max: min(1, flat level / background) */
    int *fine_to_coarse; /* index into bg_gain of fine search bin i: [i + kf_max] */
    float *fine_gain;    /* bg_gain of each fine search bin (8 zeros of padding) */
    int fine_gain_stale; /* bg_gain changed since fine_gain was taken from it */
    int avx2;            /* peak search screened in float with AVX2 (same results) */
    int ext_bg;          /* the background is set from outside: no own updates */
    /* ... its last level (bg_n values), turned into bg_gain only when a window needs the
     * gains (most hand-offs are replaced by the next before any window is examined) */
    float *bg_level;
    const unsigned *bg_map; /* coarse search bin -> given bin (and the next) */
    const float *bg_frac;   /* ... and the weight of the next */
    unsigned bg_n;
    int bg_stale;        /* bg_gain is not yet from bg_level */
    double noise;        /* noise per sample at the working rate; NAN: estimate (floor) */
    /* energies of the last FCCH_FLOOR_BLOCKS blocks of L samples: the noise floor */
    double blk_e[FCCH_FLOOR_BLOCKS];
    double blk_acc;
    unsigned blk_n, blk_pos, blk_count;
} fcch_core;

/* Power per sample of the quietest recent block, corrected for the bias of a minimum;
 * 0 before enough blocks were seen. */
double cs_gsm_fcch_core_floor(const fcch_core *k);

int cs_gsm_fcch_core_init(fcch_core *k, double rate_hz, double max_offset_hz);
void cs_gsm_fcch_core_thresholds(fcch_core *k, double per_hour, double rate_hz,
                                 double max_offset_hz, double beta);
void cs_gsm_fcch_core_free(fcch_core *k);

/* gsm_fcch_estimate.c. Maximum-likelihood tone frequency (cycles per sample) of the window
 * at s, starting near fine bin kb; *s0 receives the coherent sum at it. */
double cs_gsm_fcch_refine_frequency(const fcch_core *k, int64_t s, int kb, double _Complex *s0);
/* Quarter-window consistency of a tone at w rad/sample (F ratio; *share: deviation over the
 * quarters' energy). */
double cs_gsm_fcch_coherence(const fcch_core *k, int64_t s, double w, double *share);
/* |coherent sum|^2 at w of the window at s; 0 when the window is not in the buffer. */
double cs_gsm_fcch_tone_power(const fcch_core *k, int64_t s, double w);

#endif
