/* UMTS searcher building blocks: every kernel implementation against the generic one, the
 * fast CPICH code tables against the reference scrambling generator, the raised-cosine
 * fit, the noise threshold and the P-SCH side-lobe model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/umts_codes.h"
#include "cellscan/umts_cpich.h"
#include "cellscan/umts_psch_sync.h"
#include "cs_test.h"
#include "umts_internal.h"
#include "umts_kernels.h"

static float frand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (float)((*s >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}

static double max_rel(const float *a, const float *b, size_t n)
{
    double m = 0, scale = 1e-6;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(a[i]));
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(a[i] - b[i]) / scale);
    return m;
}

static void test_kernels(void)
{
    size_t n_impl;
    const umts_kernels *k = umts_kernels_available(&n_impl);
    CS_CHECK(n_impl >= 1 && !strcmp(k[0].name, "generic"));
    enum { N = 6000, SLOT = 512, SLOTS = 5, LAGS = 16 };
    unsigned seed = 7;
    float *x = malloc(4 * N * sizeof *x), *h = malloc(33 * sizeof *h);
    for (int i = 0; i < 4 * N; i++) x[i] = frand(&seed);
    for (int i = 0; i < 33; i++) h[i] = frand(&seed);
    float *ref = calloc(4 * N, sizeof *ref), *got = calloc(4 * N, sizeof *got);
    for (size_t impl = 1; impl < n_impl; impl++) {
        /* odd lengths on purpose: every tail path runs */
        memset(ref, 0, 4 * N * sizeof *ref);
        memset(got, 0, 4 * N * sizeof *got);
        k[0].fir(x, ref, 2 * 1001 + 1, h, 33, 2);
        k[impl].fir(x, got, 2 * 1001 + 1, h, 33, 2);
        CS_CHECK_MSG(max_rel(ref, got, 2003) < 1e-5, "fir %s", k[impl].name);
        /* symmetric taps (the front end's RRC filter) take a folded path */
        float hs[33];
        for (int i = 0; i < 33; i++) hs[i] = h[i < 17 ? i : 32 - i];
        k[0].fir(x, ref, 2 * 1001 + 1, hs, 33, 2);
        k[impl].fir(x, got, 2 * 1001 + 1, hs, 33, 2);
        CS_CHECK_MSG(max_rel(ref, got, 2003) < 1e-5, "fir %s, symmetric taps", k[impl].name);
        /* the cancellation's projection on two real waveforms and their subtraction */
        float dr[4], dg[4];
        k[0].dot2(x, x + N, x + 2 * N, x + 3 * N, 291, dr);
        k[impl].dot2(x, x + N, x + 2 * N, x + 3 * N, 291, dg);
        for (int j = 0; j < 4; j++) CS_CHECK_MSG(fabs(dg[j] - dr[j]) < 1e-3, "dot2 %s", k[impl].name);
        const float g4[4] = { 0.5f, -0.25f, 2.0f, 0.125f };
        memcpy(ref, x, 2 * N * sizeof *ref);
        memcpy(got, x, 2 * N * sizeof *got);
        k[0].sub2(ref, ref + N, x + 2 * N, x + 3 * N, g4, 291);
        k[impl].sub2(got, got + N, x + 2 * N, x + 3 * N, g4, 291);
        CS_CHECK_MSG(max_rel(ref, got, 2 * N) < 1e-5, "sub2 %s", k[impl].name);
        CS_CHECK_MSG(got[291] == x[291] && got[N + 291] == x[N + 291], "sub2 %s writes past n", k[impl].name);
        /* the front end's impulse test: the peak power, a NaN sample passed over, odd length */
        memcpy(got, x, 2 * 203 * sizeof *got);
        got[2 * 77] = 3.0f;
        got[2 * 150 + 1] = NAN;
        CS_CHECK_MSG(k[impl].peak_power(got, 203) == k[0].peak_power(got, 203) &&
                         k[0].peak_power(got, 203) == 3.0f * 3.0f + got[2 * 77 + 1] * got[2 * 77 + 1],
                     "peak_power %s", k[impl].name);
        got[2 * 201] = 5.0f; /* in the scalar tail */
        CS_CHECK_MSG(k[impl].peak_power(got, 203) == k[0].peak_power(got, 203), "peak_power %s, tail",
                     k[impl].name);
        CS_CHECK_MSG(k[impl].peak_power(got, 0) == 0.0f, "peak_power %s, nothing", k[impl].name);
        k[0].psc_inner(x, x + N, ref, ref + N, 1037);
        k[impl].psc_inner(x, x + N, got, got + N, 1037);
        CS_CHECK_MSG(max_rel(ref, got, 1037) < 1e-5 && max_rel(ref + N, got + N, 1037) < 1e-5,
                     "psc_inner %s", k[impl].name);
        memset(ref, 0, 2 * LAGS * SLOT * sizeof *ref);
        memset(got, 0, 2 * LAGS * SLOT * sizeof *got);
        k[0].lag_fold(x, x + N, SLOT, SLOTS, SLOT - 3, 32, LAGS, ref, ref + LAGS * SLOT, SLOT);
        k[impl].lag_fold(x, x + N, SLOT, SLOTS, SLOT - 3, 32, LAGS, got, got + LAGS * SLOT, SLOT);
        CS_CHECK_MSG(max_rel(ref, got, 2 * LAGS * SLOT) < 1e-4, "lag_fold %s", k[impl].name);
        float rr, ri, gr, gi;
        k[0].despread(x, x + N, x + 2 * N, x + 3 * N, 253, &rr, &ri);
        k[impl].despread(x, x + N, x + 2 * N, x + 3 * N, 253, &gr, &gi);
        CS_CHECK_NEAR(gr, rr, 1e-3);
        CS_CHECK_NEAR(gi, ri, 1e-3);
        k[0].cmul(x, x + 2 * N, ref, 777);
        k[impl].cmul(x, x + 2 * N, got, 777);
        CS_CHECK_MSG(max_rel(ref, got, 2 * 777) < 1e-5, "cmul %s", k[impl].name);
        for (size_t len = 1; len < 5000; len = len * 3 + 1)
            CS_CHECK_NEAR(k[impl].energy(x, len), k[0].energy(x, len), 1e-4 * k[0].energy(x, len));
    }
    /* the generic kernels against direct formulas */
    float ur[4], ui[4];
    k[0].psc_inner(x, x + N, ur, ui, 4);
    double want = 0;
    for (int q = 0; q < 16; q++) want += umts_psc_a[q] * x[1 + 2 * q];
    CS_CHECK_NEAR(ur[1], want, 1e-5);
    free(x);
    free(h);
    free(ref);
    free(got);
}

static void test_codes(void)
{
    /* the tabulated code against the register implementation, anywhere in the frame */
    static const int pscs[] = { 0, 1, 8, 366, 511 };
    static const size_t starts[] = { 0, 1000, 38400 - 300 };
    int8_t iq[2 * 300];
    float cr[300], ci[300];
    int bad = 0;
    for (size_t a = 0; a < 5; a++)
        for (size_t b = 0; b < 3; b++) {
            CS_CHECK(cs_umts_scrambling_chips(16 * pscs[a], starts[b], 300, iq) == 0);
            CS_CHECK(umts_cpich_code(pscs[a], starts[b], 300, cr, ci) == 0);
            for (int i = 0; i < 300; i++) {
                /* conj(S (1+j)/2) with S = I + jQ */
                float er = (float)(iq[2 * i] - iq[2 * i + 1]) / 2.0f;
                float ei = -(float)(iq[2 * i] + iq[2 * i + 1]) / 2.0f;
                bad += cr[i] != er || ci[i] != ei;
                bad += fabsf(cr[i] * cr[i] + ci[i] * ci[i] - 1.0f) > 1e-6f;
            }
        }
    CS_CHECK_MSG(bad == 0, "%d chips differ from cs_umts_scrambling_chips", bad);
    CS_CHECK(umts_cpich_code(512, 0, 1, cr, ci) < 0);
    CS_CHECK(umts_cpich_code(0, 38400, 1, cr, ci) < 0);
}

static void test_fit_threshold_sidelobes(void)
{
    /* the fit recovers the offset and peak of an exact raised-cosine triple */
    for (double tau = -0.45; tau <= 0.45; tau += 0.15) {
        double p[3];
        for (int d = 0; d < 3; d++) {
            double r = umts_rc_pulse((d - 1) / 2.0 - tau);
            p[d] = 2.5 * r * r;
        }
        double t, a;
        cs_umts_rc_fit(p[0], p[1], p[2], &t, &a);
        CS_CHECK_NEAR(t, tau, 0.006);
        CS_CHECK_NEAR(a, 2.5, 0.02);
    }
    /* Gamma(N)/N upper quantiles: about 1 + z/sqrt(N) for large N, falling with N */
    double t100 = cs_umts_cpich_threshold(100, 1e-6), t10000 = cs_umts_cpich_threshold(10000, 1e-6);
    CS_CHECK(t100 > t10000 && t10000 > 1.0);
    CS_CHECK_NEAR(t10000, 1.0 + 4.753 / 100.0, 0.004);
    CS_CHECK(cs_umts_cpich_threshold(100, 1e-3) < t100);
    /* side lobes: unit main lobe, the PSC's -12 dB-class lobes, nothing beyond the code */
    CS_CHECK_NEAR(cs_umts_psch_sidelobe(0), 1.0, 1e-9);
    double worst = 0;
    for (int d = 4; d <= 552; d++) worst = fmax(worst, cs_umts_psch_sidelobe(d));
    CS_CHECK(worst > 0.03 && worst < 0.25);
    CS_CHECK(cs_umts_psch_sidelobe(600) == 0.0 && cs_umts_psch_sidelobe(-600) == 0.0);
}

static int cmp_float(const void *a, const void *b)
{
    const float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The k-th smallest value, as sorting gives it: noise-like values, many repeats, all
 * equal, and the sizes the searcher uses (medians of maps and score tables). */
static void test_select(void)
{
    enum { N = 1281 };
    static float v[N], sorted[N], work[N];
    unsigned seed = 3;
    const size_t sizes[] = { 1, 2, 3, 240, 577, N };
    for (int kind = 0; kind < 3; kind++)
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            const size_t n = sizes[si];
            for (size_t i = 0; i < n; i++)
                v[i] = kind == 0 ? frand(&seed) : kind == 1 ? (float)((int)(8.0f * frand(&seed))) : 0.5f;
            memcpy(sorted, v, n * sizeof *v);
            qsort(sorted, n, sizeof *sorted, cmp_float);
            const size_t ks[] = { 0, n / 2, n - 1, n / 3 };
            for (int j = 0; j < 4; j++) {
                memcpy(work, v, n * sizeof *v);
                CS_CHECK_MSG(umts_select_kth(work, n, ks[j]) == sorted[ks[j]], "select kind %d n %zu k %zu",
                             kind, n, ks[j]);
            }
        }
}

int main(void)
{
    test_select();
    test_kernels();
    test_codes();
    test_fit_threshold_sidelobes();
    return cs_test_done();
}
