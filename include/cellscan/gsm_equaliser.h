/* Soft-output equaliser for one GSM burst: max-log-MAP (BCJR) over the ISI trellis of a
 * symbol-spaced channel, with the burst's known bits (tails, training) pinned.
 *
 * Model (after GMSK derotation by j^-n, where GSM's differential encoding makes the
 * transmitted symbols u_m = 1 - 2 b_m of the burst bits b_m, up to one sign that the
 * channel estimate absorbs):
 *     y_i = sum_{l=0}^{L-1} h_l u_{i-l} + w_i,   E|w|^2 = noise_var,
 * for i = 0 .. 147 + L - 1, so y_i is the sample where symbol i first contributes (tap
 * h_0). Symbols before bit 0 and after bit 147 belong to the guard period and the
 * neighbouring slots: the trellis leaves them free.
 * Output: soft[m] = LLR of bit m in the convention of gsm_coding.h (> 0 means bit 0),
 * min-cost(b=1) - min-cost(b=0) with costs |y - ...|^2 / noise_var; pinned bits come out
 * as +-1e4. */
#ifndef CELLSCAN_GSM_EQUALISER_H
#define CELLSCAN_GSM_EQUALISER_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_GSM_EQ_MAX_TAPS 6 /* 32 trellis states */

/* y: 147 + num_taps samples; h: num_taps (1..CS_GSM_EQ_MAX_TAPS) taps; noise_var > 0;
 * known: 148 values, 0 or 1 for a known bit, -1 for an unknown one (NULL: none known);
 * soft: 148 outputs. CS_EINVAL on a bad argument or a non-finite input. */
CS_API int cs_gsm_equalise(const cs_cf32 *y, const cs_cf32 *h, int num_taps, double noise_var,
                           const int8_t *known, float *soft);

/* Least-squares channel estimate from symbols known at positions first..last (burst
 * bit indices) of `bits`: uses the equations y_i for i = first + num_taps - 1 .. last
 * (every symbol involved known). Writes h[num_taps] and, when residual_var is not NULL,
 * the residual power per equation (noise estimate, dividing by equations - taps).
 * CS_EINVAL when the span is shorter than 2 * num_taps. */
CS_API int cs_gsm_channel_estimate(const cs_cf32 *y, const uint8_t bits[148], int first,
                                   int last, int num_taps, cs_cf32 *h, double *residual_var);

#ifdef __cplusplus
}
#endif

#endif
