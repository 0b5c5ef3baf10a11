/* AVX2 and AVX-512 kernels of the synchronisation channel: the P-SCH search at one
 * frequency (the outer code folded over slots), one slot's P-SCH and S-SCH correlations
 * for frame sync, and a plain axpy for the energy maps (see umts_kernels.h). */
#include "umts_kernels.h"

#ifdef UMTS_KERNELS_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* The outer code is [y, z, y, -z] in blocks of four (y = 1 1 1 -1, z = -1 1 -1 -1): with
 * A = u(t) + u(t + 2 lag) and B = u(t + lag) - u(t + 3 lag), Y(t) = A + B and Z(t) = B - A,
 * and the correlation is Y(t) + Z(t + 4 lag) + Y(t + 8 lag) - Z(t + 12 lag). Y and Z go
 * through small buffers (12 adds and 20 loads per 16 positions instead of 15 and 16 in
 * one long chain). The kernel test holds this equal to the outer signs of the code. */
#define OUTER_PIECE 512

/* ---- AVX2 ------------------------------------------------------------------------------ */

AVX2 void umts_outer_fold_avx2(const float *ur, const float *ui, size_t slot, size_t n_slots,
                               size_t n_pos, size_t lag, float *e)
{
    float yr[OUTER_PIECE + 12 * 32 + 8], zr[OUTER_PIECE + 12 * 32 + 8];
    float yi[OUTER_PIECE + 12 * 32 + 8], zi[OUTER_PIECE + 12 * 32 + 8];
    if (lag > 32) { /* buffers sized for the 2-samples-per-chip code */
        umts_outer_fold_generic(ur, ui, slot, n_slots, n_pos, lag, e);
        return;
    }
    for (size_t k = 0; k < n_slots; k++)
        for (size_t c0 = 0; c0 + 8 <= n_pos; c0 += OUTER_PIECE) {
            const size_t m = (n_pos - c0 < OUTER_PIECE ? n_pos - c0 : OUTER_PIECE) & ~(size_t)7;
            const float *pr = ur + k * slot + c0, *pi = ui + k * slot + c0;
            for (size_t t = 0; t < m + 12 * lag; t += 8) {
                __m256 a =
                    _mm256_add_ps(_mm256_loadu_ps(pr + t), _mm256_loadu_ps(pr + t + 2 * lag));
                __m256 b =
                    _mm256_sub_ps(_mm256_loadu_ps(pr + t + lag), _mm256_loadu_ps(pr + t + 3 * lag));
                _mm256_storeu_ps(yr + t, _mm256_add_ps(a, b));
                _mm256_storeu_ps(zr + t, _mm256_sub_ps(b, a));
                a = _mm256_add_ps(_mm256_loadu_ps(pi + t), _mm256_loadu_ps(pi + t + 2 * lag));
                b = _mm256_sub_ps(_mm256_loadu_ps(pi + t + lag), _mm256_loadu_ps(pi + t + 3 * lag));
                _mm256_storeu_ps(yi + t, _mm256_add_ps(a, b));
                _mm256_storeu_ps(zi + t, _mm256_sub_ps(b, a));
            }
            for (size_t t = 0; t < m; t += 8) {
                const __m256 cr = _mm256_add_ps(
                    _mm256_add_ps(_mm256_loadu_ps(yr + t), _mm256_loadu_ps(zr + t + 4 * lag)),
                    _mm256_sub_ps(_mm256_loadu_ps(yr + t + 8 * lag),
                                  _mm256_loadu_ps(zr + t + 12 * lag)));
                const __m256 ci = _mm256_add_ps(
                    _mm256_add_ps(_mm256_loadu_ps(yi + t), _mm256_loadu_ps(zi + t + 4 * lag)),
                    _mm256_sub_ps(_mm256_loadu_ps(yi + t + 8 * lag),
                                  _mm256_loadu_ps(zi + t + 12 * lag)));
                _mm256_storeu_ps(
                    e + c0 + t,
                    _mm256_fmadd_ps(cr, cr, _mm256_fmadd_ps(ci, ci, _mm256_loadu_ps(e + c0 + t))));
            }
        }
    {
        const size_t s0 = n_pos & ~(size_t)7; /* the last few positions */
        umts_outer_fold_generic(ur + s0, ui + s0, slot, n_slots, n_pos - s0, lag, e + s0);
    }
}

AVX2 void umts_axpy_avx2(float *y, const float *x, float a, size_t n)
{
    const __m256 va = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i,
                         _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] += a * x[i];
}

/* [sum s0, ..., sum s7] */
AVX2 static inline __m256 reduce8(const __m256 s[8])
{
    const __m256 u0 = _mm256_hadd_ps(_mm256_hadd_ps(s[0], s[1]), _mm256_hadd_ps(s[2], s[3]));
    const __m256 u1 = _mm256_hadd_ps(_mm256_hadd_ps(s[4], s[5]), _mm256_hadd_ps(s[6], s[7]));
    return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20),
                         _mm256_permute2f128_ps(u0, u1, 0x31));
}

AVX2 void umts_sch_slot_avx2(const float *rr, const float *ri, const float *psc, const float *z,
                             float *h, float *v_re, float *v_im, float *energy)
{
    __m256 hr[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()}, hi[2] = {hr[0], hr[0]};
    __m256 e = _mm256_setzero_ps(), br[16], bi[16];
    for (int blk = 0; blk < 16; blk++) {
        const int half = blk >> 3;
        __m256 sr = _mm256_setzero_ps(), si = sr;
        for (int j = 0; j < 16; j += 8) {
            const int i = 16 * blk + j;
            const __m256 x = _mm256_loadu_ps(rr + i), y = _mm256_loadu_ps(ri + i);
            const __m256 p = _mm256_loadu_ps(psc + i), w = _mm256_loadu_ps(z + i);
            hr[half] = _mm256_fmadd_ps(x, p, hr[half]);
            hi[half] = _mm256_fmadd_ps(y, p, hi[half]);
            sr = _mm256_fmadd_ps(x, w, sr);
            si = _mm256_fmadd_ps(y, w, si);
            e = _mm256_fmadd_ps(x, x, _mm256_fmadd_ps(y, y, e));
        }
        br[blk] = sr;
        bi[blk] = si;
    }
    _mm256_storeu_ps(v_re, reduce8(br));
    _mm256_storeu_ps(v_re + 8, reduce8(br + 8));
    _mm256_storeu_ps(v_im, reduce8(bi));
    _mm256_storeu_ps(v_im + 8, reduce8(bi + 8));
    const __m256 last[8] = {hr[0],
                            hi[0],
                            hr[1],
                            hi[1],
                            e,
                            _mm256_setzero_ps(),
                            _mm256_setzero_ps(),
                            _mm256_setzero_ps()};
    float t[8];
    _mm256_storeu_ps(t, reduce8(last));
    h[0] = t[0];
    h[1] = t[1];
    h[2] = t[2];
    h[3] = t[3];
    *energy = t[4];
}

/* ---- AVX-512 --------------------------------------------------------------------------- */

AVX512 void umts_outer_fold_avx512(const float *ur, const float *ui, size_t slot, size_t n_slots,
                                   size_t n_pos, size_t lag, float *e)
{
    float yr[OUTER_PIECE + 12 * 32 + 16], zr[OUTER_PIECE + 12 * 32 + 16];
    float yi[OUTER_PIECE + 12 * 32 + 16], zi[OUTER_PIECE + 12 * 32 + 16];
    if (lag > 32) {
        umts_outer_fold_generic(ur, ui, slot, n_slots, n_pos, lag, e);
        return;
    }
    const size_t n16 = n_pos & ~(size_t)15;
    for (size_t k = 0; k < n_slots; k++)
        for (size_t c0 = 0; c0 < n16; c0 += OUTER_PIECE) {
            const size_t m = n16 - c0 < OUTER_PIECE ? n16 - c0 : OUTER_PIECE;
            const float *pr = ur + k * slot + c0, *pi = ui + k * slot + c0;
            for (size_t t = 0; t < m + 12 * lag; t += 16) {
                __m512 a =
                    _mm512_add_ps(_mm512_loadu_ps(pr + t), _mm512_loadu_ps(pr + t + 2 * lag));
                __m512 b =
                    _mm512_sub_ps(_mm512_loadu_ps(pr + t + lag), _mm512_loadu_ps(pr + t + 3 * lag));
                _mm512_storeu_ps(yr + t, _mm512_add_ps(a, b));
                _mm512_storeu_ps(zr + t, _mm512_sub_ps(b, a));
                a = _mm512_add_ps(_mm512_loadu_ps(pi + t), _mm512_loadu_ps(pi + t + 2 * lag));
                b = _mm512_sub_ps(_mm512_loadu_ps(pi + t + lag), _mm512_loadu_ps(pi + t + 3 * lag));
                _mm512_storeu_ps(yi + t, _mm512_add_ps(a, b));
                _mm512_storeu_ps(zi + t, _mm512_sub_ps(b, a));
            }
            for (size_t t = 0; t < m; t += 16) {
                const __m512 cr = _mm512_add_ps(
                    _mm512_add_ps(_mm512_loadu_ps(yr + t), _mm512_loadu_ps(zr + t + 4 * lag)),
                    _mm512_sub_ps(_mm512_loadu_ps(yr + t + 8 * lag),
                                  _mm512_loadu_ps(zr + t + 12 * lag)));
                const __m512 ci = _mm512_add_ps(
                    _mm512_add_ps(_mm512_loadu_ps(yi + t), _mm512_loadu_ps(zi + t + 4 * lag)),
                    _mm512_sub_ps(_mm512_loadu_ps(yi + t + 8 * lag),
                                  _mm512_loadu_ps(zi + t + 12 * lag)));
                _mm512_storeu_ps(
                    e + c0 + t,
                    _mm512_fmadd_ps(cr, cr, _mm512_fmadd_ps(ci, ci, _mm512_loadu_ps(e + c0 + t))));
            }
        }
    if (n16 < n_pos)
        umts_outer_fold_avx2(ur + n16, ui + n16, slot, n_slots, n_pos - n16, lag, e + n16);
}

AVX512 void umts_axpy_avx512(float *y, const float *x, float a, size_t n)
{
    const __m512 va = _mm512_set1_ps(a);
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i,
                         _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) umts_axpy_avx2(y + i, x + i, a, n - i);
}

/* Sums of 16 vectors at once: lane 4 L + m of the result is the sum of v[4 m + L] (as in
 * umts_kernels_despread_x86.c). */
AVX512 static inline __m512 reduce16(const __m512 v[16])
{
    __m512 r[8], s[4], t[2];
    for (int i = 0; i < 8; i++)
        r[i] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0x44),
                             _mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0xEE));
    for (int i = 0; i < 4; i++)
        s[i] = _mm512_add_ps(_mm512_shuffle_f32x4(r[2 * i], r[2 * i + 1], 0x88),
                             _mm512_shuffle_f32x4(r[2 * i], r[2 * i + 1], 0xDD));
    for (int i = 0; i < 2; i++)
        t[i] = _mm512_add_ps(_mm512_shuffle_ps(s[2 * i], s[2 * i + 1], 0x44),
                             _mm512_shuffle_ps(s[2 * i], s[2 * i + 1], 0xEE));
    return _mm512_add_ps(_mm512_shuffle_ps(t[0], t[1], 0x88), _mm512_shuffle_ps(t[0], t[1], 0xDD));
}

AVX512 void umts_sch_slot_avx512(const float *rr, const float *ri, const float *psc, const float *z,
                                 float *h, float *v_re, float *v_im, float *energy)
{
    __m512 h0r = _mm512_setzero_ps(), h0i = h0r, h1r = h0r, h1i = h0r, e = h0r, b[16];
    /* block 4 m + L goes to slot 4 L + m of the tree, so the sums come out in order */
    for (int blk = 0; blk < 16; blk++) {
        const int i = 16 * blk;
        const __m512 x = _mm512_loadu_ps(rr + i), y = _mm512_loadu_ps(ri + i),
                     p = _mm512_loadu_ps(psc + i);
        if (blk < 8) {
            h0r = _mm512_fmadd_ps(x, p, h0r);
            h0i = _mm512_fmadd_ps(y, p, h0i);
        } else {
            h1r = _mm512_fmadd_ps(x, p, h1r);
            h1i = _mm512_fmadd_ps(y, p, h1i);
        }
        e = _mm512_fmadd_ps(x, x, _mm512_fmadd_ps(y, y, e));
        b[4 * (blk & 3) + (blk >> 2)] = _mm512_mul_ps(x, _mm512_loadu_ps(z + i));
    }
    _mm512_storeu_ps(v_re, reduce16(b));
    for (int blk = 0; blk < 16; blk++)
        b[4 * (blk & 3) + (blk >> 2)] =
            _mm512_mul_ps(_mm512_loadu_ps(ri + 16 * blk), _mm512_loadu_ps(z + 16 * blk));
    _mm512_storeu_ps(v_im, reduce16(b));
    h[0] = _mm512_reduce_add_ps(h0r);
    h[1] = _mm512_reduce_add_ps(h0i);
    h[2] = _mm512_reduce_add_ps(h1r);
    h[3] = _mm512_reduce_add_ps(h1i);
    *energy = _mm512_reduce_add_ps(e);
}

#endif
