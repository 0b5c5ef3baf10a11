/* What a live stream of the generator needs beyond synth.h (the GNU Radio synth_source
 * block): the truth document of a scenario without writing a recording. The samples
 * themselves come from cs_synth_generate(), which already streams block by block for as
 * long as it is called; only the truth needs a recording-free entry point.
 *
 *   cs_synth_scenario_resolve(sc);
 *   char *truth = cs_synth_stream_truth_json(sc, 0);   // as BASENAME.truth.json holds it
 *   ...
 *   free(truth);
 */
#ifndef CELLSCAN_SYNTH_STREAM_H
#define CELLSCAN_SYNTH_STREAM_H

#include "cellscan/export.h"
#include "cellscan/synth_scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The truth document `cellscan synth` writes as BASENAME.truth.json for this scenario
 * (resolved here if it is not yet), as JSON text: the same fields, except that
 * recording.basename is null (no file) and recording.clipped_components and
 * recording.measured_power_dbfs are absent (known only after generation). endless != 0:
 * the stream has no end, so recording.num_samples and recording.duration_s are null;
 * per-emitter lists (SCH frame numbers, burst intervals) still cover the scenario's
 * duration_s. Returns malloc'd text (caller frees), or NULL with cs_last_error() set
 * (resolve failure, out of memory). */
CS_API char *cs_synth_stream_truth_json(cs_synth_scenario *sc, int endless);

#ifdef __cplusplus
}
#endif

#endif
