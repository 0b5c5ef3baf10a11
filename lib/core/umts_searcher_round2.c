/* The UMTS searcher's second round (see umts_searcher.h): the synchronisation channels of
 * the cells found are cancelled from the cache and the P-SCH searched again at the
 * carrier's frequency. Only near the cells found (ROUND2_REACH samples: their P-SCH side
 * lobes, and the cancelled channels' reach, 528) can the P-SCH map have changed: it is
 * folded again there, and round 1's map serves the rest of the slot, less the peaks round
 * 1 already tried. */
#include <math.h>
#include <stdlib.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"
#include "umts_searcher_internal.h"

#define ROUND2_REACH 560 /* samples either side of a cell found */

/* Round 1's map at the carrier's frequency and the peaks it gave, for round 2 outside the
 * windows it searches again (the rest of the slot did not change). */
static int round_one_map(struct cs_umts_searcher_s *s, float *map, int *tested, size_t *n_tested)
{
    const double f = s->out[0].freq_error_hz - s->psch1_offset_hz; /* in round 1's samples */
    int best = 0;
    for (int j = 1; j < cs_umts_psch_sync_num_freqs(s->psch); j++)
        if (fabs(cs_umts_psch_sync_freq(s->psch, j) - f) <
            fabs(cs_umts_psch_sync_freq(s->psch, best) - f))
            best = j;
    /* the peaks round 1 left to this round (deferred) are not tried yet */
    const size_t n = cs_umts_psch_sync_num_candidates(s->psch);
    *n_tested = 0;
    for (size_t i = 0; i < n; i++) {
        const int t = cs_umts_psch_sync_candidate(s->psch, i)->slot_offset_index;
        int waiting = 0;
        for (size_t j = 0; j < s->n_deferred; j++) waiting |= s->deferred[j] == t;
        if (!waiting) tested[(*n_tested)++] = t;
    }
    return cs_umts_psch_sync_map(s->psch, best, map);
}

/* Second round on the cache: cancel the cells found, search again for weaker ones. Only
 * near the cells found can the P-SCH map have changed: it is folded again there. */
int search_round_two(struct cs_umts_searcher_s *s)
{
    if (!s->p.cancellation || s->streaming || s->n_out == 0 || s->round != 1) return CS_OK;
    float *map = malloc(UMTS_SLOT_SAMPLES * sizeof *map);
    int tested[256];
    size_t n_tested = 0;
    if (!map) return cs_error(CS_ENOMEM, "umts search: out of memory");
    int rc = round_one_map(s, map, tested, &n_tested);
    if (rc == CS_OK) rc = search_cancel(s);
    if (rc == CS_OK) {
        s->round = 2;
        rc = search_new_psch(s);
    }
    /* A cancelled CPICH changes the map everywhere: the whole slot is folded again, each
     * stretch as soon as the cancellation has passed it (still in cache). */
    psch_stream_fold *fold = NULL;
    if (rc == CS_OK && (rc = psch_stream_fold_begin(s->psch, &fold)) == CS_ENOTSUP) rc = CS_OK;
    int cpich_cells = 0;
    if (rc == CS_OK && (cpich_cells = search_cancel_cpich(s, fold)) < 0) rc = cpich_cells;
    if (rc == CS_OK) {
        const float *const poly[4] = {s->poly[0], s->poly[1], s->poly[2], s->poly[3]};
        double pos[SEARCH_MAX_CELLS];
        for (size_t i = 0; i < s->n_out; i++)
            pos[i] = fmod(s->out[i].frame_offset_chips * UMTS_SPC, UMTS_SLOT_SAMPLES);
        if (cpich_cells > 0 && fold) {
            rc = psch_stream_fold_end(fold, poly, s->poly_n);
            fold = NULL;
        } else {
            rc = cpich_cells > 0 ? umts_psch_sync_fold_cache(s->psch, poly, s->poly_n)
                                 : umts_psch_sync_fold_windows(s->psch, poly, s->poly_n, pos, s->n_out,
                                                               ROUND2_REACH, map, tested, n_tested);
        }
        if (rc == CS_ENOTSUP) rc = umts_psch_sync_execute_poly(s->psch, poly, s->poly_n);
    }
    psch_stream_fold_abort(fold);
    free(map);
    if (rc != CS_OK) return rc;
    s->stage = STAGE_PSCH;
    if ((rc = search_stage_psch_done(s)) != CS_OK) return rc;
    return search_run_cached(s);
}
