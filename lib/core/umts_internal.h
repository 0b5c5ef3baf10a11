/* Internal helpers shared by the UMTS searcher objects (not part of the public API). */
#ifndef CELLSCAN_UMTS_INTERNAL_H
#define CELLSCAN_UMTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/types.h"

/* Working rate of every UMTS object after the front end: 2 samples per chip. */
#define UMTS_SPC 2
#define UMTS_FS_HZ 7.68e6
#define UMTS_SLOT_SAMPLES (2560 * UMTS_SPC)
#define UMTS_FRAME_SAMPLES (38400 * UMTS_SPC)

/* Conjugated, normalised chips of primary scrambling code psc (0..511): with the code chip
 * S = I + jQ (±1 ± j) and the CPICH symbol 1 + j, u = S(1+j)/2 has unit modulus and
 * cr[i] + j ci[i] = conj(u) for chips first_chip .. first_chip + count - 1 of the frame
 * (values in {0, ±1}). Uses whole-sequence tables built once: much faster than stepping
 * the registers. Returns 0, or -1 when the arguments leave the frame. */
int umts_cpich_code(int psc, size_t first_chip, size_t count, float *cr, float *ci);

/* Wrap a sample index difference into [0, period). */
static inline long umts_mod(long a, long period)
{
    long r = a % period;
    return r < 0 ? r + period : r;
}

/* n floats, 64-byte aligned (free with free()); NULL when out of memory. */
float *umts_alloc_floats(size_t n);

/* Quick select: the k-th smallest of v[0..n) (v is reordered). */
float umts_select_kth(float *v, size_t n, size_t k);

/* Raised-cosine pulse (roll-off 0.22) at t chips: the matched-filtered chip shape. */
double umts_rc_pulse(double t_chips);

#endif
