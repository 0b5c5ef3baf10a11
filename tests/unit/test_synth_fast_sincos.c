/* The generators' sine/cosine (fast_sincos.h) against long double sinl/cosl, and the
 * Gaussian noise built on it against the Box-Muller formula with libm on the same random
 * stream: the float noise samples must be the ones libm gives, but for a rounding tie. */
#include <float.h>

#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "fast_sincos.h"

static double err_at(double q)
{
    double s, c;
    cs_sincos_quarter(q, &s, &c);
    const long double a = (long double)q * 1.570796326794896619231321691639751442L;
    return fmax(fabs(s - (double)sinl(a)), fabs(c - (double)cosl(a)));
}

static void test_accuracy(void)
{
    cs_rng rng = NULL;
    CS_CHECK(cs_rng_create(7, 0, &rng) == CS_OK);
    double worst_turn = 0.0, worst_wide = 0.0;
    for (int i = 0; i < 1000000; i++) {
        worst_turn = fmax(worst_turn, err_at(4.0 * cs_rng_uniform(rng))); /* Box-Muller's range */
        worst_wide = fmax(worst_wide, err_at(2000.0 * (cs_rng_uniform(rng) - 0.5)));
    }
    /* next to the reduction's boundaries (odd multiples of 1/2) and the quadrants */
    double worst_edge = 0.0;
    for (int k = -40; k <= 40; k++)
        for (int e = -60; e <= 0; e += 4) {
            worst_edge = fmax(worst_edge, err_at(0.5 * k + ldexp(1.0, e - 1)));
            worst_edge = fmax(worst_edge, err_at(0.5 * k - ldexp(1.0, e - 1)));
        }
    printf("max |error| vs long double: %.2e on [0, 4), %.2e on [-1000, 1000], %.2e at the "
           "reduction edges\n", worst_turn, worst_wide, worst_edge);
    CS_CHECK(worst_turn < 3.0 * DBL_EPSILON / 2); /* within about an ulp of 1 */
    CS_CHECK(worst_wide < 3.0 * DBL_EPSILON / 2);
    CS_CHECK(worst_edge < 3.0 * DBL_EPSILON / 2);
    /* exact at whole quarter turns */
    double s, c;
    cs_sincos_quarter(0.0, &s, &c);
    CS_CHECK(s == 0.0 && c == 1.0);
    cs_sincos_quarter(1.0, &s, &c);
    CS_CHECK(s == 1.0 && c == 0.0);
    cs_sincos_quarter(-2.0, &s, &c);
    CS_CHECK(s == 0.0 && c == -1.0);
    cs_sincos_quarter(7.0, &s, &c);
    CS_CHECK(s == -1.0 && c == 0.0);
    cs_rng_destroy(rng);
}

/* cs_rng_fill_cgauss draws U1 in (0, 1], then U2 in [0, 1) per sample: the samples are
 * sqrt(-P ln U1) (cos, sin)(2 pi U2); replay the stream and compute them with libm. */
static void test_noise_unchanged(void)
{
    const size_t n = 1000000;
    const double power = 0.37;
    cs_rng a = NULL, b = NULL;
    CS_CHECK(cs_rng_create(42, 9, &a) == CS_OK && cs_rng_create(42, 9, &b) == CS_OK);
    cs_cf32 *z = malloc(n * sizeof *z);
    cs_rng_fill_cgauss(a, z, n, power);
    size_t same = 0;
    double worst_ulps = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double u1 = (double)((cs_rng_u64(b) >> 11) + 1) * 0x1.0p-53;
        const double u2 = (double)(cs_rng_u64(b) >> 11) * 0x1.0p-53;
        const double r = sqrt(-power * log(u1)), ang = 2.0 * M_PI * u2;
        const float re = (float)(r * cos(ang)), im = (float)(r * sin(ang));
        same += crealf(z[i]) == re && cimagf(z[i]) == im;
        /* a tie can round the other way: one float ulp of the larger component */
        const double ulp = ldexp(FLT_EPSILON, ilogb(fmax(fabsf(re), fabsf(im))));
        worst_ulps = fmax(worst_ulps, fmax(fabs(crealf(z[i]) - re), fabs(cimagf(z[i]) - im)) / ulp);
    }
    printf("noise: %zu of %zu samples bit-identical to libm Box-Muller, worst %.2f ulp\n", same,
           n, worst_ulps);
    CS_CHECK(same >= n - n / 10000);
    CS_CHECK(worst_ulps <= 1.0);
    free(z);
    cs_rng_destroy(a);
    cs_rng_destroy(b);
}

int main(void)
{
    test_accuracy();
    test_noise_unchanged();
    return cs_test_done();
}
