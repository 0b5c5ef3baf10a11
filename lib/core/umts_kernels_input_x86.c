/* Kernels on the searcher's input samples (see umts_kernels.h): the peak power of
 * interleaved complex samples (AVX2, AVX-512), the front end's test for impulsive samples,
 * which almost always finds none; and the AVX2 split of the front end's output into the
 * cache's polyphase arrays (AVX-512: umts_kernels_despread_x86.c). */
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

/* 8 sample pairs per step: four vectors hold (re0, im0, re1, im1) of pairs k0 | k1, k2 | k3,
 * k4 | k5, k6 | k7 in their 128-bit lanes; a transpose within the lanes gives each array's
 * values in the order k0 k2 k4 k6 | k1 k3 k5 k7, one permute puts them in order. */
AVX2 void umts_deinterleave_avx2(const float *x, size_t n, float *re0, float *im0, float *re1, float *im1)
{
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    size_t k = 0;
    for (; 4 * k + 32 <= 2 * n; k += 8) {
        const float *f = x + 4 * k;
        const __m256 a = _mm256_loadu_ps(f), b = _mm256_loadu_ps(f + 8), c = _mm256_loadu_ps(f + 16),
                     d = _mm256_loadu_ps(f + 24);
        const __m256 t0 = _mm256_unpacklo_ps(a, b), t1 = _mm256_unpackhi_ps(a, b);
        const __m256 t2 = _mm256_unpacklo_ps(c, d), t3 = _mm256_unpackhi_ps(c, d);
        _mm256_storeu_ps(re0 + k, _mm256_permutevar8x32_ps(_mm256_shuffle_ps(t0, t2, 0x44), order));
        _mm256_storeu_ps(im0 + k, _mm256_permutevar8x32_ps(_mm256_shuffle_ps(t0, t2, 0xEE), order));
        _mm256_storeu_ps(re1 + k, _mm256_permutevar8x32_ps(_mm256_shuffle_ps(t1, t3, 0x44), order));
        _mm256_storeu_ps(im1 + k, _mm256_permutevar8x32_ps(_mm256_shuffle_ps(t1, t3, 0xEE), order));
    }
    for (; k < n / 2; k++) {
        re0[k] = x[4 * k];
        im0[k] = x[4 * k + 1];
        re1[k] = x[4 * k + 2];
        im1[k] = x[4 * k + 3];
    }
}

#endif
