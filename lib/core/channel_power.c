/* Power per channel from a Welch PSD: channel list, robust noise floor, SNR, occupancy. */
#include "cellscan/channel_power.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/bands.h"
#include "cellscan/psd.h"
#include "cellscan/status.h"

/* The outer 10% of each side of a recording is the receiver's anti-alias rolloff: the noise
 * floor comes from the central 80% only, and a channel is measured when its centre lies in
 * it and no part of it reaches into the outer 5%, where filters fold aliases in. */
#define USABLE_FRACTION 0.8
#define EDGE_FRACTION 0.9
/* GSM: 200 kHz, the channel raster. It holds 95.9% (-0.18 dB) of a GMSK BT 0.3 carrier's
 * power while a neighbour 200 kHz away leaks only -17 dB into it; a wider window (the
 * 99% bandwidth is 250 kHz) would count more of the neighbours, which real bands are full of. */
#define GSM_SPACING_HZ 200e3
#define GSM_BANDWIDTH_HZ 200e3
/* UMTS: 3.84 Mchip/s with RRC roll-off 0.22, 5 MHz wide, but centred on any UARFCN: the
 * raster is 200 kHz (100 kHz for the additional channels of some bands), so every raster
 * position is measured over its 3.84 MHz window and only carrier centres count as occupied. */
#define UMTS_STEP_HZ 100e3
#define UMTS_UNNUMBERED_STEP_HZ 200e3
#define UMTS_BANDWIDTH_HZ 3.84e6
#define UMTS_MIN_WIDTH_HZ 3.4e6
#define UMTS_MAX_WIDTH_HZ 4.3e6
#define DEFAULT_THRESHOLD_DB 6.0
/* SNR = integrated channel power over noise in the same bandwidth. Checked against the
 * THC recordings, whose truth gives "power above the noise floor" (941 MHz: ARFCN 30 +35,
 * 24 +24, 22 +21, 31 +19, 29 +14 dB; 937 MHz: ARFCN 5 +18 dB). This definition gives
 * 33.5, 22.1, 19.1, 19.3, 14.2 and 16.0 dB. Only integrated power reproduces 31 and 29:
 * they are mostly the GMSK skirt of ARFCN 30 (+8.5 kHz off, hence 31 > 29) falling into
 * their 200 kHz. Peak PSD above the floor gives 31 +29, 29 +23 dB; integrating 270.833 kHz
 * gives 31 +25, 29 +21 dB. The remaining 1.5-2 dB on the strong carriers is the truth's
 * floor sitting below ours, and ours agrees with the power of the empty channels
 * (ARFCN 36 and 38: 39.6 and 39.9 dBFS against a 39.95 dBFS floor in 200 kHz).
 * Noise floor: this low percentile of the per-bin PSD over the usable band. Low, so that it
 * stays on the floor when nearly every channel is occupied (in the THC 941 MHz recording
 * only 17% of the usable bins are within 1 dB of the floor); the percentile's bias below the
 * mean is removed using the Gamma distribution of averaged periodogram bins. */
#define NOISE_PERCENTILE 0.02
/* Channel centres must match a band's channel within this to get its number. */
#define CHANNEL_MATCH_HZ 1.0

struct cs_channel_power_s {
    cs_channel_power_params p;
    double threshold_db;
    const cs_band *band;   /* NULL: any band of the standard */
    cs_psd psd;
    unsigned nfft;
    double bin_hz;         /* fs / nfft */
    double window_corr;    /* periodogram correlation of segments overlapping by 50% */
    size_t num_channels;
    cs_channel *channels;
    double *power;         /* PSD work buffer [nfft] */
    double *sorted;        /* percentile work buffer [nfft] */
};

void cs_channel_power_params_init(cs_channel_power_params *p)
{
    memset(p, 0, sizeof *p);
    p->raster = CS_RASTER_GSM;
    p->centre_hz = NAN;
    p->threshold_db = NAN;
}

static unsigned next_pow2(double x)
{
    unsigned n = 16;
    while (n < x && n < (1u << 20)) n <<= 1;
    return n;
}

/* Give channel c its number, band and link when its frequency is a channel of the band
 * (or of any band of the standard when no band was chosen). */
static void number_channel(const struct cs_channel_power_s *q, cs_standard std, cs_channel *c)
{
    c->number = -1;
    c->band = NULL;
    c->uplink = 0;
    if (!isfinite(c->freq_hz)) return;
    int n, ul;
    const cs_band *b = NULL;
    if (q->band) {
        for (ul = 0; ul <= 1 && !b; ul++)
            if (cs_band_channel_number(q->band, c->freq_hz, ul, CHANNEL_MATCH_HZ, &n) == CS_OK)
                b = q->band;
        ul--;
    } else {
        b = cs_band_lookup(std, c->freq_hz, CHANNEL_MATCH_HZ, &n, &ul);
    }
    cs_clear_error();
    if (!b) return;
    c->number = n;
    c->band = cs_band_name(b);
    c->uplink = ul;
}

/* UMTS positions on the 100 kHz grid that are no UARFCN of any band are dropped, so that
 * only real channel centres remain; when none is (unknown centre, or a frequency outside
 * every band) the 200 kHz grid is kept, unnumbered. */
static void keep_numbered_channels(struct cs_channel_power_s *q)
{
    size_t m = 0;
    for (size_t i = 0; i < q->num_channels; i++)
        if (q->channels[i].number >= 0) q->channels[m++] = q->channels[i];
    if (m > 0) {
        q->num_channels = m;
        return;
    }
    for (size_t i = 0; i < q->num_channels; i++) {
        double f = q->channels[i].offset_hz + (isfinite(q->p.centre_hz) ? q->p.centre_hz : 0.0);
        double k = f / UMTS_UNNUMBERED_STEP_HZ;
        if (fabs(k - nearbyint(k)) < 1e-6) q->channels[m++] = q->channels[i];
    }
    q->num_channels = m;
}

static int build_channels(struct cs_channel_power_s *q)
{
    const cs_channel_power_params *p = &q->p;
    double spacing, bw, anchor; /* anchor: a channel centre, absolute or relative */
    int known = isfinite(p->centre_hz);
    cs_standard std = p->raster == CS_RASTER_UMTS ? CS_STANDARD_UMTS : CS_STANDARD_GSM;
    switch (p->raster) {
    case CS_RASTER_GSM:
        spacing = GSM_SPACING_HZ, bw = GSM_BANDWIDTH_HZ;
        anchor = 0.0; /* absolute grid k * 200 kHz (every ARFCN is on it), or offsets */
        break;
    case CS_RASTER_UMTS:
        spacing = known ? UMTS_STEP_HZ : UMTS_UNNUMBERED_STEP_HZ, bw = UMTS_BANDWIDTH_HZ;
        anchor = 0.0; /* absolute grid (UARFCN = 5 x MHz), or offsets */
        break;
    default:
        spacing = p->bin_hz, bw = p->bin_hz, anchor = known ? p->centre_hz : 0.0;
        break;
    }
    double centre = known ? p->centre_hz : 0.0;
    /* Centres in the usable band, edges clear of the outer 5% (1 mHz of slack for rounding
     * in exact fits). */
    double reach = fmin(0.5 * USABLE_FRACTION * p->sample_rate_hz,
                        0.5 * EDGE_FRACTION * p->sample_rate_hz - bw / 2) + 1e-3;
    double lo = centre - reach, hi = centre + reach;
    long k0 = reach > 0 ? (long)ceil((lo - anchor) / spacing) : 1;
    long k1 = reach > 0 ? (long)floor((hi - anchor) / spacing) : 0;
    if (k1 < k0)
        return cs_error(CS_ENOTFOUND, "no %.0f kHz channel of the %.0f kHz raster fits in a "
                        "%.0f Hz recording (centres within the central 80%%, edges within 90%%)",
                        bw / 1e3, spacing / 1e3, p->sample_rate_hz);
    q->num_channels = (size_t)(k1 - k0 + 1);
    q->channels = calloc(q->num_channels, sizeof *q->channels);
    if (!q->channels) return cs_error(CS_ENOMEM, "out of memory for %zu channels", q->num_channels);
    for (size_t i = 0; i < q->num_channels; i++) {
        cs_channel *c = &q->channels[i];
        double f = anchor + (double)(k0 + (long)i) * spacing;
        c->offset_hz = f - centre;
        c->freq_hz = known ? f : NAN;
        c->bandwidth_hz = bw;
        if (p->raster == CS_RASTER_BINS) {
            c->number = -1;
            c->band = NULL;
            c->uplink = 0;
        } else {
            number_channel(q, std, c);
        }
    }
    if (p->raster == CS_RASTER_UMTS) keep_numbered_channels(q);
    return CS_OK;
}

static int check_params(const cs_channel_power_params *p)
{
    if (!(p->sample_rate_hz > 0) || !isfinite(p->sample_rate_hz))
        return cs_error(CS_EINVAL, "sample rate must be a positive number of Hz (got %g)",
                        p->sample_rate_hz);
    if (isinf(p->centre_hz))
        return cs_error(CS_EINVAL, "centre frequency must be finite or unknown (NAN)");
    if (p->raster != CS_RASTER_GSM && p->raster != CS_RASTER_UMTS && p->raster != CS_RASTER_BINS)
        return cs_error(CS_EINVAL, "unknown channel raster %d", (int)p->raster);
    if (p->raster == CS_RASTER_BINS && (!(p->bin_hz > 0) || !isfinite(p->bin_hz)))
        return cs_error(CS_EINVAL, "bin width must be a positive number of Hz (got %g)",
                        p->bin_hz);
    if (p->raster == CS_RASTER_BINS && p->band)
        return cs_error(CS_EINVAL, "a band applies to the GSM and UMTS rasters, not to bins");
    if (isinf(p->threshold_db))
        return cs_error(CS_EINVAL, "occupancy threshold must be a finite number of dB");
    if (p->nfft && (p->nfft < 16 || p->nfft > (1u << 20) || (p->nfft & (p->nfft - 1))))
        return cs_error(CS_EINVAL, "FFT size must be a power of two from 16 to 1048576 (got %u)",
                        p->nfft);
    return CS_OK;
}

int cs_channel_power_create(const cs_channel_power_params *p, cs_channel_power *out)
{
    if (!p || !out) return cs_error(CS_EINVAL, "cs_channel_power_create: null argument");
    *out = NULL;
    int st = check_params(p);
    if (st != CS_OK) return st;
    struct cs_channel_power_s *q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "out of memory for the channel power meter");
    q->p = *p;
    q->p.band = NULL; /* the caller's string need not outlive create */
    q->threshold_db = isnan(p->threshold_db) ? DEFAULT_THRESHOLD_DB : p->threshold_db;
    if (p->band) {
        cs_standard std = p->raster == CS_RASTER_UMTS ? CS_STANDARD_UMTS : CS_STANDARD_GSM;
        q->band = cs_band_find(p->band);
        if (!q->band || cs_band_standard(q->band) != std) {
            free(q);
            return cs_error(CS_ENOTFOUND, "unknown %s band '%s'",
                            std == CS_STANDARD_GSM ? "GSM" : "UMTS", p->band);
        }
        q->p.band = cs_band_name(q->band);
    }
    st = build_channels(q);
    if (st != CS_OK) {
        cs_channel_power_destroy(q);
        return st;
    }
    double min_bw = q->channels[0].bandwidth_hz;
    if (p->nfft) {
        q->nfft = p->nfft;
    } else {
        /* About 5 kHz bins resolve a GMSK carrier's shape; 20 kHz suffices for UMTS. */
        double res_hz = p->raster == CS_RASTER_UMTS ? 20e3 : 5e3;
        if (p->raster == CS_RASTER_BINS && p->bin_hz / 4 < res_hz) res_hz = p->bin_hz / 4;
        q->nfft = next_pow2(p->sample_rate_hz / res_hz);
    }
    q->bin_hz = p->sample_rate_hz / q->nfft;
    if (min_bw < 2 * q->bin_hz) {
        st = cs_error(CS_EINVAL, "FFT size %u gives %.0f Hz bins, too coarse for %.0f Hz "
                      "channels (need 2 bins per channel at least)", q->nfft, q->bin_hz, min_bw);
        cs_channel_power_destroy(q);
        return st;
    }
    st = cs_psd_create(q->nfft, &q->psd);
    q->power = malloc(q->nfft * sizeof(double));
    q->sorted = malloc(q->nfft * sizeof(double));
    if (st == CS_OK && (!q->power || !q->sorted))
        st = cs_error(CS_ENOMEM, "out of memory for a %u-point PSD", q->nfft);
    if (st != CS_OK) {
        cs_channel_power_destroy(q);
        return st;
    }
    /* Periodogram correlation of half-overlapping segments, for the noise-floor statistics:
     * (sum w(n) w(n + N/2))^2 / (sum w^2)^2 with the 4-term Blackman-Harris window. */
    static const double a[4] = { 0.35875, 0.48829, 0.14128, 0.01168 };
    double cross = 0, energy = 0;
    for (unsigned n = 0; n < q->nfft; n++) {
        double x = 2.0 * M_PI * n / q->nfft;
        double w = a[0] - a[1] * cos(x) + a[2] * cos(2 * x) - a[3] * cos(3 * x);
        double xs = x + M_PI; /* w(n + N/2) */
        double ws = a[0] - a[1] * cos(xs) + a[2] * cos(2 * xs) - a[3] * cos(3 * xs);
        if (n < q->nfft / 2) cross += w * ws;
        energy += w * w;
    }
    q->window_corr = (cross / energy) * (cross / energy);
    *out = q;
    return CS_OK;
}

int cs_channel_power_execute(cs_channel_power q, const cs_cf32 *x, size_t n)
{
    if (!q) return cs_error(CS_EINVAL, "cs_channel_power_execute: null object");
    return cs_psd_execute(q->psd, x, n);
}

size_t cs_channel_power_num_channels(cs_channel_power q) { return q ? q->num_channels : 0; }

const cs_channel *cs_channel_power_channels(cs_channel_power q) { return q ? q->channels : NULL; }

unsigned cs_channel_power_nfft(cs_channel_power q) { return q ? q->nfft : 0; }

uint64_t cs_channel_power_num_segments(cs_channel_power q)
{
    return q ? cs_psd_num_segments(q->psd) : 0;
}

/* Regularised lower incomplete gamma P(a, x) by its power series (x below the mean here). */
static double gamma_p(double a, double x)
{
    if (x <= 0) return 0.0;
    double term = 1.0 / a, sum = term;
    for (long n = 1; n < 100000000L; n++) {
        term *= x / (a + n);
        sum += term;
        if (term < sum * 1e-13) break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Expected ratio of the q-quantile of an averaged periodogram bin to its mean, for pure
 * noise: the bin is Gamma(K, 1/K) distributed, K the effective number of averages. */
static double percentile_bias(double q, double k_eff)
{
    double lo = 0.0, hi = 1.0; /* q < 0.5: the quantile lies below the mean */
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        if (gamma_p(k_eff, mid * k_eff) < q) lo = mid;
        else hi = mid;
    }
    return 0.5 * (lo + hi);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fill q->power with the PSD and return the noise density in power per Hz. */
static int noise_density(cs_channel_power q, double *density)
{
    int st = cs_psd_get(q->psd, q->power);
    if (st != CS_OK) return st;
    double half_usable = 0.5 * USABLE_FRACTION * q->p.sample_rate_hz;
    size_t m = 0;
    for (unsigned k = 0; k < q->nfft; k++) {
        double off = ((double)k - q->nfft / 2) * q->bin_hz;
        if (fabs(off) <= half_usable) q->sorted[m++] = q->power[k];
    }
    qsort(q->sorted, m, sizeof(double), cmp_double);
    double pct = q->sorted[(size_t)floor(NOISE_PERCENTILE * (double)(m - 1))];
    /* Welch: K segments overlapping by half have the variance of K / (1 + 2c(K-1)/K)
     * independent ones. */
    double k_seg = (double)cs_psd_num_segments(q->psd);
    double k_eff = k_seg / (1.0 + 2.0 * q->window_corr * (k_seg - 1.0) / k_seg);
    *density = pct / percentile_bias(NOISE_PERCENTILE, k_eff) / q->bin_hz;
    return CS_OK;
}

double cs_channel_power_noise_density_dbfs_hz(cs_channel_power q)
{
    double d;
    if (!q || noise_density(q, &d) != CS_OK) return NAN;
    return 10.0 * log10(d);
}

/* Power in [offset - bw/2, offset + bw/2], edge bins counted by the fraction inside. */
static double band_power(cs_channel_power q, double offset_hz, double bw_hz)
{
    double lo = offset_hz - bw_hz / 2, hi = offset_hz + bw_hz / 2, sum = 0.0;
    long half = (long)(q->nfft / 2);
    long k0 = (long)floor(lo / q->bin_hz) + half - 1, k1 = (long)ceil(hi / q->bin_hz) + half + 1;
    if (k0 < 0) k0 = 0;
    if (k1 > (long)q->nfft - 1) k1 = (long)q->nfft - 1;
    for (long k = k0; k <= k1; k++) {
        double c = (double)(k - half) * q->bin_hz;
        double a = fmax(lo, c - q->bin_hz / 2), b = fmin(hi, c + q->bin_hz / 2);
        if (b > a) sum += q->power[k] * (b - a) / q->bin_hz;
    }
    return sum;
}

/* Bin index of an offset, clamped to the spectrum. */
static long bin_of(cs_channel_power q, double offset_hz)
{
    long k = lround(offset_hz / q->bin_hz) + (long)(q->nfft / 2);
    return k < 0 ? 0 : (k >= (long)q->nfft ? (long)q->nfft - 1 : k);
}

/* PSD around bin k averaged over +-h bins (clamped): ripple must not look like an edge. */
static double smoothed_power(cs_channel_power q, long k, long h)
{
    long lo = k - h < 0 ? 0 : k - h, hi = k + h >= (long)q->nfft ? (long)q->nfft - 1 : k + h;
    double sum = 0.0;
    for (long j = lo; j <= hi; j++) sum += q->power[j];
    return sum / (double)(hi - lo + 1);
}

/* Centre of the UMTS carrier near offset_hz (NAN when the spectrum there is not shaped like
 * one): the midpoint of its half-power edges. Window
 * power is flat near the centre and a receiver's tilt moves its maximum by hundreds of kHz;
 * the RRC rolloff makes the edges steep (the raised cosine is at half power at +-1.92 MHz),
 * so their midpoint moves much less. The flat-top level is the median over +-1.4 MHz; the
 * PSD is smoothed over 100 kHz, which leaves the midpoint of symmetric edges where it is. */
static double carrier_centre_hz(cs_channel_power q, double offset_hz)
{
    long lo = bin_of(q, offset_hz - 1.4e6), hi = bin_of(q, offset_hz + 1.4e6), m = 0;
    long h = lround(50e3 / q->bin_hz), half_n = (long)(q->nfft / 2);
    for (long k = lo; k <= hi; k++) q->sorted[m++] = q->power[k];
    if (m < 3) return offset_hz;
    qsort(q->sorted, (size_t)m, sizeof(double), cmp_double);
    double half = 0.5 * q->sorted[m / 2];
    long c = bin_of(q, offset_hz), left = c, right = c;
    long left_end = bin_of(q, offset_hz - 3e6), right_end = bin_of(q, offset_hz + 3e6);
    while (left > left_end && smoothed_power(q, left - 1, h) >= half) left--;
    while (right < right_end && smoothed_power(q, right + 1, h) >= half) right++;
    if (left == left_end || right == right_end) return NAN; /* no edges: not one carrier */
    /* Each edge between its last bin above and first bin below half, interpolated. */
    double a = smoothed_power(q, left - 1, h), b = smoothed_power(q, left, h);
    double fl = (double)(left - half_n) * q->bin_hz - (b > a ? q->bin_hz * (b - half) / (b - a) : 0);
    a = smoothed_power(q, right + 1, h), b = smoothed_power(q, right, h);
    double fr = (double)(right - half_n) * q->bin_hz + (b > a ? q->bin_hz * (b - half) / (b - a) : 0);
    /* A UMTS carrier is 3.84 MHz wide at half power (3.77 and 3.74 MHz on the real
     * recordings, whose filters tilt); a cluster of GSM carriers or a narrow signal is not. */
    if (fr - fl < UMTS_MIN_WIDTH_HZ || fr - fl > UMTS_MAX_WIDTH_HZ) return NAN;
    return 0.5 * (fl + fr);
}

/* Index of the channel whose centre is nearest offset_hz. */
static size_t nearest_channel(cs_channel_power q, double offset_hz)
{
    size_t best = 0;
    for (size_t i = 1; i < q->num_channels; i++)
        if (fabs(q->channels[i].offset_hz - offset_hz) < fabs(q->channels[best].offset_hz - offset_hz))
            best = i;
    return best;
}

/* UMTS windows overlap: of the positions above the threshold keep as occupied only carrier
 * centres, the strongest first: a local maximum of window power (a window on a strong
 * carrier's skirt is not one) whose half-power width is a UMTS carrier's, moved to the
 * raster position nearest its edge midpoint, at least one carrier bandwidth from every
 * stronger carrier. */
static void mark_carrier_centres(cs_channel_power q, cs_channel_result *out)
{
    size_t n = q->num_channels;
    for (;;) {
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (out[i].occupied != 1) continue;
            int local_max = (i == 0 || out[i].power_dbfs >= out[i - 1].power_dbfs) &&
                            (i + 1 == n || out[i].power_dbfs >= out[i + 1].power_dbfs);
            if (!local_max) {
                out[i].occupied = 0;
                continue;
            }
            if (best == n || out[i].power_dbfs > out[best].power_dbfs) best = i;
        }
        if (best == n) break;
        double centre_hz = carrier_centre_hz(q, q->channels[best].offset_hz);
        out[best].occupied = 0;
        if (isnan(centre_hz)) continue; /* not shaped like a UMTS carrier */
        size_t centre = nearest_channel(q, centre_hz);
        if (out[centre].snr_db >= q->threshold_db && out[centre].occupied != 2) best = centre;
        out[best].occupied = 2; /* chosen */
        for (size_t i = 0; i < n; i++)
            if (out[i].occupied == 1 &&
                fabs(q->channels[i].offset_hz - q->channels[best].offset_hz) < UMTS_BANDWIDTH_HZ)
                out[i].occupied = 0;
    }
    for (size_t i = 0; i < n; i++) out[i].occupied = out[i].occupied == 2;
}

int cs_channel_power_results(cs_channel_power q, cs_channel_result *out)
{
    if (!q || !out) return cs_error(CS_EINVAL, "cs_channel_power_results: null argument");
    double density;
    int st = noise_density(q, &density);
    if (st != CS_OK) return st;
    for (size_t i = 0; i < q->num_channels; i++) {
        const cs_channel *c = &q->channels[i];
        double p = band_power(q, c->offset_hz, c->bandwidth_hz);
        double n = density * c->bandwidth_hz;
        out[i].power_dbfs = 10.0 * log10(p);
        out[i].noise_dbfs = 10.0 * log10(n);
        out[i].snr_db = p > n ? 10.0 * log10((p - n) / n) : -INFINITY;
        out[i].occupied = out[i].snr_db >= q->threshold_db;
    }
    if (q->p.raster == CS_RASTER_UMTS) mark_carrier_centres(q, out);
    return CS_OK;
}

int cs_channel_power_psd(cs_channel_power q, float *psd_dbfs, double *offset_hz)
{
    if (!q) return cs_error(CS_EINVAL, "cs_channel_power_psd: null object");
    int st = cs_psd_get(q->psd, q->power);
    if (st != CS_OK) return st;
    for (unsigned k = 0; k < q->nfft; k++) {
        if (psd_dbfs) psd_dbfs[k] = (float)(10.0 * log10(q->power[k]));
        if (offset_hz) offset_hz[k] = ((double)k - q->nfft / 2) * q->bin_hz;
    }
    return CS_OK;
}

void cs_channel_power_reset(cs_channel_power q)
{
    if (q) cs_psd_reset(q->psd);
}

void cs_channel_power_destroy(cs_channel_power q)
{
    if (!q) return;
    cs_psd_destroy(q->psd);
    free(q->channels);
    free(q->power);
    free(q->sorted);
    free(q);
}
