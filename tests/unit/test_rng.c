/* Seeded RNG: fixed sequences (reproducible across machines), stream independence and the
 * distributions the generator relies on. */
#include "cellscan/rng.h"

#include <stdint.h>

#include "cellscan/status.h"
#include "cs_test.h"

static cs_rng make(uint64_t seed, uint64_t stream)
{
    cs_rng r = NULL;
    CS_CHECK(cs_rng_create(seed, stream, &r) == CS_OK);
    return r;
}

/* Golden values from an independent implementation of splitmix64 seeding and xoshiro256**
 * (Blackman and Vigna's reference, whose state {1,2,3,4} gives 11520, 0, 1509978240). */
static void test_golden(void)
{
    cs_rng a = make(0, 0), b = make(12345, 7);
    CS_CHECK(cs_rng_u64(a) == 0x3c8f93426ad39e2eull);
    CS_CHECK(cs_rng_u64(a) == 0x9442b347ab60f2e1ull);
    CS_CHECK(cs_rng_u64(a) == 0x032e397b840dfffbull);
    CS_CHECK(cs_rng_u64(b) == 0xd2f1c4392ba7d655ull);
    CS_CHECK(cs_rng_u64(b) == 0x4d18a57107d1abdbull);
    CS_CHECK(cs_rng_u64(b) == 0xb4481c512003474cull);
    cs_rng_destroy(a);
    cs_rng_destroy(b);
}

static void test_streams(void)
{
    cs_rng a = make(42, 1), b = make(42, 1), c = make(43, 1), d = make(42, 2);
    int same_ab = 1, same_ac = 0, same_ad = 0;
    uint64_t first[1000];
    for (int i = 0; i < 1000; i++) {
        const uint64_t va = cs_rng_u64(a);
        first[i] = va;
        same_ab &= va == cs_rng_u64(b);
        same_ac += va == cs_rng_u64(c);
        same_ad += va == cs_rng_u64(d);
    }
    CS_CHECK(same_ab);
    CS_CHECK(same_ac == 0);
    CS_CHECK(same_ad == 0);
    cs_rng_reset(a);
    int replay = 1;
    for (int i = 0; i < 1000; i++)
        replay &= cs_rng_u64(a) == first[i];
    CS_CHECK(replay);
    cs_rng_destroy(a);
    cs_rng_destroy(b);
    cs_rng_destroy(c);
    cs_rng_destroy(d);
}

static void test_uniform_and_below(void)
{
    cs_rng r = make(7, 0);
    const int n = 1000000;
    double sum = 0.0, mn = 1.0, mx = 0.0;
    for (int i = 0; i < n; i++) {
        const double u = cs_rng_uniform(r);
        sum += u;
        mn = u < mn ? u : mn;
        mx = u > mx ? u : mx;
    }
    CS_CHECK_NEAR(sum / n, 0.5, 0.002);
    CS_CHECK(mn >= 0.0 && mx < 1.0);
    /* chi-square of 7 classes, 6 degrees of freedom: 22.5 is the 0.1% point */
    long count[7] = { 0 }, out_of_range = 0;
    for (int i = 0; i < 700000; i++) {
        const uint64_t v = cs_rng_below(r, 7);
        out_of_range += v >= 7;
        count[v < 7 ? v : 0]++;
    }
    CS_CHECK(out_of_range == 0);
    double chi2 = 0.0;
    for (int k = 0; k < 7; k++)
        chi2 += (count[k] - 100000.0) * (count[k] - 100000.0) / 100000.0;
    printf("below(7) chi2 = %.2f\n", chi2);
    CS_CHECK(chi2 < 22.5);
    CS_CHECK(cs_rng_below(r, 1) == 0);
    cs_rng_destroy(r);
}

static void test_gauss(void)
{
    cs_rng r = make(99, 3);
    const int n = 1000000;
    double m1 = 0, m2 = 0, m4 = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
        const double g = cs_rng_gauss(r);
        m1 += g;
        m2 += g * g;
        m4 += g * g * g * g;
        tail += fabs(g) > 3.0;
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    printf("gauss: mean %.4f var %.4f kurtosis %.3f P(|x|>3) %.5f\n", m1, m2, m4 / (m2 * m2),
           (double)tail / n);
    CS_CHECK_NEAR(m1, 0.0, 0.005);
    CS_CHECK_NEAR(m2, 1.0, 0.005);
    CS_CHECK_NEAR(m4 / (m2 * m2), 3.0, 0.03);
    CS_CHECK_NEAR((double)tail / n, 0.0026998, 0.0003);
    cs_rng_destroy(r);
}

static void test_cgauss_and_bits(void)
{
    cs_rng r = make(5, 5);
    const size_t n = 1000000;
    cs_cf32 *z = malloc(n * sizeof *z);
    cs_rng_fill_cgauss(r, z, n, 0.25);
    double pi = 0, pq = 0;
    double complex pseudo = 0;
    for (size_t i = 0; i < n; i++) {
        pi += crealf(z[i]) * crealf(z[i]);
        pq += cimagf(z[i]) * cimagf(z[i]);
        pseudo += (double complex)z[i] * z[i];
    }
    printf("cgauss: E|z|^2 %.5f, I %.5f Q %.5f, |E z^2| %.5f\n", (pi + pq) / n, pi / n, pq / n,
           cabs(pseudo) / n);
    CS_CHECK_NEAR((pi + pq) / n, 0.25, 0.0015);
    CS_CHECK_NEAR(pi / n, 0.125, 0.001);
    CS_CHECK_NEAR(pq / n, 0.125, 0.001);
    CS_CHECK(cabs(pseudo) / n < 0.0015); /* circular: E[z^2] = 0 */
    free(z);

    uint8_t bits[100000];
    cs_rng_fill_bits(r, bits, sizeof bits);
    long ones = 0;
    int only01 = 1;
    for (size_t i = 0; i < sizeof bits; i++) {
        ones += bits[i];
        only01 &= bits[i] <= 1;
    }
    CS_CHECK(only01);
    CS_CHECK_NEAR(ones / 100000.0, 0.5, 0.006);
    cs_rng_destroy(r);
}

int main(void)
{
    test_golden();
    test_streams();
    test_uniform_and_below();
    test_gauss();
    test_cgauss_and_bits();
    return cs_test_done();
}
