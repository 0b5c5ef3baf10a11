/* AVX2 and AVX-512 despreading of several codes at one window, or of one code at several
 * windows (see umts_kernels.h). Sharing the loads is half the gain; the other half is the
 * horizontal sums: the accumulators of up to 16 dot products are reduced together by a
 * transposing add tree instead of one reduction each.
 *
 * Packed codes: with I, Q = +-1 the chip bits and x the window, the despread value is
 *   D = (1 - j)/2 (A - jB),  A = sum x I = S - 2 M_I,  B = sum x Q = S - 2 M_Q,
 * where S = sum x and M_I (M_Q) sums x over the chips whose I (Q) bit is set: masked adds,
 * no code tables in memory. */
#include "umts_kernels.h"

#ifdef UMTS_KERNELS_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* D from the sums S = (sr, si), M_I = (ir, ii), M_Q = (qr, qi). */
static inline void combine(float sr, float si, float ir, float ii, float qr, float qi, float *re,
                           float *im)
{
    const float ar = sr - 2.0f * ir, ai = si - 2.0f * ii, br = sr - 2.0f * qr, bi = si - 2.0f * qi;
    const float u = ar + bi, v = ai - br; /* A - jB = u + jv */
    *re = 0.5f * (u + v);
    *im = 0.5f * (v - u);
}

/* ---- AVX2 ------------------------------------------------------------------------------ */

/* 0xFFFFFFFF in lane k where bit k of the byte is set. */
AVX2 static inline __m256 lane_mask(unsigned byte)
{
    const __m256i sel = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const __m256i b = _mm256_and_si256(_mm256_set1_epi32((int)byte), sel);
    return _mm256_castsi256_ps(_mm256_cmpeq_epi32(b, sel));
}

/* [sum a, sum b, sum c, sum d] */
AVX2 static inline __m128 reduce4(__m256 a, __m256 b, __m256 c, __m256 d)
{
    const __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

AVX2 void umts_despread_codes_avx2(const float *xr, const float *xi, const uint16_t *iw,
                                   const uint16_t *qw, size_t stride, size_t n_codes,
                                   size_t n_words, float *out_re, float *out_im, float *energy)
{
    __m256 s_r = _mm256_setzero_ps(), s_i = s_r, e = s_r;
    for (size_t i = 0; i < 16 * n_words; i += 8) {
        const __m256 x = _mm256_loadu_ps(xr + i), y = _mm256_loadu_ps(xi + i);
        s_r = _mm256_add_ps(s_r, x);
        s_i = _mm256_add_ps(s_i, y);
        e = _mm256_fmadd_ps(x, x, _mm256_fmadd_ps(y, y, e));
    }
    const __m256 zero = _mm256_setzero_ps();
    float s[4];
    _mm_storeu_ps(s, reduce4(s_r, s_i, e, zero));
    *energy = s[2];
    /* two codes at a time share the loads; the code bits go to the lanes' sign bits (one
     * variable shift per 8 chips) and select through blendv: no full masks built */
    const __m256i sh_lo = _mm256_setr_epi32(31, 30, 29, 28, 27, 26, 25, 24);
    const __m256i sh_hi = _mm256_setr_epi32(23, 22, 21, 20, 19, 18, 17, 16);
    for (size_t c0 = 0; c0 < n_codes; c0 += 2) {
        const size_t c1 = c0 + 1 < n_codes ? c0 + 1 : c0; /* a lone last code done twice */
        const uint16_t *a0 = iw + c0 * stride, *b0 = qw + c0 * stride;
        const uint16_t *a1 = iw + c1 * stride, *b1 = qw + c1 * stride;
        __m256 ir0 = zero, ii0 = zero, qr0 = zero, qi0 = zero;
        __m256 ir1 = zero, ii1 = zero, qr1 = zero, qi1 = zero;
        for (size_t w = 0; w < n_words; w++) {
            const __m256i ba0 = _mm256_set1_epi32(a0[w]), bb0 = _mm256_set1_epi32(b0[w]);
            const __m256i ba1 = _mm256_set1_epi32(a1[w]), bb1 = _mm256_set1_epi32(b1[w]);
            for (unsigned h = 0; h < 2; h++) {
                const __m256i sh = h ? sh_hi : sh_lo;
                const __m256 vr = _mm256_loadu_ps(xr + 16 * w + 8 * h),
                             vi = _mm256_loadu_ps(xi + 16 * w + 8 * h);
                const __m256 mi0 = _mm256_castsi256_ps(_mm256_sllv_epi32(ba0, sh));
                const __m256 mq0 = _mm256_castsi256_ps(_mm256_sllv_epi32(bb0, sh));
                const __m256 mi1 = _mm256_castsi256_ps(_mm256_sllv_epi32(ba1, sh));
                const __m256 mq1 = _mm256_castsi256_ps(_mm256_sllv_epi32(bb1, sh));
                ir0 = _mm256_add_ps(ir0, _mm256_blendv_ps(zero, vr, mi0));
                ii0 = _mm256_add_ps(ii0, _mm256_blendv_ps(zero, vi, mi0));
                qr0 = _mm256_add_ps(qr0, _mm256_blendv_ps(zero, vr, mq0));
                qi0 = _mm256_add_ps(qi0, _mm256_blendv_ps(zero, vi, mq0));
                ir1 = _mm256_add_ps(ir1, _mm256_blendv_ps(zero, vr, mi1));
                ii1 = _mm256_add_ps(ii1, _mm256_blendv_ps(zero, vi, mi1));
                qr1 = _mm256_add_ps(qr1, _mm256_blendv_ps(zero, vr, mq1));
                qi1 = _mm256_add_ps(qi1, _mm256_blendv_ps(zero, vi, mq1));
            }
        }
        float m[4];
        _mm_storeu_ps(m, reduce4(ir0, ii0, qr0, qi0));
        combine(s[0], s[1], m[0], m[1], m[2], m[3], out_re + c0, out_im + c0);
        if (c1 != c0) {
            _mm_storeu_ps(m, reduce4(ir1, ii1, qr1, qi1));
            combine(s[0], s[1], m[0], m[1], m[2], m[3], out_re + c1, out_im + c1);
        }
    }
}

AVX2 void umts_despread_multi_avx2(const float *const *xr, const float *const *xi, size_t n_win,
                                   const uint16_t *iw, const uint16_t *qw, size_t n_words,
                                   float *out_re, float *out_im)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    for (size_t k0 = 0; k0 < n_win; k0 += 2) {
        const size_t nk = n_win - k0 < 2 ? n_win - k0 : 2;
        const float *a0 = xr[k0], *b0 = xi[k0], *a1 = xr[k0 + nk - 1], *b1 = xi[k0 + nk - 1];
        /* per window: sum a c, sum b d, sum a d, sum b c (four independent chains) */
        __m256 p0 = _mm256_setzero_ps(), p1 = p0, p2 = p0, p3 = p0, q0 = p0, q1 = p0, q2 = p0,
               q3 = p0;
        for (size_t i = 0; i < 16 * n_words; i += 8) {
            const unsigned sh = (unsigned)(i & 8);
            const __m256 bi = _mm256_and_ps(lane_mask((iw[i / 16] >> sh) & 0xFFu), one);
            const __m256 bq = _mm256_and_ps(lane_mask((qw[i / 16] >> sh) & 0xFFu), one);
            const __m256 c = _mm256_sub_ps(bq, bi), d = _mm256_sub_ps(_mm256_add_ps(bi, bq), one);
            const __m256 x0 = _mm256_loadu_ps(a0 + i), y0 = _mm256_loadu_ps(b0 + i);
            const __m256 x1 = _mm256_loadu_ps(a1 + i), y1 = _mm256_loadu_ps(b1 + i);
            p0 = _mm256_fmadd_ps(x0, c, p0);
            p1 = _mm256_fmadd_ps(y0, d, p1);
            p2 = _mm256_fmadd_ps(x0, d, p2);
            p3 = _mm256_fmadd_ps(y0, c, p3);
            q0 = _mm256_fmadd_ps(x1, c, q0);
            q1 = _mm256_fmadd_ps(y1, d, q1);
            q2 = _mm256_fmadd_ps(x1, d, q2);
            q3 = _mm256_fmadd_ps(y1, c, q3);
        }
        float v[2][4];
        _mm_storeu_ps(v[0], reduce4(p0, p1, p2, p3));
        _mm_storeu_ps(v[1], reduce4(q0, q1, q2, q3));
        for (size_t k = 0; k < nk; k++) {
            out_re[k0 + k] = v[k][0] - v[k][1];
            out_im[k0 + k] = v[k][2] + v[k][3];
        }
    }
}

/* ---- AVX-512 --------------------------------------------------------------------------- */

/* Sums of 16 vectors at once: lane 4 L + m of the result is the sum of v[4 m + L]. */
AVX512 static inline __m512 reduce16(const __m512 v[16])
{
    __m512 r[8], s[4], t[2];
    for (int i = 0; i < 8; i++) /* 128-bit lanes 0-1: v[2i], 2-3: v[2i+1] */
        r[i] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0x44),
                             _mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0xEE));
    for (int i = 0; i < 4; i++) /* 128-bit lane L: v[4i + L] */
        s[i] = _mm512_add_ps(_mm512_shuffle_f32x4(r[2 * i], r[2 * i + 1], 0x88),
                             _mm512_shuffle_f32x4(r[2 * i], r[2 * i + 1], 0xDD));
    for (int i = 0; i < 2; i++) /* lane L: v[8i + L] (2 floats), v[8i + 4 + L] (2 floats) */
        t[i] = _mm512_add_ps(_mm512_shuffle_ps(s[2 * i], s[2 * i + 1], 0x44),
                             _mm512_shuffle_ps(s[2 * i], s[2 * i + 1], 0xEE));
    return _mm512_add_ps(_mm512_shuffle_ps(t[0], t[1], 0x88), _mm512_shuffle_ps(t[0], t[1], 0xDD));
}

AVX512 void umts_despread_codes_avx512(const float *xr, const float *xi, const uint16_t *iw,
                                       const uint16_t *qw, size_t stride, size_t n_codes,
                                       size_t n_words, float *out_re, float *out_im, float *energy)
{
    __m512 s_r = _mm512_setzero_ps(), s_i = s_r, e = s_r;
    for (size_t w = 0; w < n_words; w++) {
        const __m512 x = _mm512_loadu_ps(xr + 16 * w), y = _mm512_loadu_ps(xi + 16 * w);
        s_r = _mm512_add_ps(s_r, x);
        s_i = _mm512_add_ps(s_i, y);
        e = _mm512_fmadd_ps(x, x, _mm512_fmadd_ps(y, y, e));
    }
    const float sr = _mm512_reduce_add_ps(s_r), si = _mm512_reduce_add_ps(s_i);
    *energy = _mm512_reduce_add_ps(e);
    for (size_t c0 = 0; c0 < n_codes; c0 += 4) {
        const size_t nc = n_codes - c0 < 4 ? n_codes - c0 : 4;
        /* four codes at a time (a short last group repeats its last code) */
        const uint16_t *a[4], *b[4];
        for (size_t c = 0; c < 4; c++) {
            const size_t cc = c0 + (c < nc ? c : nc - 1);
            a[c] = iw + cc * stride;
            b[c] = qw + cc * stride;
        }
        /* v[4 j + c]: code c0 + c, sum j = M_I re, M_I im, M_Q re, M_Q im */
        __m512 v[16];
        for (int i = 0; i < 16; i++) v[i] = _mm512_setzero_ps();
        for (size_t w = 0; w < n_words; w++) {
            const __m512 x = _mm512_loadu_ps(xr + 16 * w), y = _mm512_loadu_ps(xi + 16 * w);
#define CODE(c)                                                                                    \
    do {                                                                                           \
        const __mmask16 mi = _cvtu32_mask16(a[c][w]), mq = _cvtu32_mask16(b[c][w]);                \
        v[c] = _mm512_mask_add_ps(v[c], mi, v[c], x);                                              \
        v[4 + c] = _mm512_mask_add_ps(v[4 + c], mi, v[4 + c], y);                                  \
        v[8 + c] = _mm512_mask_add_ps(v[8 + c], mq, v[8 + c], x);                                  \
        v[12 + c] = _mm512_mask_add_ps(v[12 + c], mq, v[12 + c], y);                               \
    } while (0)
            CODE(0);
            CODE(1);
            CODE(2);
            CODE(3);
#undef CODE
        }
        float sum[16]; /* sum[4 c + j] = sum of v[4 j + c] */
        _mm512_storeu_ps(sum, reduce16(v));
        for (size_t c = 0; c < nc; c++)
            combine(sr, si, sum[4 * c], sum[4 * c + 1], sum[4 * c + 2], sum[4 * c + 3],
                    out_re + c0 + c, out_im + c0 + c);
    }
}

/* Windows k0 .. k0 + W - 1 (W = 1 .. 4) of umts_despread_multi_avx512: v[4 j + k] holds
 * sum j (a c, b d, a d, b c) of window k; unused slots stay zero. */
#define MULTI_BODY(W)                                                                              \
    do {                                                                                           \
        __m512 v[16];                                                                              \
        for (int i = 0; i < 16; i++) v[i] = _mm512_setzero_ps();                                   \
        for (size_t w = 0; w < n_words; w++) {                                                     \
            const __m512 bi = _mm512_maskz_mov_ps(_cvtu32_mask16(iw[w]), one);                     \
            const __m512 bq = _mm512_maskz_mov_ps(_cvtu32_mask16(qw[w]), one);                     \
            const __m512 c = _mm512_sub_ps(bq, bi), d = _mm512_sub_ps(_mm512_add_ps(bi, bq), one); \
            for (int k = 0; k < (W); k++) {                                                        \
                const __m512 x = _mm512_loadu_ps(xr[k0 + k] + 16 * w);                             \
                const __m512 y = _mm512_loadu_ps(xi[k0 + k] + 16 * w);                             \
                v[k] = _mm512_fmadd_ps(x, c, v[k]);                                                \
                v[4 + k] = _mm512_fmadd_ps(y, d, v[4 + k]);                                        \
                v[8 + k] = _mm512_fmadd_ps(x, d, v[8 + k]);                                        \
                v[12 + k] = _mm512_fmadd_ps(y, c, v[12 + k]);                                      \
            }                                                                                      \
        }                                                                                          \
        float sum[16];                                                                             \
        _mm512_storeu_ps(sum, reduce16(v));                                                        \
        for (int k = 0; k < (W); k++) {                                                            \
            out_re[k0 + k] = sum[4 * k] - sum[4 * k + 1];                                          \
            out_im[k0 + k] = sum[4 * k + 2] + sum[4 * k + 3];                                      \
        }                                                                                          \
        k0 += (W);                                                                                 \
    } while (0)

AVX512 void umts_despread_multi_avx512(const float *const *xr, const float *const *xi, size_t n_win,
                                       const uint16_t *iw, const uint16_t *qw, size_t n_words,
                                       float *out_re, float *out_im)
{
    /* the code's chips: c = bq - bi, d = bi + bq - 1 (bits as 0/1), shared by all windows;
     * four windows at a time, then the rest in one pass (no work on absent windows) */
    const __m512 one = _mm512_set1_ps(1.0f);
    size_t k0 = 0;
    while (n_win - k0 >= 4) MULTI_BODY(4);
    if (n_win - k0 == 3) MULTI_BODY(3);
    else if (n_win - k0 == 2) MULTI_BODY(2);
    else if (n_win - k0 == 1) MULTI_BODY(1);
}

AVX512 void umts_deinterleave_avx512(const float *x, size_t n, float *re0, float *im0, float *re1,
                                     float *im1)
{
    /* 16 sample pairs (64 floats) at a time: floats 4k, 4k+1, 4k+2, 4k+3 to the four arrays */
    const __m512i lo = _mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
    const __m512i hi =
        _mm512_setr_epi32(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
    const __m512i first = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    const __m512i second =
        _mm512_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    size_t k = 0;
    for (; 2 * k + 32 <= n; k += 16) {
        const __m512 a = _mm512_loadu_ps(x + 4 * k), b = _mm512_loadu_ps(x + 4 * k + 16);
        const __m512 c = _mm512_loadu_ps(x + 4 * k + 32), d = _mm512_loadu_ps(x + 4 * k + 48);
        const __m512 ab0 = _mm512_permutex2var_ps(a, lo, b), cd0 = _mm512_permutex2var_ps(c, lo, d);
        const __m512 ab1 = _mm512_permutex2var_ps(a, hi, b), cd1 = _mm512_permutex2var_ps(c, hi, d);
        _mm512_storeu_ps(re0 + k, _mm512_permutex2var_ps(ab0, first, cd0));
        _mm512_storeu_ps(im0 + k, _mm512_permutex2var_ps(ab0, second, cd0));
        _mm512_storeu_ps(re1 + k, _mm512_permutex2var_ps(ab1, first, cd1));
        _mm512_storeu_ps(im1 + k, _mm512_permutex2var_ps(ab1, second, cd1));
    }
    for (; 2 * k + 2 <= n; k++) {
        re0[k] = x[4 * k];
        im0[k] = x[4 * k + 1];
        re1[k] = x[4 * k + 2];
        im1[k] = x[4 * k + 3];
    }
}

#endif
