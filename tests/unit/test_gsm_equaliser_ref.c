/* The soft equaliser against a plain double-precision max-log-MAP written out here (every
 * step of the trellis, no normalisation, no skipped steps): for 1..6 taps, with and
 * without pinned bits, the LLRs agree to float rounding. Fixed seeds. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/gsm_equaliser.h"
#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cs_test.h"

#define BITS CS_GSM_BURST_BITS
#define SMAX (1 << (CS_GSM_EQ_MAX_TAPS - 1))

/* cost of state s (bit j = symbol m-1-j) taking bit b at step m */
static double branch(const cs_cf32 *y, const cs_cf32 *h, int L, double nv, int m, int s, int b)
{
    double complex e = h[0] * (double)(1 - 2 * b);
    for (int l = 1; l < L; l++) e += h[l] * (double)(1 - 2 * ((s >> (l - 1)) & 1));
    const double complex d = y[m] - e;
    return (creal(d) * creal(d) + cimag(d) * cimag(d)) / nv;
}

static void reference(const cs_cf32 *y, const cs_cf32 *h, int L, double nv, const int8_t *known,
                      double *llr)
{
    const int S = 1 << (L - 1), M = BITS + L - 1;
    static double a[BITS + CS_GSM_EQ_MAX_TAPS][SMAX], bt[BITS + CS_GSM_EQ_MAX_TAPS][SMAX];
    for (int s = 0; s < S; s++) a[0][s] = bt[M][s] = 0.0;
    for (int m = 0; m < M; m++) {
        for (int ns = 0; ns < S; ns++) a[m + 1][ns] = INFINITY;
        for (int s = 0; s < S; s++)
            for (int b = 0; b < 2; b++) {
                if (known && m < BITS && known[m] >= 0 && b != known[m]) continue;
                const int ns = ((s << 1) | b) & (S - 1);
                const double c = a[m][s] + branch(y, h, L, nv, m, s, b);
                if (c < a[m + 1][ns]) a[m + 1][ns] = c;
            }
    }
    for (int m = M - 1; m >= 0; m--) {
        double best[2] = {INFINITY, INFINITY};
        for (int s = 0; s < S; s++) {
            bt[m][s] = INFINITY;
            for (int b = 0; b < 2; b++) {
                if (known && m < BITS && known[m] >= 0 && b != known[m]) continue;
                const double c =
                    branch(y, h, L, nv, m, s, b) + bt[m + 1][((s << 1) | b) & (S - 1)];
                if (c < bt[m][s]) bt[m][s] = c;
                if (a[m][s] + c < best[b]) best[b] = a[m][s] + c;
            }
        }
        if (m < BITS) llr[m] = best[1] - best[0];
    }
}

static void compare(int L, int pinned, double nv, cs_rng g)
{
    cs_cf32 h[CS_GSM_EQ_MAX_TAPS], y[BITS + CS_GSM_EQ_MAX_TAPS];
    cs_rng_fill_cgauss(g, h, (size_t)L, 1.0 / L);
    uint8_t bits[BITS];
    cs_gsm_sch_burst(3, 5, 51 * 4000 + 21, bits);
    for (int i = 0; i < BITS + L - 1; i++) {
        cs_cf32 w;
        cs_rng_fill_cgauss(g, &w, 1, nv);
        cs_cf32 acc = w;
        for (int l = 0; l < L; l++)
            if (i - l >= 0 && i - l < BITS) acc += h[l] * (float)(1 - 2 * bits[i - l]);
        y[i] = acc;
    }
    int8_t known[BITS];
    for (int m = 0; m < BITS; m++)
        known[m] = (m < 3 || m >= BITS - 3 || (m >= 42 && m <= 105)) ? (int8_t)bits[m] : -1;
    float soft[BITS];
    double ref[BITS];
    CS_CHECK(cs_gsm_equalise(y, h, L, nv, pinned ? known : NULL, soft) == CS_OK);
    reference(y, h, L, nv, pinned ? known : NULL, ref);
    double worst = 0.0, mean_abs = 0.0;
    int unknown = 0;
    for (int m = 0; m < BITS; m++) {
        if (pinned && known[m] >= 0) {
            CS_CHECK(soft[m] == (known[m] ? -1e4f : 1e4f));
            continue;
        }
        /* float rounding: about 1e-7 of the costs (hundreds to thousands) */
        const double err = fabs(soft[m] - ref[m]) / (1.0 + 1e-3 * fabs(ref[m]));
        if (err > worst) worst = err;
        mean_abs += fabs(ref[m]);
        unknown++;
    }
    printf("L=%d %s noise %.2f: mean |LLR| %.1f, worst difference %.2g\n", L,
           pinned ? "pinned" : "free  ", nv, mean_abs / unknown, worst);
    CS_CHECK(worst < 1e-3);
}

int main(void)
{
    cs_rng g;
    cs_rng_create(11, 2, &g);
    for (int L = 1; L <= CS_GSM_EQ_MAX_TAPS; L++)
        for (int pinned = 0; pinned < 2; pinned++) {
            compare(L, pinned, 0.5, g);
            compare(L, pinned, 0.02, g);
        }
    cs_rng_destroy(g);
    return cs_test_done();
}
