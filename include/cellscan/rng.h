/* Deterministic random numbers for the signal generator and its impairments.
 *
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64 from a 64-bit seed and a
 * 64-bit stream number: every (seed, stream) pair gives its own sequence, so each
 * impairment or emitter of a scenario draws from its own stream and adding one of them
 * never changes the numbers another one sees.
 *
 * Reproducibility: the integer sequence, the uniform doubles, the bits and the number of
 * draws every function consumes are the same on every machine and compiler (no rejection
 * step depends on floating point). Gaussian values go through log/sqrt/sin/cos, so two
 * different C libraries may differ in the last bit of a value, never in which value comes
 * next.
 *
 *   cs_rng rng;
 *   cs_rng_create(seed, 7, &rng);
 *   cs_rng_fill_cgauss(rng, noise, n, 0.01);   // E|z|^2 = 0.01
 *   cs_rng_destroy(rng);
 */
#ifndef CELLSCAN_RNG_H
#define CELLSCAN_RNG_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_rng_s *cs_rng;

/* New generator for (seed, stream). Returns CS_OK or CS_ENOMEM. */
CS_API int cs_rng_create(uint64_t seed, uint64_t stream, cs_rng *out);

/* Back to the first draw of its (seed, stream) sequence. */
CS_API void cs_rng_reset(cs_rng rng);

CS_API void cs_rng_destroy(cs_rng rng);

/* Next 64 random bits. */
CS_API uint64_t cs_rng_u64(cs_rng rng);

/* Uniform double in [0, 1) with 53 random bits (one draw). */
CS_API double cs_rng_uniform(cs_rng rng);

/* Uniform integer in [0, n) without modulo bias; n >= 1. Draws until the value falls in
 * the largest multiple of n below 2^64 (integer comparison, identical everywhere). */
CS_API uint64_t cs_rng_below(cs_rng rng, uint64_t n);

/* Standard normal N(0, 1) (Box-Muller: two draws give two values; the second is kept
 * for the next call). */
CS_API double cs_rng_gauss(cs_rng rng);

/* n circular complex Gaussian values with E|z|^2 = power (each of I and Q has variance
 * power/2); two draws per value. */
CS_API void cs_rng_fill_cgauss(cs_rng rng, cs_cf32 *out, size_t n, double power);

/* n random bits, each 0 or 1, one byte per bit (64 bits per draw). */
CS_API void cs_rng_fill_bits(cs_rng rng, uint8_t *bits, size_t n);

#ifdef __cplusplus
}
#endif

#endif
