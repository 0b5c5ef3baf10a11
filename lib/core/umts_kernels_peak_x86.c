/* AVX2 and AVX-512 peak power of interleaved complex samples (see umts_kernels.h): the
 * front end's test for impulsive samples, which almost always finds none. */
#include "umts_kernels.h"

#ifdef UMTS_KERNELS_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* the scalar tail, as umts_kernels.c's generic kernel: NaN powers never compare larger */
static float peak_tail(const float *x, size_t n, float peak)
{
    for (size_t i = 0; i < n; i++) {
        const float p = x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1];
        if (p > peak) peak = p;
    }
    return peak;
}

/* |x|^2 in both floats of each pair (re^2 + im^2, same rounding as the scalar sum), then the
 * running maximum: max_ps returns its second operand when the first is NaN, so a NaN sample
 * leaves the maximum as it was. */
AVX2 float umts_peak_power_avx2(const float *x, size_t n)
{
    __m256 m0 = _mm256_setzero_ps(), m1 = m0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 a = _mm256_loadu_ps(x + 2 * i), b = _mm256_loadu_ps(x + 2 * i + 8);
        const __m256 pa = _mm256_mul_ps(a, a), pb = _mm256_mul_ps(b, b);
        m0 = _mm256_max_ps(_mm256_add_ps(pa, _mm256_permute_ps(pa, 0xB1)), m0);
        m1 = _mm256_max_ps(_mm256_add_ps(pb, _mm256_permute_ps(pb, 0xB1)), m1);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_max_ps(m0, m1));
    float peak = 0.0f;
    for (int k = 0; k < 8; k++)
        if (lanes[k] > peak) peak = lanes[k];
    return peak_tail(x + 2 * i, n - i, peak);
}

AVX512 float umts_peak_power_avx512(const float *x, size_t n)
{
    __m512 m0 = _mm512_setzero_ps(), m1 = m0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 a = _mm512_loadu_ps(x + 2 * i), b = _mm512_loadu_ps(x + 2 * i + 16);
        const __m512 pa = _mm512_mul_ps(a, a), pb = _mm512_mul_ps(b, b);
        m0 = _mm512_max_ps(_mm512_add_ps(pa, _mm512_permute_ps(pa, 0xB1)), m0);
        m1 = _mm512_max_ps(_mm512_add_ps(pb, _mm512_permute_ps(pb, 0xB1)), m1);
    }
    const float peak = _mm512_reduce_max_ps(_mm512_max_ps(m0, m1));
    return peak_tail(x + 2 * i, n - i, peak);
}

#endif
