/* UMTS carrier positions from a power spectrum (see umts_carriers.h). */
#include "cellscan/umts_carriers.h"

#include <math.h>
#include <stdlib.h>

#define GRID_HZ 100e3
#define CORE_HZ 1.6e6      /* half width of the flat core */
#define SHOULDER_LO 2.40e6 /* shoulder band: beyond the 2.34 MHz edge of the spectrum, inside
                             the gap to a neighbour 5 MHz away (its edge: 2.66 MHz) */
#define SHOULDER_HI 2.60e6
#define MIN_SPACING 4.2e6
#define MAX_RIPPLE_DB 8.0
#define USABLE 0.45        /* of the sample rate, each side of the centre */

static double mean_over(const double *psd, unsigned nfft, double fs, double lo, double hi, int *ok)
{
    const double bin = fs / nfft;
    long a = (long)ceil(lo / bin + nfft / 2.0), b = (long)floor(hi / bin + nfft / 2.0);
    if (a < 0 || b >= (long)nfft || b < a || lo < -USABLE * fs || hi > USABLE * fs) {
        *ok = 0;
        return 0.0;
    }
    double s = 0.0;
    for (long k = a; k <= b; k++) s += psd[k];
    *ok = 1;
    return s / (double)(b - a + 1);
}

/* The flat core around c in 8-bin sums: its level (per bin) and its ripple, the ratio of
 * the 90th to the 10th percentile (dB). The level is the mean with every sum clipped at
 * twice the median, so a narrowband spike in the core (a DC offset, a GSM carrier) neither
 * makes a carrier of its own nor outshines the true carrier beside it, while a core that
 * takes in a carrier's edge still falls below the centred one. 0 when too few blocks. */
static int core_stats(const double *psd, unsigned nfft, double fs, double c, double *level, double *ripple)
{
    const double bin = fs / nfft;
    long a = (long)ceil((c - CORE_HZ) / bin + nfft / 2.0), b = (long)floor((c + CORE_HZ) / bin + nfft / 2.0);
    if (a < 0 || b >= (long)nfft) return 0;
    double v[512];
    size_t n = 0;
    for (long k = a; k + 8 <= b + 1 && n < 512; k += 8) {
        double s = 0;
        for (int j = 0; j < 8; j++) s += psd[k + j];
        v[n++] = s;
    }
    if (n < 5) return 0;
    for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
        for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    double lo = v[n / 10], hi = v[n - 1 - n / 10];
    const double clip = 2.0 * (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += v[i] < clip ? v[i] : clip;
    *level = sum / (8.0 * (double)n);
    *ripple = lo > 0 ? 10.0 * log10(hi / lo) : INFINITY;
    return 1;
}

/* Middle of the -3 dB edges around c. */
static double refine(const double *psd, unsigned nfft, double fs, double c, double level)
{
    const double bin = fs / nfft;
    const long k0 = (long)lround(c / bin + nfft / 2.0);
    long lo = k0, hi = k0;
    while (lo > 0 && psd[lo - 1] >= level && (k0 - lo) * bin < 3e6) lo--;
    while (hi + 1 < (long)nfft && psd[hi + 1] >= level && (hi - k0) * bin < 3e6) hi++;
    return ((double)(lo + hi) / 2.0 - nfft / 2.0) * bin;
}

size_t cs_umts_find_carriers(const double *psd, unsigned nfft, double fs, double centre_hz,
                             double min_contrast_db, cs_umts_carrier_guess *out, size_t max)
{
    if (!psd || nfft < 64 || !(fs > 0) || max == 0) return 0;
    const double half = USABLE * fs;
    /* grid positions: absolute multiples of 100 kHz when the centre is known */
    const double base = isfinite(centre_hz) ? fmod(centre_hz, GRID_HZ) : 0.0;
    size_t n = 0;
    cs_umts_carrier_guess cand[1024];
    for (double c = -floor(half / GRID_HZ) * GRID_HZ - base; c <= half && n < 1024; c += GRID_HZ) {
        if (fabs(c) + CORE_HZ > half) continue;
        int ok_in, ok_l, ok_r;
        double p_in = 0.0, ripple = INFINITY;
        mean_over(psd, nfft, fs, c - CORE_HZ, c + CORE_HZ, &ok_in); /* inside the usable band */
        if (ok_in) ok_in = core_stats(psd, nfft, fs, c, &p_in, &ripple);
        double p_l = mean_over(psd, nfft, fs, c - SHOULDER_HI, c - SHOULDER_LO, &ok_l);
        double p_r = mean_over(psd, nfft, fs, c + SHOULDER_LO, c + SHOULDER_HI, &ok_r);
        if (!ok_in || (!ok_l && !ok_r) || p_in <= 0) continue;
        double p_out = ok_l && ok_r ? fmin(p_l, p_r) : ok_l ? p_l : p_r; /* one clean edge */
        double contrast = p_out > 0 ? 10.0 * log10(p_in / p_out) : INFINITY;
        if (contrast < min_contrast_db || ripple > MAX_RIPPLE_DB) continue;
        cand[n].offset_hz = c;
        cand[n].power_db = contrast;
        n++;
    }
    /* strongest first, then thin out */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cand[j].power_db > cand[j - 1].power_db; j--) {
            cs_umts_carrier_guess t = cand[j];
            cand[j] = cand[j - 1];
            cand[j - 1] = t;
        }
    size_t m = 0;
    for (size_t i = 0; i < n && m < max; i++) {
        int clash = 0;
        for (size_t j = 0; j < m && !clash; j++) clash = fabs(out[j].offset_hz - cand[i].offset_hz) < MIN_SPACING;
        if (clash) continue;
        double p_in = 0.0, ripple;
        core_stats(psd, nfft, fs, cand[i].offset_hz, &p_in, &ripple);
        double c = refine(psd, nfft, fs, cand[i].offset_hz, p_in / 2.0);
        if (isfinite(centre_hz)) c = round((centre_hz + c) / 200e3) * 200e3 - centre_hz;
        out[m].offset_hz = c;
        out[m].power_db = cand[i].power_db;
        m++;
    }
    return m;
}
