/* The UMTS searcher's shortcuts give the answers of the long way: round 1 from a first look
 * (a strong cell fixes the frequency, the P-SCH is then folded at that one frequency)
 * against the full frequency-grid search; echo paths that cannot be reported are dropped
 * early and only those; the P-SCH phase steadiness tells a cell from a noise peak. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_scenario.h"
#include "cellscan/umts_cpich.h"
#include "cellscan/umts_frame_sync.h"
#include "cellscan/umts_frontend.h"
#include "cellscan/umts_searcher.h"
#include "cs_test.h"
#include "umts_test_block.h"
#include "umts_test_recording.h"
#include "umts_test_search.h"
#include "umts_cpich_meas_internal.h"
#include "umts_frame_sync_internal.h"
#include "umts_searcher_internal.h"

/* A whole search; with the input length given (first look allowed) or not, or given as
 * half of it while the cache holds three quarters (the input outgrows it after all). */
static cs_umts_searcher search(const rec *r, int tell_length)
{
    cs_umts_searcher_params p;
    cs_umts_searcher_params_init(&p);
    p.input_rate_hz = r->sc->sample_rate_hz;
    if (tell_length == 1) p.expected_input_samples = r->n;
    if (tell_length == 2) {
        p.expected_input_samples = r->n / 2;
        p.cache_samples = r->n / 4 * 3;
    }
    return search_run(&p, r, 65536);
}

static void test_first_look(void)
{
    static const char *const cells[] = {"300:-11", "45:-17", NULL};
    rec r;
    CS_CHECK(make(&r, 0.1, 5, cells, 0, 7000.0, 0) == 0);
    cs_umts_searcher fast = search(&r, 1), full = search(&r, 0);
    CS_CHECK(fast && full);
    if (!fast || !full) return;
    CS_CHECK(fast->first_look == 1 && full->first_look == -1); /* each took the path meant */
    CS_CHECK(cs_umts_searcher_num_cells(fast) == 2 && cs_umts_searcher_num_cells(full) == 2);
    for (size_t i = 0; i < 2; i++) {
        const cs_umts_cell *a = find(fast, r.sc->umts[i].psc), *b = find(full, r.sc->umts[i].psc);
        CS_CHECK(a && b);
        if (!a || !b) continue;
        CS_CHECK_NEAR(10 * log10(a->rscp / a->rssi), 10 * log10(b->rscp / b->rssi), 0.1);
        CS_CHECK_NEAR(a->frame_offset_chips, b->frame_offset_chips, 0.05);
        CS_CHECK_NEAR(a->freq_error_hz, -7000.0, 5.0);
        CS_CHECK_NEAR(b->freq_error_hz, -7000.0, 5.0);
    }
    /* told too short a length: the first look is taken, the cache overflows, the search
     * starts again streaming and finds the same */
    cs_umts_searcher wrong = search(&r, 2);
    CS_CHECK(wrong && cs_umts_searcher_num_cells(wrong) == 2 && cs_umts_searcher_passes(wrong) >= 4);
    for (size_t i = 0; wrong && i < 2; i++) {
        const cs_umts_cell *a = find(wrong, r.sc->umts[i].psc), *b = find(full, r.sc->umts[i].psc);
        CS_CHECK(a && b);
        if (a && b) CS_CHECK_NEAR(a->frame_offset_chips, b->frame_offset_chips, 0.05);
    }
    cs_umts_searcher_destroy(wrong);
    cs_umts_searcher_destroy(fast);
    cs_umts_searcher_destroy(full);
    drop(&r);
    /* a weak cell alone does not fix the frequency: the grid search runs, and finds it */
    static const char *const weak[] = {"77:-19", NULL};
    CS_CHECK(make(&r, 0.1, 8, weak, 0, -3000.0, 0) == 0);
    cs_umts_searcher s = search(&r, 1);
    CS_CHECK(s && s->first_look == -1 && find(s, 77));
    cs_umts_searcher_destroy(s);
    drop(&r);
}

static void test_pruning_and_coherence(void)
{
    static const char *const cells[] = {"129:-11", NULL};
    rec r;
    CS_CHECK(make(&r, 0.1, 13, cells, 0, 0.0, 0) == 0);
    cs_umts_block b;
    float *poly = as_block(&r, &b);
    CS_CHECK(poly != NULL);
    if (!poly) return;
    const double start = r.sc->umts[0].frame_offset_chips * 2.0;
    /* a single-path cell measured with three made-up echoes: all three dropped when
     * pruning, none without, and the cell's own path measured the same either way */
    cs_umts_cpich_meas_params mp;
    cs_umts_cpich_meas_params_init(&mp);
    mp.psc = 129;
    mp.frame_start_samples = start;
    mp.n_paths = 4;
    mp.path_delay_samples[1] = 41;
    mp.path_delay_samples[2] = -23;
    mp.path_delay_samples[3] = 300;
    cs_umts_cpich_meas pruned, whole;
    CS_CHECK(cs_umts_cpich_meas_create(&mp, &pruned) == CS_OK &&
             cs_umts_cpich_meas_create(&mp, &whole) == CS_OK);
    umts_cpich_meas_set_pruning(pruned, 10e-3 * 3.16, 1e-6, b.n / 512);
    cs_umts_cpich_meas_execute(pruned, &b);
    cs_umts_cpich_meas_execute(whole, &b);
    cs_umts_cpich_meas_result rp, rw;
    CS_CHECK(cs_umts_cpich_meas_result_get(pruned, &rp) == CS_OK &&
             cs_umts_cpich_meas_result_get(whole, &rw) == CS_OK);
    CS_CHECK(!umts_cpich_meas_dropped(pruned, 0));
    for (size_t i = 1; i < 4; i++) {
        CS_CHECK_MSG(umts_cpich_meas_dropped(pruned, i), "echo %zu kept", i);
        CS_CHECK(!umts_cpich_meas_dropped(whole, i));
    }
    CS_CHECK_NEAR(rp.path[0].power, rw.path[0].power, 1e-6 * rw.path[0].power);
    cs_umts_cpich_meas_destroy(pruned);
    cs_umts_cpich_meas_destroy(whole);
    /* the cell's P-SCH keeps its phase from slot to slot; a timing away from it does not */
    cs_umts_frame_sync on, off;
    CS_CHECK(cs_umts_frame_sync_create((int)lround(fmod(start, 5120.0)), 0.0, &on) == CS_OK);
    CS_CHECK(cs_umts_frame_sync_create((int)lround(fmod(start + 1777.0, 5120.0)), 0.0, &off) ==
             CS_OK);
    cs_umts_frame_sync_execute(on, &b);
    cs_umts_frame_sync_execute(off, &b);
    CS_CHECK(umts_frame_sync_coherence_z(on) > 8.0);
    CS_CHECK(umts_frame_sync_coherence_z(off) < 3.0);
    cs_umts_frame_sync_destroy(on);
    cs_umts_frame_sync_destroy(off);
    free(poly);
    drop(&r);
}

int main(void)
{
    test_first_look();
    test_pruning_and_coherence();
    return cs_test_done();
}
