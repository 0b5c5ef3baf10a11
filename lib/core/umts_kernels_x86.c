/* AVX2+FMA and AVX-512 implementations of the UMTS searcher kernels (see umts_kernels.h).
 * The library is built for the baseline ISA; these functions carry target attributes and
 * run only after umts_kernels_get() found the CPU able to. Accumulators are kept in
 * registers across taps, slots and lags, so each output is stored once. */
#include "umts_kernels.h"

#ifdef UMTS_KERNELS_X86
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* ---- AVX2 ------------------------------------------------------------------------------ */

AVX2 void umts_fir_avx2(const float *in, float *out, size_t n_out, const float *h, size_t n_taps,
                        size_t stride)
{
    size_t m = 0;
    /* 64 outputs per pass: each tap's broadcast serves eight accumulators */
    for (; m + 64 <= n_out; m += 64) {
        __m256 a[8];
        for (int j = 0; j < 8; j++) a[j] = _mm256_setzero_ps();
        for (size_t k = 0; k < n_taps; k++) {
            const __m256 hk = _mm256_set1_ps(h[k]);
            const float *x = in + m + stride * k;
            for (int j = 0; j < 8; j++) a[j] = _mm256_fmadd_ps(hk, _mm256_loadu_ps(x + 8 * j), a[j]);
        }
        for (int j = 0; j < 8; j++) _mm256_storeu_ps(out + m + 8 * j, a[j]);
    }
    for (; m + 32 <= n_out; m += 32) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t k = 0; k < n_taps; k++) {
            const __m256 hk = _mm256_set1_ps(h[k]);
            const float *x = in + m + stride * k;
            a0 = _mm256_fmadd_ps(hk, _mm256_loadu_ps(x), a0);
            a1 = _mm256_fmadd_ps(hk, _mm256_loadu_ps(x + 8), a1);
            a2 = _mm256_fmadd_ps(hk, _mm256_loadu_ps(x + 16), a2);
            a3 = _mm256_fmadd_ps(hk, _mm256_loadu_ps(x + 24), a3);
        }
        _mm256_storeu_ps(out + m, a0);
        _mm256_storeu_ps(out + m + 8, a1);
        _mm256_storeu_ps(out + m + 16, a2);
        _mm256_storeu_ps(out + m + 24, a3);
    }
    for (; m < n_out; m++) {
        float acc = 0.0f;
        for (size_t k = 0; k < n_taps; k++) acc += h[k] * in[m + stride * k];
        out[m] = acc;
    }
}

/* The inner code a = [1 1 1 1, 1 1 -1 -1, 1 -1 1 -1, 1 -1 -1 1] (taps sp samples apart:
 * 2 at 2 samples per chip, 1 within one sample phase) is four length-4 Walsh rows: with
 * P(t) = x(t) + x(t+sp) and M(t) = x(t) - x(t+sp),
 *   u(t) = P(t) + P(t+2sp) + P(t+4sp) - P(t+6sp) + M(t+8sp) + M(t+10sp) + M(t+12sp) - M(t+14sp),
 * 9 adds and 10 loads per output instead of 16 multiply-adds and 16 loads. */
#define INNER_PIECE 512

static void psc_inner_scalar(const float *x, float *u, size_t n, size_t sp)
{
    for (size_t m = 0; m < n; m++) {
        float a = 0.0f;
        for (size_t q = 0; q < 16; q++) a += umts_psc_a[q] * x[m + sp * q];
        u[m] = a;
    }
}

AVX2 static void inner_walsh_avx2(const float *x, float *u, size_t n, size_t sp)
{
    float p[INNER_PIECE + 32], q[INNER_PIECE + 32];
    const size_t n8 = n & ~(size_t)7, span = 14 * sp; /* P and M reach 14 sp past an output */
    for (size_t c0 = 0; c0 < n8; c0 += INNER_PIECE) {
        const size_t m = n8 - c0 < INNER_PIECE ? n8 - c0 : INNER_PIECE;
        const float *xx = x + c0;
        size_t t = 0; /* P and M up to m + 14 sp - 1, reading x up to m + 15 sp - 1 only */
        for (; t + 8 <= m + span; t += 8) {
            const __m256 a = _mm256_loadu_ps(xx + t), b = _mm256_loadu_ps(xx + t + sp);
            _mm256_storeu_ps(p + t, _mm256_add_ps(a, b));
            _mm256_storeu_ps(q + t, _mm256_sub_ps(a, b));
        }
        for (; t < m + span; t++) {
            p[t] = xx[t] + xx[t + sp];
            q[t] = xx[t] - xx[t + sp];
        }
        for (t = 0; t < m; t += 8) {
            const __m256 s0 = _mm256_add_ps(_mm256_loadu_ps(p + t), _mm256_loadu_ps(p + t + 2 * sp));
            const __m256 s1 = _mm256_sub_ps(_mm256_loadu_ps(p + t + 4 * sp), _mm256_loadu_ps(p + t + 6 * sp));
            const __m256 s2 = _mm256_add_ps(_mm256_loadu_ps(q + t + 8 * sp), _mm256_loadu_ps(q + t + 10 * sp));
            const __m256 s3 = _mm256_sub_ps(_mm256_loadu_ps(q + t + 12 * sp), _mm256_loadu_ps(q + t + 14 * sp));
            _mm256_storeu_ps(u + c0 + t, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        }
    }
    psc_inner_scalar(x + n8, u + n8, n - n8, sp);
}

AVX2 void umts_psc_inner_avx2(const float *xr, const float *xi, float *ur, float *ui, size_t n)
{
    inner_walsh_avx2(xr, ur, n, 2);
    inner_walsh_avx2(xi, ui, n, 2);
}

AVX2 void umts_psc_inner1_avx2(const float *xr, const float *xi, float *ur, float *ui, size_t n)
{
    inner_walsh_avx2(xr, ur, n, 1);
    inner_walsh_avx2(xi, ui, n, 1);
}

/* Scalar remainder of lag_fold for positions [s0, n_pos). */
static void lag_fold_tail(const float *ur, const float *ui, size_t slot, size_t n_slots, size_t s0,
                          size_t n_pos, size_t lag, size_t n_lags, float *rr, float *ri,
                          size_t r_stride)
{
    for (size_t d = 0; d < n_lags; d++)
        for (size_t s = s0; s < n_pos; s++) {
            float accr = 0.0f, acci = 0.0f;
            for (size_t k = 0; k < n_slots; k++) {
                const size_t b = k * slot + s, a = b + lag * d;
                accr += ur[a] * ur[b] + ui[a] * ui[b];
                acci += ui[a] * ur[b] - ur[a] * ui[b];
            }
            rr[d * r_stride + s] += accr;
            ri[d * r_stride + s] += acci;
        }
}

AVX2 void umts_lag_fold_avx2(const float *ur, const float *ui, size_t slot, size_t n_slots,
                             size_t n_pos, size_t lag, size_t n_lags, float *rr, float *ri,
                             size_t r_stride)
{
    size_t s = 0;
    if (n_lags % 4 == 0) {
        for (; s + 8 <= n_pos; s += 8) {
            for (size_t d0 = 0; d0 < n_lags; d0 += 4) {
                __m256 cr[4], ci[4];
                for (int j = 0; j < 4; j++) cr[j] = ci[j] = _mm256_setzero_ps();
                for (size_t k = 0; k < n_slots; k++) {
                    const float *pr = ur + k * slot + s, *pi = ui + k * slot + s;
                    const __m256 br = _mm256_loadu_ps(pr), bi = _mm256_loadu_ps(pi);
                    for (int j = 0; j < 4; j++) {
                        const size_t off = lag * (d0 + (size_t)j);
                        const __m256 ar = _mm256_loadu_ps(pr + off), ai = _mm256_loadu_ps(pi + off);
                        cr[j] = _mm256_fmadd_ps(ar, br, cr[j]);
                        cr[j] = _mm256_fmadd_ps(ai, bi, cr[j]);
                        ci[j] = _mm256_fmadd_ps(ai, br, ci[j]);
                        ci[j] = _mm256_fnmadd_ps(ar, bi, ci[j]);
                    }
                }
                for (int j = 0; j < 4; j++) {
                    float *orr = rr + (d0 + (size_t)j) * r_stride + s;
                    float *oi = ri + (d0 + (size_t)j) * r_stride + s;
                    _mm256_storeu_ps(orr, _mm256_add_ps(_mm256_loadu_ps(orr), cr[j]));
                    _mm256_storeu_ps(oi, _mm256_add_ps(_mm256_loadu_ps(oi), ci[j]));
                }
            }
        }
    }
    lag_fold_tail(ur, ui, slot, n_slots, s, n_pos, lag, n_lags, rr, ri, r_stride);
}

AVX2 static inline float hsum256(__m256 v)
{
    __m128 a = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    a = _mm_add_ps(a, _mm_movehl_ps(a, a));
    a = _mm_add_ss(a, _mm_shuffle_ps(a, a, 1));
    return _mm_cvtss_f32(a);
}

AVX2 void umts_despread_avx2(const float *xr, const float *xi, const float *cr, const float *ci,
                             size_t n, float *out_re, float *out_im)
{
    __m256 sr0 = _mm256_setzero_ps(), sr1 = sr0, si0 = sr0, si1 = sr0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 a = _mm256_loadu_ps(xr + i), b = _mm256_loadu_ps(xi + i);
        __m256 c = _mm256_loadu_ps(cr + i), d = _mm256_loadu_ps(ci + i);
        sr0 = _mm256_fnmadd_ps(b, d, _mm256_fmadd_ps(a, c, sr0));
        si0 = _mm256_fmadd_ps(b, c, _mm256_fmadd_ps(a, d, si0));
        a = _mm256_loadu_ps(xr + i + 8);
        b = _mm256_loadu_ps(xi + i + 8);
        c = _mm256_loadu_ps(cr + i + 8);
        d = _mm256_loadu_ps(ci + i + 8);
        sr1 = _mm256_fnmadd_ps(b, d, _mm256_fmadd_ps(a, c, sr1));
        si1 = _mm256_fmadd_ps(b, c, _mm256_fmadd_ps(a, d, si1));
    }
    float sr = hsum256(_mm256_add_ps(sr0, sr1)), si = hsum256(_mm256_add_ps(si0, si1));
    for (; i < n; i++) {
        sr += xr[i] * cr[i] - xi[i] * ci[i];
        si += xr[i] * ci[i] + xi[i] * cr[i];
    }
    *out_re = sr;
    *out_im = si;
}

AVX2 void umts_cmul_avx2(const float *in, const float *p, float *out, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256 x = _mm256_loadu_ps(in + 2 * i), y = _mm256_loadu_ps(p + 2 * i);
        const __m256 yr = _mm256_moveldup_ps(y), yi = _mm256_movehdup_ps(y);
        const __m256 xs = _mm256_permute_ps(x, 0xB1); /* (im, re) pairs */
        _mm256_storeu_ps(out + 2 * i, _mm256_fmaddsub_ps(x, yr, _mm256_mul_ps(xs, yi)));
    }
    for (; i < n; i++) {
        const float a = in[2 * i], b = in[2 * i + 1], c = p[2 * i], d = p[2 * i + 1];
        out[2 * i] = a * c - b * d;
        out[2 * i + 1] = a * d + b * c;
    }
}

/* Float partial sums over blocks of 4096 values, added in double: exact enough for any n. */
AVX2 double umts_energy_avx2(const float *x, size_t n)
{
    double total = 0.0;
    size_t i = 0;
    while (i + 32 <= n) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        size_t end = i + 4096 < n ? i + 4096 : n;
        for (; i + 32 <= end; i += 32) {
            __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
            __m256 v2 = _mm256_loadu_ps(x + i + 16), v3 = _mm256_loadu_ps(x + i + 24);
            a0 = _mm256_fmadd_ps(v0, v0, a0);
            a1 = _mm256_fmadd_ps(v1, v1, a1);
            a2 = _mm256_fmadd_ps(v2, v2, a2);
            a3 = _mm256_fmadd_ps(v3, v3, a3);
        }
        total += hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    }
    for (; i < n; i++) total += (double)x[i] * x[i];
    return total;
}

/* ---- AVX-512 --------------------------------------------------------------------------- */

/* Stride 2 (complex samples, real taps): the shifted inputs come from six loads per 32
 * outputs and in-register shifts (valignd) instead of one unaligned load per tap and
 * output vector, most of which straddle cache lines. */
AVX512 static void fir2_avx512(const float *in, float *out, size_t n_out, const float *h, size_t n_taps,
                               size_t *done)
{
    /* tap k = 8 g + j sits 16 g + 2 j floats on: v[g], v[g+1], v[g+2] shifted by 2 j (all
     * constant indices, so v stays in registers); blocks whose loads would pass the last
     * input the filter reads are left to the caller */
    const size_t nv = (n_taps - 1) / 8 + 3;
    size_t m = 0;
    for (; m + 32 <= n_out && m + 16 * nv <= n_out + 2 * n_taps - 2; m += 32) {
        __m512 v[8];
        for (size_t j = 0; j < 8; j++) v[j] = j < nv ? _mm512_loadu_ps(in + m + 16 * j) : _mm512_setzero_ps();
        __m512 a0 = _mm512_setzero_ps(), a1 = a0;
#define SHIFTED(hi, lo, r) \
    _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(hi), _mm512_castps_si512(lo), r))
#define FIR_TAP(g, j)                                                                 \
    if (8 * (g) + (j) < n_taps) {                                                     \
        const __m512 hk = _mm512_set1_ps(h[8 * (g) + (j)]);                           \
        const __m512 x0 = (j) ? SHIFTED(v[(g) + 1], v[g], 2 * (j)) : v[g];            \
        const __m512 x1 = (j) ? SHIFTED(v[(g) + 2], v[(g) + 1], 2 * (j)) : v[(g) + 1]; \
        a0 = _mm512_fmadd_ps(hk, x0, a0);                                             \
        a1 = _mm512_fmadd_ps(hk, x1, a1);                                             \
    }
#define FIR_GROUP(g)                                                                             \
    FIR_TAP(g, 0) FIR_TAP(g, 1) FIR_TAP(g, 2) FIR_TAP(g, 3) FIR_TAP(g, 4) FIR_TAP(g, 5) FIR_TAP(g, 6) \
    FIR_TAP(g, 7)
        FIR_GROUP(0) FIR_GROUP(1) FIR_GROUP(2) FIR_GROUP(3) FIR_GROUP(4)
#undef FIR_GROUP
#undef FIR_TAP
#undef SHIFTED
        _mm512_storeu_ps(out + m, a0);
        _mm512_storeu_ps(out + m + 16, a1);
    }
    *done = m;
}

AVX512 void umts_fir_avx512(const float *in, float *out, size_t n_out, const float *h,
                            size_t n_taps, size_t stride)
{
    size_t m = 0;
    if (stride == 2 && umts_fir_symmetric33(h, n_taps)) {
        umts_fir2_sym33_avx512(in, out, n_out, h, &m);
    } else if (stride == 2 && n_taps >= 1 && n_taps <= 40) {
        fir2_avx512(in, out, n_out, h, n_taps, &m);
    } else {
        for (; m + 64 <= n_out; m += 64) {
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (size_t k = 0; k < n_taps; k++) {
                const __m512 hk = _mm512_set1_ps(h[k]);
                const float *x = in + m + stride * k;
                a0 = _mm512_fmadd_ps(hk, _mm512_loadu_ps(x), a0);
                a1 = _mm512_fmadd_ps(hk, _mm512_loadu_ps(x + 16), a1);
                a2 = _mm512_fmadd_ps(hk, _mm512_loadu_ps(x + 32), a2);
                a3 = _mm512_fmadd_ps(hk, _mm512_loadu_ps(x + 48), a3);
            }
            _mm512_storeu_ps(out + m, a0);
            _mm512_storeu_ps(out + m + 16, a1);
            _mm512_storeu_ps(out + m + 32, a2);
            _mm512_storeu_ps(out + m + 48, a3);
        }
    }
    if (m < n_out) umts_fir_avx2(in + m, out + m, n_out - m, h, n_taps, stride);
}

/* Second stage: P and Q (64-byte aligned, valid up to m + 14 sp) read at offsets of 2 sp
 * as two aligned loads per 16 outputs and in-register shifts (valignd), not eight
 * unaligned loads that mostly straddle cache lines. SP is 1 or 2 (a constant). */
#define WALSH_SHIFT(hi, lo, r) \
    _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(hi), _mm512_castps_si512(lo), (r) & 15))
#define WALSH_STAGE2(SP)                                                                          \
    for (size_t t = 0; t < m; t += 16) {                                                          \
        const __m512 p0 = _mm512_load_ps(p + t), p1 = _mm512_load_ps(p + t + 16);                 \
        const __m512 q0 = _mm512_load_ps(q + t + 16 * ((8 * (SP)) / 16));                          \
        const __m512 q1 = _mm512_load_ps(q + t + 16 * ((8 * (SP)) / 16) + 16);                     \
        const __m512 s0 = _mm512_add_ps(p0, WALSH_SHIFT(p1, p0, 2 * (SP)));                         \
        const __m512 s1 = _mm512_sub_ps(WALSH_SHIFT(p1, p0, 4 * (SP)), WALSH_SHIFT(p1, p0, 6 * (SP))); \
        const __m512 s2 = _mm512_add_ps((8 * (SP)) % 16 ? WALSH_SHIFT(q1, q0, 8 * (SP)) : q0,        \
                                        WALSH_SHIFT(q1, q0, 10 * (SP)));                           \
        const __m512 s3 = _mm512_sub_ps(WALSH_SHIFT(q1, q0, 12 * (SP)), WALSH_SHIFT(q1, q0, 14 * (SP))); \
        _mm512_storeu_ps(u + c0 + t, _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3))); \
    }

AVX512 static void inner_walsh_avx512(const float *x, float *u, size_t n, size_t sp)
{
    float p[INNER_PIECE + 48] __attribute__((aligned(64))), q[INNER_PIECE + 48] __attribute__((aligned(64)));
    const size_t n16 = n & ~(size_t)15, span = 14 * sp;
    for (size_t c0 = 0; c0 < n16; c0 += INNER_PIECE) {
        const size_t m = n16 - c0 < INNER_PIECE ? n16 - c0 : INNER_PIECE;
        const float *xx = x + c0;
        size_t t = 0; /* P and M up to m + 14 sp - 1, reading x up to m + 15 sp - 1 only */
        for (; t + 16 <= m + span; t += 16) {
            const __m512 a = _mm512_loadu_ps(xx + t), b = _mm512_loadu_ps(xx + t + sp);
            _mm512_store_ps(p + t, _mm512_add_ps(a, b));
            _mm512_store_ps(q + t, _mm512_sub_ps(a, b));
        }
        for (; t < m + span; t++) {
            p[t] = xx[t] + xx[t + sp];
            q[t] = xx[t] - xx[t + sp];
        }
        /* the aligned loads reach up to 16 lanes past the last valid value: defined zeros
         * (those lanes never reach an output) */
        for (; t < m + 48; t++) p[t] = q[t] = 0.0f;
        if (sp == 2) {
            WALSH_STAGE2(2)
        } else {
            WALSH_STAGE2(1)
        }
    }
    if (n16 < n) inner_walsh_avx2(x + n16, u + n16, n - n16, sp);
}
#undef WALSH_STAGE2
#undef WALSH_SHIFT

AVX512 void umts_psc_inner_avx512(const float *xr, const float *xi, float *ur, float *ui, size_t n)
{
    inner_walsh_avx512(xr, ur, n, 2);
    inner_walsh_avx512(xi, ui, n, 2);
}

AVX512 void umts_psc_inner1_avx512(const float *xr, const float *xi, float *ur, float *ui, size_t n)
{
    inner_walsh_avx512(xr, ur, n, 1);
    inner_walsh_avx512(xi, ui, n, 1);
}

AVX512 void umts_lag_fold_avx512(const float *ur, const float *ui, size_t slot, size_t n_slots,
                                 size_t n_pos, size_t lag, size_t n_lags, float *rr, float *ri,
                                 size_t r_stride)
{
    size_t s = 0;
    if (n_lags % 8 == 0) {
        for (; s + 16 <= n_pos; s += 16) {
            for (size_t d0 = 0; d0 < n_lags; d0 += 8) {
                __m512 cr[8], ci[8];
                for (int j = 0; j < 8; j++) cr[j] = ci[j] = _mm512_setzero_ps();
                for (size_t k = 0; k < n_slots; k++) {
                    const float *pr = ur + k * slot + s, *pi = ui + k * slot + s;
                    const __m512 br = _mm512_loadu_ps(pr), bi = _mm512_loadu_ps(pi);
                    for (int j = 0; j < 8; j++) {
                        const size_t off = lag * (d0 + (size_t)j);
                        const __m512 ar = _mm512_loadu_ps(pr + off), ai = _mm512_loadu_ps(pi + off);
                        cr[j] = _mm512_fmadd_ps(ar, br, cr[j]);
                        cr[j] = _mm512_fmadd_ps(ai, bi, cr[j]);
                        ci[j] = _mm512_fmadd_ps(ai, br, ci[j]);
                        ci[j] = _mm512_fnmadd_ps(ar, bi, ci[j]);
                    }
                }
                for (int j = 0; j < 8; j++) {
                    float *orr = rr + (d0 + (size_t)j) * r_stride + s;
                    float *oi = ri + (d0 + (size_t)j) * r_stride + s;
                    _mm512_storeu_ps(orr, _mm512_add_ps(_mm512_loadu_ps(orr), cr[j]));
                    _mm512_storeu_ps(oi, _mm512_add_ps(_mm512_loadu_ps(oi), ci[j]));
                }
            }
        }
    }
    if (s < n_pos) umts_lag_fold_avx2(ur + s, ui + s, slot, n_slots, n_pos - s, lag, n_lags, rr + s, ri + s, r_stride);
}

AVX512 void umts_despread_avx512(const float *xr, const float *xi, const float *cr, const float *ci,
                                 size_t n, float *out_re, float *out_im)
{
    __m512 sr0 = _mm512_setzero_ps(), sr1 = sr0, si0 = sr0, si1 = sr0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 a = _mm512_loadu_ps(xr + i), b = _mm512_loadu_ps(xi + i);
        __m512 c = _mm512_loadu_ps(cr + i), d = _mm512_loadu_ps(ci + i);
        sr0 = _mm512_fnmadd_ps(b, d, _mm512_fmadd_ps(a, c, sr0));
        si0 = _mm512_fmadd_ps(b, c, _mm512_fmadd_ps(a, d, si0));
        a = _mm512_loadu_ps(xr + i + 16);
        b = _mm512_loadu_ps(xi + i + 16);
        c = _mm512_loadu_ps(cr + i + 16);
        d = _mm512_loadu_ps(ci + i + 16);
        sr1 = _mm512_fnmadd_ps(b, d, _mm512_fmadd_ps(a, c, sr1));
        si1 = _mm512_fmadd_ps(b, c, _mm512_fmadd_ps(a, d, si1));
    }
    for (; i < n; i += 16) { /* masked tail: no scalar loop, no call */
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1u);
        const __m512 a = _mm512_maskz_loadu_ps(m, xr + i), b = _mm512_maskz_loadu_ps(m, xi + i);
        const __m512 c = _mm512_maskz_loadu_ps(m, cr + i), d = _mm512_maskz_loadu_ps(m, ci + i);
        sr0 = _mm512_fnmadd_ps(b, d, _mm512_fmadd_ps(a, c, sr0));
        si0 = _mm512_fmadd_ps(b, c, _mm512_fmadd_ps(a, d, si0));
    }
    *out_re = _mm512_reduce_add_ps(_mm512_add_ps(sr0, sr1));
    *out_im = _mm512_reduce_add_ps(_mm512_add_ps(si0, si1));
}

AVX512 void umts_cmul_avx512(const float *in, const float *p, float *out, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m512 x = _mm512_loadu_ps(in + 2 * i), y = _mm512_loadu_ps(p + 2 * i);
        const __m512 yr = _mm512_moveldup_ps(y), yi = _mm512_movehdup_ps(y);
        const __m512 xs = _mm512_permute_ps(x, 0xB1);
        _mm512_storeu_ps(out + 2 * i, _mm512_fmaddsub_ps(x, yr, _mm512_mul_ps(xs, yi)));
    }
    if (i < n) umts_cmul_avx2(in + 2 * i, p + 2 * i, out + 2 * i, n - i);
}

AVX512 double umts_energy_avx512(const float *x, size_t n)
{
    if (n <= 1024) { /* one short run (a symbol or an SCH): no blocking, masked tail */
        __m512 a0 = _mm512_setzero_ps(), a1 = a0;
        size_t i = 0;
        for (; i + 32 <= n; i += 32) {
            const __m512 v0 = _mm512_loadu_ps(x + i), v1 = _mm512_loadu_ps(x + i + 16);
            a0 = _mm512_fmadd_ps(v0, v0, a0);
            a1 = _mm512_fmadd_ps(v1, v1, a1);
        }
        for (; i < n; i += 16) {
            const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1u);
            const __m512 v = _mm512_maskz_loadu_ps(m, x + i);
            a0 = _mm512_fmadd_ps(v, v, a0);
        }
        return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
    }
    double total = 0.0;
    size_t i = 0;
    while (i + 64 <= n) {
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        size_t end = i + 4096 < n ? i + 4096 : n;
        for (; i + 64 <= end; i += 64) {
            __m512 v0 = _mm512_loadu_ps(x + i), v1 = _mm512_loadu_ps(x + i + 16);
            __m512 v2 = _mm512_loadu_ps(x + i + 32), v3 = _mm512_loadu_ps(x + i + 48);
            a0 = _mm512_fmadd_ps(v0, v0, a0);
            a1 = _mm512_fmadd_ps(v1, v1, a1);
            a2 = _mm512_fmadd_ps(v2, v2, a2);
            a3 = _mm512_fmadd_ps(v3, v3, a3);
        }
        total += _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
    }
    return total + umts_energy_avx2(x + i, n - i);
}

#endif

