/* UMTS cell search on generated recordings (the synth library in-process, fixed seeds):
 * each step on its own, then the whole searcher: PSCs, Ec/Io against the TS 25.215 truth,
 * frame timing, frequency error, a resampled input, the streaming passes, noise alone and a
 * drifting sample clock. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_scenario.h"
#include "cellscan/umts_cpich.h"
#include "cellscan/umts_frame_sync.h"
#include "cellscan/umts_frontend.h"
#include "cellscan/umts_psch_sync.h"
#include "cellscan/umts_searcher.h"
#include "cs_test.h"
#include "umts_test_recording.h"
#include "umts_test_search.h"

/* Ec/Io by TS 25.215 (RSSI after the RRC filter) of cell i */
static double truth_ecio_db(const rec *r, size_t i)
{
    const cs_synth_umts *u = &r->sc->umts[i];
    const double cp = pow(10, u->cpich_dbfs / 10), io = pow(10, u->io_dbfs / 10);
    const double noise = pow(10, r->sc->n0_dbfs_per_hz / 10) * 3.84e6;
    return 10 * log10(cp / ((1 - 0.22 / 4) * (io - noise) + noise));
}

static cs_umts_searcher search(const rec *r, size_t cache, double range_hz, double max_ppm)
{
    cs_umts_searcher_params p;
    cs_umts_searcher_params_init(&p);
    p.input_rate_hz = r->sc->sample_rate_hz;
    p.cache_samples = cache;
    if (range_hz > 0) p.freq_range_hz = range_hz;
    p.max_drift_ppm = max_ppm;
    return search_run(&p, r, 50000);
}

/* Steps 1-3 on their own: P-SCH slot timing, S-SCH group and frame, CPICH code. */
static void test_steps(void)
{
    static const char *const cells[] = { "77:-12", NULL };
    rec r;
    CS_CHECK(make(&r, 0.1, 21, cells, 0, 0, 0) == 0);
    cs_umts_frontend fe;
    CS_CHECK(cs_umts_frontend_create(r.sc->sample_rate_hz, 0, &fe) == CS_OK);
    size_t cap = cs_umts_frontend_max_output(fe, r.n), ny = 0, nf = 0;
    cs_cf32 *y = malloc(cap * sizeof *y);
    cs_umts_frontend_execute(fe, r.x, r.n, y, cap, &ny);
    cs_umts_frontend_flush(fe, y + ny, cap - ny, &nf);
    ny += nf;
    CS_CHECK(ny == r.n); /* 7.68 MS/s in: one output per input */
    const double frame = r.sc->umts[0].frame_offset_chips * 2.0; /* samples */
    cs_umts_psch_params pp;
    cs_umts_psch_params_init(&pp);
    cs_umts_psch_sync ps;
    CS_CHECK(cs_umts_psch_sync_create(&pp, &ps) == CS_OK);
    cs_umts_psch_sync_execute(ps, y, ny);
    CS_CHECK(cs_umts_psch_sync_finish(ps) == CS_OK);
    CS_CHECK(cs_umts_psch_sync_num_candidates(ps) >= 1);
    const cs_umts_psch_candidate *c = cs_umts_psch_sync_candidate(ps, 0);
    CS_CHECK_NEAR(c->slot_offset_samples, fmod(frame, 5120.0), 0.6);
    CS_CHECK_NEAR(c->freq_hz, 0.0, 2500.0);
    CS_CHECK(c->z > 20);
    /* step 2 */
    float *poly = malloc(2 * ny * sizeof *poly);
    size_t even = ny & ~(size_t)1;
    cs_umts_deinterleave(y, even, poly, poly + even / 2, poly + even, poly + 3 * even / 2);
    cs_umts_block b = { { poly, poly + even }, { poly + even / 2, poly + 3 * even / 2 }, 0, even, even };
    cs_umts_frame_sync fs;
    CS_CHECK(cs_umts_frame_sync_create(c->slot_offset_index, 0.0, &fs) == CS_OK);
    cs_umts_frame_sync_execute(fs, &b);
    cs_umts_frame_sync_result fr;
    CS_CHECK(cs_umts_frame_sync_result_get(fs, &fr) == CS_OK);
    CS_CHECK(fr.hyp[0].group == 77 / 8);
    CS_CHECK_NEAR(fr.hyp[0].frame_start_samples, frame, 1.0);
    CS_CHECK(fr.margin_z > 3.0);
    /* step 3: the group's 8 codes */
    cs_umts_code_hypothesis h[8];
    for (int i = 0; i < 8; i++) {
        h[i].psc = 8 * fr.hyp[0].group + i;
        h[i].frame_start_samples = fr.hyp[0].frame_start_samples;
    }
    cs_umts_cpich_id id;
    CS_CHECK(cs_umts_cpich_id_create(h, 8, 30, 0.0, &id) == CS_OK);
    cs_umts_cpich_id_execute(id, &b);
    size_t sym = 0;
    double t_true = cs_umts_cpich_id_metric(id, 77 % 8, &sym);
    CS_CHECK(sym == 300);
    CS_CHECK(t_true > cs_umts_cpich_threshold(sym, 1e-6));
    for (int i = 0; i < 8; i++)
        if (i != 77 % 8) CS_CHECK(cs_umts_cpich_id_metric(id, (size_t)i, NULL) < cs_umts_cpich_threshold(sym, 1e-3));
    cs_umts_cpich_id_destroy(id);
    cs_umts_frame_sync_destroy(fs);
    cs_umts_psch_sync_destroy(ps);
    cs_umts_frontend_destroy(fe);
    free(poly);
    free(y);
    drop(&r);
}

/* Whole search, cached and streaming: same cells, measured to the truth. */
static void test_searcher(void)
{
    static const char *const cells[] = { "300:-11", "45:-17", NULL };
    rec r;
    CS_CHECK(make(&r, 0.1, 5, cells, 0, 4000.0, 0) == 0);
    cs_umts_searcher a = search(&r, (size_t)1 << 23, 0, 0), b = search(&r, 0, 0, 0);
    CS_CHECK(a && b);
    if (!a || !b) return;
    CS_CHECK(cs_umts_searcher_num_cells(a) == 2 && cs_umts_searcher_num_cells(b) == 2);
    CS_CHECK(cs_umts_searcher_passes(a) == 1 && cs_umts_searcher_passes(b) == 4);
    for (size_t i = 0; i < 2; i++) {
        const cs_umts_cell *ca = find(a, r.sc->umts[i].psc), *cb = find(b, r.sc->umts[i].psc);
        CS_CHECK(ca && cb);
        if (!ca || !cb) continue;
        CS_CHECK(ca->group == ca->psc / 8);
        CS_CHECK_NEAR(10 * log10(ca->rscp / ca->rssi), truth_ecio_db(&r, i), 0.5);
        CS_CHECK_NEAR(10 * log10(cb->rscp / cb->rssi), 10 * log10(ca->rscp / ca->rssi), 0.1);
        CS_CHECK_NEAR(ca->frame_offset_chips, r.sc->umts[i].frame_offset_chips, 0.1);
        CS_CHECK_NEAR(ca->freq_error_hz, -4000.0, 5.0);
        CS_CHECK_NEAR(cb->freq_error_hz, -4000.0, 5.0);
        CS_CHECK(ca->n_paths == 1);
        CS_CHECK(ca->t_first_s < 0.002 && ca->t_last_s > 0.098);
    }
    /* ranked by RSCP */
    CS_CHECK(cs_umts_searcher_cell(a, 0)->psc == 300);
    CS_CHECK_NEAR(cs_umts_searcher_freq_error_hz(a), -4000.0, 5.0);
    cs_umts_searcher_destroy(a);
    cs_umts_searcher_destroy(b);
    drop(&r);
}

/* A recording at 10 MS/s: the front end resamples, timing stays exact. */
static void test_resampled(void)
{
    static const char *const cells[] = { "129:-12", NULL };
    rec r;
    CS_CHECK(make(&r, 0.1, 9, cells, 10e6, 0, 0) == 0);
    cs_umts_searcher s = search(&r, (size_t)1 << 23, 0, 0);
    CS_CHECK(s && cs_umts_searcher_num_cells(s) == 1);
    const cs_umts_cell *c = s ? find(s, 129) : NULL;
    CS_CHECK(c != NULL);
    if (c) {
        CS_CHECK_NEAR(c->frame_offset_chips, r.sc->umts[0].frame_offset_chips, 0.15);
        CS_CHECK_NEAR(10 * log10(c->rscp / c->rssi), truth_ecio_db(&r, 0), 0.5);
    }
    cs_umts_searcher_destroy(s);
    drop(&r);
}

/* Noise alone: nothing. */
static void test_noise(void)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        rec r;
        CS_CHECK(make(&r, 0.1, seed, NULL, 7.68e6, 0, 0) == 0);
        cs_umts_searcher s = search(&r, (size_t)1 << 23, 0, 0);
        CS_CHECK(s && cs_umts_searcher_num_cells(s) == 0);
        CS_CHECK(s && isnan(cs_umts_searcher_freq_error_hz(s)));
        cs_umts_searcher_destroy(s);
        drop(&r);
    }
}

/* A receiver 20 ppm fast: 43 kHz low at 2140 MHz and the slots drift by 15 chips over
 * 200 ms; with the search widened the cell is found and the drift measured. */
static void test_drift(void)
{
    static const char *const cells[] = { "200:-12", NULL };
    rec r;
    CS_CHECK(make(&r, 0.2, 4, cells, 0, 0, 20.0) == 0);
    cs_umts_searcher s = search(&r, (size_t)1 << 23, 60e3, 30.0);
    const cs_umts_cell *c = s ? find(s, 200) : NULL;
    CS_CHECK(c != NULL);
    if (c) {
        CS_CHECK_NEAR(c->freq_error_hz, -2140e6 * 20e-6 / (1 + 20e-6), 20.0);
        CS_CHECK_NEAR(c->drift_ppm, 20.0, 1.0);
        CS_CHECK_NEAR(10 * log10(c->rscp / c->rssi), truth_ecio_db(&r, 0), 0.7);
    }
    cs_umts_searcher_destroy(s);
    drop(&r);
}

int main(void)
{
    test_steps();
    test_searcher();
    test_resampled();
    test_noise();
    test_drift();
    return cs_test_done();
}
