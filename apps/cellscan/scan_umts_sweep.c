/* UMTS sweep of `cellscan scan`: in automatic mode, every carrier position the spectrum did
 * not give cells on is searched too, since the P-SCH accumulation finds a carrier whose
 * power is below the noise (one cell at Ec/Io -15 dB: the carrier is 3.4 dB under the
 * noise in its band) and a carrier hidden beside a strong neighbour or a spike.
 *
 * Cost is bounded: the sweep searches only the first --sweep-s seconds (default 0.1 s:
 * cells down to about Ec/Io -20 dB), with frequency ranges of +-500 kHz (so one searcher
 * per MHz of positions: cs_umts_sweep_windows), one cell each and no cancellation round.
 * A confirmed cell gives its carrier (position + frequency error, on the 200 kHz raster
 * when the centre is known), and only that carrier is then searched in full, over the
 * whole span: its cells are confirmed again there and measured on their own carrier. */
#include <math.h>
#include <stdio.h>

#include "cellscan/umts_sweep.h"
#include "scan_umts.h"

#define SWEEP_RANGE_HZ 500e3  /* the searcher's widest range; P-SCH loss 1.3 dB at its edge */
#define SWEEP_MAX_WINDOWS 64  /* 64 MHz of positions (about 76.8 MS/s) */
#define RASTER_HZ 200e3
#define SAME_CARRIER_HZ 100e3 /* half the raster: closer carriers are one */

void scan_umts_searched_add(umts_searched *d, double offset_hz, int confirmed)
{
    const size_t cap = sizeof d->offset_hz / sizeof d->offset_hz[0];
    if (d->n < cap) d->offset_hz[d->n++] = offset_hz;
    if (confirmed && d->n_confirmed < cap) d->confirmed_hz[d->n_confirmed++] = offset_hz;
}

static int searched_before(const umts_searched *d, double offset_hz)
{
    for (size_t i = 0; i < d->n; i++)
        if (fabs(d->offset_hz[i] - offset_hz) < SAME_CARRIER_HZ) return 1;
    return 0;
}

/* Every frequency of the window lies within the spacing of a carrier confirmed since it
 * was planned: nothing left to find there. */
static int window_covered(const umts_searched *d, const cs_umts_sweep_window *w)
{
    for (size_t i = 0; i < d->n_confirmed; i++)
        if (fabs(w->offset_hz - w->range_hz - d->confirmed_hz[i]) < UMTS_MIN_SPACING_HZ &&
            fabs(w->offset_hz + w->range_hz - d->confirmed_hz[i]) < UMTS_MIN_SPACING_HZ)
            return 1;
    return 0;
}

/* The carrier of a cell found at position + error: the nearest raster point when the
 * centre is known, else the nearest kHz. */
static double carrier_offset(const scan_file *f, double offset_hz)
{
    const double fit = f->info->sample_rate_hz / 2.0 - UMTS_FIT_HALF_HZ;
    double c = isfinite(f->centre_hz) ? round((f->centre_hz + offset_hz) / RASTER_HZ) * RASTER_HZ - f->centre_hz
                                      : round(offset_hz / 1e3) * 1e3;
    if (fabs(c) > fit) c = fmax(-fit, fmin(fit, offset_hz)); /* the raster point falls outside */
    return c;
}

int scan_umts_sweep(const scan_file *f, const scan_options *o, umts_searched *done, report *rep, scan_ppm *ppm)
{
    const double fs = f->info->sample_rate_hz;
    const double fit = fs / 2.0 * (1 + 1e-9) - UMTS_FIT_HALF_HZ;
    if (!(o->umts_sweep_s > 0) || fit < 0) return 0;
    cs_umts_sweep_window w[SWEEP_MAX_WINDOWS];
    const size_t n = cs_umts_sweep_windows(-fit, fit, done->confirmed_hz, done->n_confirmed, UMTS_MIN_SPACING_HZ,
                                           o->umts_freq_range_hz, SWEEP_RANGE_HZ, w, SWEEP_MAX_WINDOWS);
    if (n > SWEEP_MAX_WINDOWS) {
        fprintf(stderr, "cellscan: %s: note: %zu UMTS sweep positions exceed %d; not swept "
                        "(give --uarfcn or --umts-offset)\n", f->path, n, SWEEP_MAX_WINDOWS);
        return 0;
    }
    scan_file head = *f; /* the sweep's span: the first --sweep-s seconds */
    const double want = ceil(o->umts_sweep_s * fs);
    if (want < (double)head.count) head.count = (uint64_t)want;
    for (size_t i = 0; i < n; i++) {
        if (window_covered(done, &w[i])) continue;
        cs_umts_searcher s;
        if (scan_umts_searcher_run(&head, o, w[i].offset_hz, w[i].range_hz, 1, 0, &s) != 0) return -1;
        if (!s) return 0; /* too short: so is every other window */
        const int found = cs_umts_searcher_num_cells(s) > 0;
        const double err_hz = found ? cs_umts_searcher_freq_error_hz(s) : NAN;
        cs_umts_searcher_destroy(s);
        if (!found || !isfinite(err_hz)) continue;
        umts_carrier ca;
        ca.offset_hz = carrier_offset(f, w[i].offset_hz + err_hz);
        if (searched_before(done, ca.offset_hz)) continue;
        scan_umts_number(&ca, f->centre_hz, o->band);
        size_t cells;
        if (scan_umts_search_carrier(f, o, &ca, rep, ppm, &cells) != 0) return -1;
        scan_umts_searched_add(done, ca.offset_hz, cells > 0);
    }
    return 0;
}
