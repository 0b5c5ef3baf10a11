/* Small numeric helpers of the UMTS searcher: quick select and the raised-cosine pulse. */
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN ((size_t)4 << 20)

#include "cellscan/umts_block.h"
#include "umts_internal.h"
#include "umts_kernels.h"

float *umts_alloc_floats(size_t n)
{
    size_t bytes = (n * sizeof(float) + 63) & ~(size_t)63;
    if (bytes < HUGE_MIN) return aligned_alloc(64, bytes ? bytes : 64);
    /* Large arrays on 2 MB boundaries with transparent huge pages where the kernel allows
     * them: a few page faults instead of thousands for a recording-sized cache. */
    bytes = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    float *p = aligned_alloc(HUGE_PAGE, bytes);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

/* Quick select with a branch-free partition (the comparisons of noise-like data are
 * unpredictable: a branchy partition mispredicts every other element). Elements equal to
 * the pivot go left and right alternately, so runs of equal values still halve. */
float umts_select_kth(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        const size_t mid = lo + (hi - lo) / 2;
        const float pivot = v[mid];
        v[mid] = v[hi];
        v[hi] = pivot;
        size_t store = lo;
        for (size_t i = lo; i < hi; i++) {
            const float x = v[i], t = v[store];
            const int left = (x < pivot) | ((x == pivot) & (int)(i & 1));
            v[i] = left ? t : x;
            v[store] = left ? x : t;
            store += (size_t)left;
        }
        v[hi] = v[store];
        v[store] = pivot;
        if (k == store) return pivot;
        if (k < store) hi = store - 1;
        else lo = store + 1;
    }
    return v[k];
}

double umts_rc_pulse(double t)
{
    const double b = 0.22;
    if (fabs(t) < 1e-9) return 1.0;
    const double x = 2.0 * b * t;
    const double sinc = sin(M_PI * t) / (M_PI * t);
    if (fabs(fabs(x) - 1.0) < 1e-9) return M_PI / 4.0 * sinc;
    return sinc * cos(M_PI * b * t) / (1.0 - x * x);
}

void cs_umts_deinterleave(const cs_cf32 *x, size_t n, float *re0, float *im0, float *re1, float *im1)
{
    umts_kernels_get()->deinterleave((const float *)x, n, re0, im0, re1, im1);
}
