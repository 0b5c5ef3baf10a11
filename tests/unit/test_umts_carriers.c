/* UMTS carriers from a spectrum (cs_umts_find_carriers) and the sweep's search windows
 * (cs_umts_sweep_windows). */
#include "cellscan/umts_carriers.h"
#include "cellscan/umts_sweep.h"
#include "cs_test.h"

#define FS 15.36e6
#define NFFT 1024 /* 15 kHz bins */

/* A flat noise floor of 1 plus carriers: level over the 3.84 MHz chip band, raised-cosine
 * edges out to 2.34 MHz (roll-off 0.22), as a real carrier looks in cs_psd. */
static void spectrum(double *psd, const double *offset_hz, const double *level, size_t n)
{
    for (unsigned k = 0; k < NFFT; k++) {
        const double f = ((double)k - NFFT / 2.0) * FS / NFFT;
        psd[k] = 1.0;
        for (size_t i = 0; i < n; i++) {
            const double d = fabs(f - offset_hz[i]), lo = 1.92e6 * 0.78, hi = 1.92e6 * 1.22;
            if (d <= lo) psd[k] += level[i];
            else if (d < hi) psd[k] += level[i] * 0.5 * (1.0 + cos(M_PI * (d - lo) / (hi - lo)));
        }
    }
}

static int has(const cs_umts_carrier_guess *g, size_t n, double offset_hz)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(g[i].offset_hz - offset_hz) < 1.0) return 1;
    return 0;
}

static void test_carriers(void)
{
    double psd[NFFT];
    cs_umts_carrier_guess g[8];
    const double off[2] = { -2.5e6, 2.5e6 }, lvl[2] = { 3.0, 3.0 };
    spectrum(psd, off, lvl, 2);
    size_t n = cs_umts_find_carriers(psd, NFFT, FS, 2142.5e6, 3.0, g, 8);
    CS_CHECK_MSG(n == 2 && has(g, n, -2.5e6) && has(g, n, 2.5e6), "two carriers: %zu", n);

    /* A DC offset between them, 30 dB over the carriers in its bin (an SDR's LO leak 5 dB
     * over the recording's power): clipped in the core level, so no false carrier
     * straddles the spike and hides the one beside it. */
    psd[NFFT / 2] += 3.0 * 1000.0;
    n = cs_umts_find_carriers(psd, NFFT, FS, 2142.5e6, 3.0, g, 8);
    CS_CHECK_MSG(n == 2 && has(g, n, -2.5e6) && has(g, n, 2.5e6), "two carriers and a DC spike: %zu, %.0f",
                 n, n ? g[0].offset_hz : 0.0);

    /* A carrier 1.8 dB under the noise is not in the spectrum: the sweep's business. */
    const double weak[1] = { 0.66 };
    spectrum(psd, off, weak, 1);
    n = cs_umts_find_carriers(psd, NFFT, FS, 2142.5e6, 3.0, g, 8);
    CS_CHECK_MSG(n == 0, "a carrier under the noise: %zu", n);
}

/* Every position of [lo, hi] outside the holes, widened by the margin, lies within a
 * window's range; every window is inside [lo, hi] and no wider than allowed. */
static void check_cover(double lo, double hi, const double *hole, size_t n_holes, double half, double margin,
                        double max_range, size_t expect_n)
{
    cs_umts_sweep_window w[64];
    size_t n = cs_umts_sweep_windows(lo, hi, hole, n_holes, half, margin, max_range, w, 64);
    CS_CHECK_MSG(n == expect_n, "[%g, %g] with %zu holes: %zu windows, expected %zu", lo, hi, n_holes, n, expect_n);
    if (n > 64) return;
    for (size_t i = 0; i < n; i++) {
        CS_CHECK(w[i].offset_hz >= lo - 1e-6 && w[i].offset_hz <= hi + 1e-6);
        CS_CHECK(w[i].range_hz <= max_range + 1e-6);
        for (size_t h = 0; h < n_holes; h++) CS_CHECK(fabs(w[i].offset_hz - hole[h]) >= half - 1e-6);
        if (i) CS_CHECK(w[i].offset_hz > w[i - 1].offset_hz);
    }
    for (double f = lo; f <= hi + 1e-6; f += 10e3) {
        int in_hole = 0;
        for (size_t h = 0; h < n_holes; h++) in_hole |= fabs(f - hole[h]) < half;
        if (in_hole) continue;
        for (double e = -margin; e <= margin; e += margin > 0 ? margin : 1.0) {
            int covered = 0;
            for (size_t i = 0; i < n && !covered; i++) covered = fabs(f + e - w[i].offset_hz) <= w[i].range_hz + 1e-6;
            CS_CHECK_MSG(covered, "position %.0f Hz (error %.0f) not covered", f, e);
        }
    }
}

static void test_windows(void)
{
    /* 7.68 MS/s: positions +-1.92 MHz, 3.89 MHz with the margins: 4 windows of 1 MHz */
    check_cover(-1.92e6, 1.92e6, NULL, 0, 4.2e6, 25e3, 500e3, 4);
    /* 15.36 MS/s, a confirmed carrier at -2.5 MHz: 1.7 .. 5.76 MHz left, 5 windows */
    const double one[1] = { -2.5e6 };
    check_cover(-5.76e6, 5.76e6, one, 1, 4.2e6, 25e3, 500e3, 5);
    /* both carriers confirmed: nothing left */
    const double two[2] = { -2.5e6, 2.5e6 };
    check_cover(-5.76e6, 5.76e6, two, 2, 4.2e6, 25e3, 500e3, 0);
    /* 20 MS/s, carriers at +-2.5 MHz: two slivers at the edges */
    check_cover(-8.08e6, 8.08e6, two, 2, 4.2e6, 25e3, 500e3, 4);
    /* overlapping holes and a hole beyond the interval */
    const double three[3] = { -1e6, 1e6, 30e6 };
    check_cover(-8.08e6, 8.08e6, three, 3, 4.2e6, 25e3, 500e3, 6);
    /* 3.84 MS/s: one position only, searched +- the margin */
    check_cover(0.0, 0.0, NULL, 0, 4.2e6, 25e3, 500e3, 1);
    /* more windows than room: the count says so */
    cs_umts_sweep_window w[2];
    CS_CHECK(cs_umts_sweep_windows(-10e6, 10e6, NULL, 0, 4.2e6, 25e3, 500e3, w, 2) == 21);
    /* bad arguments */
    CS_CHECK(cs_umts_sweep_windows(1.0, -1.0, NULL, 0, 4.2e6, 25e3, 500e3, w, 2) == 0);
    CS_CHECK(cs_umts_sweep_windows(-1e6, 1e6, NULL, 0, 4.2e6, 300e3, 500e3, w, 2) == 0);
    CS_CHECK(cs_umts_sweep_windows(-1e6, 1e6, NULL, 1, 4.2e6, 25e3, 500e3, w, 2) == 0);
}

int main(void)
{
    test_carriers();
    test_windows();
    return cs_test_done();
}
