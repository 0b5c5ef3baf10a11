/* The UMTS detector of `cellscan scan` (scan_umts.c) and its sweep of the carrier
 * positions the spectrum did not show (scan_umts_sweep.c). */
#ifndef CELLSCAN_SCAN_UMTS_H
#define CELLSCAN_SCAN_UMTS_H

#include <stddef.h>

#include "cellscan/umts_searcher.h"
#include "scan.h"

#define UMTS_FIT_HALF_HZ 1.92e6   /* a carrier's chips (3.84 MHz) must fit in the recording */
#define UMTS_MIN_SPACING_HZ 4.2e6 /* no two carriers of a network closer than this */

typedef struct umts_carrier {
    double offset_hz;  /* nominal centre relative to the recording centre */
    double freq_hz;    /* nominal centre, NAN when the recording centre is unknown */
    int uarfcn;        /* -1 when unknown */
    const char *band;  /* NULL when unknown */
} umts_carrier;

/* Carriers searched in full so far, and those of them with cells. */
typedef struct umts_searched {
    size_t n, n_confirmed;
    double offset_hz[4 * SCAN_MAX_CARRIERS];
    double confirmed_hz[4 * SCAN_MAX_CARRIERS];
} umts_searched;

void scan_umts_searched_add(umts_searched *d, double offset_hz, int confirmed);

/* Number a carrier (UARFCN, band, frequency) when the recording centre is known. */
void scan_umts_number(umts_carrier *c, double centre_hz, const char *band_name);

/* Run a searcher over the span of f at offset_hz (+- range_hz). *out: the finished
 * searcher, or NULL when the span is too short to search. 0, or -1 after the error line. */
int scan_umts_searcher_run(const scan_file *f, const scan_options *o, double offset_hz, double range_hz,
                           unsigned max_cells, int cancellation, cs_umts_searcher *out);

/* Full search of one carrier; its umts_carrier and umts_cell records when it has cells. */
int scan_umts_search_carrier(const scan_file *f, const scan_options *o, const umts_carrier *ca, report *rep,
                             scan_ppm *ppm, size_t *n_cells);

/* Automatic mode, after the carriers from the spectrum: search every other carrier
 * position of the recording, over its first o->umts_sweep_s seconds, and search in full
 * each carrier where a cell is confirmed. */
int scan_umts_sweep(const scan_file *f, const scan_options *o, umts_searched *done, report *rep, scan_ppm *ppm);

#endif
