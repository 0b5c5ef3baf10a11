/* AVX-512 filter of the front end's 33-tap RRC filter on interleaved complex samples
 * (stride 2), exploiting its symmetric taps (see umts_kernels.h, umts_fir_avx512). */
#include "umts_kernels.h"

#ifdef UMTS_KERNELS_X86
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* As fir2_avx512 (umts_kernels_x86.c: the shifted inputs from seven loads and in-register
 * shifts), but taps k and 32 - k share one multiply-add after one addition of their
 * inputs: the additions run on other execution ports than the multiply-adds, which bound
 * the plain filter. Four accumulators (even and odd taps) keep the chains short. */
#define SYM_TAPS 33
AVX512 void umts_fir2_sym33_avx512(const float *in, float *out, size_t n_out, const float *h,
                                   size_t *done)
{
    size_t m = 0;
    for (; m + 32 <= n_out && m + 16 * 7 <= n_out + 2 * SYM_TAPS - 2; m += 32) {
        __m512 v[7];
        for (size_t j = 0; j < 7; j++) v[j] = _mm512_loadu_ps(in + m + 16 * j);
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, b0 = a0, b1 = a0;
#define SHIFTED(hi, lo, r) \
    _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(hi), _mm512_castps_si512(lo), r))
#define X(k, o) ((k) % 8 ? SHIFTED(v[(k) / 8 + (o) + 1], v[(k) / 8 + (o)], 2 * ((k) % 8)) : v[(k) / 8 + (o)])
#define PAIR(k, acc0, acc1)                                                        \
    {                                                                              \
        const __m512 hk = _mm512_set1_ps(h[k]);                                   \
        acc0 = _mm512_fmadd_ps(hk, _mm512_add_ps(X(k, 0), X(SYM_TAPS - 1 - (k), 0)), acc0); \
        acc1 = _mm512_fmadd_ps(hk, _mm512_add_ps(X(k, 1), X(SYM_TAPS - 1 - (k), 1)), acc1); \
    }
        PAIR(0, a0, a1) PAIR(1, b0, b1) PAIR(2, a0, a1) PAIR(3, b0, b1)
        PAIR(4, a0, a1) PAIR(5, b0, b1) PAIR(6, a0, a1) PAIR(7, b0, b1)
        PAIR(8, a0, a1) PAIR(9, b0, b1) PAIR(10, a0, a1) PAIR(11, b0, b1)
        PAIR(12, a0, a1) PAIR(13, b0, b1) PAIR(14, a0, a1) PAIR(15, b0, b1)
        {
            const __m512 hc = _mm512_set1_ps(h[16]);
            a0 = _mm512_fmadd_ps(hc, X(16, 0), a0);
            a1 = _mm512_fmadd_ps(hc, X(16, 1), a1);
        }
#undef PAIR
#undef X
#undef SHIFTED
        _mm512_storeu_ps(out + m, _mm512_add_ps(a0, b0));
        _mm512_storeu_ps(out + m + 16, _mm512_add_ps(a1, b1));
    }
    *done = m;
}

int umts_fir_symmetric33(const float *h, size_t n_taps)
{
    if (n_taps != SYM_TAPS) return 0;
    for (size_t k = 0; k < n_taps / 2; k++)
        if (h[k] != h[n_taps - 1 - k]) return 0;
    return 1;
}

#endif
