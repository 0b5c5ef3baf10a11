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

/* The same code packed: bit k of iw[w] (qw[w]) is 1 where the I (Q) chip 16 (first_word + w)
 * + k of the frame is -1. 2400 words per frame, 16 per SF256 symbol. Returns 0, or -1 when
 * the arguments leave the frame. */
#define UMTS_FRAME_WORDS 2400
int umts_code_words(int psc, size_t first_word, size_t n_words, uint16_t *iw, uint16_t *qw);

/* The tables behind umts_code_words, for loops that cannot afford a call per word: the I
 * word w of primary code psc is x[psc + w] ^ y[w], the Q word x[psc + Q + w] ^ y[Q + w] with
 * Q = UMTS_Q_WORDS (131072 chips). Returns x and sets *y. */
#define UMTS_Q_WORDS 8192
const uint16_t *umts_code_word_tables(const uint16_t **y);

/* Packed words to the conjugated chips of umts_cpich_code (16 n_words chips). */
void umts_code_expand(const uint16_t *iw, const uint16_t *qw, size_t n_words, float *cr, float *ci);

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
