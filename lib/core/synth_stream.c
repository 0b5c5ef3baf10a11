/* Truth document of a generator stream (synth_stream.h): the truth.json of `cellscan synth`
 * built without a recording behind it. */
#include "cellscan/synth_stream.h"

#include <jansson.h>
#include <stdlib.h>

#include "cellscan/status.h"
#include "synth_internal.h"
#include "synth_truth.h"

char *cs_synth_stream_truth_json(cs_synth_scenario *sc, int endless)
{
    if (cs_synth_scenario_resolve(sc) != CS_OK) return NULL;
    json_t *emitters = json_array();
    for (size_t i = 0; emitters && i < sc->num_gsm; i++) json_array_append_new(emitters, synth_truth_gsm(sc, i));
    for (size_t i = 0; emitters && i < sc->num_bursts; i++) json_array_append_new(emitters, synth_truth_bursts(sc, i));
    for (size_t i = 0; emitters && i < sc->num_umts; i++) json_array_append_new(emitters, synth_truth_umts(sc, i));
    /* Takes emitters; the basename is replaced below: a stream has no file. */
    json_t *doc = emitters ? synth_truth_document(sc, emitters, "", NULL) : NULL;
    json_t *rec = doc ? json_object_get(doc, "recording") : NULL;
    char *text = NULL;
    if (rec) {
        json_object_set_new(rec, "basename", json_null());
        if (endless) {
            json_object_set_new(rec, "num_samples", json_null());
            json_object_set_new(rec, "duration_s", json_null());
        }
        text = synth_json_dumps(doc);
    }
    json_decref(doc);
    if (!text) cs_error(CS_ENOMEM, "out of memory");
    return text;
}
