/* 64-point inverse DFT as 8 x 8 (see gsm_ifft64.h): with n = 8 n1 + n2 and
 * k = k1 + 8 k2, X[k] = sum_n2 W8^(n2 k2) W64^(n2 k1) sum_n1 W8^(n1 k1) x[8 n1 + n2]
 * (W_N = e^{+j 2 pi / N}). The input's rows n1 are contiguous: the inner DFTs run down
 * the columns, four columns to an AVX register; after the twiddles an 8 x 8 transpose
 * puts the outer DFTs down columns too, and their rows come out in natural order. */
#include "gsm_ifft64.h"

#include <math.h>
#include <pthread.h>

#include "kernels/convert_kernels.h"
#include "kernels/simd_x86.h"

#if CS_HAVE_X86_SIMD

#define AVX __attribute__((target("avx")))

/* twiddles W64^(n2 k1) at [k1][2 n2] and [k1][2 n2 + 1]: real parts, imaginary parts */
static float tw_re[8][16] __attribute__((aligned(32)));
static float tw_im[8][16] __attribute__((aligned(32)));
static pthread_once_t tw_once = PTHREAD_ONCE_INIT;

static void make_twiddles(void)
{
    for (int k1 = 0; k1 < 8; k1++)
        for (int n2 = 0; n2 < 8; n2++) {
            const double a = 2.0 * M_PI * (double)(n2 * k1) / 64.0;
            tw_re[k1][2 * n2] = tw_re[k1][2 * n2 + 1] = (float)cos(a);
            tw_im[k1][2 * n2] = tw_im[k1][2 * n2 + 1] = (float)sin(a);
        }
}

/* v * j: (a, b) -> (-b, a) per complex value */
static inline AVX __m256 mul_j(__m256 v)
{
    const __m256 neg_re = _mm256_setr_ps(-0.0f, 0.0f, -0.0f, 0.0f, -0.0f, 0.0f, -0.0f, 0.0f);
    return _mm256_xor_ps(_mm256_permute_ps(v, _MM_SHUFFLE(2, 3, 0, 1)), neg_re);
}

/* In-place inverse DFT-8 over a[0..7] (four independent transforms, one per lane pair). */
static inline AVX void dft8(__m256 *a)
{
    const __m256 r = _mm256_set1_ps((float)M_SQRT1_2);
    /* even and odd inputs: two DFT-4s */
    __m256 t0 = _mm256_add_ps(a[0], a[4]), t1 = _mm256_sub_ps(a[0], a[4]);
    __m256 t2 = _mm256_add_ps(a[2], a[6]), t3 = mul_j(_mm256_sub_ps(a[2], a[6]));
    const __m256 e0 = _mm256_add_ps(t0, t2), e2 = _mm256_sub_ps(t0, t2);
    const __m256 e1 = _mm256_add_ps(t1, t3), e3 = _mm256_sub_ps(t1, t3);
    t0 = _mm256_add_ps(a[1], a[5]);
    t1 = _mm256_sub_ps(a[1], a[5]);
    t2 = _mm256_add_ps(a[3], a[7]);
    t3 = mul_j(_mm256_sub_ps(a[3], a[7]));
    const __m256 o0 = _mm256_add_ps(t0, t2), o2 = mul_j(_mm256_sub_ps(t0, t2));
    __m256 o1 = _mm256_add_ps(t1, t3), o3 = _mm256_sub_ps(t1, t3);
    /* W8 = (1 + j) / sqrt 2, W8^3 = (-1 + j) / sqrt 2 */
    o1 = _mm256_mul_ps(_mm256_add_ps(o1, mul_j(o1)), r);
    o3 = _mm256_mul_ps(_mm256_sub_ps(mul_j(o3), o3), r);
    a[0] = _mm256_add_ps(e0, o0);
    a[4] = _mm256_sub_ps(e0, o0);
    a[1] = _mm256_add_ps(e1, o1);
    a[5] = _mm256_sub_ps(e1, o1);
    a[2] = _mm256_add_ps(e2, o2);
    a[6] = _mm256_sub_ps(e2, o2);
    a[3] = _mm256_add_ps(e3, o3);
    a[7] = _mm256_sub_ps(e3, o3);
}

/* 4 x 4 transpose of complex values (64-bit lanes) in r[0], r[s], r[2s], r[3s] */
static inline AVX void transpose4(__m256 *r, int s)
{
    const __m256d r0 = _mm256_castps_pd(r[0]), r1 = _mm256_castps_pd(r[s]);
    const __m256d r2 = _mm256_castps_pd(r[2 * s]), r3 = _mm256_castps_pd(r[3 * s]);
    const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    r[0] = _mm256_castpd_ps(_mm256_permute2f128_pd(t0, t2, 0x20));
    r[s] = _mm256_castpd_ps(_mm256_permute2f128_pd(t1, t3, 0x20));
    r[2 * s] = _mm256_castpd_ps(_mm256_permute2f128_pd(t0, t2, 0x31));
    r[3 * s] = _mm256_castpd_ps(_mm256_permute2f128_pd(t1, t3, 0x31));
}

/* The transform of the rows in lo, hi (lo[i], hi[i]: row i, columns 0..3 and 4..7) into g. */
static inline AVX void ifft64_rows(__m256 *lo, __m256 *hi, float *g)
{
    dft8(lo);
    dft8(hi);
    for (int k1 = 1; k1 < 8; k1++) { /* row 0's twiddles are 1 */
        const __m256 cl = _mm256_load_ps(tw_re[k1]), ch = _mm256_load_ps(tw_re[k1] + 8);
        const __m256 sl = _mm256_load_ps(tw_im[k1]), sh = _mm256_load_ps(tw_im[k1] + 8);
        const __m256 vl = lo[k1], vh = hi[k1];
        lo[k1] = _mm256_addsub_ps(_mm256_mul_ps(vl, cl),
                                  _mm256_mul_ps(_mm256_permute_ps(vl, _MM_SHUFFLE(2, 3, 0, 1)), sl));
        hi[k1] = _mm256_addsub_ps(_mm256_mul_ps(vh, ch),
                                  _mm256_mul_ps(_mm256_permute_ps(vh, _MM_SHUFFLE(2, 3, 0, 1)), sh));
    }
    /* transpose: the blocks (rows 0..3 | 4..7) x (lo | hi); the off-diagonal ones swap */
    transpose4(lo, 1);
    transpose4(lo + 4, 1);
    transpose4(hi, 1);
    transpose4(hi + 4, 1);
    for (int i = 0; i < 4; i++) {
        const __m256 t = lo[4 + i];
        lo[4 + i] = hi[i];
        hi[i] = t;
    }
    dft8(lo);
    dft8(hi);
    for (int i = 0; i < 8; i++) {
        _mm256_storeu_ps(g + 16 * i, lo[i]);
        _mm256_storeu_ps(g + 16 * i + 8, hi[i]);
    }
}

AVX void cs_gsm_ifft64(const cs_cf32 *in, cs_cf32 *out)
{
    const float *f = (const float *)in;
    __m256 lo[8], hi[8];
    for (int i = 0; i < 8; i++) {
        lo[i] = _mm256_loadu_ps(f + 16 * i);
        hi[i] = _mm256_loadu_ps(f + 16 * i + 8);
    }
    ifft64_rows(lo, hi, (float *)out);
}

AVX void cs_gsm_ifft64_weighted(const cs_cf32 *in, const float *w2, cs_cf32 *out)
{
    const float *f = (const float *)in;
    __m256 lo[8], hi[8];
    for (int i = 0; i < 8; i++) {
        lo[i] = _mm256_mul_ps(_mm256_loadu_ps(f + 16 * i), _mm256_loadu_ps(w2 + 16 * i));
        hi[i] = _mm256_mul_ps(_mm256_loadu_ps(f + 16 * i + 8), _mm256_loadu_ps(w2 + 16 * i + 8));
    }
    ifft64_rows(lo, hi, (float *)out);
}

AVX float cs_gsm_weighted_energy64(const cs_cf32 *in, const float *w2)
{
    const float *f = (const float *)in;
    __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
    for (int i = 0; i < 128; i += 16) {
        const __m256 u = _mm256_mul_ps(_mm256_loadu_ps(f + i), _mm256_loadu_ps(w2 + i));
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(f + i + 8), _mm256_loadu_ps(w2 + i + 8));
        a = _mm256_add_ps(a, _mm256_mul_ps(u, u));
        b = _mm256_add_ps(b, _mm256_mul_ps(v, v));
    }
    float part[8];
    _mm256_storeu_ps(part, _mm256_add_ps(a, b));
    return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}

int cs_gsm_ifft64_available(void)
{
    if (!cs_cpu_use_avx2()) return 0;
    pthread_once(&tw_once, make_twiddles);
    return 1;
}

#else

int cs_gsm_ifft64_available(void) { return 0; }

void cs_gsm_ifft64(const cs_cf32 *in, cs_cf32 *out)
{
    (void)in;
    (void)out;
}

void cs_gsm_ifft64_weighted(const cs_cf32 *in, const float *w2, cs_cf32 *out)
{
    (void)in;
    (void)w2;
    (void)out;
}

float cs_gsm_weighted_energy64(const cs_cf32 *in, const float *w2)
{
    (void)in;
    (void)w2;
    return 0.0f;
}

#endif
