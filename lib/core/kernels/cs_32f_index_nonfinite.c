/*!
 * \page cs_32f_index_nonfinite
 *
 * \b Overview
 *
 * Finds the first non-finite float (NaN or +-Inf: exponent bits all ones) in a vector. The
 * recording reader runs it over every block of a float recording to reject NaN/Inf samples,
 * so it must cost far less than reading the block. libvolk has no such scan. The SIMD
 * versions test whole groups of 16 or 32 floats without branching and look inside a group
 * only when it holds a hit.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * size_t cs_32f_index_nonfinite(const float *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n floats; any alignment.
 * \li n: number of floats.
 *
 * \b Outputs
 * \li return: index of the first NaN or +-Inf, or n when every value is finite.
 *
 * \b Example
 * \code
 * float x[4] = { 0.5f, -1e38f, INFINITY, NAN };
 * size_t k = cs_32f_index_nonfinite(x, 4);   // 2
 * \endcode
 */
#include "kernel_define.h"

#if CS_HAVE_X86_SIMD
CS_INLINE CS_SSE2 size_t body_sse2(const float *in, size_t n, int aligned)
{
    const __m128i exp = _mm_set1_epi32(0x7f800000);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i hit = _mm_setzero_si128();
        for (int k = 0; k < 4; k++) {
            __m128i v = cs_sse2_load(in + i + 4 * k, aligned);
            hit = _mm_or_si128(hit, _mm_cmpeq_epi32(_mm_and_si128(v, exp), exp));
        }
        if (_mm_movemask_epi8(hit)) return i + cs_32f_index_nonfinite_generic(in + i, 16);
    }
    return i + cs_32f_index_nonfinite_generic(in + i, n - i);
}

CS_INLINE CS_AVX2 size_t body_avx2(const float *in, size_t n, int aligned)
{
    const __m256i exp = _mm256_set1_epi32(0x7f800000);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i hit = _mm256_setzero_si256();
        for (int k = 0; k < 4; k++) {
            __m256i v = cs_avx2_load(in + i + 8 * k, aligned);
            hit = _mm256_or_si256(hit, _mm256_cmpeq_epi32(_mm256_and_si256(v, exp), exp));
        }
        if (!_mm256_testz_si256(hit, hit)) return i + cs_32f_index_nonfinite_generic(in + i, 32);
    }
    return i + cs_32f_index_nonfinite_generic(in + i, n - i);
}

CS_INDEX_32F_PROTOKERNELS(cs_32f_index_nonfinite)
#endif

CS_DEFINE_INDEX_32F_KERNEL(cs_32f_index_nonfinite, CS_DT_CF32_LE)
