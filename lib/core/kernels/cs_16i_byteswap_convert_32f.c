/*!
 * \page cs_16i_byteswap_convert_32f
 *
 * \b Overview
 *
 * Converts signed big-endian 16-bit samples (ci16_be) to float with full scale 1.0 in one
 * pass: swap the bytes of each component, then out[i] = v / 32768. Exact. Equivalent to
 * volk_16u_byteswap on a copy followed by volk_16i_s32f_convert_32f(out, v, 32768.0f, n),
 * in one read of the input instead of three passes.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * void cs_16i_byteswap_convert_32f(float *out, const void *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n big-endian int16 components; any alignment.
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n floats in [-1.0, 0.999969482].
 *
 * \b Example
 * \code
 * uint8_t be[4] = { 0x80, 0x00, 0x40, 0x00 };   // -32768, 16384
 * float f[2];
 * cs_16i_byteswap_convert_32f(f, be, 2);   // -1.0, 0.5
 * \endcode
 */
#include "kernel_define.h"

#if CS_HAVE_X86_SIMD
/* Sign extension without SSE4.1: put each value in the top half of a 32-bit lane, then
 * shift it down arithmetically. */
CS_INLINE CS_SSE2 void body_sse2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m128i zero = _mm_setzero_si128();
    const __m128 scale = _mm_set1_ps(1.0f / 32768.0f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i w = cs_sse2_bswap16(cs_sse2_load(in + 2 * i, aligned));
        __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(zero, w), 16);
        __m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(zero, w), 16);
        cs_sse2_store_ps(out + i, _mm_mul_ps(_mm_cvtepi32_ps(lo), scale), aligned);
        cs_sse2_store_ps(out + i + 4, _mm_mul_ps(_mm_cvtepi32_ps(hi), scale), aligned);
    }
    cs_16i_byteswap_convert_32f_generic(out + i, in + 2 * i, n - i);
}

CS_INLINE CS_AVX2 void body_avx2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m256 scale = _mm256_set1_ps(1.0f / 32768.0f);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i w = cs_avx2_bswap16(cs_avx2_load(in + 2 * i, aligned));
        __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(w)));
        __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(w, 1)));
        cs_avx2_store_ps(out + i, _mm256_mul_ps(lo, scale), aligned);
        cs_avx2_store_ps(out + i + 8, _mm256_mul_ps(hi, scale), aligned);
    }
    cs_16i_byteswap_convert_32f_generic(out + i, in + 2 * i, n - i);
}

CS_INLINE CS_AVX512 void body_avx512(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m512 scale = _mm512_set1_ps(1.0f / 32768.0f);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512i w = cs_avx512_bswap16(cs_avx512_load(in + 2 * i, aligned));
        __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepi16_epi32(_mm512_castsi512_si256(w)));
        __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(w, 1)));
        cs_avx512_store_ps(out + i, _mm512_mul_ps(lo, scale), aligned);
        cs_avx512_store_ps(out + i + 16, _mm512_mul_ps(hi, scale), aligned);
    }
    cs_16i_byteswap_convert_32f_generic(out + i, in + 2 * i, n - i);
}

CS_TO_32F_PROTOKERNELS(cs_16i_byteswap_convert_32f)
#endif

CS_DEFINE_TO_32F_KERNEL(cs_16i_byteswap_convert_32f, CS_DT_CI16_BE, 2)
