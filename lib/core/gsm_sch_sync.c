/* SCH receiver: training timing, channel estimate, soft equaliser, decode (see
 * gsm_sch_sync.h). */
#include "cellscan/gsm_sch_sync.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "gsm_scan_dsp.h"

#define Q 4                  /* samples per symbol of the timing search */
#define GUARD_SYMBOLS 12     /* segment beyond the burst and the search, each side */
#define MAX_SEARCH_SYMBOLS 100
/* correlation points: the search range (Q per symbol each side, one more symbol for the
 * rounding of search_s / T) and its two neighbours */
#define MAX_CORR (2 * Q * (MAX_SEARCH_SYMBOLS + 2) + 4)
#define TRAIN_FIRST 42
#define TRAIN_LAST 105
#define TRAIN_LEN 64
/* the correlation peak of training symbol 42 sits this many symbols after its start
 * (measured on the modulator of gmsk_modulator.h: the symbol after its pulse centre) */
#define CURSOR_SYMBOLS 1.0

struct cs_gsm_sch_sync_s {
    cs_gsm_sch_sync_config cfg;
    float train[TRAIN_LEN];          /* training symbols 1 - 2b */
    uint8_t tmpl[CS_GSM_BURST_BITS]; /* known bits: tails 0, training */
    int8_t known[CS_GSM_BURST_BITS];
    cs_cf32 *grid, *mixed;
    size_t grid_cap, mixed_cap;
    cs_gsm_interp interp; /* symbol-rate low-pass: white noise at 1 sample per symbol */
};

void cs_gsm_sch_sync_config_init(cs_gsm_sch_sync_config *c)
{
    memset(c, 0, sizeof *c);
    c->num_taps = 5;
}

double cs_gsm_sch_sync_margin_s(double search_s)
{
    return search_s + (GUARD_SYMBOLS + CS_GSM_BURST_BITS + CS_GSM_EQ_MAX_TAPS) / CS_GSM_RS_HZ;
}

int cs_gsm_sch_sync_create(const cs_gsm_sch_sync_config *c, cs_gsm_sch_sync *out)
{
    if (!out) return cs_error(CS_EINVAL, "sch sync: NULL output");
    *out = NULL;
    if (!c) return cs_error(CS_EINVAL, "sch sync: no configuration");
    if (!(c->sample_rate_hz >= 250e3 && c->sample_rate_hz <= 100e6))
        return cs_error(CS_EINVAL, "sch sync: sample_rate_hz must be 250e3..100e6 (got %g)",
                        c->sample_rate_hz);
    if (!isfinite(c->centre_offset_hz) || fabs(c->centre_offset_hz) > 0.5 * c->sample_rate_hz)
        return cs_error(CS_EINVAL, "sch sync: centre_offset_hz must be within +-rate/2 (got %g)",
                        c->centre_offset_hz);
    if (c->num_taps < 1 || c->num_taps > CS_GSM_EQ_MAX_TAPS)
        return cs_error(CS_EINVAL, "sch sync: num_taps must be 1..%d (got %d)",
                        CS_GSM_EQ_MAX_TAPS, c->num_taps);
    cs_gsm_sch_sync q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "sch sync: out of memory");
    q->cfg = *c;
    double cut = 0.5 * CS_GSM_RS_HZ / c->sample_rate_hz;
    if (cut > 0.5) cut = 0.5;
    int rc = cs_gsm_interp_create(cut, &q->interp);
    if (rc != CS_OK) {
        free(q);
        return rc;
    }
    uint8_t tr[CS_GSM_SCH_TRAINING_BITS];
    cs_gsm_sch_training(tr);
    for (int i = 0; i < TRAIN_LEN; i++) q->train[i] = 1.0f - 2.0f * tr[i];
    for (int m = 0; m < CS_GSM_BURST_BITS; m++) {
        q->tmpl[m] = 0;
        q->known[m] = -1;
    }
    for (int m = 0; m < 3; m++) q->known[m] = q->known[CS_GSM_BURST_BITS - 1 - m] = 0;
    for (int i = 0; i < TRAIN_LEN; i++) {
        q->tmpl[TRAIN_FIRST + i] = tr[i];
        q->known[TRAIN_FIRST + i] = (int8_t)tr[i];
    }
    *out = q;
    return CS_OK;
}

void cs_gsm_sch_sync_destroy(cs_gsm_sch_sync q)
{
    if (!q) return;
    free(q->grid);
    free(q->mixed);
    cs_gsm_interp_destroy(q->interp);
    free(q);
}

/* y[i] = x[i] e^{j(phase0 + i step)} for i in [lo, hi), a phasor recurrence re-anchored
 * at every multiple of 256 (so a sub-range gets the same values as the whole; in place
 * allowed). Each 256 are done in two passes: the phasors (a sequential recurrence), then
 * the products, written out (x * p for finite values) so that they vectorise. */
#define ROT_BLOCK 256
static void rotate_range(const cs_cf32 *x, cs_cf32 *y, size_t lo, size_t hi, double step,
                         double phase0)
{
    const double sr = cos(step), si = sin(step);
    float pr[ROT_BLOCK], pi[ROT_BLOCK];
    for (size_t b0 = lo - lo % ROT_BLOCK; b0 < hi; b0 += ROT_BLOCK) {
        const double ph = fmod(phase0 + step * (double)b0, 2.0 * M_PI);
        double re = cos(ph), im = sin(ph);
        const size_t b1 = b0 + ROT_BLOCK < hi ? b0 + ROT_BLOCK : hi, a = b0 < lo ? lo - b0 : 0;
        for (size_t k = 0; k < b1 - b0; k++) {
            pr[k] = (float)re;
            pi[k] = (float)im;
            const double t = re * sr - im * si;
            im = re * si + im * sr;
            re = t;
        }
        const float *xf = (const float *)(x + b0);
        float *yf = (float *)(y + b0);
        for (size_t k = a; k < b1 - b0; k++) {
            const float xr = xf[2 * k], xi = xf[2 * k + 1];
            yf[2 * k] = xr * pr[k] - xi * pi[k];
            yf[2 * k + 1] = xr * pi[k] + xi * pr[k];
        }
    }
}

static void rotate(const cs_cf32 *x, cs_cf32 *y, size_t n, double step, double phase0)
{
    rotate_range(x, y, 0, n, step, phase0);
}

int cs_gsm_sch_sync_execute(cs_gsm_sch_sync q, const cs_cf32 *x, size_t n,
                            double expected_start_s, double search_s, double freq_offset_hz,
                            cs_gsm_sch_sync_result *res)
{
    if (!q || !x || !res) return cs_error(CS_EINVAL, "sch sync: NULL argument");
    memset(res, 0, sizeof *res);
    const double T = 1.0 / CS_GSM_RS_HZ, fs = q->cfg.sample_rate_hz;
    if (!isfinite(expected_start_s) || !isfinite(freq_offset_hz) ||
        !(search_s >= 0.0 && search_s <= MAX_SEARCH_SYMBOLS * T))
        return cs_error(CS_EINVAL, "sch sync: bad expected time %g, search %g s or offset %g Hz",
                        expected_start_s, search_s, freq_offset_hz);
    const double f = q->cfg.centre_offset_hz + freq_offset_hz;
    const int L = q->cfg.num_taps, D = (L - 1) / 2;
    const int search_sym = (int)ceil(search_s / T);
    const double t_g = expected_start_s - (search_sym + GUARD_SYMBOLS) * T;
    const size_t ng = (size_t)Q * (CS_GSM_BURST_BITS + 2 * (search_sym + GUARD_SYMBOLS));
    if (ng > q->grid_cap) {
        cs_cf32 *g = realloc(q->grid, ng * sizeof *g);
        if (!g) return cs_error(CS_ENOMEM, "sch sync: out of memory");
        q->grid = g;
        q->grid_cap = ng;
    }
    cs_cf32 *g = q->grid;
    /* move the carrier to 0 Hz over the stretch the filter reads, then low-pass and
     * resample; the GMSK rotation goes after (a phase per output sample) */
    const int64_t half = (int64_t)cs_gsm_interp_half(q->interp) + 2;
    int64_t i0 = (int64_t)floor(t_g * fs) - half;
    int64_t i1 = (int64_t)ceil((t_g + (double)ng * T / Q) * fs) + half;
    if (i0 < 0) i0 = 0;
    if (i1 > (int64_t)n) i1 = (int64_t)n;
    const size_t nm = i1 > i0 ? (size_t)(i1 - i0) : 0;
    if (nm > q->mixed_cap) {
        cs_cf32 *mx = realloc(q->mixed, nm * sizeof *mx);
        if (!mx) return cs_error(CS_ENOMEM, "sch sync: out of memory");
        q->mixed = mx;
        q->mixed_cap = nm;
    }
    rotate(x + i0, q->mixed, nm, -2.0 * M_PI * f / fs, -2.0 * M_PI * f / fs * (double)i0);
    /* training correlation over the search range: it reads grid points lo-1 .. hi+1 +
     * Q (TRAIN_LEN - 1); only those are interpolated and rotated (the rest is never read) */
    const double m_exp = Q * (search_sym + GUARD_SYMBOLS + TRAIN_FIRST + CURSOR_SYMBOLS);
    int64_t lo = (int64_t)floor(m_exp) - Q * (search_sym + 1);
    int64_t hi = (int64_t)ceil(m_exp) + Q * (search_sym + 1);
    if (lo < 1) lo = 1;
    if (hi > (int64_t)ng - Q * TRAIN_LEN - 1) hi = (int64_t)ng - Q * TRAIN_LEN - 1;
    if (hi < lo) return cs_error(CS_EINVAL, "sch sync: search range outside the segment");
    const size_t g0 = (size_t)(lo - 1), g1 = (size_t)(hi + 2 + Q * (TRAIN_LEN - 1));
    cs_gsm_interp_execute(q->interp, q->mixed, nm, t_g * fs - (double)i0 + (double)g0 * fs * T / Q,
                          fs * T / Q, g1 - g0, g + g0);
    rotate_range(g, g, g0, g1, -0.5 * M_PI / Q, 0.0); /* GMSK: -pi/2 per symbol from t_g */

    /* correlation at every t = lo-1 .. hi+1 at once: for each training symbol, one pass
     * over the contiguous t (each t's sum in the same order as one at a time) */
    const size_t nt = (size_t)(hi - lo + 3);
    if (nt > MAX_CORR) return cs_error(CS_EINVAL, "sch sync: search range too long");
    float acc[2 * MAX_CORR];
    for (size_t k = 0; k < 2 * nt; k++) acc[k] = 0.0f;
    for (int i = 0; i < TRAIN_LEN; i++) {
        const float tr = q->train[i], *gi = (const float *)(g + lo - 1 + Q * i);
        for (size_t k = 0; k < 2 * nt; k++) acc[k] += gi[k] * tr;
    }
    double best = -1.0, mag[MAX_CORR];
    int64_t tau = lo;
    for (int64_t t = lo - 1; t <= hi + 1; t++) {
        const size_t k = (size_t)(t - lo + 1);
        const double v = cabsf(CMPLXF(acc[2 * k], acc[2 * k + 1]));
        mag[k] = v;
        if (t >= lo && t <= hi && v > best) {
            best = v;
            tau = t;
        }
    }
    const double cm = mag[tau - lo], cp = mag[tau - lo + 2];
    double delta = 0.0;
    const double den = cm - 2.0 * best + cp;
    if (den < 0.0) delta = 0.5 * (cm - cp) / den;
    if (delta > 0.5) delta = 0.5;
    if (delta < -0.5) delta = -0.5;
    double e = 0.0;
    for (int i = 0; i < TRAIN_LEN; i++) {
        const cs_cf32 v = g[tau + Q * i];
        e += (double)crealf(v) * crealf(v) + (double)cimagf(v) * cimagf(v);
    }
    res->training_corr = e > 0.0 ? best / (sqrt(e) * sqrt((double)TRAIN_LEN)) : 0.0;

    /* symbol-spaced samples: y_i at the cursor of symbol i - D */
    const double t42 = t_g + ((double)tau + delta) * T / Q;
    res->t_start_s = t42 - (TRAIN_FIRST + CURSOR_SYMBOLS) * T;
    cs_cf32 y[CS_GSM_BURST_BITS + CS_GSM_EQ_MAX_TAPS];
    const int ny = CS_GSM_BURST_BITS + L - 1;
    const double t_y0 = t42 + (double)(0 - D - TRAIN_FIRST) * T;
    cs_gsm_interp_execute(q->interp, q->mixed, nm, t_y0 * fs - (double)i0, fs * T, (size_t)ny,
                          y);
    rotate(y, y, (size_t)ny, -0.5 * M_PI, -0.5 * M_PI * CS_GSM_RS_HZ * (t_y0 - t_g));

    double noise = 0.0;
    int rc = cs_gsm_channel_estimate(y, q->tmpl, TRAIN_FIRST, TRAIN_LAST, L, res->taps, &noise);
    if (rc != CS_OK) return rc;
    res->num_taps = L;
    double pw = 0.0;
    for (int l = 0; l < L; l++)
        pw += (double)crealf(res->taps[l]) * crealf(res->taps[l]) +
              (double)cimagf(res->taps[l]) * cimagf(res->taps[l]);
    res->power = pw;
    const double floor_var = 1e-9 * (pw > 0.0 ? pw : 1.0);
    if (!(noise > floor_var)) noise = floor_var;
    /* the interpolator passes +-Rs/2: the residual is the noise in the symbol-rate band */
    res->snr_db = pw > 0.0 ? 10.0 * log10(pw / noise) : -INFINITY;
    if (!(pw > 0.0)) return CS_OK; /* silence: nothing to equalise */
    rc = cs_gsm_equalise(y, res->taps, L, noise, q->known, res->soft);
    if (rc != CS_OK) return rc;
    return cs_gsm_sch_decode_burst(res->soft, &res->sch);
}
