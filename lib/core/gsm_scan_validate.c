/* GSM scanner: which detections of a channel belong together. SCH decodes agree when
 * their frame numbers and times tell the same frame timing (and BSIC); FCCHs agree with
 * that timing (FN mod 51 in {0, 10, 20, 30, 40}, TS0) or, without an SCH, with each
 * other (a whole number of frames apart in the 51-multiframe's 10/11 pattern, same
 * frequency within their errors). */
#include <math.h>
#include <stdlib.h>

#include "cellscan/gsm_coding.h"
#include "gsm_scan_dsp.h"
#include "gsm_scan_validate.h"

#define SYM (1.0 / CS_GSM_RS_HZ)
#define FRAME_S (1250.0 * SYM)
#define TIMING_TOL_S (8.0 * SYM) /* detection timing error allowed (weak FCCHs: +-7) */
#define DRIFT_PPM 30.0           /* receiver clock error allowed between detections */

static double tolerance(double dt) { return TIMING_TOL_S + DRIFT_PPM * 1e-6 * fabs(dt); }

/* Frames from fn_a to fn_b, modulo the hyperframe, nearest to dt / frame. */
static double frame_diff(uint32_t fn_a, uint32_t fn_b, double dt)
{
    const double h = CS_GSM_HYPERFRAME;
    double d = (double)fn_b - (double)fn_a;
    const double want = dt / FRAME_S;
    d += h * round((want - d) / h);
    return d;
}

int cs_gsm_scan_sch_agree(const scan_sch *a, const scan_sch *b)
{
    if (a->ncc != b->ncc || a->bcc != b->bcc) return 0;
    const double dt = b->t_start_s - a->t_start_s;
    const double n = frame_diff(a->fn, b->fn, dt);
    return fabs(dt - n * FRAME_S) <= tolerance(dt);
}

int cs_gsm_scan_validate_sch(scan_sch *v, size_t n, carrier_timing *timing)
{
    timing->known = 0;
    if (!n) return 0;
    size_t best = 0;
    int best_count = -1;
    for (size_t i = 0; i < n; i++) {
        int count = 0;
        for (size_t j = 0; j < n; j++) count += cs_gsm_scan_sch_agree(&v[i], &v[j]);
        if (count > best_count || (count == best_count && v[i].snr_db > v[best].snr_db)) {
            best_count = count;
            best = i;
        }
    }
    int kept = 0;
    for (size_t j = 0; j < n; j++) {
        v[j].consistent = cs_gsm_scan_sch_agree(&v[best], &v[j]);
        kept += v[j].consistent;
    }
    /* timing: least-squares line t = a + b * (frames from the anchor) */
    double s1 = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t j = 0; j < n; j++) {
        if (!v[j].consistent) continue;
        const double x = frame_diff(v[best].fn, v[j].fn, v[j].t_start_s - v[best].t_start_s);
        s1 += 1;
        sx += x;
        sy += v[j].t_start_s;
        sxx += x * x;
        sxy += x * v[j].t_start_s;
    }
    const double den = s1 * sxx - sx * sx;
    timing->known = 1;
    timing->ref_fn = v[best].fn;
    timing->ncc = v[best].ncc;
    timing->bcc = v[best].bcc;
    if (s1 >= 2 && den > 0) {
        timing->frame_s = (s1 * sxy - sx * sy) / den;
        timing->ref_t = (sy - timing->frame_s * sx) / s1;
    } else {
        timing->frame_s = FRAME_S;
        timing->ref_t = v[best].t_start_s;
    }
    return kept;
}

/* FN mod 51 of an FCCH frame */
static int fcch_frame(long fn51) { return fn51 >= 0 && fn51 <= 40 && fn51 % 10 == 0; }

int cs_gsm_scan_fcch_fits(const scan_fcch *f, const carrier_timing *t)
{
    const double k = round((f->t_start_s - t->ref_t) / t->frame_s);
    const double err = f->t_start_s - (t->ref_t + k * t->frame_s);
    if (fabs(err) > tolerance(f->t_start_s - t->ref_t)) return 0;
    long fn = ((long)t->ref_fn + (long)k) % (long)CS_GSM_HYPERFRAME;
    if (fn < 0) fn += CS_GSM_HYPERFRAME;
    return fcch_frame(fn % 51);
}

int cs_gsm_scan_fcch_agree(const scan_fcch *a, const scan_fcch *b)
{
    const double dt = b->t_start_s - a->t_start_s;
    const double n = round(fabs(dt) / FRAME_S);
    if (fabs(fabs(dt) - n * FRAME_S) > tolerance(dt)) return 0;
    const long m = (long)n % 51;
    if (!(m == 0 || m == 10 || m == 11 || m == 20 || m == 21 || m == 30 || m == 31 || m == 40 ||
          m == 41))
        return 0;
    const double tol = 5.0 * sqrt(a->sigma_hz * a->sigma_hz + b->sigma_hz * b->sigma_hz) + 20.0;
    return fabs(a->offset_hz - b->offset_hz) <= tol;
}

int cs_gsm_scan_validate_fcch(scan_fcch *v, size_t n, const carrier_timing *timing)
{
    int kept = 0;
    if (timing->known) {
        for (size_t i = 0; i < n; i++) {
            v[i].valid = cs_gsm_scan_fcch_fits(&v[i], timing);
            kept += v[i].valid;
        }
        return kept;
    }
    size_t best = 0;
    int best_count = -1;
    for (size_t i = 0; i < n; i++) {
        int count = 0;
        for (size_t j = 0; j < n; j++) count += cs_gsm_scan_fcch_agree(&v[i], &v[j]);
        if (count > best_count || (count == best_count && v[i].statistic > v[best].statistic)) {
            best_count = count;
            best = i;
        }
    }
    for (size_t j = 0; j < n; j++) {
        v[j].valid = n ? cs_gsm_scan_fcch_agree(&v[best], &v[j]) : 0;
        kept += v[j].valid;
    }
    return kept;
}

int cs_gsm_scan_frequency(const scan_fcch *v, size_t n, const freq_sums *more, double *mean_hz,
                          double *sigma_hz, freq_sums *used)
{
    /* inverse-variance mean, then once more without outliers beyond 4 sigma of it */
    freq_sums first = {0, 0, 0, 0}, kept = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (!v[i].valid) continue;
        const double wi = 1.0 / (v[i].sigma_hz * v[i].sigma_hz);
        first.sw += wi;
        first.swx += wi * v[i].offset_hz;
        first.n++;
    }
    const double m1 = first.n ? first.swx / first.sw : 0.0;
    for (size_t i = 0; i < n && first.n; i++) {
        if (!v[i].valid) continue;
        const double s = sqrt(v[i].sigma_hz * v[i].sigma_hz + 1.0 / first.sw);
        if (fabs(v[i].offset_hz - m1) > 4.0 * s) continue;
        const double wi = 1.0 / (v[i].sigma_hz * v[i].sigma_hz);
        kept.sw += wi;
        kept.swx += wi * v[i].offset_hz;
        kept.sw2 += wi * v[i].offset_hz * v[i].offset_hz;
        kept.n++;
    }
    if (used) *used = kept;
    if (more) {
        kept.sw += more->sw;
        kept.swx += more->swx;
        kept.sw2 += more->sw2;
        kept.n += more->n;
    }
    if (!kept.n) return 0;
    const double m = kept.swx / kept.sw;
    /* spread beyond the bounds (fading, drift) widens the error */
    const double chi2 = kept.sw2 - kept.sw * m * m;
    double scale = kept.n > 1 ? chi2 / (kept.n - 1) : 1.0;
    if (scale < 1.0) scale = 1.0;
    *sigma_hz = sqrt(scale / kept.sw);
    *mean_hz = m;
    return (int)kept.n;
}
