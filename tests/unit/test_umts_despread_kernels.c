/* UMTS searcher kernels added for speed: the packed scrambling code words against the chip
 * tables and the reference generator; every implementation of the multi-code and
 * multi-window despreading kernels against plain despreading with the expanded code; the
 * P-SCH outer-code fold against the PSC correlation written out chip by chip; axpy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/umts_codes.h"
#include "cs_test.h"
#include "umts_internal.h"
#include "umts_kernels.h"

static float frand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (float)((*s >> 8) & 0xFFFF) / 32768.0f - 1.0f;
}

static void test_words(void)
{
    static const int pscs[] = {0, 1, 8, 366, 511};
    static const size_t first[] = {0, 1, 777, UMTS_FRAME_WORDS - 20};
    uint16_t iw[20], qw[20];
    float cr[320], ci[320], er[320], ei[320];
    int8_t iq[2 * 320];
    int bad = 0, bad_ref = 0;
    for (size_t a = 0; a < sizeof pscs / sizeof pscs[0]; a++)
        for (size_t b = 0; b < sizeof first / sizeof first[0]; b++) {
            CS_CHECK(umts_code_words(pscs[a], first[b], 20, iw, qw) == 0);
            umts_code_expand(iw, qw, 20, cr, ci);
            CS_CHECK(umts_cpich_code(pscs[a], 16 * first[b], 320, er, ei) == 0);
            CS_CHECK(cs_umts_scrambling_chips(16 * pscs[a], 16 * first[b], 320, iq) == 0);
            for (int i = 0; i < 320; i++) {
                bad += cr[i] != er[i] || ci[i] != ei[i];
                /* bit set = chip -1, straight from the register generator */
                bad_ref += ((iw[i / 16] >> (i % 16)) & 1) != (iq[2 * i] < 0);
                bad_ref += ((qw[i / 16] >> (i % 16)) & 1) != (iq[2 * i + 1] < 0);
            }
        }
    CS_CHECK_MSG(bad == 0, "%d expanded chips differ from umts_cpich_code", bad);
    CS_CHECK_MSG(bad_ref == 0, "%d bits differ from cs_umts_scrambling_chips", bad_ref);
    CS_CHECK(umts_code_words(512, 0, 1, iw, qw) < 0);
    CS_CHECK(umts_code_words(-1, 0, 1, iw, qw) < 0);
    CS_CHECK(umts_code_words(0, UMTS_FRAME_WORDS - 1, 2, iw, qw) < 0);
    CS_CHECK(umts_code_words(0, UMTS_FRAME_WORDS - 1, 1, iw, qw) == 0);
}

static void test_kernels(void)
{
    size_t n_impl;
    const umts_kernels *k = umts_kernels_available(&n_impl);
    enum { CODES = 11, WORDS = 16, CHIPS = 16 * WORDS, WIN = 9 };
    unsigned seed = 3;
    float *x = malloc(4 * 1024 * sizeof *x);
    for (int i = 0; i < 4 * 1024; i++) x[i] = frand(&seed);
    /* codes 40.. at word 100: a stride of 2 symbols between codes */
    uint16_t iw[CODES * 2 * WORDS], qw[CODES * 2 * WORDS];
    float cr[CODES][CHIPS], ci[CODES][CHIPS];
    for (int c = 0; c < CODES; c++) {
        umts_code_words(40 + c, 100, 2 * WORDS, iw + c * 2 * WORDS, qw + c * 2 * WORDS);
        umts_code_expand(iw + c * 2 * WORDS, qw + c * 2 * WORDS, WORDS, cr[c], ci[c]);
    }
    for (size_t impl = 0; impl < n_impl; impl++)
        for (size_t n_codes = 1; n_codes <= CODES; n_codes += 2)
            for (size_t n_words = 3; n_words <= WORDS; n_words += 13) {
                float gr[CODES], gi[CODES], ge;
                k[impl].despread_codes(x, x + 1024, iw, qw, 2 * WORDS, n_codes, n_words, gr, gi,
                                       &ge);
                double we = k[0].energy(x, 16 * n_words) + k[0].energy(x + 1024, 16 * n_words);
                double err = fabs(ge - we) / we;
                for (size_t c = 0; c < n_codes; c++) {
                    float rr, ri;
                    k[0].despread(x, x + 1024, cr[c], ci[c], 16 * n_words, &rr, &ri);
                    err = fmax(err, fabs(gr[c] - rr) + fabs(gi[c] - ri));
                }
                CS_CHECK_MSG(err < 1e-3, "despread_codes %s, %zu codes, %zu words: error %g",
                             k[impl].name, n_codes, n_words, err);
            }
    /* windows at odd offsets, some overlapping */
    const float *wr[WIN], *wi[WIN];
    for (int w = 0; w < WIN; w++) {
        wr[w] = x + 2048 + 37 * w;
        wi[w] = x + 3072 - 41 * w;
    }
    for (size_t impl = 0; impl < n_impl; impl++)
        for (size_t n_win = 1; n_win <= WIN; n_win++)
            for (size_t n_words = 1; n_words <= 2 * WORDS; n_words += 5) {
                float gr[WIN], gi[WIN], ecr[2 * CHIPS], eci[2 * CHIPS];
                k[impl].despread_multi(wr, wi, n_win, iw + 6 * WORDS, qw + 6 * WORDS, n_words, gr,
                                       gi);
                umts_code_expand(iw + 6 * WORDS, qw + 6 * WORDS, n_words, ecr, eci);
                double err = 0;
                for (size_t w = 0; w < n_win; w++) {
                    float rr, ri;
                    k[0].despread(wr[w], wi[w], ecr, eci, 16 * n_words, &rr, &ri);
                    err = fmax(err, fabs(gr[w] - rr) + fabs(gi[w] - ri));
                }
                CS_CHECK_MSG(err < 1e-3, "despread_multi %s, %zu windows, %zu words: error %g",
                             k[impl].name, n_win, n_words, err);
            }
    free(x);
}

static void test_psch_kernels(void)
{
    size_t n_impl;
    const umts_kernels *k = umts_kernels_available(&n_impl);
    enum { SLOT = 600, SLOTS = 3, LAG = 32, POS = 293, N = SLOTS * SLOT + 16 * LAG + 64 };
    unsigned seed = 5;
    float *xr = malloc(N * sizeof *xr), *xi = malloc(N * sizeof *xi);
    float *ur = malloc(N * sizeof *ur), *ui = malloc(N * sizeof *ui);
    for (int i = 0; i < N; i++) {
        xr[i] = frand(&seed);
        xi[i] = frand(&seed);
    }
    /* the generic fold after the generic inner code is the 256-chip PSC correlation at 2
     * samples per chip, folded: check one position against the code itself */
    k[0].psc_inner(xr, xi, ur, ui, N - 30);
    int8_t psc[256];
    cs_umts_psc_chips(psc);
    const size_t t = 17;
    double want = 0;
    for (int s = 0; s < SLOTS; s++) {
        double cr = 0, ci = 0;
        for (int i = 0; i < 256; i++) {
            cr += psc[i] * xr[(size_t)s * SLOT + t + 2 * (size_t)i];
            ci += psc[i] * xi[(size_t)s * SLOT + t + 2 * (size_t)i];
        }
        want += cr * cr + ci * ci;
    }
    /* the inner code within one sample phase (taps 1 apart) is the same code on x[2 m] */
    float *pr = malloc(N / 2 * sizeof *pr), *pi = malloc(N / 2 * sizeof *pi);
    for (int i = 0; i < N / 2; i++) {
        pr[i] = xr[2 * i];
        pi[i] = xi[2 * i];
    }
    for (size_t impl = 0; impl < n_impl; impl++) {
        float *gr = malloc(N / 2 * sizeof *gr), *gi = malloc(N / 2 * sizeof *gi);
        const size_t n1 = N / 2 - 20;
        k[impl].psc_inner1(pr, pi, gr, gi, n1);
        double err = 0;
        for (size_t m = 0; m < n1; m++)
            err = fmax(err, fabs(gr[m] - ur[2 * m]) + fabs(gi[m] - ui[2 * m]));
        CS_CHECK_MSG(err < 1e-4, "psc_inner1 %s: error %g", k[impl].name, err);
        free(gr);
        free(gi);
    }
    free(pr);
    free(pi);
    float ref[POS] = {0};
    k[0].outer_fold(ur, ui, SLOT, SLOTS, POS, LAG, ref);
    CS_CHECK_NEAR(ref[t], want, 1e-4 * want);
    for (size_t impl = 1; impl < n_impl; impl++) {
        float got[POS];
        for (int i = 0; i < POS; i++) got[i] = 1.0f; /* adds to what is there */
        k[impl].outer_fold(ur, ui, SLOT, SLOTS, POS, LAG, got);
        double err = 0;
        for (int i = 0; i < POS; i++)
            err = fmax(err, fabs(got[i] - 1.0f - ref[i]) / (1.0 + ref[i]));
        CS_CHECK_MSG(err < 1e-5, "outer_fold %s: error %g", k[impl].name, err);
        for (int i = 0; i < POS; i++) got[i] = ref[i];
        k[impl].axpy(got, xr, -0.5f, POS);
        err = 0;
        for (int i = 0; i < POS; i++) err = fmax(err, fabs(got[i] - (ref[i] - 0.5f * xr[i])));
        CS_CHECK_MSG(err < 1e-3, "axpy %s: error %g", k[impl].name, err);
    }
    /* one slot's SCH correlations: every implementation against the sums written out */
    float psc_f[256], z_f[256];
    int8_t zc[256];
    cs_umts_ssc_z(zc);
    for (int i = 0; i < 256; i++) {
        psc_f[i] = psc[i];
        z_f[i] = zc[i];
    }
    double wh[4] = {0}, wv[32] = {0}, we = 0;
    for (int i = 0; i < 256; i++) {
        wh[2 * (i / 128)] += xr[i] * psc_f[i];
        wh[2 * (i / 128) + 1] += xi[i] * psc_f[i];
        wv[i / 16] += xr[i] * z_f[i];
        wv[16 + i / 16] += xi[i] * z_f[i];
        we += xr[i] * xr[i] + xi[i] * xi[i];
    }
    for (size_t impl = 0; impl < n_impl; impl++) {
        float h[4], vr[16], vi[16], e;
        k[impl].sch_slot(xr, xi, psc_f, z_f, h, vr, vi, &e);
        double err = fabs(e - we) / we;
        for (int j = 0; j < 4; j++) err = fmax(err, fabs(h[j] - wh[j]));
        for (int b = 0; b < 16; b++)
            err = fmax(err, fmax(fabs(vr[b] - wv[b]), fabs(vi[b] - wv[16 + b])));
        CS_CHECK_MSG(err < 1e-4, "sch_slot %s: error %g", k[impl].name, err);
    }
    free(xr);
    free(xi);
    free(ur);
    free(ui);
}

static void test_deinterleave(void)
{
    size_t n_impl;
    const umts_kernels *k = umts_kernels_available(&n_impl);
    enum { N = 2 * 77 }; /* samples: 77 pairs, not a multiple of any vector */
    float x[2 * N], ref[4][N / 2], got[4][N / 2];
    unsigned seed = 9;
    for (int i = 0; i < 2 * N; i++) x[i] = frand(&seed);
    k[0].deinterleave(x, N, ref[0], ref[1], ref[2], ref[3]);
    int bad = 0;
    for (int i = 0; i < N / 2; i++) /* sample 2i is phase 0, 2i + 1 phase 1 */
        bad += ref[0][i] != x[4 * i] || ref[1][i] != x[4 * i + 1] || ref[2][i] != x[4 * i + 2] ||
               ref[3][i] != x[4 * i + 3];
    for (size_t impl = 1; impl < n_impl; impl++) {
        k[impl].deinterleave(x, N, got[0], got[1], got[2], got[3]);
        for (int a = 0; a < 4; a++)
            for (int i = 0; i < N / 2; i++) bad += got[a][i] != ref[a][i];
    }
    CS_CHECK_MSG(bad == 0, "deinterleave: %d values misplaced", bad);
}

int main(void)
{
    test_deinterleave();
    test_psch_kernels();
    test_words();
    test_kernels();
    return cs_test_done();
}
