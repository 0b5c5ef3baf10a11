/* UMTS searcher kernels: the generic (reference) implementations and the run-time choice
 * (see umts_kernels.h); the x86 ones are in umts_kernels_x86.c. */
#include "umts_kernels.h"

#include <pthread.h>
#include <stdlib.h>

#include "kernels/convert_kernels.h"
#include "umts_internal.h"

const float umts_psc_a[16] = { 1, 1, 1, 1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1 };
const float umts_psc_outer[16] = { 1, 1, 1, -1, -1, 1, -1, -1, 1, 1, 1, -1, 1, -1, 1, 1 };

/* ---- generic (reference) implementations ------------------------------------------- */

static void fir_generic(const float *in, float *out, size_t n_out, const float *h, size_t n_taps,
                        size_t stride)
{
    for (size_t m = 0; m < n_out; m++) {
        float acc = 0.0f;
        for (size_t k = 0; k < n_taps; k++) acc += h[k] * in[m + stride * k];
        out[m] = acc;
    }
}

static void psc_inner_generic(const float *xr, const float *xi, float *ur, float *ui, size_t n)
{
    for (size_t m = 0; m < n; m++) {
        float ar = 0.0f, ai = 0.0f;
        for (size_t q = 0; q < 16; q++) {
            ar += umts_psc_a[q] * xr[m + 2 * q];
            ai += umts_psc_a[q] * xi[m + 2 * q];
        }
        ur[m] = ar;
        ui[m] = ai;
    }
}

static void psc_inner1_generic(const float *xr, const float *xi, float *ur, float *ui, size_t n)
{
    for (size_t m = 0; m < n; m++) {
        float ar = 0.0f, ai = 0.0f;
        for (size_t q = 0; q < 16; q++) {
            ar += umts_psc_a[q] * xr[m + q];
            ai += umts_psc_a[q] * xi[m + q];
        }
        ur[m] = ar;
        ui[m] = ai;
    }
}

static void lag_fold_generic(const float *ur, const float *ui, size_t slot, size_t n_slots,
                             size_t n_pos, size_t lag, size_t n_lags, float *rr, float *ri,
                             size_t r_stride)
{
    for (size_t d = 0; d < n_lags; d++)
        for (size_t s = 0; s < n_pos; s++) {
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

static void despread_generic(const float *xr, const float *xi, const float *cr, const float *ci,
                             size_t n, float *out_re, float *out_im)
{
    float sr = 0.0f, si = 0.0f;
    for (size_t i = 0; i < n; i++) {
        sr += xr[i] * cr[i] - xi[i] * ci[i];
        si += xr[i] * ci[i] + xi[i] * cr[i];
    }
    *out_re = sr;
    *out_im = si;
}

static void cmul_generic(const float *in, const float *p, float *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float a = in[2 * i], b = in[2 * i + 1];
        const float c = p[2 * i], d = p[2 * i + 1];
        out[2 * i] = a * c - b * d;
        out[2 * i + 1] = a * d + b * c;
    }
}

static double energy_generic(const float *x, size_t n)
{
    double e = 0.0;
    for (size_t i = 0; i < n; i++) e += (double)x[i] * x[i];
    return e;
}

static void despread_codes_generic(const float *xr, const float *xi, const uint16_t *iw,
                                   const uint16_t *qw, size_t stride, size_t n_codes,
                                   size_t n_words, float *out_re, float *out_im, float *energy)
{
    float e = 0.0f;
    for (size_t i = 0; i < 16 * n_words; i++) e += xr[i] * xr[i] + xi[i] * xi[i];
    *energy = e;
    for (size_t c = 0; c < n_codes; c++) {
        const uint16_t *a = iw + c * stride, *b = qw + c * stride;
        float sr = 0.0f, si = 0.0f;
        for (size_t w = 0; w < n_words; w++)
            for (unsigned k = 0; k < 16; k++) {
                const float cr = (float)(((b[w] >> k) & 1) - ((a[w] >> k) & 1));
                const float ci = (float)(((a[w] >> k) & 1) + ((b[w] >> k) & 1) - 1);
                const size_t i = 16 * w + k;
                sr += xr[i] * cr - xi[i] * ci;
                si += xr[i] * ci + xi[i] * cr;
            }
        out_re[c] = sr;
        out_im[c] = si;
    }
}

static void despread_multi_generic(const float *const *xr, const float *const *xi, size_t n_win,
                                   const uint16_t *iw, const uint16_t *qw, size_t n_words,
                                   float *out_re, float *out_im)
{
    float cr[256], ci[256];
    for (size_t w0 = 0; w0 < n_words; w0 += 16) { /* 256 chips at a time */
        const size_t nw = n_words - w0 < 16 ? n_words - w0 : 16;
        umts_code_expand(iw + w0, qw + w0, nw, cr, ci);
        for (size_t k = 0; k < n_win; k++) {
            float r, i;
            despread_generic(xr[k] + 16 * w0, xi[k] + 16 * w0, cr, ci, 16 * nw, &r, &i);
            out_re[k] = w0 ? out_re[k] + r : r;
            out_im[k] = w0 ? out_im[k] + i : i;
        }
    }
}

void umts_outer_fold_generic(const float *ur, const float *ui, size_t slot, size_t n_slots,
                               size_t n_pos, size_t lag, float *e)
{
    for (size_t s = 0; s < n_pos; s++) {
        float acc = 0.0f;
        for (size_t k = 0; k < n_slots; k++) {
            float cr = 0.0f, ci = 0.0f;
            for (size_t p = 0; p < 16; p++) {
                cr += umts_psc_outer[p] * ur[k * slot + s + lag * p];
                ci += umts_psc_outer[p] * ui[k * slot + s + lag * p];
            }
            acc += cr * cr + ci * ci;
        }
        e[s] += acc;
    }
}

static void axpy_generic(float *y, const float *x, float a, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}

static void sch_slot_generic(const float *rr, const float *ri, const float *psc, const float *z,
                             float h[4], float v_re[16], float v_im[16], float *energy)
{
    float e = 0.0f;
    for (int half = 0; half < 2; half++) {
        float a = 0.0f, b = 0.0f;
        for (int i = 128 * half; i < 128 * (half + 1); i++) {
            a += rr[i] * psc[i];
            b += ri[i] * psc[i];
        }
        h[2 * half] = a;
        h[2 * half + 1] = b;
    }
    for (int blk = 0; blk < 16; blk++) {
        float a = 0.0f, b = 0.0f;
        for (int i = 16 * blk; i < 16 * (blk + 1); i++) {
            a += rr[i] * z[i];
            b += ri[i] * z[i];
            e += rr[i] * rr[i] + ri[i] * ri[i];
        }
        v_re[blk] = a;
        v_im[blk] = b;
    }
    *energy = e;
}

static void deinterleave_generic(const float *f, size_t n, float *re0, float *im0, float *re1, float *im1)
{
    for (size_t k = 0; k < n / 2; k++) {
        re0[k] = f[4 * k];
        im0[k] = f[4 * k + 1];
        re1[k] = f[4 * k + 2];
        im1[k] = f[4 * k + 3];
    }
}

static void dot2_generic(const float *xr, const float *xi, const float *a, const float *b, size_t n,
                         float out[4])
{
    float s[4] = { 0 };
    for (size_t i = 0; i < n; i++) {
        s[0] += xr[i] * a[i];
        s[1] += xi[i] * a[i];
        s[2] += xr[i] * b[i];
        s[3] += xi[i] * b[i];
    }
    for (int k = 0; k < 4; k++) out[k] = s[k];
}

static void sub2_generic(float *re, float *im, const float *a, const float *b, const float g[4], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        re[i] -= g[0] * a[i] + g[2] * b[i];
        im[i] -= g[1] * a[i] + g[3] * b[i];
    }
}

static float peak_power_generic(const float *x, size_t n)
{
    float peak = 0.0f;
    for (size_t i = 0; i < n; i++) {
        const float p = x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1];
        if (p > peak) peak = p;
    }
    return peak;
}

static const umts_kernels all_kernels[] = {
    { "generic", fir_generic, psc_inner_generic, lag_fold_generic, despread_generic, cmul_generic,
      energy_generic, despread_codes_generic, despread_multi_generic, umts_outer_fold_generic,
      axpy_generic, sch_slot_generic, psc_inner1_generic, deinterleave_generic, dot2_generic,
      sub2_generic, peak_power_generic },
#ifdef UMTS_KERNELS_X86
    { "avx2", umts_fir_avx2, umts_psc_inner_avx2, umts_lag_fold_avx2, umts_despread_avx2,
      umts_cmul_avx2, umts_energy_avx2, umts_despread_codes_avx2, umts_despread_multi_avx2,
      umts_outer_fold_avx2, umts_axpy_avx2, umts_sch_slot_avx2, umts_psc_inner1_avx2,
      umts_deinterleave_avx2, umts_dot2_avx2, umts_sub2_avx2, umts_peak_power_avx2 },
    { "avx512", umts_fir_avx512, umts_psc_inner_avx512, umts_lag_fold_avx512,
      umts_despread_avx512, umts_cmul_avx512, umts_energy_avx512, umts_despread_codes_avx512,
      umts_despread_multi_avx512, umts_outer_fold_avx512, umts_axpy_avx512, umts_sch_slot_avx512,
      umts_psc_inner1_avx512, umts_deinterleave_avx512, umts_dot2_avx512, umts_sub2_avx512,
      umts_peak_power_avx512 },
#endif
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static size_t n_available = 1;
static const umts_kernels *chosen = &all_kernels[0];

static void init(void)
{
#ifdef UMTS_KERNELS_X86
    /* The AVX2 bodies also use FMA: every AVX2 CPU of the last decade has it, but check. */
    __builtin_cpu_init();
    if (cs_cpu_has(CS_ISA_AVX2) && __builtin_cpu_supports("fma")) {
        n_available = 2;
        if (cs_cpu_has(CS_ISA_AVX512) && __builtin_cpu_supports("avx512vl") &&
            __builtin_cpu_supports("avx512dq"))
            n_available = 3;
    }
#endif
    chosen = getenv("VOLK_GENERIC") ? &all_kernels[0] : &all_kernels[n_available - 1];
}

const umts_kernels *umts_kernels_available(size_t *n)
{
    pthread_once(&once, init);
    *n = n_available;
    return all_kernels;
}

const umts_kernels *umts_kernels_get(void)
{
    pthread_once(&once, init);
    return chosen;
}
