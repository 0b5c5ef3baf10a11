/* Round 1 of the UMTS searcher from a first look: when the cache will hold the whole
 * input, the P-SCH search over the frequency grid (lag products, the costly part of step
 * 1) first sees only FIRST_SLOTS slots. A cell that already stands out there fixes the
 * carrier's frequency (every cell of a carrier shares it within a few hundred Hz): the
 * cache is shifted to it and searched at that one frequency, where the P-SCH folds
 * directly (a few adds per sample instead of 16 complex products) and without grid
 * loss. Without such a cell the grid search simply goes on over the whole input, so weak
 * cells alone are searched exactly as before. */
#include <math.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"
#include "umts_searcher_internal.h"

#define FIRST_SLOTS 30      /* 20 ms */
#define FIRST_STRONG_Z 20.0 /* far beyond any noise peak of 30 slots (z 6 passes 150 slots) */

int search_first_eligible(const struct cs_umts_searcher_s *s)
{
    if (s->streaming || !s->p.expected_input_samples || s->p.max_drift_ppm > 0 ||
        !(s->p.freq_range_hz > 0))
        return 0;
    const double n = (double)s->p.expected_input_samples * UMTS_FS_HZ / s->p.input_rate_hz;
    return n + 4096 <= (double)s->p.cache_samples && n > 2.0 * FIRST_SLOTS * UMTS_SLOT_SAMPLES;
}

/* The one-frequency P-SCH search of the cache (shifted by derotated_hz). */
static int first_psch(struct cs_umts_searcher_s *s)
{
    cs_umts_psch_params pp;
    cs_umts_psch_params_init(&pp);
    pp.freq_min_hz = pp.freq_max_hz = s->first_freq_hz - s->derotated_hz;
    pp.freq_step_hz = s->p.freq_step_hz;
    pp.max_candidates = s->p.max_candidates;
    pp.threshold_z = s->p.psch_threshold_z;
    cs_umts_psch_sync_destroy(s->psch);
    s->psch = NULL;
    int rc = cs_umts_psch_sync_create(&pp, &s->psch);
    s->psch_round = 0; /* not the round-1 grid: a reset must build that again */
    return rc;
}

void search_first_drop(struct cs_umts_searcher_s *s)
{
    psch_stream_fold_abort(s->first_fold);
    s->first_fold = NULL;
}

/* Decided with a frequency the cache will not be shifted by: fold the cache from now on
 * as it fills (each stretch while still in cache), not in a pass over it at the end. */
static void first_stream(struct cs_umts_searcher_s *s)
{
    if (fabs(s->first_freq_hz) > UMTS_DEROTATE_MIN_HZ || s->streaming) return;
    if (first_psch(s) != CS_OK || psch_stream_fold_begin(s->psch, &s->first_fold) != CS_OK) {
        s->first_fold = NULL; /* search_first_finish folds the cache as before */
        return;
    }
    const float *const poly[4] = { s->poly[0], s->poly[1], s->poly[2], s->poly[3] };
    psch_stream_fold_upto(s->first_fold, poly, s->poly_n);
}

void search_first_feed(struct cs_umts_searcher_s *s, const cs_cf32 *y, size_t n)
{
    if (s->first_look > 0) { /* decided: the cache alone serves round 1 */
        if (s->streaming) {
            search_first_drop(s);
        } else if (s->first_fold) {
            const float *const poly[4] = { s->poly[0], s->poly[1], s->poly[2], s->poly[3] };
            psch_stream_fold_upto(s->first_fold, poly, s->poly_n);
        }
        return;
    }
    if (s->first_look < 0) {
        cs_umts_psch_sync_execute(s->psch, y, n);
        return;
    }
    const uint64_t look = (uint64_t)FIRST_SLOTS * UMTS_SLOT_SAMPLES;
    const uint64_t before = s->produced - n; /* samples of this pass before y */
    size_t m = before < look ? (size_t)(look - before < n ? look - before : n) : 0;
    cs_umts_psch_sync_execute(s->psch, y, m);
    if (before + m < look) return;
    double z, f;
    const int rc = umts_psch_sync_peek(s->psch, &z, &f);
    if (rc == CS_OK && z >= FIRST_STRONG_Z && isfinite(f)) {
        s->first_look = 1;
        s->first_freq_hz = f;
        first_stream(s);
        return;
    }
    s->first_look = -1;
    cs_umts_psch_sync_execute(s->psch, y + m, n - m);
}

int search_first_finish(struct cs_umts_searcher_s *s)
{
    /* the whole input is in the cache: shift the frequency out, search it there */
    s->carrier_hz = s->first_freq_hz;
    const float *const poly[4] = {s->poly[0], s->poly[1], s->poly[2], s->poly[3]};
    if (s->first_fold) { /* folded as it came, not shifted */
        s->psch1_offset_hz = s->derotated_hz;
        const int rc = psch_stream_fold_end(s->first_fold, poly, s->poly_n);
        s->first_fold = NULL;
        return rc;
    }
    if (fabs(s->carrier_hz) > UMTS_DEROTATE_MIN_HZ) search_derotate_cache(s);
    s->psch1_offset_hz = s->derotated_hz;
    int rc = first_psch(s);
    if (rc != CS_OK) return rc;
    rc = umts_psch_sync_fold_cache(s->psch, poly, s->poly_n); /* shifted in place */
    return rc == CS_ENOTSUP ? umts_psch_sync_execute_poly(s->psch, poly, s->poly_n) : rc;
}
