/* A whole UMTS search of a generated recording (umts_test_recording.h) fed in chunks, and
 * a found cell by its code (tests only). */
#ifndef CELLSCAN_UMTS_TEST_SEARCH_H
#define CELLSCAN_UMTS_TEST_SEARCH_H

#include "cellscan/status.h"
#include "cellscan/umts_searcher.h"
#include "umts_test_recording.h"

/* The searcher after its passes over r (at most 10), NULL on any failure. */
static inline cs_umts_searcher search_run(const cs_umts_searcher_params *p, const rec *r,
                                          size_t chunk)
{
    cs_umts_searcher s;
    if (cs_umts_searcher_create(p, &s) != CS_OK) return NULL;
    int rc;
    unsigned passes = 0;
    do {
        for (size_t a = 0; a < r->n; a += chunk)
            if (cs_umts_searcher_execute(s, r->x + a, r->n - a < chunk ? r->n - a : chunk) != CS_OK) {
                cs_umts_searcher_destroy(s);
                return NULL;
            }
        rc = cs_umts_searcher_end_pass(s);
        passes++;
    } while (rc == 1 && passes < 10);
    if (rc != 0) {
        cs_umts_searcher_destroy(s);
        return NULL;
    }
    return s;
}

static inline const cs_umts_cell *find(cs_umts_searcher s, int psc)
{
    for (size_t i = 0; i < cs_umts_searcher_num_cells(s); i++)
        if (cs_umts_searcher_cell(s, i)->psc == psc) return cs_umts_searcher_cell(s, i);
    return NULL;
}

#endif
