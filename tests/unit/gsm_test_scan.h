/* GSM scanner tests: a generated scenario fed to a scanner, and a carrier by ARFCN. */
#ifndef CELLSCAN_GSM_TEST_SCAN_H
#define CELLSCAN_GSM_TEST_SCAN_H

#include <stdlib.h>

#include "cellscan/gsm_scanner.h"
#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_scenario.h"
#include "cs_test.h"
#include "gsm_scan_internal.h"

/* A scanner for the scenario's rate and centre, with max_events stored per channel (0:
 * the default), fed the whole generated recording in blocks, finished. */
static inline const cs_gsm_scan_results *gsm_test_scan(cs_synth_scenario *sc, size_t max_events,
                                                       cs_gsm_scanner *s)
{
    cs_synth g;
    CS_CHECK(cs_synth_create(sc, &g) == CS_OK);
    cs_gsm_scanner_config c;
    cs_gsm_scanner_config_init(&c);
    c.sample_rate_hz = sc->sample_rate_hz;
    c.centre_hz = sc->centre_freq_hz;
    CS_CHECK(cs_gsm_scanner_create(&c, s) == CS_OK);
    if (max_events) CS_CHECK(cs_gsm_scanner_set_max_events(*s, max_events) == CS_OK);
    const size_t blk = 65536;
    cs_cf32 *x = malloc(blk * sizeof *x);
    CS_CHECK(x != NULL);
    for (uint64_t done = 0; x && done < sc->num_samples; done += blk) {
        const size_t m = sc->num_samples - done < blk ? (size_t)(sc->num_samples - done) : blk;
        CS_CHECK(cs_synth_generate(g, x, m) == CS_OK);
        CS_CHECK(cs_gsm_scanner_execute(*s, x, m) == CS_OK);
    }
    free(x);
    cs_synth_destroy(g);
    const cs_gsm_scan_results *r = NULL;
    CS_CHECK(cs_gsm_scanner_finish(*s, &r) == CS_OK);
    return r;
}

static inline const cs_gsm_carrier *gsm_test_carrier(const cs_gsm_scan_results *r, int arfcn)
{
    for (size_t i = 0; r && i < r->num_carriers; i++)
        if (r->carriers[i].arfcn == arfcn) return &r->carriers[i];
    return NULL;
}

#endif
