/* x86 SIMD helpers shared by the kernel files: loads and stores with an aligned flag (a
 * constant at every call site, so each u_/a_ protokernel compiles to one kind), byte swaps,
 * and the float -> integer rounding steps. The library is built for the baseline ISA; these
 * carry target attributes and run only after cs_cpu_has() said yes. */
#ifndef CELLSCAN_SIMD_X86_H
#define CELLSCAN_SIMD_X86_H

#include <stddef.h>

/* -DCS_NO_SIMD builds the generic implementations only (what non-x86 targets get). */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(CS_NO_SIMD)
#define CS_HAVE_X86_SIMD 1
#include <immintrin.h>

#define CS_SSE2 __attribute__((target("sse2")))
#define CS_AVX2 __attribute__((target("avx2")))
#define CS_AVX512 __attribute__((target("avx512f,avx512bw")))
#define CS_INLINE static inline __attribute__((always_inline))

/* Components per pass of the from-float kernels, so that 32-bit saturation counters per
 * lane can never overflow whatever n is. */
#define CS_COUNT_CHUNK ((size_t)1 << 24)

/* Values of x * scale beyond this are far outside every 8/16-bit range; clamping to it keeps
 * the float -> int32 conversion in range (saturation is still seen and counted). */
#define CS_ROUND_LIMIT 16777216.0f

/* ---- SSE2 ----------------------------------------------------------------------------- */

CS_INLINE CS_SSE2 __m128i cs_sse2_load(const void *p, int aligned)
{
    return aligned ? _mm_load_si128((const __m128i *)p) : _mm_loadu_si128((const __m128i *)p);
}

CS_INLINE CS_SSE2 void cs_sse2_store(void *p, __m128i v, int aligned)
{
    if (aligned) _mm_store_si128((__m128i *)p, v);
    else _mm_storeu_si128((__m128i *)p, v);
}

CS_INLINE CS_SSE2 __m128 cs_sse2_load_ps(const float *p, int aligned)
{
    return aligned ? _mm_load_ps(p) : _mm_loadu_ps(p);
}

CS_INLINE CS_SSE2 void cs_sse2_store_ps(float *p, __m128 v, int aligned)
{
    if (aligned) _mm_store_ps(p, v);
    else _mm_storeu_ps(p, v);
}

/* Swap the bytes of each 16-bit lane. */
CS_INLINE CS_SSE2 __m128i cs_sse2_bswap16(__m128i v)
{
    return _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
}

/* Swap the bytes of each 32-bit lane: swap its 16-bit halves, then their bytes. */
CS_INLINE CS_SSE2 __m128i cs_sse2_bswap32(__m128i v)
{
    v = _mm_shufflelo_epi16(v, _MM_SHUFFLE(2, 3, 0, 1));
    v = _mm_shufflehi_epi16(v, _MM_SHUFFLE(2, 3, 0, 1));
    return cs_sse2_bswap16(v);
}

/* x * scale with NaN replaced by 0 and clamped to +-CS_ROUND_LIMIT. */
CS_INLINE CS_SSE2 __m128 cs_sse2_scale_clamp(__m128 x, __m128 scale)
{
    __m128 y = _mm_mul_ps(x, scale);
    y = _mm_and_ps(y, _mm_cmpord_ps(y, y));
    y = _mm_max_ps(y, _mm_set1_ps(-CS_ROUND_LIMIT));
    return _mm_min_ps(y, _mm_set1_ps(CS_ROUND_LIMIT));
}

/* Nearest integer (ties to even) to x * scale; NaN -> 0. */
CS_INLINE CS_SSE2 __m128i cs_sse2_round_signed(__m128 x, __m128 scale)
{
    return _mm_cvtps_epi32(cs_sse2_scale_clamp(x, scale));
}

/* Nearest integer (ties to even) to x * scale + mid - 0.5, as in the reference: with
 * y = x * scale and r = round(y), d = y - r is exact, and the answer is r + mid - 1, plus one
 * when d > 0 or when d == 0 and r is even. NaN converts as 0.0 (to mid). */
CS_INLINE CS_SSE2 __m128i cs_sse2_round_offset(__m128 x, __m128 scale, __m128i mid_minus_1)
{
    __m128 y = cs_sse2_scale_clamp(x, scale);
    __m128i r = _mm_cvtps_epi32(y);
    __m128 d = _mm_sub_ps(y, _mm_cvtepi32_ps(r));
    __m128i up = _mm_castps_si128(_mm_cmpgt_ps(d, _mm_setzero_ps()));
    __m128i tie = _mm_castps_si128(_mm_cmpeq_ps(d, _mm_setzero_ps()));
    __m128i even = _mm_cmpeq_epi32(_mm_and_si128(r, _mm_set1_epi32(1)), _mm_setzero_si128());
    up = _mm_or_si128(up, _mm_and_si128(tie, even)); /* -1 where one is added */
    return _mm_sub_epi32(_mm_add_epi32(r, mid_minus_1), up);
}

/* cnt += 1 in each lane whose v lies outside [lo, hi]. */
CS_INLINE CS_SSE2 __m128i cs_sse2_count_outside(__m128i cnt, __m128i v, __m128i lo, __m128i hi)
{
    __m128i out = _mm_or_si128(_mm_cmplt_epi32(v, lo), _mm_cmpgt_epi32(v, hi));
    return _mm_sub_epi32(cnt, out);
}

CS_INLINE CS_SSE2 size_t cs_sse2_hsum(__m128i v)
{
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
    return (size_t)(uint32_t)_mm_cvtsi128_si32(v);
}

/* ---- AVX2 ----------------------------------------------------------------------------- */

CS_INLINE CS_AVX2 __m256i cs_avx2_load(const void *p, int aligned)
{
    return aligned ? _mm256_load_si256((const __m256i *)p)
                   : _mm256_loadu_si256((const __m256i *)p);
}

CS_INLINE CS_AVX2 void cs_avx2_store(void *p, __m256i v, int aligned)
{
    if (aligned) _mm256_store_si256((__m256i *)p, v);
    else _mm256_storeu_si256((__m256i *)p, v);
}

CS_INLINE CS_AVX2 __m256 cs_avx2_load_ps(const float *p, int aligned)
{
    return aligned ? _mm256_load_ps(p) : _mm256_loadu_ps(p);
}

CS_INLINE CS_AVX2 void cs_avx2_store_ps(float *p, __m256 v, int aligned)
{
    if (aligned) _mm256_store_ps(p, v);
    else _mm256_storeu_ps(p, v);
}

CS_INLINE CS_AVX2 __m256i cs_avx2_bswap16(__m256i v)
{
    const __m256i m = _mm256_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14,
                                       1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    return _mm256_shuffle_epi8(v, m);
}

CS_INLINE CS_AVX2 __m256i cs_avx2_bswap32(__m256i v)
{
    const __m256i m = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
                                       3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    return _mm256_shuffle_epi8(v, m);
}

CS_INLINE CS_AVX2 __m256 cs_avx2_scale_clamp(__m256 x, __m256 scale)
{
    __m256 y = _mm256_mul_ps(x, scale);
    y = _mm256_and_ps(y, _mm256_cmp_ps(y, y, _CMP_ORD_Q));
    y = _mm256_max_ps(y, _mm256_set1_ps(-CS_ROUND_LIMIT));
    return _mm256_min_ps(y, _mm256_set1_ps(CS_ROUND_LIMIT));
}

CS_INLINE CS_AVX2 __m256i cs_avx2_round_signed(__m256 x, __m256 scale)
{
    return _mm256_cvtps_epi32(cs_avx2_scale_clamp(x, scale));
}

CS_INLINE CS_AVX2 __m256i cs_avx2_round_offset(__m256 x, __m256 scale, __m256i mid_minus_1)
{
    __m256 y = cs_avx2_scale_clamp(x, scale);
    __m256i r = _mm256_cvtps_epi32(y);
    __m256 d = _mm256_sub_ps(y, _mm256_cvtepi32_ps(r));
    __m256i up = _mm256_castps_si256(_mm256_cmp_ps(d, _mm256_setzero_ps(), _CMP_GT_OQ));
    __m256i tie = _mm256_castps_si256(_mm256_cmp_ps(d, _mm256_setzero_ps(), _CMP_EQ_OQ));
    __m256i even =
        _mm256_cmpeq_epi32(_mm256_and_si256(r, _mm256_set1_epi32(1)), _mm256_setzero_si256());
    up = _mm256_or_si256(up, _mm256_and_si256(tie, even));
    return _mm256_sub_epi32(_mm256_add_epi32(r, mid_minus_1), up);
}

CS_INLINE CS_AVX2 __m256i cs_avx2_count_outside(__m256i cnt, __m256i v, __m256i lo, __m256i hi)
{
    __m256i out = _mm256_or_si256(_mm256_cmpgt_epi32(lo, v), _mm256_cmpgt_epi32(v, hi));
    return _mm256_sub_epi32(cnt, out);
}

CS_INLINE CS_AVX2 size_t cs_avx2_hsum(__m256i v)
{
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    return cs_sse2_hsum(s);
}

/* ---- AVX-512 (F + BW), used by the to-float kernels on the reader's path ---------------- */

CS_INLINE CS_AVX512 __m512i cs_avx512_load(const void *p, int aligned)
{
    return aligned ? _mm512_load_si512(p) : _mm512_loadu_si512(p);
}

CS_INLINE CS_AVX512 void cs_avx512_store_ps(float *p, __m512 v, int aligned)
{
    if (aligned) _mm512_store_ps(p, v);
    else _mm512_storeu_ps(p, v);
}

CS_INLINE CS_AVX512 __m512i cs_avx512_bswap16(__m512i v)
{
    const __m512i m = _mm512_broadcast_i32x4(
        _mm_setr_epi8(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));
    return _mm512_shuffle_epi8(v, m);
}

CS_INLINE CS_AVX512 __m512i cs_avx512_bswap32(__m512i v)
{
    const __m512i m = _mm512_broadcast_i32x4(
        _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    return _mm512_shuffle_epi8(v, m);
}

#else
#define CS_HAVE_X86_SIMD 0
#endif

/* A plain C loop the compiler vectorises, built twice, for the baseline and for AVX2, the
 * loader picking one (GNU ifunc). AVX2 without FMA: both give the same results. GCC only:
 * clang 14 leaves such a function undefined where its file does not call it. */
#if CS_HAVE_X86_SIMD && defined(__ELF__) && defined(__gnu_linux__) && !defined(__clang__)
#define CS_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CS_VECTOR_CLONES
#endif

#endif
