/* UMTS sweep of `cellscan scan`: in automatic mode, every carrier position the spectrum did
 * not give cells on is searched too, since the P-SCH accumulation finds a carrier whose
 * power is below the noise (one cell at Ec/Io -15 dB: the carrier is 3.4 dB under the
 * noise in its band) and a carrier hidden beside a strong neighbour or a spike.
 *
 * Cost is bounded: the sweep searches only the first --sweep-s seconds (default 0.1 s:
 * cells down to about Ec/Io -20 dB), with frequency ranges of +-500 kHz (so one searcher
 * per MHz of positions: cs_umts_sweep_windows), one cell each and no cancellation round.
 * By default it also keeps within a budget of input samples over all its searchers (the
 * whole of a 15.36 MS/s recording in 0.1 s, about 3 s of one core): wider recordings are
 * swept over a shorter span, down to 0.05 s, and beyond that not at all (a note says so);
 * an explicit --sweep-s has no budget.
 * A confirmed cell gives its carrier (position + frequency error, on the 200 kHz raster
 * when the centre is known), and only that carrier is then searched in full, over the
 * whole span: its cells are confirmed again there and measured on their own carrier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cellscan/umts_sweep.h"
#include "cli.h"
#include "scan_umts.h"

#define SWEEP_RANGE_HZ 500e3  /* the searcher's widest range; P-SCH loss 1.3 dB at its edge */
#define SWEEP_DEFAULT_S 0.1
#define SWEEP_MIN_S 0.05      /* 5 frames: the shortest span the default budget allows */
#define SWEEP_BUDGET_SAMPLES 2.5e7 /* input samples over all searchers of the default sweep */
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

/* Nothing left to find in the window: every frequency of it lies within the spacing of a
 * carrier confirmed since it was planned, or within the range a carrier was searched in
 * full already (a narrow recording whose centre carrier had no cells). */
static int window_covered(const umts_searched *d, const cs_umts_sweep_window *w, double range_hz)
{
    for (size_t i = 0; i < d->n_confirmed; i++)
        if (fabs(w->offset_hz - w->range_hz - d->confirmed_hz[i]) < UMTS_MIN_SPACING_HZ &&
            fabs(w->offset_hz + w->range_hz - d->confirmed_hz[i]) < UMTS_MIN_SPACING_HZ)
            return 1;
    for (size_t i = 0; i < d->n; i++)
        if (fabs(w->offset_hz - d->offset_hz[i]) + w->range_hz <= range_hz + 1.0) return 1;
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
    if (o->umts_sweep_s == 0 || fit < 0) return 0;
    const size_t n = cs_umts_sweep_windows(-fit, fit, done->confirmed_hz, done->n_confirmed, UMTS_MIN_SPACING_HZ,
                                           o->umts_freq_range_hz, SWEEP_RANGE_HZ, NULL, 0);
    if (n == 0) return 0;
    double span_s = o->umts_sweep_s;
    if (isnan(span_s)) { /* the default: within the budget */
        span_s = fmin(SWEEP_DEFAULT_S, (double)f->count / fs);
        const double budget_s = SWEEP_BUDGET_SAMPLES / ((double)n * fs);
        if (budget_s < span_s) { /* a short recording is swept whole; the budget cuts only long ones */
            if (budget_s < SWEEP_MIN_S) {
                fprintf(stderr, "cellscan: %s: note: UMTS sweep of %zu carrier position%s at %.6g MS/s not "
                                "run (over its CPU budget): carriers the spectrum does not show are missed; "
                                "give --sweep-s S or --uarfcn\n", f->path, n, n == 1 ? "" : "s", fs / 1e6);
                return 0;
            }
            span_s = budget_s;
        }
    }
    cs_umts_sweep_window *w = malloc(n * sizeof *w);
    if (!w) return cli_error(f->path, "out of memory"), -1;
    cs_umts_sweep_windows(-fit, fit, done->confirmed_hz, done->n_confirmed, UMTS_MIN_SPACING_HZ,
                          o->umts_freq_range_hz, SWEEP_RANGE_HZ, w, n);
    scan_file head = *f; /* the sweep's span: the first span_s seconds */
    const double want = ceil(span_s * fs);
    if (want < (double)head.count) head.count = (uint64_t)want;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (window_covered(done, &w[i], o->umts_freq_range_hz)) continue;
        cs_umts_searcher s;
        if ((rc = scan_umts_searcher_run(&head, o, w[i].offset_hz, w[i].range_hz, 1, 0, &s)) != 0 || !s)
            break; /* an error, or too short: so is every other window */
        const int found = cs_umts_searcher_num_cells(s) > 0;
        const double err_hz = found ? cs_umts_searcher_freq_error_hz(s) : NAN;
        cs_umts_searcher_destroy(s);
        if (!found || !isfinite(err_hz)) continue;
        umts_carrier ca;
        ca.offset_hz = carrier_offset(f, w[i].offset_hz + err_hz);
        if (searched_before(done, ca.offset_hz)) continue;
        scan_umts_number(&ca, f->centre_hz, o->band);
        size_t cells;
        if ((rc = scan_umts_search_carrier(f, o, &ca, rep, ppm, &cells)) == 0)
            scan_umts_searched_add(done, ca.offset_hz, cells > 0);
    }
    free(w);
    return rc;
}
