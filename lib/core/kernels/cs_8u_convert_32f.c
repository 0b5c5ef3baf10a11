/*!
 * \page cs_8u_convert_32f
 *
 * \b Overview
 *
 * Converts unsigned 8-bit samples (rtl_sdr's cu8, mid-scale 127.5) to float with full
 * scale 1.0: out[i] = (in[i] - 127.5) / 128. Exact: every result is a float. libvolk has no
 * unsigned 8-bit conversion.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * void cs_8u_convert_32f(float *out, const void *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n unsigned bytes (I, Q, I, Q, ... for complex samples); any alignment.
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n floats in [-0.99609375, 0.99609375].
 *
 * \b Example
 * \code
 * uint8_t iq[4] = { 0, 255, 127, 128 };
 * float f[4];
 * cs_8u_convert_32f(f, iq, 4);   // -0.99609375, 0.99609375, -0.00390625, 0.00390625
 * \endcode
 */
#include "kernel_define.h"

#if CS_HAVE_X86_SIMD
/* 16 bytes -> 16 floats per step: widen with zeros, convert, remove the offset, scale. */
CS_INLINE CS_SSE2 void body_sse2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m128i zero = _mm_setzero_si128();
    const __m128 mid = _mm_set1_ps(127.5f), scale = _mm_set1_ps(1.0f / 128.0f);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i b = cs_sse2_load(in + i, aligned);
        __m128i w[2] = { _mm_unpacklo_epi8(b, zero), _mm_unpackhi_epi8(b, zero) };
        for (int k = 0; k < 2; k++) {
            __m128 lo = _mm_cvtepi32_ps(_mm_unpacklo_epi16(w[k], zero));
            __m128 hi = _mm_cvtepi32_ps(_mm_unpackhi_epi16(w[k], zero));
            cs_sse2_store_ps(out + i + 8 * k, _mm_mul_ps(_mm_sub_ps(lo, mid), scale), aligned);
            cs_sse2_store_ps(out + i + 8 * k + 4, _mm_mul_ps(_mm_sub_ps(hi, mid), scale), aligned);
        }
    }
    cs_8u_convert_32f_generic(out + i, in + i, n - i);
}

/* 32 bytes -> 32 floats per step. */
CS_INLINE CS_AVX2 void body_avx2(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m256 mid = _mm256_set1_ps(127.5f), scale = _mm256_set1_ps(1.0f / 128.0f);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int h = 0; h < 2; h++) {
            __m128i b = cs_sse2_load(in + i + 16 * h, aligned);
            __m256 f0 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b));
            __m256 f1 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(b, 8)));
            float *o = out + i + 16 * h;
            cs_avx2_store_ps(o, _mm256_mul_ps(_mm256_sub_ps(f0, mid), scale), aligned);
            cs_avx2_store_ps(o + 8, _mm256_mul_ps(_mm256_sub_ps(f1, mid), scale), aligned);
        }
    }
    cs_8u_convert_32f_generic(out + i, in + i, n - i);
}

/* 64 bytes -> 64 floats per step; (b - 127.5) / 128 as one exact multiply-add. */
CS_INLINE CS_AVX512 void body_avx512(float *out, const uint8_t *in, size_t n, int aligned)
{
    const __m512 scale = _mm512_set1_ps(1.0f / 128.0f), shift = _mm512_set1_ps(-127.5f / 128.0f);
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        for (int q = 0; q < 4; q++) {
            __m128i b = cs_sse2_load(in + i + 16 * q, aligned);
            __m512 f = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(b));
            cs_avx512_store_ps(out + i + 16 * q, _mm512_fmadd_ps(f, scale, shift), aligned);
        }
    cs_8u_convert_32f_generic(out + i, in + i, n - i);
}

CS_TO_32F_PROTOKERNELS(cs_8u_convert_32f)
#endif

CS_DEFINE_TO_32F_KERNEL(cs_8u_convert_32f, CS_DT_CU8, 1)
