/* SIMD bodies of the float -> integer kernels (cs_32f_convert_*.c), shared by each
 * little-endian kernel and its byte-swapping twin. Each body converts whole vectors, counts
 * saturations in 32-bit lanes (emptied every CS_COUNT_CHUNK components) and leaves the tail
 * to the reference implementation, so results equal convert_generic.c bit for bit:
 * round to nearest with ties to even (cvtps_epi32 in the default MXCSR mode, like
 * nearbyint), saturation through the packing instructions, NaN as 0.0. */
#ifndef CELLSCAN_QUANTIZE_SIMD_H
#define CELLSCAN_QUANTIZE_SIMD_H

#include "convert_kernels.h"
#include "simd_x86.h"

#if CS_HAVE_X86_SIMD

/* End of the next counting pass: whole vectors of `step`, at most CS_COUNT_CHUNK. */
static inline size_t cs_pass_end(size_t i, size_t n, size_t step)
{
    size_t m = n - i < CS_COUNT_CHUNK ? n - i : CS_COUNT_CHUNK;
    return i + m - m % step;
}

/* ---- int8: ci8 (signed) and cu8 (offset 127.5) ---------------------------------------- */

CS_INLINE CS_SSE2 size_t cs_q8_sse2(uint8_t *out, const float *in, size_t n, int aligned,
                                    int offset)
{
    const __m128 scale = _mm_set1_ps(128.0f);
    const __m128i lo = _mm_set1_epi32(offset ? 0 : -128), hi = _mm_set1_epi32(offset ? 255 : 127);
    const __m128i mid_minus_1 = _mm_set1_epi32(127);
    size_t i = 0, sat = 0;
    for (size_t end; (end = cs_pass_end(i, n, 16)) > i;) {
        __m128i cnt = _mm_setzero_si128();
        for (; i < end; i += 16) {
            __m128i v[4];
            for (int k = 0; k < 4; k++) {
                __m128 x = cs_sse2_load_ps(in + i + 4 * k, aligned);
                v[k] = offset ? cs_sse2_round_offset(x, scale, mid_minus_1)
                              : cs_sse2_round_signed(x, scale);
                cnt = cs_sse2_count_outside(cnt, v[k], lo, hi);
            }
            __m128i p0 = _mm_packs_epi32(v[0], v[1]), p1 = _mm_packs_epi32(v[2], v[3]);
            cs_sse2_store(out + i, offset ? _mm_packus_epi16(p0, p1) : _mm_packs_epi16(p0, p1),
                          aligned);
        }
        sat += cs_sse2_hsum(cnt);
    }
    return sat + (offset ? cs_32f_convert_8u_generic : cs_32f_convert_8i_generic)(out + i, in + i,
                                                                                  n - i);
}

CS_INLINE CS_AVX2 size_t cs_q8_avx2(uint8_t *out, const float *in, size_t n, int aligned,
                                    int offset)
{
    const __m256 scale = _mm256_set1_ps(128.0f);
    const __m256i lo = _mm256_set1_epi32(offset ? 0 : -128);
    const __m256i hi = _mm256_set1_epi32(offset ? 255 : 127);
    const __m256i mid_minus_1 = _mm256_set1_epi32(127);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7); /* undo lane-wise packs */
    size_t i = 0, sat = 0;
    for (size_t end; (end = cs_pass_end(i, n, 32)) > i;) {
        __m256i cnt = _mm256_setzero_si256();
        for (; i < end; i += 32) {
            __m256i v[4];
            for (int k = 0; k < 4; k++) {
                __m256 x = cs_avx2_load_ps(in + i + 8 * k, aligned);
                v[k] = offset ? cs_avx2_round_offset(x, scale, mid_minus_1)
                              : cs_avx2_round_signed(x, scale);
                cnt = cs_avx2_count_outside(cnt, v[k], lo, hi);
            }
            __m256i p0 = _mm256_packs_epi32(v[0], v[1]), p1 = _mm256_packs_epi32(v[2], v[3]);
            __m256i b = offset ? _mm256_packus_epi16(p0, p1) : _mm256_packs_epi16(p0, p1);
            cs_avx2_store(out + i, _mm256_permutevar8x32_epi32(b, order), aligned);
        }
        sat += cs_avx2_hsum(cnt);
    }
    return sat + (offset ? cs_32f_convert_8u_generic : cs_32f_convert_8i_generic)(out + i, in + i,
                                                                                  n - i);
}

/* ---- int16: ci16 (signed) and cu16 (offset 32767.5), either byte order ----------------- */

static inline cs_from_32f_fn cs_q16_tail(int offset, int swap)
{
    if (offset) return swap ? cs_32f_convert_byteswap_16u_generic : cs_32f_convert_16u_generic;
    return swap ? cs_32f_convert_byteswap_16i_generic : cs_32f_convert_16i_generic;
}

CS_INLINE CS_SSE2 size_t cs_q16_sse2(uint8_t *out, const float *in, size_t n, int aligned,
                                     int offset, int swap)
{
    const __m128 scale = _mm_set1_ps(32768.0f);
    const __m128i lo = _mm_set1_epi32(offset ? 0 : -32768);
    const __m128i hi = _mm_set1_epi32(offset ? 65535 : 32767);
    const __m128i mid_minus_1 = _mm_set1_epi32(32767);
    const __m128i bias = _mm_set1_epi32(32768), flip = _mm_set1_epi16((short)0x8000);
    size_t i = 0, sat = 0;
    for (size_t end; (end = cs_pass_end(i, n, 8)) > i;) {
        __m128i cnt = _mm_setzero_si128();
        for (; i < end; i += 8) {
            __m128i v[2];
            for (int k = 0; k < 2; k++) {
                __m128 x = cs_sse2_load_ps(in + i + 4 * k, aligned);
                v[k] = offset ? cs_sse2_round_offset(x, scale, mid_minus_1)
                              : cs_sse2_round_signed(x, scale);
                cnt = cs_sse2_count_outside(cnt, v[k], lo, hi);
                /* SSE2 has no unsigned 32->16 pack: shift to signed, pack, flip back. */
                if (offset) v[k] = _mm_sub_epi32(v[k], bias);
            }
            __m128i p = _mm_packs_epi32(v[0], v[1]);
            if (offset) p = _mm_xor_si128(p, flip);
            if (swap) p = cs_sse2_bswap16(p);
            cs_sse2_store(out + 2 * i, p, aligned);
        }
        sat += cs_sse2_hsum(cnt);
    }
    return sat + cs_q16_tail(offset, swap)(out + 2 * i, in + i, n - i);
}

CS_INLINE CS_AVX2 size_t cs_q16_avx2(uint8_t *out, const float *in, size_t n, int aligned,
                                     int offset, int swap)
{
    const __m256 scale = _mm256_set1_ps(32768.0f);
    const __m256i lo = _mm256_set1_epi32(offset ? 0 : -32768);
    const __m256i hi = _mm256_set1_epi32(offset ? 65535 : 32767);
    const __m256i mid_minus_1 = _mm256_set1_epi32(32767);
    size_t i = 0, sat = 0;
    for (size_t end; (end = cs_pass_end(i, n, 16)) > i;) {
        __m256i cnt = _mm256_setzero_si256();
        for (; i < end; i += 16) {
            __m256i v[2];
            for (int k = 0; k < 2; k++) {
                __m256 x = cs_avx2_load_ps(in + i + 8 * k, aligned);
                v[k] = offset ? cs_avx2_round_offset(x, scale, mid_minus_1)
                              : cs_avx2_round_signed(x, scale);
                cnt = cs_avx2_count_outside(cnt, v[k], lo, hi);
            }
            __m256i p = offset ? _mm256_packus_epi32(v[0], v[1]) : _mm256_packs_epi32(v[0], v[1]);
            p = _mm256_permute4x64_epi64(p, _MM_SHUFFLE(3, 1, 2, 0)); /* undo lane-wise pack */
            if (swap) p = cs_avx2_bswap16(p);
            cs_avx2_store(out + 2 * i, p, aligned);
        }
        sat += cs_avx2_hsum(cnt);
    }
    return sat + cs_q16_tail(offset, swap)(out + 2 * i, in + i, n - i);
}

/* ---- int32: ci32, either byte order ----------------------------------------------------
 * x * 2^31 is exact in float, so no clamping is needed: cvtps_epi32 turns NaN and every
 * value beyond the range into 0x80000000; NaN lanes are then cleared and lanes >= 2^31
 * flipped to 0x7fffffff. */

CS_INLINE CS_SSE2 __m128i cs_q32_sse2_step(__m128 x, __m128i *cnt)
{
    const __m128 scale = _mm_set1_ps(2147483648.0f), top = _mm_set1_ps(2147483648.0f);
    __m128 y = _mm_mul_ps(x, scale);
    __m128i above = _mm_castps_si128(_mm_cmpge_ps(y, top));
    __m128i below = _mm_castps_si128(_mm_cmplt_ps(y, _mm_set1_ps(-2147483648.0f)));
    __m128i r = _mm_and_si128(_mm_cvtps_epi32(y), _mm_castps_si128(_mm_cmpord_ps(y, y)));
    *cnt = _mm_sub_epi32(*cnt, _mm_or_si128(above, below));
    return _mm_xor_si128(r, above);
}

CS_INLINE CS_SSE2 size_t cs_q32_sse2(uint8_t *out, const float *in, size_t n, int aligned,
                                     int swap)
{
    size_t i = 0, sat = 0;
    for (size_t end; (end = cs_pass_end(i, n, 4)) > i;) {
        __m128i cnt = _mm_setzero_si128();
        for (; i < end; i += 4) {
            __m128i r = cs_q32_sse2_step(cs_sse2_load_ps(in + i, aligned), &cnt);
            cs_sse2_store(out + 4 * i, swap ? cs_sse2_bswap32(r) : r, aligned);
        }
        sat += cs_sse2_hsum(cnt);
    }
    return sat + (swap ? cs_32f_convert_byteswap_32i_generic : cs_32f_convert_32i_generic)(
                     out + 4 * i, in + i, n - i);
}

CS_INLINE CS_AVX2 size_t cs_q32_avx2(uint8_t *out, const float *in, size_t n, int aligned,
                                     int swap)
{
    const __m256 scale = _mm256_set1_ps(2147483648.0f);
    const __m256 top = _mm256_set1_ps(2147483648.0f), bottom = _mm256_set1_ps(-2147483648.0f);
    size_t i = 0, sat = 0;
    for (size_t end; (end = cs_pass_end(i, n, 8)) > i;) {
        __m256i cnt = _mm256_setzero_si256();
        for (; i < end; i += 8) {
            __m256 y = _mm256_mul_ps(cs_avx2_load_ps(in + i, aligned), scale);
            __m256i above = _mm256_castps_si256(_mm256_cmp_ps(y, top, _CMP_GE_OQ));
            __m256i below = _mm256_castps_si256(_mm256_cmp_ps(y, bottom, _CMP_LT_OQ));
            __m256i ord = _mm256_castps_si256(_mm256_cmp_ps(y, y, _CMP_ORD_Q));
            __m256i r = _mm256_xor_si256(_mm256_and_si256(_mm256_cvtps_epi32(y), ord), above);
            cnt = _mm256_sub_epi32(cnt, _mm256_or_si256(above, below));
            cs_avx2_store(out + 4 * i, swap ? cs_avx2_bswap32(r) : r, aligned);
        }
        sat += cs_avx2_hsum(cnt);
    }
    return sat + (swap ? cs_32f_convert_byteswap_32i_generic : cs_32f_convert_32i_generic)(
                     out + 4 * i, in + i, n - i);
}

#endif
#endif
