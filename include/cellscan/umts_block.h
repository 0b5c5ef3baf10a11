/* A block of one UMTS carrier at the working rate (7.68 MS/s, after cs_umts_frontend), in
 * the layout the chip-level stages (frame sync, CPICH identification and measurement) read
 * without copying: the two sample phases of each chip as separate real/imaginary arrays,
 *   re[p][k] + j im[p][k] = x[first + 2k + p],  p = 0, 1.
 * A block owns the samples [first, first + n): a stage handles every window (an SCH or a
 * CPICH symbol) that starts there; the arrays run on for `avail` >= n samples so such a
 * window is complete (look-ahead). Consecutive blocks: next.first = first + n.
 */
#ifndef CELLSCAN_UMTS_BLOCK_H
#define CELLSCAN_UMTS_BLOCK_H

#include <stdint.h>

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest window any stage reads beyond the start it owns: one SF256 symbol plus the
 * largest path delay searched (see umts_cpich.h), in samples. Blocks carry this much
 * look-ahead, except the last one of a recording. */
#define CS_UMTS_BLOCK_LOOKAHEAD 2048

typedef struct cs_umts_block {
    const float *re[2], *im[2];
    uint64_t first; /* absolute sample index of re[0][0]; even */
    size_t n;       /* samples owned; even */
    size_t avail;   /* samples present from first on (>= n, even) */
} cs_umts_block;

/* Split n interleaved samples (n even) into the polyphase arrays (n / 2 values each). */
CS_API void cs_umts_deinterleave(const cs_cf32 *x, size_t n, float *re0, float *im0, float *re1,
                                 float *im1);

#ifdef __cplusplus
}
#endif

#endif
