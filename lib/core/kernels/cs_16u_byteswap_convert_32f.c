/*!
 * \page cs_16u_byteswap_convert_32f
 *
 * \b Overview
 *
 * Converts unsigned big-endian 16-bit samples (cu16_be, mid-scale 32767.5) to float with
 * full scale 1.0 in one pass: swap the bytes of each component, then
 * out[i] = (v - 32767.5) / 32768. Exact. Fuses what would otherwise be a copy,
 * volk_16u_byteswap and a conversion libvolk does not have.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * void cs_16u_byteswap_convert_32f(float *out, const void *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n big-endian uint16 components; any alignment.
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n floats in [-0.999984741, 0.999984741].
 *
 * \b Example
 * \code
 * uint8_t be[4] = { 0x00, 0x00, 0xff, 0xff };
 * float f[2];
 * cs_16u_byteswap_convert_32f(f, be, 2);   // -0.999984741, 0.999984741
 * \endcode
 */
#include "kernel_define.h"

#if CS_HAVE_X86_SIMD
CS_INLINE CS_SSE2 void body_sse2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m128i zero = _mm_setzero_si128();
    const __m128 mid = _mm_set1_ps(32767.5f), scale = _mm_set1_ps(1.0f / 32768.0f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i w = cs_sse2_bswap16(cs_sse2_load(in + 2 * i, aligned));
        __m128 lo = _mm_cvtepi32_ps(_mm_unpacklo_epi16(w, zero));
        __m128 hi = _mm_cvtepi32_ps(_mm_unpackhi_epi16(w, zero));
        cs_sse2_store_ps(out + i, _mm_mul_ps(_mm_sub_ps(lo, mid), scale), aligned);
        cs_sse2_store_ps(out + i + 4, _mm_mul_ps(_mm_sub_ps(hi, mid), scale), aligned);
    }
    cs_16u_byteswap_convert_32f_generic(out + i, in + 2 * i, n - i);
}

CS_INLINE CS_AVX2 void body_avx2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m256 mid = _mm256_set1_ps(32767.5f), scale = _mm256_set1_ps(1.0f / 32768.0f);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i w = cs_avx2_bswap16(cs_avx2_load(in + 2 * i, aligned));
        __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(w)));
        __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(w, 1)));
        cs_avx2_store_ps(out + i, _mm256_mul_ps(_mm256_sub_ps(lo, mid), scale), aligned);
        cs_avx2_store_ps(out + i + 8, _mm256_mul_ps(_mm256_sub_ps(hi, mid), scale), aligned);
    }
    cs_16u_byteswap_convert_32f_generic(out + i, in + 2 * i, n - i);
}

CS_INLINE CS_AVX512 void body_avx512(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m512 scale = _mm512_set1_ps(1.0f / 32768.0f);
    const __m512 shift = _mm512_set1_ps(-32767.5f / 32768.0f);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512i w = cs_avx512_bswap16(cs_avx512_load(in + 2 * i, aligned));
        __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(w)));
        __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(w, 1)));
        cs_avx512_store_ps(out + i, _mm512_fmadd_ps(lo, scale, shift), aligned);
        cs_avx512_store_ps(out + i + 16, _mm512_fmadd_ps(hi, scale, shift), aligned);
    }
    cs_16u_byteswap_convert_32f_generic(out + i, in + 2 * i, n - i);
}

CS_TO_32F_PROTOKERNELS(cs_16u_byteswap_convert_32f)
#endif

CS_DEFINE_TO_32F_KERNEL(cs_16u_byteswap_convert_32f, CS_DT_CU16_BE, 2)
