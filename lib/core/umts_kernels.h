/* Hot loops of the UMTS cell searcher (internal to libcellscan).
 *
 * Each kernel has a plain C implementation ("generic", the reference) and, on x86, AVX2+FMA
 * and AVX-512 ones written with intrinsics (umts_kernels_x86.c); the best one this CPU
 * runs is chosen once at first use (VOLK_GENERIC set in the environment forces the generic
 * ones, as libvolk does). Results differ only by float rounding (summation order, fused
 * multiply-adds). Tests run every implementation against the generic one through
 * umts_kernels_available().
 *
 * Layouts: "SoA" arrays hold real and imaginary parts separately (re[], im[]). */
#ifndef CELLSCAN_UMTS_KERNELS_H
#define CELLSCAN_UMTS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* out[m] = sum_k h[k] * in[m + stride * k], m = 0 .. n_out - 1 (real taps on any float
 * stream; stride 2 filters interleaved complex samples). out must not alias in. */
typedef void (*umts_fir_fn)(const float *in, float *out, size_t n_out, const float *h,
                            size_t n_taps, size_t stride);

/* P-SCH inner code (16 chips at 2 samples per chip), SoA:
 * u[t] = sum_q a[q] * x[t + 2q], t = 0 .. n - 1 (reads x[0 .. n + 29]). */
typedef void (*umts_psc_inner_fn)(const float *xr, const float *xi, float *ur, float *ui,
                                  size_t n);

/* The same within one sample phase (taps 1 apart): u[t] = sum_q a[q] * x[t + q], reads
 * x[0 .. n + 14]. */
typedef umts_psc_inner_fn umts_psc_inner1_fn;

/* Slot-folded lag products of the inner code outputs, SoA, over n_slots slots at a time
 * (so each accumulator is written once per call, not once per slot): for d = 0 .. n_lags-1
 * and slot positions s = 0 .. n_pos - 1,
 *   R_d[s] += sum_{k < n_slots} u[k * slot + s + lag * d] * conj(u[k * slot + s]);
 * R_d lives at rr + d * r_stride, ri + d * r_stride. */
typedef void (*umts_lag_fold_fn)(const float *ur, const float *ui, size_t slot, size_t n_slots,
                                 size_t n_pos, size_t lag, size_t n_lags, float *rr, float *ri,
                                 size_t r_stride);

/* Slot-folded energy of the P-SCH outer code at one frequency: for s < n_pos,
 *   e[s] += sum_{k < n_slots} |sum_p umts_psc_outer[p] u[k * slot + s + lag * p]|^2. */
typedef void (*umts_outer_fold_fn)(const float *ur, const float *ui, size_t slot, size_t n_slots,
                                   size_t n_pos, size_t lag, float *e);

/* One slot's synchronisation channel, 256 chips SoA, in one pass: the correlation with
 * the real signs psc[] over each half (h[0]: chips 0..127, h[1]: 128..255, as re/im
 * pairs), the 16-chip block sums of the chips times the real signs z[] (v_re[b], v_im[b])
 * and the chip energy sum |r|^2. */
typedef void (*umts_sch_slot_fn)(const float *rr, const float *ri, const float *psc,
                                 const float *z, float h[4], float v_re[16], float v_im[16],
                                 float *energy);

/* Interleaved complex samples x[0 .. n) (n even) into the polyphase arrays of a
 * cs_umts_block: re0[k] + j im0[k] = x[2k], re1[k] + j im1[k] = x[2k + 1]. */
typedef void (*umts_deinterleave_fn)(const float *x, size_t n, float *re0, float *im0, float *re1,
                                     float *im1);

/* y[i] += a * x[i], i < n. */
typedef void (*umts_axpy_fn)(float *y, const float *x, float a, size_t n);

/* Despread one symbol: sum_i x[i] * c[i] over n chips, SoA (c is the conjugated code). */
typedef void (*umts_despread_fn)(const float *xr, const float *xi, const float *cr,
                                 const float *ci, size_t n, float *out_re, float *out_im);

/* Despread one window of 16 n_words chips against n_codes scrambling codes given as packed
 * words (umts_code_words; code c's words at iw + c * code_stride, qw + c * code_stride):
 * out[c] = despread of the window with the code's expanded chips (umts_code_expand);
 * *energy = the window's energy, sum |x|^2. */
typedef void (*umts_despread_codes_fn)(const float *xr, const float *xi, const uint16_t *iw,
                                       const uint16_t *qw, size_t code_stride, size_t n_codes,
                                       size_t n_words, float *out_re, float *out_im,
                                       float *energy);

/* Despread 16 n_words chips of one packed code (iw, qw) at n_win windows xr[k], xi[k]:
 * out[k] = despread of window k with the code's expanded chips. */
typedef void (*umts_despread_multi_fn)(const float *const *xr, const float *const *xi,
                                       size_t n_win, const uint16_t *iw, const uint16_t *qw,
                                       size_t n_words, float *out_re, float *out_im);

/* out[i] = in[i] * p[i] on interleaved complex values (in may equal out). */
typedef void (*umts_cmul_fn)(const float *in, const float *p, float *out, size_t n);

/* sum of the squares of n floats. */
typedef double (*umts_energy_fn)(const float *x, size_t n);

/* Largest power x[2i]^2 + x[2i+1]^2 of n interleaved complex samples (0 when n is 0; NaN
 * samples are passed over). */
typedef float (*umts_peak_power_fn)(const float *x, size_t n);

/* Projections on two real waveforms a, b of n samples, SoA x: out = { sum xr a, sum xi a,
 * sum xr b, sum xi b }. */
typedef void (*umts_dot2_fn)(const float *xr, const float *xi, const float *a, const float *b,
                             size_t n, float out[4]);

/* Subtraction of two scaled real waveforms from SoA samples:
 * re[i] -= g[0] a[i] + g[2] b[i], im[i] -= g[1] a[i] + g[3] b[i]. */
typedef void (*umts_sub2_fn)(float *re, float *im, const float *a, const float *b, const float g[4],
                             size_t n);

typedef struct umts_kernels {
    const char *name; /* "generic", "avx2", "avx512" */
    umts_fir_fn fir;
    umts_psc_inner_fn psc_inner;
    umts_lag_fold_fn lag_fold;
    umts_despread_fn despread;
    umts_cmul_fn cmul;
    umts_energy_fn energy;
    umts_despread_codes_fn despread_codes;
    umts_despread_multi_fn despread_multi;
    umts_outer_fold_fn outer_fold;
    umts_axpy_fn axpy;
    umts_sch_slot_fn sch_slot;
    umts_psc_inner1_fn psc_inner1;
    umts_deinterleave_fn deinterleave;
    umts_dot2_fn dot2;
    umts_sub2_fn sub2;
    umts_peak_power_fn peak_power;
} umts_kernels;

/* Inner sequence a and outer signs of the primary synchronisation code (TS 25.213
 * §5.2.3.1): chip i = umts_psc_outer[i / 16] * umts_psc_a[i % 16]. */
extern const float umts_psc_a[16];
extern const float umts_psc_outer[16];

/* the portable fold, also the SIMD versions' tail */
void umts_outer_fold_generic(const float *, const float *, size_t, size_t, size_t, size_t, float *);

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define UMTS_KERNELS_X86 1
void umts_fir_avx2(const float *, float *, size_t, const float *, size_t, size_t);
void umts_psc_inner_avx2(const float *, const float *, float *, float *, size_t);
void umts_lag_fold_avx2(const float *, const float *, size_t, size_t, size_t, size_t, size_t,
                        float *, float *, size_t);
void umts_despread_avx2(const float *, const float *, const float *, const float *, size_t,
                        float *, float *);
void umts_cmul_avx2(const float *, const float *, float *, size_t);
double umts_energy_avx2(const float *, size_t);
void umts_fir_avx512(const float *, float *, size_t, const float *, size_t, size_t);
/* umts_kernels_fir_x86.c: whether h is 33 symmetric taps, and the filter for them (stride
 * 2; *done = outputs written, the rest left to the caller) */
int umts_fir_symmetric33(const float *h, size_t n_taps);
void umts_fir2_sym33_avx512(const float *in, float *out, size_t n_out, const float *h, size_t *done);
void umts_psc_inner_avx512(const float *, const float *, float *, float *, size_t);
void umts_lag_fold_avx512(const float *, const float *, size_t, size_t, size_t, size_t, size_t,
                          float *, float *, size_t);
void umts_despread_avx512(const float *, const float *, const float *, const float *, size_t,
                          float *, float *);
void umts_cmul_avx512(const float *, const float *, float *, size_t);
double umts_energy_avx512(const float *, size_t);
void umts_outer_fold_avx2(const float *, const float *, size_t, size_t, size_t, size_t, float *);
void umts_axpy_avx2(float *, const float *, float, size_t);
void umts_outer_fold_avx512(const float *, const float *, size_t, size_t, size_t, size_t, float *);
void umts_axpy_avx512(float *, const float *, float, size_t);
void umts_deinterleave_avx512(const float *, size_t, float *, float *, float *, float *);
void umts_dot2_avx2(const float *, const float *, const float *, const float *, size_t, float[4]);
void umts_dot2_avx512(const float *, const float *, const float *, const float *, size_t, float[4]);
void umts_sub2_avx2(float *, float *, const float *, const float *, const float[4], size_t);
void umts_sub2_avx512(float *, float *, const float *, const float *, const float[4], size_t);
/* umts_kernels_input_x86.c */
float umts_peak_power_avx2(const float *, size_t);
void umts_deinterleave_avx2(const float *, size_t, float *, float *, float *, float *);
float umts_peak_power_avx512(const float *, size_t);
void umts_psc_inner1_avx2(const float *, const float *, float *, float *, size_t);
void umts_psc_inner1_avx512(const float *, const float *, float *, float *, size_t);
void umts_sch_slot_avx2(const float *, const float *, const float *, const float *, float *,
                        float *, float *, float *);
void umts_sch_slot_avx512(const float *, const float *, const float *, const float *, float *,
                          float *, float *, float *);
void umts_despread_codes_avx2(const float *, const float *, const uint16_t *, const uint16_t *,
                              size_t, size_t, size_t, float *, float *, float *);
void umts_despread_multi_avx2(const float *const *, const float *const *, size_t,
                              const uint16_t *, const uint16_t *, size_t, float *, float *);
void umts_despread_codes_avx512(const float *, const float *, const uint16_t *, const uint16_t *,
                                size_t, size_t, size_t, float *, float *, float *);
void umts_despread_multi_avx512(const float *const *, const float *const *, size_t,
                                const uint16_t *, const uint16_t *, size_t, float *, float *);
#endif

/* The implementations this CPU can run, best last; count in *n. */
const umts_kernels *umts_kernels_available(size_t *n);

/* The chosen implementation (the best available, or generic under VOLK_GENERIC). */
const umts_kernels *umts_kernels_get(void);

#endif
