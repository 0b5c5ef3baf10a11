/* Output of the generator (synth_output.c, synth_output_iqf.c). */
#ifndef CELLSCAN_SYNTH_OUTPUT_H
#define CELLSCAN_SYNTH_OUTPUT_H

#include <jansson.h>

#include "cellscan/synth_scenario.h"

typedef struct synth_output synth_output;
typedef struct synth_iqf synth_iqf;

/* Open the recording's files under temporary names, with captures and one annotation per
 * emitter (emitters: the truth objects, in scenario order). */
int synth_output_create(const cs_synth_scenario *sc, const char *basename, json_t *emitters,
                        synth_output **out);
/* n sample frames (channels interleaved, full scale 1.0); *clipped counts saturations. */
int synth_output_write(synth_output *o, const cs_cf32 *frames, size_t n, size_t *clipped);
/* Publish everything plus BASENAME.truth.json holding truth_text (and, when csv_text is
 * not NULL, BASENAME.track.csv), or nothing; destroys o. */
int synth_output_finish(synth_output *o, const char *truth_text, const char *csv_text);
/* The receiver track (time, position, heading every capture interval) as CSV text, or NULL
 * when nothing moves; malloc'd. */
char *synth_track_csv(const cs_synth_scenario *sc);
void synth_output_abort(synth_output *o);

/* BASENAME (without a .sigmf-data/.sigmf-meta suffix) + suffix; malloc'd. */
char *synth_derived_path(const char *basename, const char *suffix);
/* SHA-512 of a file as 128 hex digits (SigMF core:streams hash); CS_ENOTSUP without
 * libcrypto at build time. */
int synth_sha512_file(const char *path, char hex[129]);

/* KrakenSDR / Heimdall .iqf frames (DF.md): BASENAME.iqf. */
int synth_iqf_create(const cs_synth_scenario *sc, const char *basename, synth_iqf **out);
int synth_iqf_write(synth_iqf *q, const cs_cf32 *frames, size_t n);
int synth_iqf_finish(synth_iqf *q); /* renames into place; destroys q */
void synth_iqf_abort(synth_iqf *q);
/* Remove a published BASENAME.iqf (when the truth could not follow). */
void synth_iqf_remove(const char *basename);

#endif
