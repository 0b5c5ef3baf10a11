/* Reproducible random numbers for the unit tests (xorshift64: fast, fixed sequence per
 * seed, no state shared with the library's cs_rng). Define CS_TEST_RAND_SEED before
 * including to give a test its own sequence. */
#ifndef CELLSCAN_CS_TEST_RAND_H
#define CELLSCAN_CS_TEST_RAND_H

#include <math.h>
#include <stdint.h>

#ifndef CS_TEST_RAND_SEED
#define CS_TEST_RAND_SEED 0x243F6A8885A308D3ull
#endif

static uint64_t rng_state = CS_TEST_RAND_SEED;

static inline uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* uniform in [0, 1) */
static inline double urand(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

/* standard normal (Box-Muller) */
static inline double gauss(void)
{
    double u1 = urand(), u2 = urand();
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

#endif
