/* xoshiro256** seeded with splitmix64: see rng.h for the reproducibility contract. */
#include "cellscan/rng.h"

#include <math.h>
#include <stdlib.h>

#include "cellscan/status.h"
#include "fast_sincos.h"

struct cs_rng_s {
    uint64_t seed, stream;
    uint64_t s[4];
    double spare;   /* second Box-Muller value */
    int has_spare;
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void cs_rng_reset(cs_rng rng)
{
    /* Every state word mixes a splitmix sequence of the seed with one of the stream
     * number (offset so stream 0 is not the seed's own sequence): streams of one seed
     * differ from their first draw. */
    uint64_t a = rng->seed, b = rng->stream ^ 0x6A09E667F3BCC909ull;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&a) ^ splitmix64(&b);
    if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
        rng->s[0] = 1; /* the all-zero state is the one xoshiro cannot leave */
    rng->has_spare = 0;
    rng->spare = 0.0;
}

int cs_rng_create(uint64_t seed, uint64_t stream, cs_rng *out)
{
    cs_rng rng = calloc(1, sizeof *rng);
    if (!rng)
        return cs_error(CS_ENOMEM, "random generator: out of memory");
    rng->seed = seed;
    rng->stream = stream;
    cs_rng_reset(rng);
    *out = rng;
    return CS_OK;
}

void cs_rng_destroy(cs_rng rng) { free(rng); }

uint64_t cs_rng_u64(cs_rng rng)
{
    uint64_t *s = rng->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double cs_rng_uniform(cs_rng rng) { return (double)(cs_rng_u64(rng) >> 11) * 0x1.0p-53; }

/* Uniform in (0, 1]: safe for log(). */
static double uniform_open0(cs_rng rng) { return (double)((cs_rng_u64(rng) >> 11) + 1) * 0x1.0p-53; }

uint64_t cs_rng_below(cs_rng rng, uint64_t n)
{
    if (n <= 1)
        return 0;
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % n + 1) % n; /* last acceptable value */
    for (;;) {
        uint64_t v = cs_rng_u64(rng);
        if (v <= limit)
            return v % n;
    }
}

double cs_rng_gauss(cs_rng rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    const double r = sqrt(-2.0 * log(uniform_open0(rng)));
    const double a = 2.0 * M_PI * cs_rng_uniform(rng);
    rng->spare = r * sin(a);
    rng->has_spare = 1;
    return r * cos(a);
}

void cs_rng_fill_cgauss(cs_rng rng, cs_cf32 *out, size_t n, double power)
{
    /* |z|^2 = -power * ln(U) is exponential with mean `power`; the phase is uniform.
     * The phase 2 pi U is 4 U quarter turns (fast_sincos.h: libm's accuracy, faster);
     * the draws are made first, in the same order, so the math runs in vector loops. */
    enum { CHUNK = 256 };
    double u[CHUNK], q[CHUNK];
    while (n > 0) {
        const size_t m = n < CHUNK ? n : CHUNK;
        for (size_t i = 0; i < m; i++) {
            u[i] = uniform_open0(rng);
            q[i] = 4.0 * cs_rng_uniform(rng);
        }
        for (size_t i = 0; i < m; i++)
            u[i] = sqrt(-power * log(u[i]));
        for (size_t i = 0; i < m; i++) {
            double s, c;
            cs_sincos_quarter(q[i], &s, &c);
            out[i] = CMPLXF(u[i] * c, u[i] * s);
        }
        out += m;
        n -= m;
    }
}

void cs_rng_fill_bits(cs_rng rng, uint8_t *bits, size_t n)
{
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & 63) == 0)
            w = cs_rng_u64(rng);
        bits[i] = (uint8_t)(w & 1);
        w >>= 1;
    }
}
