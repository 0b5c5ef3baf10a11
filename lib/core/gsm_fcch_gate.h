/* FCCH pre-detector (internal to the GSM scanner): a cheap look for a tone in the
 * channelizer's wideband block spectra, so the full FCCH detector examines its windows
 * only around blocks that might hold one.
 *
 * Per block and channel: every bin of the FCCH search band (tone +- max offset) divided
 * by that bin's running level (a clipped mean over the recent blocks: what the channel
 * usually holds there), summed over two adjacent bins (a tone between bins) and over this
 * block and the previous one (an FCCH straddling two blocks); the largest sum against a
 * threshold. In noise each normalised bin is Exp(1), so the sum is about Gamma(4). An
 * FCCH at -5 dB Es/N0 puts about 20 times the noise into its bin pair even at the worst
 * block alignment (325 us of the 410 us block) and scalloping. */
#ifndef CELLSCAN_GSM_FCCH_GATE_H
#define CELLSCAN_GSM_FCCH_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/gsm_fcch.h"
#include "cellscan/types.h"

typedef struct cs_gsm_fcch_gate {
    unsigned nfft;     /* wideband FFT size */
    int bin0;          /* first search bin (FFT bin number, may be negative: wraps) */
    unsigned nb;       /* search bins */
    unsigned npad;     /* nb rounded up to a multiple of 8: the arrays' length */
    float *level;      /* running level per search bin */
    float *inv_level;  /* ... and its inverse */
    float *bg;         /* a slower level: the detector's background (less noisy) */
    float *pair_prev;  /* previous block's normalised bin-pair sums (nb - 1) */
    float *pair;       /* this block's bin powers (scratch when the stack is too small) */
    float *norm, *sums; /* ... normalised, and the 4-cell sums (scratch) */
    unsigned count;    /* blocks averaged into level */
    double threshold;  /* on the 4-cell sum of normalised powers */
    int chan0;         /* first bin of the channel's own band (may be negative: wraps) */
    unsigned nchan;    /* its bins */
    double min_share;  /* the flagged cells' share of the channel's power, at least */
    double first_hz, bin_hz; /* search bin 0 relative to the tone's bin, bin spacing */
    int level_changed; /* the last block updated the level (and it has settled) */
    int pairs_stale;   /* pair_prev is not the previous block's (it was not looked at) */
    uint64_t passed;   /* blocks over the threshold (before the share test) */
    int avx2;          /* look with the AVX2 pass (same values, fewer instructions) */
} cs_gsm_fcch_gate;

/* Search bins around centre_bin (the tone's bin) for +-max_offset_hz, bins of bin_hz; the
 * channel's own band is chan_bin +- chan_half_hz. */
int cs_gsm_fcch_gate_init(cs_gsm_fcch_gate *g, unsigned nfft, int centre_bin, double bin_hz,
                          double max_offset_hz, int chan_bin, double chan_half_hz);
/* 1 when the block (its N-bin spectrum) may hold an FCCH, with the previous block (its
 * spectrum `prev`, NULL when not held); 0 when not. Open (1) until the levels have settled.
 *
 * Over the threshold, the flagged bin pair must also hold a tone's share of the channel's
 * power in the two blocks: a burst of random GMSK symbols, or a neighbour's skirt, spreads
 * over the channel (its best pair holds a few per cent even where it lifts the pair far
 * over the pair's usual level: traffic bursts after idle slots), while an FCCH at -5 dB
 * Es/N0 still puts about a fifth of the channel's power (tone and noise) into its pair. */
int cs_gsm_fcch_gate_block(cs_gsm_fcch_gate *g, const cs_cf32 *spectrum, const cs_cf32 *prev,
                           int look);
/* look = 0: only keep the levels (and the background) current, at a quarter of the cost
 * (a channel whose frame timing already says where its FCCHs are); returns 0. */
void cs_gsm_fcch_gate_free(cs_gsm_fcch_gate *g);

/* Gating of a detector (gsm_fcch.c): once gated, its coarse windows are examined only where
 * they overlap an opened span of input samples [first, end); spans are opened in time
 * order, before the samples they cover are fed. The background spectrum keeps its update
 * cadence over the samples fed; when the scanner feeds only stretches around opened spans
 * (restart_at), it learns from those stretches only, so statistics differ slightly. */
void cs_gsm_fcch_detector_gate(cs_gsm_fcch_detector d, int on);
void cs_gsm_fcch_detector_open(cs_gsm_fcch_detector d, int64_t first, int64_t end);
/* The input skips ahead: finish every window of what came so far (as at the end), then
 * continue with input sample `index` (after the last one given; only without decimation
 * or shift). Lets the scanner feed the tone stream only around opened spans. */
int cs_gsm_fcch_detector_restart_at(cs_gsm_fcch_detector d, uint64_t index);
/* Background from outside: the channel's usual power in the tone band (n values, the
 * first at first_hz from the detector's tone frequency, bin_hz apart; any scale), in
 * place of the detector's own running background, which then stops learning (it would
 * learn only from the stretches the gate opens). The coarse windows no span opens cost
 * nothing from then on. */
void cs_gsm_fcch_detector_set_background(cs_gsm_fcch_detector d, const float *level, unsigned n,
                                         double first_hz, double bin_hz);
/* Input samples per working-rate sample (1: no decimator). */
unsigned cs_gsm_fcch_detector_factor(cs_gsm_fcch_detector d);

#endif
