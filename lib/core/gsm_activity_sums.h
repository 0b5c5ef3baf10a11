/* GSM burst activity: the sums of |x|^2 and |x|^4 over a tick's samples in one call, the
 * pair (s2, s4). The order of the float additions is part of the detector's results (its
 * tick sums, fits and decisions follow from them bit for bit): even and odd samples are
 * summed apart, in order, the two sums added, then the last sample of an odd count. The
 * SSE2 and AVX2 forms do exactly these additions; test_gsm_activity_ticks checks them
 * against a plain reference. */
#ifndef CELLSCAN_GSM_ACTIVITY_SUMS_H
#define CELLSCAN_GSM_ACTIVITY_SUMS_H

#include <stddef.h>

#include "kernels/simd_x86.h"

#if defined(__SSE2__)
#include <emmintrin.h>
/* lanes 0 and 1: (s2, s4) */
typedef __m128 pair_sums;
static inline pair_sums pair_load(const float *p) /* __m128i: may alias the floats */
{
    return _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)p));
}
static inline void pair_store(float *p, pair_sums v) { _mm_storel_pi((__m64 *)p, v); }
static inline pair_sums pair_add(pair_sums a, pair_sums b) { return _mm_add_ps(a, b); }

/* The accumulator's lanes (even |x|^2, odd |x|^2, even |x|^4, odd |x|^4) added up, then
 * the last sample of an odd count (f points at it). */
static inline pair_sums pair_finish(__m128 acc, const float *f, size_t m)
{
    __m128 tot = _mm_add_ps(_mm_shuffle_ps(acc, acc, _MM_SHUFFLE(3, 1, 2, 0)),
                            _mm_shuffle_ps(acc, acc, _MM_SHUFFLE(2, 0, 3, 1)));
    if (m & 1) {
        const __m128 sq = _mm_mul_ps(pair_load(f), pair_load(f));
        const __m128 p = _mm_add_ss(sq, _mm_shuffle_ps(sq, sq, 1));
        tot = _mm_add_ps(tot, _mm_unpacklo_ps(p, _mm_mul_ss(p, p)));
    }
    return tot;
}

/* Sums of m samples (interleaved floats), four samples a step. */
static inline pair_sums segment_sums(const float *f, size_t m)
{
    __m128 acc = _mm_setzero_ps();
    const float *end4 = f + 2 * (m & ~(size_t)3);
    for (; f < end4; f += 8) {
        const __m128 v0 = _mm_loadu_ps(f), v1 = _mm_loadu_ps(f + 4);
        const __m128 sq0 = _mm_mul_ps(v0, v0), sq1 = _mm_mul_ps(v1, v1);
        /* (re^2 of samples 0..3) + (im^2 of samples 0..3) */
        const __m128 p = _mm_add_ps(_mm_shuffle_ps(sq0, sq1, _MM_SHUFFLE(2, 0, 2, 0)),
                                    _mm_shuffle_ps(sq0, sq1, _MM_SHUFFLE(3, 1, 3, 1)));
        const __m128 p4 = _mm_mul_ps(p, p);
        acc = _mm_add_ps(acc, _mm_movelh_ps(p, p4)); /* samples 0, 1 */
        acc = _mm_add_ps(acc, _mm_movehl_ps(p4, p)); /* samples 2, 3 */
    }
    if (m & 2) {
        const __m128 v = _mm_loadu_ps(f);
        const __m128 sq = _mm_mul_ps(v, v);
        const __m128 p = _mm_add_ps(sq, _mm_shuffle_ps(sq, sq, _MM_SHUFFLE(2, 3, 0, 1)));
        acc = _mm_add_ps(acc, _mm_shuffle_ps(p, _mm_mul_ps(p, p), _MM_SHUFFLE(2, 0, 2, 0)));
        f += 4;
    }
    return pair_finish(acc, f, m);
}

#if CS_HAVE_X86_SIMD
/* The same with AVX2 registers: eight samples a step (a horizontal add gives the powers
 * in the order (0 1 4 5 | 2 3 6 7)), then four, two, one. */
CS_INLINE CS_AVX2 pair_sums segment_sums_avx2(const float *f, size_t m)
{
    __m128 acc = _mm_setzero_ps();
    const float *end8 = f + 2 * (m & ~(size_t)7);
    for (; f < end8; f += 16) {
        const __m256 v0 = _mm256_loadu_ps(f), v1 = _mm256_loadu_ps(f + 8);
        const __m256 p = _mm256_hadd_ps(_mm256_mul_ps(v0, v0), _mm256_mul_ps(v1, v1));
        const __m256d pd = _mm256_castps_pd(p), p4d = _mm256_castps_pd(_mm256_mul_ps(p, p));
        const __m256 a = _mm256_castpd_ps(_mm256_unpacklo_pd(pd, p4d)); /* 0 1 | 2 3 */
        const __m256 b = _mm256_castpd_ps(_mm256_unpackhi_pd(pd, p4d)); /* 4 5 | 6 7 */
        acc = _mm_add_ps(acc, _mm256_castps256_ps128(a));
        acc = _mm_add_ps(acc, _mm256_extractf128_ps(a, 1));
        acc = _mm_add_ps(acc, _mm256_castps256_ps128(b));
        acc = _mm_add_ps(acc, _mm256_extractf128_ps(b, 1));
    }
    if (m & 4) {
        const __m128 v0 = _mm_loadu_ps(f), v1 = _mm_loadu_ps(f + 4);
        const __m128 p = _mm_hadd_ps(_mm_mul_ps(v0, v0), _mm_mul_ps(v1, v1));
        const __m128 p4 = _mm_mul_ps(p, p);
        acc = _mm_add_ps(acc, _mm_movelh_ps(p, p4));
        acc = _mm_add_ps(acc, _mm_movehl_ps(p4, p));
        f += 8;
    }
    if (m & 2) {
        const __m128 v = _mm_loadu_ps(f);
        const __m128 sq = _mm_mul_ps(v, v);
        const __m128 p = _mm_hadd_ps(sq, sq);
        acc = _mm_add_ps(acc, _mm_movelh_ps(p, _mm_mul_ps(p, p)));
        f += 4;
    }
    return pair_finish(acc, f, m);
}
#endif

#else /* plain C: the same additions */
typedef struct {
    float s2, s4;
} pair_sums;
static inline pair_sums pair_load(const float *p) { return (pair_sums){p[0], p[1]}; }
static inline void pair_store(float *p, pair_sums v)
{
    p[0] = v.s2;
    p[1] = v.s4;
}
static inline pair_sums pair_add(pair_sums a, pair_sums b)
{
    return (pair_sums){a.s2 + b.s2, a.s4 + b.s4};
}

static inline pair_sums segment_sums(const float *f, size_t m)
{
    float e2 = 0.0f, o2 = 0.0f, e4 = 0.0f, o4 = 0.0f;
    size_t j = 0;
    for (; j + 2 <= m; j += 2) {
        const float pe = f[2 * j] * f[2 * j] + f[2 * j + 1] * f[2 * j + 1];
        const float po = f[2 * j + 2] * f[2 * j + 2] + f[2 * j + 3] * f[2 * j + 3];
        e2 += pe;
        o2 += po;
        e4 += pe * pe;
        o4 += po * po;
    }
    pair_sums t = {e2 + o2, e4 + o4};
    if (j < m) {
        const float p = f[2 * j] * f[2 * j] + f[2 * j + 1] * f[2 * j + 1];
        t.s2 += p;
        t.s4 += p * p;
    }
    return t;
}
#endif

#endif
