/* FCCH detector: the tone's maximum-likelihood frequency and the checks of a candidate
 * tone (see gsm_fcch.h). Windows are L samples of the working-rate buffer. */
#include <complex.h>
#include <math.h>

#include "gsm_fcch_internal.h"

/* |sum z e^{-j w n}|^2 with n centred on the window, and its first two derivatives. */
static void tone_fit(const cs_cf32 *z, unsigned L, double w, double *q, double *dq, double *d2q,
                     double complex *s0_out)
{
    const double c = 0.5 * (L - 1);
    double complex s0 = 0, s1 = 0, s2 = 0;
    /* e^{-j w t} by a rotation per sample (double: L <= 220 steps lose nothing) */
    double complex rot = cexp(I * w * c);
    const double complex step = cexp(-I * w);
    for (unsigned n = 0; n < L; n++, rot *= step) {
        const double t = n - c;
        const double complex e = z[n] * rot;
        s0 += e;
        s1 += t * e;
        s2 += t * t * e;
    }
    /* dS0/dw = -j S1, d2S0/dw2 = -S2 */
    *q = creal(s0 * conj(s0));
    *dq = 2.0 * creal(conj(s0) * (-I * s1));
    *d2q = 2.0 * creal(conj(-I * s1) * (-I * s1)) + 2.0 * creal(conj(s0) * (-s2));
    if (s0_out) *s0_out = s0;
}

/* Maximum-likelihood frequency (cycles/sample) near bin kb of the fine grid. */
double cs_gsm_fcch_refine_frequency(const fcch_core *k, int64_t s, int kb, double complex *s0)
{
    const cs_cf32 *z = k->z + (s - (int64_t)k->z0);
    const double dw = 2.0 * M_PI / k->nf;
    double w = kb * dw;
    /* parabola through the three periodogram values around the peak */
    double q0, qm, qp, d1, d2;
    tone_fit(z, k->L, w - dw, &qm, &d1, &d2, NULL);
    tone_fit(z, k->L, w, &q0, &d1, &d2, NULL);
    tone_fit(z, k->L, w + dw, &qp, &d1, &d2, NULL);
    const double den = qm - 2.0 * q0 + qp;
    if (den < 0.0) {
        double d = 0.5 * (qm - qp) / den;
        if (d > 0.5) d = 0.5;
        if (d < -0.5) d = -0.5;
        w += d * dw;
    }
    for (int it = 0; it < 4; it++) {
        double q, dq, d2q;
        tone_fit(z, k->L, w, &q, &dq, &d2q, NULL);
        if (!(d2q < 0.0)) break;
        double step = -dq / d2q;
        if (step > dw) step = dw;
        if (step < -dw) step = -dw;
        w += step;
        if (fabs(step) < 1e-9) break;
    }
    double q, dq, d2q;
    tone_fit(z, k->L, w, &q, &dq, &d2q, s0);
    return w / (2.0 * M_PI);
}

/* Does the tone hold over the whole window? Split it in quarters: a tone gives each
 * quarter its share of the total coherent sum, up to noise; a data burst whose bits
 * happen to form a tone over part of the window does not. Returns the quarters'
 * deviation over what white noise in the residual would give (F-distributed, about 1
 * for a true tone) and, in *share, the deviation over the quarters' energy (a quarter
 * of the window without the tone gives 0.25, half of it 0.5; a tone with its GMSK
 * edges a few per cent). */
double cs_gsm_fcch_coherence(const fcch_core *k, int64_t s, double w, double *share)
{
    const cs_cf32 *z = k->z + (s - (int64_t)k->z0);
    const unsigned L = k->L;
    const double c = 0.5 * (L - 1);
    double complex q[4] = {0, 0, 0, 0}, x = 0;
    double e = 0.0, len[4] = {0, 0, 0, 0};
    double complex rot = cexp(I * w * c);
    const double complex step = cexp(-I * w);
    for (unsigned n = 0; n < L; n++, rot *= step) {
        const double complex u = z[n] * rot;
        const unsigned i = n * 4 / L;
        q[i] += u;
        len[i] += 1.0;
        x += u;
        e += creal(u * conj(u));
    }
    double d = 0.0, dof = 0.0, eq = 0.0;
    for (int i = 0; i < 4; i++) {
        const double complex r = q[i] - x * len[i] / L;
        d += creal(r * conj(r));
        dof += len[i] * (1.0 - len[i] / L);
        eq += creal(q[i] * conj(q[i]));
    }
    *share = eq > 0.0 ? d / eq : 1.0;
    const double res = e - creal(x * conj(x)) / L;
    if (!(res > 0.0)) return 0.0;
    return (d / dof) / (res / (L - 1.0));
}

double cs_gsm_fcch_tone_power(const fcch_core *k, int64_t s, double w)
{
    if (s < (int64_t)k->z0 || s + (int64_t)k->L > (int64_t)(k->z0 + k->len)) return 0.0;
    double q, dq, d2q;
    tone_fit(k->z + (s - (int64_t)k->z0), k->L, w, &q, &dq, &d2q, NULL);
    return q;
}

