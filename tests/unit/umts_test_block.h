/* A generated recording (umts_test_recording.h) through the UMTS front end, at the
 * working rate, as the cs_umts_block the search stages read (tests only). */
#ifndef CELLSCAN_UMTS_TEST_BLOCK_H
#define CELLSCAN_UMTS_TEST_BLOCK_H

#include <stdlib.h>

#include "cellscan/status.h"
#include "cellscan/umts_block.h"
#include "cellscan/umts_frontend.h"
#include "umts_kernels.h"
#include "umts_test_recording.h"

/* The block's arrays live in the returned buffer (free it); NULL when out of memory. */
static inline float *as_block(const rec *r, cs_umts_block *b)
{
    cs_umts_frontend fe;
    if (cs_umts_frontend_create(r->sc->sample_rate_hz, 0, &fe) != CS_OK) return NULL;
    size_t cap = cs_umts_frontend_max_output(fe, r->n), ny = 0, nf = 0;
    cs_cf32 *y = malloc(cap * sizeof *y);
    float *poly = malloc(2 * cap * sizeof *poly);
    if (!y || !poly) {
        free(y);
        free(poly);
        cs_umts_frontend_destroy(fe);
        return NULL;
    }
    cs_umts_frontend_execute(fe, r->x, r->n, y, cap, &ny);
    cs_umts_frontend_flush(fe, y + ny, cap - ny, &nf);
    const size_t even = (ny + nf) & ~(size_t)1;
    cs_umts_deinterleave(y, even, poly, poly + even / 2, poly + even, poly + 3 * even / 2);
    *b = (cs_umts_block){{poly, poly + even}, {poly + even / 2, poly + 3 * even / 2}, 0, even, even};
    free(y);
    cs_umts_frontend_destroy(fe);
    return poly;
}

#endif
