/*!
 * \page cs_32i_byteswap_convert_32f
 *
 * \b Overview
 *
 * Converts signed big-endian 32-bit samples (ci32_be) to float with full scale 1.0 in one
 * pass: swap the bytes of each component, then out[i] = v / 2^31, rounded once to the
 * nearest float (ties to even), exactly as volk_32i_s32f_convert_32f does for ci32_le.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * void cs_32i_byteswap_convert_32f(float *out, const void *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n big-endian int32 components; any alignment.
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n floats in [-1.0, 1.0] (2^31 - 1 rounds up to 1.0).
 *
 * \b Example
 * \code
 * uint8_t be[8] = { 0xc0, 0, 0, 0, 0x00, 0, 0, 1 };   // -2^30, 1
 * float f[2];
 * cs_32i_byteswap_convert_32f(f, be, 2);   // -0.5, 4.65661287e-10
 * \endcode
 */
#include "kernel_define.h"

#if CS_HAVE_X86_SIMD
CS_INLINE CS_SSE2 void body_sse2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m128 scale = _mm_set1_ps(1.0f / 2147483648.0f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i a = cs_sse2_bswap32(cs_sse2_load(in + 4 * i, aligned));
        __m128i b = cs_sse2_bswap32(cs_sse2_load(in + 4 * i + 16, aligned));
        cs_sse2_store_ps(out + i, _mm_mul_ps(_mm_cvtepi32_ps(a), scale), aligned);
        cs_sse2_store_ps(out + i + 4, _mm_mul_ps(_mm_cvtepi32_ps(b), scale), aligned);
    }
    cs_32i_byteswap_convert_32f_generic(out + i, in + 4 * i, n - i);
}

CS_INLINE CS_AVX2 void body_avx2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m256 scale = _mm256_set1_ps(1.0f / 2147483648.0f);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i a = cs_avx2_bswap32(cs_avx2_load(in + 4 * i, aligned));
        __m256i b = cs_avx2_bswap32(cs_avx2_load(in + 4 * i + 32, aligned));
        cs_avx2_store_ps(out + i, _mm256_mul_ps(_mm256_cvtepi32_ps(a), scale), aligned);
        cs_avx2_store_ps(out + i + 8, _mm256_mul_ps(_mm256_cvtepi32_ps(b), scale), aligned);
    }
    cs_32i_byteswap_convert_32f_generic(out + i, in + 4 * i, n - i);
}

CS_INLINE CS_AVX512 void body_avx512(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m512 scale = _mm512_set1_ps(1.0f / 2147483648.0f);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512i a = cs_avx512_bswap32(cs_avx512_load(in + 4 * i, aligned));
        __m512i b = cs_avx512_bswap32(cs_avx512_load(in + 4 * i + 64, aligned));
        cs_avx512_store_ps(out + i, _mm512_mul_ps(_mm512_cvtepi32_ps(a), scale), aligned);
        cs_avx512_store_ps(out + i + 16, _mm512_mul_ps(_mm512_cvtepi32_ps(b), scale), aligned);
    }
    cs_32i_byteswap_convert_32f_generic(out + i, in + 4 * i, n - i);
}

CS_TO_32F_PROTOKERNELS(cs_32i_byteswap_convert_32f)
#endif

CS_DEFINE_TO_32F_KERNEL(cs_32i_byteswap_convert_32f, CS_DT_CI32_BE, 4)
