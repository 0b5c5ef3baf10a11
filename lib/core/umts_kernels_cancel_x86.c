/* AVX2 and AVX-512 kernels of the searcher's cancellation (see umts_kernels.h): the cached
 * samples projected on two real waveforms at once (the P-SCH and the slot's S-SCH), and
 * the two scaled waveforms subtracted in one pass. */
#include "umts_kernels.h"

#ifdef UMTS_KERNELS_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

AVX2 static inline float hsum8(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

AVX2 void umts_dot2_avx2(const float *xr, const float *xi, const float *a, const float *b, size_t n,
                         float out[4])
{
    __m256 ra = _mm256_setzero_ps(), ia = ra, rb = ra, ib = ra;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = _mm256_loadu_ps(xr + i), y = _mm256_loadu_ps(xi + i);
        const __m256 wa = _mm256_loadu_ps(a + i), wb = _mm256_loadu_ps(b + i);
        ra = _mm256_fmadd_ps(x, wa, ra);
        ia = _mm256_fmadd_ps(y, wa, ia);
        rb = _mm256_fmadd_ps(x, wb, rb);
        ib = _mm256_fmadd_ps(y, wb, ib);
    }
    float s[4] = { hsum8(ra), hsum8(ia), hsum8(rb), hsum8(ib) };
    for (; i < n; i++) {
        s[0] += xr[i] * a[i];
        s[1] += xi[i] * a[i];
        s[2] += xr[i] * b[i];
        s[3] += xi[i] * b[i];
    }
    for (int k = 0; k < 4; k++) out[k] = s[k];
}

AVX2 void umts_sub2_avx2(float *re, float *im, const float *a, const float *b, const float g[4],
                         size_t n)
{
    const __m256 pr = _mm256_set1_ps(g[0]), pi = _mm256_set1_ps(g[1]), sr = _mm256_set1_ps(g[2]),
                 si = _mm256_set1_ps(g[3]);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 wa = _mm256_loadu_ps(a + i), wb = _mm256_loadu_ps(b + i);
        _mm256_storeu_ps(re + i, _mm256_fnmadd_ps(sr, wb, _mm256_fnmadd_ps(pr, wa, _mm256_loadu_ps(re + i))));
        _mm256_storeu_ps(im + i, _mm256_fnmadd_ps(si, wb, _mm256_fnmadd_ps(pi, wa, _mm256_loadu_ps(im + i))));
    }
    for (; i < n; i++) {
        re[i] -= g[0] * a[i] + g[2] * b[i];
        im[i] -= g[1] * a[i] + g[3] * b[i];
    }
}

static inline __mmask16 tail_mask(size_t left)
{
    return left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
}

AVX512 void umts_dot2_avx512(const float *xr, const float *xi, const float *a, const float *b,
                             size_t n, float out[4])
{
    __m512 ra = _mm512_setzero_ps(), ia = ra, rb = ra, ib = ra;
    for (size_t i = 0; i < n; i += 16) { /* masked tail */
        const __mmask16 m = tail_mask(n - i);
        const __m512 x = _mm512_maskz_loadu_ps(m, xr + i), y = _mm512_maskz_loadu_ps(m, xi + i);
        const __m512 wa = _mm512_maskz_loadu_ps(m, a + i), wb = _mm512_maskz_loadu_ps(m, b + i);
        ra = _mm512_fmadd_ps(x, wa, ra);
        ia = _mm512_fmadd_ps(y, wa, ia);
        rb = _mm512_fmadd_ps(x, wb, rb);
        ib = _mm512_fmadd_ps(y, wb, ib);
    }
    out[0] = _mm512_reduce_add_ps(ra);
    out[1] = _mm512_reduce_add_ps(ia);
    out[2] = _mm512_reduce_add_ps(rb);
    out[3] = _mm512_reduce_add_ps(ib);
}

AVX512 void umts_sub2_avx512(float *re, float *im, const float *a, const float *b,
                             const float g[4], size_t n)
{
    const __m512 pr = _mm512_set1_ps(g[0]), pi = _mm512_set1_ps(g[1]), sr = _mm512_set1_ps(g[2]),
                 si = _mm512_set1_ps(g[3]);
    for (size_t i = 0; i < n; i += 16) {
        const __mmask16 m = tail_mask(n - i);
        const __m512 wa = _mm512_maskz_loadu_ps(m, a + i), wb = _mm512_maskz_loadu_ps(m, b + i);
        const __m512 r = _mm512_maskz_loadu_ps(m, re + i), q = _mm512_maskz_loadu_ps(m, im + i);
        _mm512_mask_storeu_ps(re + i, m, _mm512_fnmadd_ps(sr, wb, _mm512_fnmadd_ps(pr, wa, r)));
        _mm512_mask_storeu_ps(im + i, m, _mm512_fnmadd_ps(si, wb, _mm512_fnmadd_ps(pi, wa, q)));
    }
}

#endif
