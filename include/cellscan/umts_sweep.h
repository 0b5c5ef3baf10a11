/* Where to run the UMTS searcher so that every carrier position of a recording is
 * searched (the sweep of `cellscan scan` for carriers the spectrum does not show).
 *
 * A cell's carrier can sit on any point of the 200 kHz UARFCN raster, and the searcher
 * finds it up to its frequency range away from the position searched (the P-SCH loses
 * about 1.3 dB at 500 kHz through the matched filter). So the carrier positions still to
 * search, an interval minus holes around the carriers already confirmed, are covered by
 * windows: a search position with a frequency range of at most max_range_hz each side,
 * as few windows as cover each piece, spread evenly over it. */
#ifndef CELLSCAN_UMTS_SWEEP_H
#define CELLSCAN_UMTS_SWEEP_H

#include <stddef.h>

#include "cellscan/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_umts_sweep_window {
    double offset_hz; /* search position relative to the recording centre */
    double range_hz;  /* frequency search +- this around it */
} cs_umts_sweep_window;

/* Cover [lo_hz, hi_hz] minus every [hole_hz[i] - hole_half_hz, hole_hz[i] + hole_half_hz]
 * with windows of range at most max_range_hz, each window's position inside [lo_hz, hi_hz]
 * widened by margin_hz (the receiver's frequency error) at both ends of every piece.
 * Writes up to max windows, lowest first, and returns how many are needed (more than max
 * when they do not all fit; 0 for an empty set or bad arguments). */
CS_API size_t cs_umts_sweep_windows(double lo_hz, double hi_hz, const double *hole_hz, size_t n_holes,
                                    double hole_half_hz, double margin_hz, double max_range_hz,
                                    cs_umts_sweep_window *out, size_t max);

#ifdef __cplusplus
}
#endif

#endif
