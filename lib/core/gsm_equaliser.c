/* Max-log-MAP equaliser over the ISI trellis and least-squares channel estimation
 * (see gsm_equaliser.h). */
#include "cellscan/gsm_equaliser.h"

#include <math.h>
#include <stdlib.h>
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
    /* expected output of every (state, new bit): state bit j = bit of symbol m-1-j */
    cs_cf32 expect[1 << CS_GSM_EQ_MAX_TAPS][2];
    for (int s = 0; s < S; s++)
        for (int b = 0; b < 2; b++) {
            cs_cf32 e = h[0] * (float)(1 - 2 * b);
            for (int l = 1; l < L; l++) e += h[l] * (float)(1 - 2 * ((s >> (l - 1)) & 1));
            expect[s][b] = e;
        }
    const double inv = 1.0 / noise_var;
    /* alpha[m+1][s]: best cost of reaching state s after step m (alpha[0]: start, free) */
    double *alpha = malloc((size_t)(M + 1) * S * sizeof *alpha);
    double *beta = malloc((size_t)2 * S * sizeof *beta);
    /* branch metrics, computed once for both passes: metric[m][2s + b] */
    double *metric = malloc((size_t)M * 2 * S * sizeof *metric);
    if (!alpha || !beta || !metric) {
        free(alpha);
        free(beta);
        free(metric);
        return cs_error(CS_ENOMEM, "gsm equaliser: out of memory");
    }
    for (int m = 0; m < M; m++) {
        double *mm = metric + (size_t)m * 2 * S;
        for (int s = 0; s < S; s++)
            for (int b = 0; b < 2; b++) {
                const cs_cf32 d = y[m] - expect[s][b];
                mm[2 * s + b] = inv * ((double)crealf(d) * crealf(d) + (double)cimagf(d) * cimagf(d));
            }
    }
    /* unreachable states cost +inf: sums and minima need no special case, and the
     * reachable states' costs are the same sums as with an explicit check */
    const double inf = INFINITY;
    for (int s = 0; s < S; s++) alpha[s] = 0.0;
    for (int m = 0; m < M; m++) {
        const double *a0 = alpha + (size_t)m * S;
        double *a1 = alpha + (size_t)(m + 1) * S;
        const int kb = (known && m < BITS) ? known[m] : -1;
        const double *mm = metric + (size_t)m * 2 * S;
        if (S == 1) {
            double c = inf;
            for (int b = 0; b < 2; b++)
                if ((kb < 0 || b == kb) && a0[0] + mm[b] < c) c = a0[0] + mm[b];
            a1[0] = c;
        } else {
            /* state ns is reached from s = ns >> 1 and s + S/2 with bit b = ns & 1 */
            for (int ns = 0; ns < S; ns++) {
                const int b = ns & 1, s0 = ns >> 1, s1 = s0 + S / 2;
                const double c0 = a0[s0] + mm[2 * s0 + b], c1 = a0[s1] + mm[2 * s1 + b];
                a1[ns] = (kb >= 0 && b != kb) ? inf : c1 < c0 ? c1 : c0;
            }
        }
        double mn = inf;
        for (int s = 0; s < S; s++) mn = a1[s] < mn ? a1[s] : mn;
        for (int s = 0; s < S; s++) a1[s] -= mn;
    }
    /* backward pass; LLR of the bit entering at step m */
    double *bnext = beta, *bcur = beta + S;
    for (int s = 0; s < S; s++) bnext[s] = 0.0;
    for (int m = M - 1; m >= 0; m--) {
        const double *a0 = alpha + (size_t)m * S;
        const int kb = (known && m < BITS) ? known[m] : -1;
        const double *mm = metric + (size_t)m * 2 * S;
        double best[2] = {inf, inf};
        for (int s = 0; s < S; s++) {
            double bc = inf;
            for (int b = 0; b < 2; b++) {
                if (kb >= 0 && b != kb) continue;
                const double c = mm[2 * s + b] + bnext[((s << 1) | b) & (S - 1)];
                bc = c < bc ? c : bc;
                const double t = a0[s] + c;
                best[b] = t < best[b] ? t : best[b];
            }
            bcur[s] = bc;
        }
        double mn = inf;
        for (int s = 0; s < S; s++) mn = bcur[s] < mn ? bcur[s] : mn;
        for (int s = 0; s < S; s++) bcur[s] -= mn;
        if (m < BITS) {
            if (kb >= 0) soft[m] = kb ? -PINNED_LLR : PINNED_LLR;
            else soft[m] = (float)(best[1] - best[0]);
        }
        double *t = bnext;
        bnext = bcur;
        bcur = t;
    }
    free(alpha);
    free(beta);
    free(metric);
    return CS_OK;
}
