/* k-th smallest value by quickselect (see order_stat.h). */
#include "order_stat.h"

static void swap(double *a, double *b)
{
    const double t = *a;
    *a = *b;
    *b = t;
}

double cs_select_double(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        /* median of three as the pivot, moved to hi */
        const size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo]) swap(&v[hi], &v[lo]);
        if (v[mid] < v[hi]) swap(&v[mid], &v[hi]);
        const double pivot = v[hi];
        size_t store = lo;
        for (size_t i = lo; i < hi; i++)
            if (v[i] < pivot) swap(&v[i], &v[store++]);
        swap(&v[store], &v[hi]);
        if (store == k) return v[k];
        if (store < k) lo = store + 1;
        else hi = store - 1;
    }
    return v[k];
}
