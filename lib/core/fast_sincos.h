/* Sine and cosine of an angle given in quarter turns, for the signal generators' per-sample
 * phases (GMSK, Box-Muller noise), where libm's sincos is most of the cost.
 *
 * cs_sincos_quarter(q, &s, &c): s = sin(q pi/2), c = cos(q pi/2) for |q| < 2^50. The
 * reduction to the nearest quarter turn is exact (q - round(q) has no rounding), the rest
 * |r| <= 1/2 becomes theta = r pi/2 with |theta| <= pi/4, and the Taylor series to theta^15
 * (sine) and theta^16 (cosine) leave a truncation error below 5e-17. Result error about
 * 2e-16: the same as libm's sin(2 pi u) gets from rounding 2 pi u to a double, so the
 * float samples made from either agree but for a rounding tie now and then.
 * Plain IEEE double arithmetic in a fixed order: the same bits on every machine. */
#ifndef CELLSCAN_FAST_SINCOS_H
#define CELLSCAN_FAST_SINCOS_H

static inline void cs_sincos_quarter(double q, double *s_out, double *c_out)
{
    const double magic = 0x1.8p52; /* adding it rounds to an integer (nearest, even) */
    const double n = (q + magic) - magic;
    const double r = q - n; /* exact */
    const double th = r * 1.57079632679489661923, z = th * th;
    const double s = th + th * z * (-1.0 / 6 + z * (1.0 / 120 + z * (-1.0 / 5040 + z * (1.0 / 362880 +
                     z * (-1.0 / 39916800 + z * (1.0 / 6227020800.0 + z * (-1.0 / 1307674368000.0)))))));
    const double c = 1.0 + z * (-0.5 + z * (1.0 / 24 + z * (-1.0 / 720 + z * (1.0 / 40320 +
                     z * (-1.0 / 3628800 + z * (1.0 / 479001600.0 + z * (-1.0 / 87178291200.0 +
                     z * (1.0 / 20922789888000.0))))))));
    /* rotate by k = n mod 4 quarter turns (k in -2..2 here), with selects on doubles
     * only so that loops over many angles vectorise */
    const double k = n - 4.0 * ((0.25 * n + magic) - magic);
    const double sk = (k * k == 1.0) ? c : s, ck = (k * k == 1.0) ? s : c;
    *s_out = (k < -0.5 || k > 1.5) ? -sk : sk;   /* k = -2, -1, 2 */
    *c_out = (k > 0.5 || k < -1.5) ? -ck : ck;   /* k = 1, 2, -2 */
}

#endif
