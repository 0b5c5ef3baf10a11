/* Search windows over the carrier positions still to search (see umts_sweep.h). */
#include "cellscan/umts_sweep.h"

#include <math.h>

/* Windows over one piece [a, b] of positions, extended by margin_hz at both ends. */
static size_t cover(double a, double b, double margin_hz, double max_range_hz, cs_umts_sweep_window *out,
                    size_t have, size_t max)
{
    const double width = b - a + 2.0 * margin_hz;
    size_t k = (size_t)ceil(width / (2.0 * max_range_hz) - 1e-9);
    if (k < 1) k = 1;
    const double w = width / (double)k;
    for (size_t i = 0; i < k; i++) {
        const double s = a - margin_hz + w * (double)i, e = s + w;
        double p = 0.5 * (s + e);
        if (p < a) p = a; /* a window's position must itself be a carrier position */
        if (p > b) p = b;
        if (have + i < max) {
            out[have + i].offset_hz = p;
            out[have + i].range_hz = fmax(p - s, e - p);
        }
    }
    return k;
}

size_t cs_umts_sweep_windows(double lo_hz, double hi_hz, const double *hole_hz, size_t n_holes,
                             double hole_half_hz, double margin_hz, double max_range_hz,
                             cs_umts_sweep_window *out, size_t max)
{
    if (!(lo_hz <= hi_hz) || !isfinite(lo_hz) || !isfinite(hi_hz) || (n_holes && !hole_hz) ||
        !(hole_half_hz >= 0) || !(margin_hz >= 0) || !(max_range_hz >= 2.0 * margin_hz) ||
        !(max_range_hz > 0) || (max && !out))
        return 0;
    /* walk up from lo_hz; each step jumps over the lowest hole that starts at or below cur */
    size_t n = 0;
    double cur = lo_hz;
    int first = 1;
    while (cur < hi_hz || (first && cur == hi_hz)) {
        double next = INFINITY; /* start of the lowest hole above cur */
        int inside = 0;
        double end = cur;
        for (size_t i = 0; i < n_holes; i++) {
            const double hs = hole_hz[i] - hole_half_hz, he = hole_hz[i] + hole_half_hz;
            if (hs <= cur && he >= cur) {
                inside = 1;
                if (he > end) end = he;
            } else if (hs > cur && hs < next) {
                next = hs;
            }
        }
        first = 0;
        if (inside) {
            if (end == cur) end = nextafter(cur, INFINITY); /* a zero-width hole */
            cur = end;
            continue;
        }
        const double b = fmin(next, hi_hz);
        n += cover(cur, b, margin_hz, max_range_hz, out, n, max);
        if (b >= hi_hz) break;
        cur = b;
    }
    return n;
}
