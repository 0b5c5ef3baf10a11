/* The pulse shaper's two ways of finding a sample's taps: per-phase tables when the rate
 * is a short rational multiple of the chip rate, interpolation otherwise. The interpolating
 * path against the exact pulse sum and in pieces of any size; both paths agree where the
 * rates are all but equal; the baseline and AVX2 builds of the inner loop give the same
 * bits (VOLK_GENERIC selects the baseline one, as for every kernel). */
#include "cellscan/pulse_shaper.h"
#include "cellscan/rrc_filter.h"

#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cs_test.h"

#define RC_HZ 3.84e6
#define BETA 0.22
#define N_CHIPS 30000

static cs_cf32 *random_chips(size_t n, uint64_t seed)
{
    cs_rng rng = NULL;
    cs_rng_create(seed, 0, &rng);
    cs_cf32 *c = malloc(n * sizeof *c);
    cs_rng_fill_cgauss(rng, c, n, 1.0); /* any values, not just QPSK: chips are channel sums */
    cs_rng_destroy(rng);
    return c;
}

/* Shape chips at fs (delay_s), pushed in pieces of 1..max_piece chips (max_piece 0: all at
 * once); returns the flushed output and its length. */
static cs_cf32 *shape(const cs_cf32 *chips, size_t n, double fs, double delay_s, size_t max_piece,
                      size_t *n_out)
{
    cs_pulse_shaper_config c;
    cs_pulse_shaper_config_init(&c);
    c.sample_rate_hz = fs;
    c.delay_s = delay_s;
    cs_pulse_shaper s = NULL;
    CS_CHECK(cs_pulse_shaper_create(&c, &s) == CS_OK);
    const size_t cap = cs_pulse_shaper_max_output(s, n) + cs_pulse_shaper_max_output(s, 0);
    cs_cf32 *out = malloc(cap * sizeof *out);
    cs_rng rng = NULL;
    cs_rng_create(3, 0, &rng);
    size_t total = 0, got = 0;
    for (size_t pos = 0; pos < n;) {
        size_t k = max_piece ? 1 + (size_t)cs_rng_below(rng, max_piece) : n;
        if (k > n - pos)
            k = n - pos;
        CS_CHECK(cs_pulse_shaper_push(s, chips + pos, k, out + total, cap - total, &got) == CS_OK);
        total += got;
        pos += k;
    }
    CS_CHECK(cs_pulse_shaper_flush(s, out + total, cap - total, &got) == CS_OK);
    *n_out = total + got;
    cs_rng_destroy(rng);
    cs_pulse_shaper_destroy(s);
    return out;
}

/* A rate that is no short ratio of the chip rate (7 680 768 Hz: 10001 samples per 5000
 * chips): every sample equals the pulse sum at its exact time, the count is exact. */
static void test_interpolating(double fs, double delay_s)
{
    const cs_cf32 *chips = random_chips(N_CHIPS, 5);
    size_t ny = 0;
    cs_cf32 *y = shape(chips, N_CHIPS, fs, delay_s, 0, &ny);
    const size_t expect = (size_t)ceil((N_CHIPS / RC_HZ + delay_s) * fs - 1e-9);
    double worst = 0.0;
    for (size_t k = 0; k < ny; k += 5) {
        const double u = k * RC_HZ / fs - delay_s * RC_HZ;
        double complex acc = 0.0;
        for (long i = (long)floor(u) - 16; i <= (long)ceil(u) + 16; i++)
            if (i >= 0 && i < N_CHIPS && fabs(u - i) < 16.0)
                acc += chips[i] * cs_rrc_impulse(u - i, BETA);
        worst = fmax(worst, cabs((double complex)y[k] - acc));
    }
    size_t np = 0;
    cs_cf32 *parts = shape(chips, N_CHIPS, fs, delay_s, 5000, &np);
    printf("interpolating path at %.4f MS/s, delay %.3g s: %zu samples (expected %zu), max error "
           "vs exact pulse sum %.1e, pieces %s\n",
           fs / 1e6, delay_s, ny, expect, worst,
           np == ny && !memcmp(parts, y, ny * sizeof *y) ? "identical" : "DIFFER");
    CS_CHECK(ny == expect);
    CS_CHECK(worst < 2e-5); /* table interpolation: < 2e-6 of the peak per chip */
    CS_CHECK(np == ny && memcmp(parts, y, ny * sizeof *y) == 0);
    free(parts);
    free(y);
    free((void *)chips);
}

/* 7.68 MS/s (2 phases) and 7.68 MS/s * (1 + 2^-42) (interpolated): the sample times differ
 * by < 1e-8 chips, so the outputs may differ only by float rounding. (The delay keeps the
 * samples off the chip instants: there the pulse's truncation at +-16 chips decides
 * whether a 1.9e-4 edge tap is in, and a 1e-8 shift can tip it.) */
static void test_paths_agree(void)
{
    const cs_cf32 *chips = random_chips(N_CHIPS, 6);
    const double delay = -16.3 / RC_HZ;
    size_t na = 0, nb = 0;
    cs_cf32 *a = shape(chips, N_CHIPS, 7.68e6, delay, 3000, &na);
    cs_cf32 *b = shape(chips, N_CHIPS, 7.68e6 * (1.0 + 0x1.0p-42), delay, 3000, &nb);
    const size_t n = na < nb ? na : nb;
    double worst = 0.0, power = 0.0;
    for (size_t k = 0; k < n; k++) {
        worst = fmax(worst, cabsf(a[k] - b[k]));
        power += crealf(a[k] * conjf(a[k]));
    }
    printf("phase tables vs interpolation: %zu/%zu samples, max difference %.1e (rms %.3f)\n", na,
           nb, worst, sqrt(power / n));
    CS_CHECK(na + 1 >= nb && nb + 1 >= na && n > 59000);
    CS_CHECK(worst < 3e-6);
    free(a);
    free(b);
    free((void *)chips);
}

/* Same samples, bit for bit, whichever instruction set ran the dot products. */
static void test_isa_identical(double fs, double delay_s)
{
    const cs_cf32 *chips = random_chips(N_CHIPS, 8);
    size_t na = 0, nb = 0;
    unsetenv("VOLK_GENERIC");
    cs_cf32 *a = shape(chips, N_CHIPS, fs, delay_s, 2000, &na);
    setenv("VOLK_GENERIC", "1", 1);
    cs_cf32 *b = shape(chips, N_CHIPS, fs, delay_s, 0, &nb);
    unsetenv("VOLK_GENERIC");
    const int same = na == nb && memcmp(a, b, na * sizeof *a) == 0;
    printf("%.4f MS/s: best instruction set and VOLK_GENERIC: %zu samples, %s\n", fs / 1e6, na,
           same ? "identical" : "DIFFER");
    CS_CHECK(same);
    free(a);
    free(b);
    free((void *)chips);
}

int main(void)
{
    test_interpolating(7680768.0, 0.0);
    test_interpolating(RC_HZ * 1.3 + 0.25, -16 / RC_HZ);
    test_interpolating(RC_HZ * 2.6041, 0.11 / RC_HZ);
    test_paths_agree();
    test_isa_identical(7.68e6, -16 / RC_HZ);
    test_isa_identical(7680768.0, 0.0);
    return cs_test_done();
}
