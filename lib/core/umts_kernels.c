/* UMTS searcher kernels: the generic (reference) implementations and the run-time choice
 * (see umts_kernels.h); the x86 ones are in umts_kernels_x86.c. */
#include "umts_kernels.h"

#include <pthread.h>
#include <stdlib.h>

#include "kernels/convert_kernels.h"

const float umts_psc_a[16] = { 1, 1, 1, 1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1 };

/* ---- generic (reference) implementations ------------------------------------------- */

static void fir_generic(const float *in, float *out, size_t n_out, const float *h, size_t n_taps,
                        size_t stride)
{
    for (size_t m = 0; m < n_out; m++) {
        float acc = 0.0f;
        for (size_t k = 0; k < n_taps; k++) acc += h[k] * in[m + stride * k];
        out[m] += acc;
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

static const umts_kernels all_kernels[] = {
    { "generic", fir_generic, psc_inner_generic, lag_fold_generic, despread_generic, cmul_generic,
      energy_generic },
#ifdef UMTS_KERNELS_X86
    { "avx2", umts_fir_avx2, umts_psc_inner_avx2, umts_lag_fold_avx2, umts_despread_avx2,
      umts_cmul_avx2, umts_energy_avx2 },
    { "avx512", umts_fir_avx512, umts_psc_inner_avx512, umts_lag_fold_avx512,
      umts_despread_avx512, umts_cmul_avx512, umts_energy_avx512 },
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
