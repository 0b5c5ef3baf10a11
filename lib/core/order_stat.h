/* Order statistics without a full sort (internal). */
#ifndef CELLSCAN_ORDER_STAT_H
#define CELLSCAN_ORDER_STAT_H

#include <stddef.h>

/* The k-th smallest of v[0..n) (k < n), as v[k] would be after sorting ascending; v is
 * reordered. Expected O(n). NaNs must not be present. */
double cs_select_double(double *v, size_t n, size_t k);

#endif
