/* Welch PSD: calibration (full-scale tone reads 0 dBFS, noise of power P integrates to P),
 * streaming independence of block sizes, segment counting and argument errors. */
#include <complex.h>

#include "cellscan/psd.h"
#include "cellscan/status.h"
#include "cs_test.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
}

/* Complex Gaussian sample of mean power `power`. */
static cs_cf32 cgauss(double power)
{
    double u1 = uniform(), u2 = uniform();
    double r = sqrt(-log(u1 + 1e-300) * power);
    return (float)(r * cos(2 * M_PI * u2)) + I * (float)(r * sin(2 * M_PI * u2));
}

static double sum_bins(const double *p, unsigned lo, unsigned hi)
{
    double s = 0;
    for (unsigned k = lo; k <= hi; k++) s += p[k];
    return s;
}

static double db(double x) { return 10 * log10(x); }

static void check_tone(double bin_offset)
{
    const unsigned nfft = 1024;
    const size_t n = 64 * nfft;
    cs_cf32 *x = malloc(n * sizeof *x);
    double *p = malloc(nfft * sizeof *p);
    double f = (100.0 + bin_offset) / nfft; /* cycles per sample: bin 100 (+ offset) */
    for (size_t i = 0; i < n; i++) x[i] = (cs_cf32)cexp(I * 2 * M_PI * f * (double)i);
    cs_psd q;
    CS_CHECK(cs_psd_create(nfft, &q) == CS_OK);
    CS_CHECK(cs_psd_execute(q, x, n) == CS_OK);
    CS_CHECK(cs_psd_get(q, p) == CS_OK);
    unsigned k = nfft / 2 + 100; /* the tone's bin after the shift to -fs/2 first */
    /* Full-scale tone: 0 dBFS over its main lobe (±4 bins, +1 for an off-centre tone). */
    CS_CHECK_NEAR(db(sum_bins(p, k - 5, k + 5)), 0.0, 0.01);
    CS_CHECK_NEAR(db(sum_bins(p, 0, nfft - 1)), 0.0, 0.001);
    /* Peak bin: -10 log10(ENBW) on a bin centre, 0.83 dB of scalloping midway. */
    double peak = p[k] > p[k + 1] ? p[k] : p[k + 1];
    CS_CHECK_NEAR(db(peak), bin_offset == 0 ? -3.020 : -3.845, 0.01);
    /* Far from the tone, the window's sidelobes (-92 dB) and float rounding only. */
    CS_CHECK(db(p[k + 200]) < -90);
    cs_psd_destroy(q);
    free(x);
    free(p);
}

static void check_noise(void)
{
    const unsigned nfft = 512;
    const size_t n = 400 * nfft;
    const double power = 1e-3; /* -30 dBFS */
    cs_cf32 *x = malloc(n * sizeof *x);
    double *p = malloc(nfft * sizeof *p);
    for (size_t i = 0; i < n; i++) x[i] = cgauss(power);
    cs_psd q;
    CS_CHECK(cs_psd_create(nfft, &q) == CS_OK);
    CS_CHECK(cs_psd_execute(q, x, n) == CS_OK);
    CS_CHECK(cs_psd_get(q, p) == CS_OK);
    /* 799 segments: the whole band integrates to P; a tenth of it to P / 10. */
    CS_CHECK_NEAR(db(sum_bins(p, 0, nfft - 1)), db(power), 0.05);
    CS_CHECK_NEAR(db(sum_bins(p, 200, 200 + nfft / 10 - 1)), db(power / 10), 0.1);
    /* Each bin on its own: P / nfft within the spread of ~800 averages (about ±0.3 dB at
     * 2 sigma; ±1 dB bounds every bin of 512 with margin). */
    double worst = 0;
    for (unsigned k = 0; k < nfft; k++) worst = fmax(worst, fabs(db(p[k] * nfft / power)));
    CS_CHECK_MSG(worst < 1.0, "worst bin %.2f dB off", worst);

    /* Streaming: odd block sizes give the same spectrum as one call. */
    double *p2 = malloc(nfft * sizeof *p2);
    cs_psd_reset(q);
    CS_CHECK(cs_psd_num_segments(q) == 0);
    size_t i = 0, blk = 1;
    while (i < n) {
        size_t take = blk < n - i ? blk : n - i;
        CS_CHECK(cs_psd_execute(q, x + i, take) == CS_OK);
        i += take;
        blk = blk * 3 % 1777 + 1;
    }
    CS_CHECK(cs_psd_get(q, p2) == CS_OK);
    double maxrel = 0;
    for (unsigned k = 0; k < nfft; k++) maxrel = fmax(maxrel, fabs(p2[k] / p[k] - 1));
    CS_CHECK_MSG(maxrel < 1e-9, "streamed spectrum differs by %g", maxrel);
    cs_psd_destroy(q);
    free(x);
    free(p);
    free(p2);
}

static void check_segments_and_errors(void)
{
    cs_psd q = NULL;
    double p[64];
    cs_cf32 x[200] = { 0 };
    CS_CHECK(cs_psd_create(1000, &q) == CS_EINVAL && q == NULL);
    CS_CHECK(strstr(cs_last_error(), "power of two") != NULL);
    CS_CHECK(cs_psd_create(8, &q) == CS_EINVAL);
    CS_CHECK(cs_psd_create(64, &q) == CS_OK);
    CS_CHECK(cs_psd_nfft(q) == 64);
    CS_CHECK(cs_psd_get(q, p) == CS_ENOTFOUND);
    CS_CHECK(cs_psd_execute(q, x, 63) == CS_OK && cs_psd_num_segments(q) == 0);
    CS_CHECK(cs_psd_execute(q, x, 1) == CS_OK && cs_psd_num_segments(q) == 1);
    /* hop 32: 64 + 32 k samples give k + 1 segments. */
    CS_CHECK(cs_psd_execute(q, x, 200 - 64) == CS_OK);
    CS_CHECK(cs_psd_num_segments(q) == (200 - 64) / 32 + 1);
    CS_CHECK(cs_psd_get(q, p) == CS_OK);
    CS_CHECK(p[32] == 0.0); /* silence is exactly zero power */
    CS_CHECK(cs_psd_execute(q, NULL, 5) == CS_EINVAL);
    CS_CHECK(cs_psd_execute(q, NULL, 0) == CS_OK);
    cs_psd_destroy(q);
    cs_psd_destroy(NULL);
}

int main(void)
{
    check_tone(0.0);
    check_tone(0.5);
    check_noise();
    check_segments_and_errors();
    return cs_test_done();
}
