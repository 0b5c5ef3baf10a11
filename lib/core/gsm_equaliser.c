/* Max-log-MAP equaliser over the ISI trellis and least-squares channel estimation
 * (see gsm_equaliser.h). The equaliser runs in float with fixed-size arrays laid out
 * [step][bit][state], so that each trellis step is a few loops over contiguous states
 * that the compiler vectorises. */
#include "cellscan/gsm_equaliser.h"

#include <math.h>
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"

#define BITS CS_GSM_BURST_BITS
#define PINNED_LLR 1e4f

/* Solve the n x n symmetric positive definite system a x = b (Cholesky), in place. */
static int cholesky_solve(double *a, int n, double complex *b)
{
    for (int j = 0; j < n; j++) {
        double d = a[j * n + j];
        for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
        if (!(d > 1e-12)) return -1;
        d = sqrt(d);
        a[j * n + j] = d;
        for (int i = j + 1; i < n; i++) {
            double s = a[i * n + j];
            for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / d;
        }
    }
    for (int i = 0; i < n; i++) { /* L z = b */
        double complex s = b[i];
        for (int k = 0; k < i; k++) s -= a[i * n + k] * b[k];
        b[i] = s / a[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) { /* L^T x = z */
        double complex s = b[i];
        for (int k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
        b[i] = s / a[i * n + i];
    }
    return 0;
}

int cs_gsm_channel_estimate(const cs_cf32 *y, const uint8_t bits[BITS], int first, int last,
                            int num_taps, cs_cf32 *h, double *residual_var)
{
    if (!y || !bits || !h || num_taps < 1 || num_taps > CS_GSM_EQ_MAX_TAPS || first < 0 ||
        last >= BITS || last - first + 1 < 2 * num_taps)
        return cs_error(CS_EINVAL, "gsm channel estimate: bad span %d..%d for %d taps", first,
                        last, num_taps);
    const int L = num_taps;
    double ata[CS_GSM_EQ_MAX_TAPS * CS_GSM_EQ_MAX_TAPS] = {0};
    double complex aty[CS_GSM_EQ_MAX_TAPS] = {0};
    for (int i = first + L - 1; i <= last; i++) {
        double u[CS_GSM_EQ_MAX_TAPS];
        for (int l = 0; l < L; l++) u[l] = 1.0 - 2.0 * bits[i - l];
        for (int r = 0; r < L; r++) {
            aty[r] += u[r] * y[i];
            for (int c = 0; c < L; c++) ata[r * L + c] += u[r] * u[c];
        }
    }
    if (cholesky_solve(ata, L, aty) != 0)
        return cs_error(CS_EINVAL, "gsm channel estimate: training symbols are degenerate");
    for (int l = 0; l < L; l++) h[l] = (cs_cf32)aty[l];
    if (residual_var) {
        double e = 0.0;
        int n = 0;
        for (int i = first + L - 1; i <= last; i++, n++) {
            double complex s = 0;
            for (int l = 0; l < L; l++) s += aty[l] * (1.0 - 2.0 * bits[i - l]);
            const double complex r = y[i] - s;
            e += creal(r * conj(r));
        }
        *residual_var = n > L ? e / (n - L) : e;
    }
    return CS_OK;
}

#define SMAX (1 << (CS_GSM_EQ_MAX_TAPS - 1))
#define MMAX (BITS + CS_GSM_EQ_MAX_TAPS - 1)

typedef struct {
    float alpha[MMAX + 1][SMAX];  /* best cost of reaching state s before step m */
    float metric[MMAX][2][SMAX];  /* branch cost of (state s, new bit b) at step m */
} trellis;

/* min over v[0..n), n a power of two, by halving (min is exact, so the order does not
 * matter). */
static inline __attribute__((always_inline)) float min_of(const float *v, int n)
{
    if (n == 1) return v[0];
    float t[SMAX / 2];
    for (int k = 0; k < n / 2; k++) t[k] = v[k + n / 2] < v[k] ? v[k + n / 2] : v[k];
#pragma GCC unroll 8
    for (int w = n / 4; w >= 1; w /= 2)
        for (int k = 0; k < w; k++) t[k] = t[k + w] < t[k] ? t[k + w] : t[k];
    return t[0];
}

/* Per step m of a burst: pin[m] = the pinned value of the bit entering (-1: free) and
 * fixed[m] = 1 when all L bits the step involves are pinned. Such a step is the same for
 * every path that survives (only one state is reachable before and after it): it adds
 * the same cost to all of them, so it is skipped, the state after it set alone and the
 * cost to go from before it left 0 (the LLRs are differences: a common cost cancels). */
typedef struct {
    int8_t pin[MMAX];
    uint8_t fixed[MMAX];
    int fixed_state[MMAX]; /* the one reachable state after a fixed step */
} pinning;

/* One burst with S = 2^(L-1) states (a constant at every call site, so the loops below
 * unroll and vectorise). State bit j holds the bit of symbol m-1-j; state ns is reached
 * from s = ns >> 1 and ns >> 1 + S/2 with the new bit ns & 1. */
static inline __attribute__((always_inline)) void run_trellis(trellis *t, const cs_cf32 *y,
                                                              const float *ere, const float *eim,
                                                              int S, int M, float inv,
                                                              const pinning *pn, float *soft)
{
    const int H = S > 1 ? S / 2 : 1;
    const float inf = INFINITY;
    for (int m = 0; m < M; m++) { /* only the branches a pinned bit allows */
        if (pn->fixed[m]) continue;
        const int kb = pn->pin[m];
        const float yr = crealf(y[m]), yi = cimagf(y[m]);
        for (int b = 0; b < 2; b++) {
            if (kb >= 0 && b != kb) continue;
            float *mm = t->metric[m][b];
            for (int s = 0; s < S; s++) {
                const float dr = yr - ere[b * SMAX + s], di = yi - eim[b * SMAX + s];
                mm[s] = inv * (dr * dr + di * di);
            }
        }
    }
    /* unreachable states cost +inf: sums and minima need no special case */
    for (int s = 0; s < S; s++) t->alpha[0][s] = 0.0f;
    for (int m = 0; m < M; m++) {
        const float *a0 = t->alpha[m];
        float *a1 = t->alpha[m + 1];
        const int kb = pn->pin[m];
        if (pn->fixed[m]) {
            for (int s = 0; s < S; s++) a1[s] = inf;
            a1[pn->fixed_state[m]] = 0.0f;
            continue;
        }
        float c[2][SMAX / 2 > 0 ? SMAX / 2 : 1];
        for (int b = 0; b < 2; b++) {
            const float *mm = t->metric[m][b];
            if (kb >= 0 && b != kb) {
                for (int k = 0; k < H; k++) c[b][k] = inf;
            } else if (S == 1) {
                c[b][0] = a0[0] + mm[0];
            } else {
                for (int k = 0; k < H; k++) {
                    const float c0 = a0[k] + mm[k], c1 = a0[k + H] + mm[k + H];
                    c[b][k] = c1 < c0 ? c1 : c0;
                }
            }
        }
        if (S == 1) {
            a1[0] = c[1][0] < c[0][0] ? c[1][0] : c[0][0];
        } else {
            for (int k = 0; k < H; k++) {
                a1[2 * k] = c[0][k];
                a1[2 * k + 1] = c[1][k];
            }
        }
        const float mn = min_of(a1, S);
        for (int s = 0; s < S; s++) a1[s] -= mn;
    }
    /* backward pass; LLR of the bit entering at step m */
    float beta[SMAX];
    for (int s = 0; s < S; s++) beta[s] = 0.0f;
    for (int m = M - 1; m >= 0; m--) {
        const float *a0 = t->alpha[m];
        const int kb = pn->pin[m];
        if (pn->fixed[m]) {
            for (int s = 0; s < S; s++) beta[s] = 0.0f;
            soft[m] = kb ? -PINNED_LLR : PINNED_LLR;
            continue;
        }
        /* bn[b][k]: cost to go from state 2k + b (the successor of k and k + S/2) */
        float bn[2][SMAX / 2 > 0 ? SMAX / 2 : 1], c[2][SMAX], tmp[SMAX], best[2] = {inf, inf};
        if (S == 1) {
            bn[0][0] = bn[1][0] = beta[0];
        } else {
            for (int k = 0; k < H; k++) {
                bn[0][k] = beta[2 * k];
                bn[1][k] = beta[2 * k + 1];
            }
        }
        for (int b = 0; b < 2; b++) {
            if (kb >= 0 && b != kb) { /* the pinned bit's other branch: unreachable */
                for (int s = 0; s < S; s++) c[b][s] = inf;
                continue;
            }
            const float *mm = t->metric[m][b];
            for (int s = 0; s < S; s++) c[b][s] = mm[s] + bn[b][s & (H - 1)];
            for (int s = 0; s < S; s++) tmp[s] = a0[s] + c[b][s];
            best[b] = min_of(tmp, S);
        }
        for (int s = 0; s < S; s++) beta[s] = c[1][s] < c[0][s] ? c[1][s] : c[0][s];
        const float mn = min_of(beta, S);
        for (int s = 0; s < S; s++) beta[s] -= mn;
        if (m < BITS) {
            if (kb >= 0) soft[m] = kb ? -PINNED_LLR : PINNED_LLR;
            else soft[m] = best[1] - best[0];
        }
    }
}

int cs_gsm_equalise(const cs_cf32 *y, const cs_cf32 *h, int num_taps, double noise_var,
                    const int8_t *known, float *soft)
{
    if (!y || !h || !soft || num_taps < 1 || num_taps > CS_GSM_EQ_MAX_TAPS)
        return cs_error(CS_EINVAL, "gsm equaliser: bad arguments (taps %d)", num_taps);
    if (!(noise_var > 0.0) || !isfinite(noise_var))
        return cs_error(CS_EINVAL, "gsm equaliser: noise_var must be positive (got %g)", noise_var);
    const int L = num_taps, S = 1 << (L - 1), M = BITS + L - 1; /* steps m = 0 .. M-1 */
    for (int i = 0; i < M; i++)
        if (!isfinite(crealf(y[i])) || !isfinite(cimagf(y[i])))
            return cs_error(CS_EINVAL, "gsm equaliser: sample %d is not finite", i);
    pinning pn;
    for (int m = 0; m < M; m++) {
        pn.pin[m] = (known && m < BITS && known[m] >= 0) ? (int8_t)(known[m] != 0) : -1;
        int all = m >= L - 1, st = 0;
        for (int j = 0; j < L && all; j++) {
            all = pn.pin[m - j] >= 0;
            if (j < L - 1) st |= (all ? pn.pin[m - j] : 0) << j;
        }
        pn.fixed[m] = (uint8_t)all;
        pn.fixed_state[m] = st;
    }
    /* expected output of every (new bit b, state s): e[b * SMAX + s] */
    float ere[2 * SMAX], eim[2 * SMAX];
    for (int b = 0; b < 2; b++)
        for (int s = 0; s < S; s++) {
            cs_cf32 e = h[0] * (float)(1 - 2 * b);
            for (int l = 1; l < L; l++) e += h[l] * (float)(1 - 2 * ((s >> (l - 1)) & 1));
            ere[b * SMAX + s] = crealf(e);
            eim[b * SMAX + s] = cimagf(e);
        }
    const float inv = (float)(1.0 / noise_var);
    trellis t;
    switch (L) { /* the state count a constant in each copy */
    case 1: run_trellis(&t, y, ere, eim, 1, M, inv, &pn, soft); break;
    case 2: run_trellis(&t, y, ere, eim, 2, M, inv, &pn, soft); break;
    case 3: run_trellis(&t, y, ere, eim, 4, M, inv, &pn, soft); break;
    case 4: run_trellis(&t, y, ere, eim, 8, M, inv, &pn, soft); break;
    case 5: run_trellis(&t, y, ere, eim, 16, M, inv, &pn, soft); break;
    default: run_trellis(&t, y, ere, eim, 32, M, inv, &pn, soft); break;
    }
    return CS_OK;
}
