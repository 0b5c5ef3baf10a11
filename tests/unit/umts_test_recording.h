/* Generated UMTS recordings for the searcher tests: the synth library in-process, the
 * samples in memory, the scenario kept for its truth (cell powers, timing). */
#ifndef CELLSCAN_UMTS_TEST_RECORDING_H
#define CELLSCAN_UMTS_TEST_RECORDING_H

#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_scenario.h"

typedef struct rec {
    cs_synth_scenario *sc;
    cs_cf32 *x;
    size_t n;
} rec;

/* umts: cell specs as `cellscan synth --umts` takes them, NULL-terminated; NULL: noise
 * only. rate_hz 0: the generator's default. Returns 0 or -1. */
static inline int make(rec *r, double duration_s, uint64_t seed, const char *const *umts,
                       double rate_hz, double cfo_hz, double ppm)
{
    memset(r, 0, sizeof *r);
    if (cs_synth_scenario_create(&r->sc) != CS_OK) return -1;
    r->sc->duration_s = duration_s;
    r->sc->seed = seed;
    r->sc->rx.cfo_hz = cfo_hz;
    r->sc->rx.ppm = ppm;
    if (rate_hz > 0) r->sc->sample_rate_hz = rate_hz;
    for (; umts && *umts; umts++)
        if (cs_synth_scenario_add_umts_spec(r->sc, *umts) != CS_OK) return -1;
    if (!umts) r->sc->content = CS_SYNTH_NOISE_ONLY;
    cs_synth g;
    if (cs_synth_scenario_resolve(r->sc) != CS_OK || cs_synth_create(r->sc, &g) != CS_OK) return -1;
    r->n = (size_t)r->sc->num_samples;
    r->x = malloc(r->n * sizeof *r->x);
    int rc = r->x ? cs_synth_generate(g, r->x, r->n) : CS_ENOMEM;
    cs_synth_destroy(g);
    return rc == CS_OK ? 0 : -1;
}

static inline void drop(rec *r)
{
    free(r->x);
    cs_synth_scenario_destroy(r->sc);
}

#endif
