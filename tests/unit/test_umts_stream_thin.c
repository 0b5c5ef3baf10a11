/* The third speed round's shortcuts of the UMTS searcher: the P-SCH fold taken in steps as
 * the cache fills or is cancelled (umts_psch_stream.c) is bit for bit the fold of the whole
 * cache at once; a strong cell measured thinned (umts_cpich_thin.c) reports what it does
 * measured on every symbol, within the target error, on fewer symbols; a weak cell is not
 * thinned. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_cpich.h"
#include "cellscan/umts_frontend.h"
#include "cellscan/umts_psch_sync.h"
#include "cs_test.h"
#include "umts_cpich_meas_internal.h"
#include "umts_psch_internal.h"
#include "umts_test_block.h"
#include "umts_test_recording.h"

static cs_umts_psch_sync direct_psch(void)
{
    cs_umts_psch_params pp;
    cs_umts_psch_params_init(&pp);
    pp.freq_min_hz = pp.freq_max_hz = 0.0;
    cs_umts_psch_sync s = NULL;
    return cs_umts_psch_sync_create(&pp, &s) == CS_OK ? s : NULL;
}

/* Random samples, n of them as polyphase arrays; the stream fold fed in uneven steps. */
static void test_stream_fold(size_t n, size_t step)
{
    const size_t half = n / 2 + 64;
    float *buf = malloc(4 * half * sizeof *buf);
    CS_CHECK(buf != NULL);
    if (!buf) return;
    srand(7);
    for (size_t i = 0; i < 4 * half; i++) buf[i] = (float)rand() / (float)RAND_MAX - 0.5f;
    const float *const poly[4] = { buf, buf + half, buf + 2 * half, buf + 3 * half };
    cs_umts_psch_sync whole = direct_psch(), steps = direct_psch();
    CS_CHECK(whole && steps);
    if (!whole || !steps) {
        free(buf);
        return;
    }
    CS_CHECK(umts_psch_sync_fold_cache(whole, poly, n) == CS_OK);
    psch_stream_fold *f = NULL;
    CS_CHECK(psch_stream_fold_begin(steps, &f) == CS_OK);
    for (size_t at = step; at < n; at += step + at % 977) psch_stream_fold_upto(f, poly, at);
    CS_CHECK(psch_stream_fold_end(f, poly, n) == CS_OK);
    CS_CHECK_MSG(memcmp(whole->centre[0].rr, steps->centre[0].rr, PSCH_L * sizeof(float)) == 0,
                 "%zu samples, steps of %zu: the folds differ", n, step);
    CS_CHECK(whole->t_in == steps->t_in && whole->t_acc == steps->t_acc);
    /* a used object is no longer fresh: the stream fold refuses it */
    psch_stream_fold *g = NULL;
    CS_CHECK(psch_stream_fold_begin(whole, &g) == CS_ENOTSUP && g == NULL);
    psch_stream_fold_abort(NULL);
    cs_umts_psch_sync_destroy(whole);
    cs_umts_psch_sync_destroy(steps);
    free(buf);
}

/* One cell measured twice, thinned (0.1 dB target) and on every symbol. */
static void test_thinning(const char *spec, int psc, int expect_thinned)
{
    const char *const cells[] = { spec, NULL };
    rec r;
    CS_CHECK(make(&r, 0.1, 21, cells, 0, 0.0, 0) == 0);
    cs_umts_block b;
    float *poly = as_block(&r, &b);
    CS_CHECK(poly != NULL);
    if (!poly) {
        drop(&r);
        return;
    }
    cs_umts_cpich_meas_params mp;
    cs_umts_cpich_meas_params_init(&mp);
    mp.psc = psc;
    mp.frame_start_samples = r.sc->umts[0].frame_offset_chips * 2.0;
    cs_umts_cpich_meas thin, every;
    CS_CHECK(cs_umts_cpich_meas_create(&mp, &thin) == CS_OK && cs_umts_cpich_meas_create(&mp, &every) == CS_OK);
    umts_cpich_meas_set_pruning(thin, 10e-3 * 3.16, 1e-6, b.n / 512);
    umts_cpich_meas_set_thinning(thin, 0.1, 10.0);
    cs_umts_cpich_meas_execute(thin, &b);
    cs_umts_cpich_meas_execute(every, &b);
    cs_umts_cpich_meas_result rt, re;
    CS_CHECK(cs_umts_cpich_meas_result_get(thin, &rt) == CS_OK && cs_umts_cpich_meas_result_get(every, &re) == CS_OK);
    CS_CHECK_MSG((thin->thin > 1) == expect_thinned, "%s: thin %d", spec, thin->thin);
    if (expect_thinned) {
        CS_CHECK_MSG(rt.symbols < 0.7 * re.symbols, "%s: %zu symbols thinned of %zu", spec, rt.symbols, re.symbols);
        /* within 3 standard errors of the target */
        CS_CHECK_MSG(fabs(10.0 * log10(rt.path[0].power / re.path[0].power)) < 0.3, "%s: RSCP %g vs %g", spec,
                     rt.path[0].power, re.path[0].power);
        CS_CHECK_MSG(fabs(rt.freq_hz - re.freq_hz) < 1.0, "%s: frequency %g vs %g Hz", spec, rt.freq_hz, re.freq_hz);
        CS_CHECK_NEAR(rt.timing_start_samples, re.timing_start_samples, 0.05);
    } else {
        CS_CHECK(rt.symbols == re.symbols && rt.path[0].power == re.path[0].power);
    }
    cs_umts_cpich_meas_destroy(thin);
    cs_umts_cpich_meas_destroy(every);
    free(poly);
    drop(&r);
}

int main(void)
{
    test_stream_fold(20 * 5120 + 701, 3001);
    test_stream_fold(37 * 5120 + 2, 40960);
    test_stream_fold(3 * 5120 + 17, 1);
    test_thinning("77:-12", 77, 1);
    test_thinning("77:-21", 77, 0);
    return cs_test_done();
}
