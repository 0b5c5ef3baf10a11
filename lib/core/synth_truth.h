/* Ground truth of a generated recording (synth_truth.c). */
#ifndef CELLSCAN_SYNTH_TRUTH_H
#define CELLSCAN_SYNTH_TRUTH_H

#include <jansson.h>

#include "cellscan/synth.h"

/* Truth of one emitter of a resolved scenario: every parameter, absolute power, apparent
 * offset, frame timing (also the annotation's "cellscan:truth"). */
json_t *synth_truth_gsm(const cs_synth_scenario *sc, size_t i);
json_t *synth_truth_bursts(const cs_synth_scenario *sc, size_t i);
json_t *synth_truth_umts(const cs_synth_scenario *sc, size_t i);

/* The BASENAME.truth.json document; takes ownership of `emitters` (an array). */
json_t *synth_truth_document(const cs_synth_scenario *sc, json_t *emitters, const char *basename,
                             const cs_synth_result *res);

#endif
