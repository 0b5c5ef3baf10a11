/* `cellscan synth` end to end: generate block by block into the output (synth_output.c:
 * SigMF, SigMF collection or .iqf, with one annotation per emitter), and publish the
 * recording with BASENAME.truth.json, or nothing. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cellscan/status.h"
#include "synth_internal.h"
#include "synth_output.h"
#include "synth_truth.h"

#define WRITE_BLOCK 65536

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int generate_all(cs_synth g, synth_output *w, const cs_synth_scenario *sc,
                        cs_synth_result *res)
{
    const unsigned M = cs_synth_num_channels(g);
    cs_cf32 *buf = malloc((size_t)WRITE_BLOCK * M * sizeof *buf);
    if (!buf) return cs_error(CS_ENOMEM, "out of memory");
    double energy = 0.0;
    int rc = CS_OK;
    for (uint64_t done = 0; rc == CS_OK && done < sc->num_samples;) {
        size_t n = sc->num_samples - done < WRITE_BLOCK ? (size_t)(sc->num_samples - done) : WRITE_BLOCK;
        rc = cs_synth_generate(g, buf, n);
        if (rc == CS_OK) rc = synth_output_write(w, buf, n, &res->clipped_components);
        for (size_t i = 0; rc == CS_OK && i < n; i++) {
            const cs_cf32 x = buf[i * M];
            energy += crealf(x) * crealf(x) + cimagf(x) * cimagf(x);
        }
        done += n;
    }
    free(buf);
    res->measured_power_dbfs = 10.0 * log10(energy / (double)sc->num_samples);
    return rc;
}

/* Truth of every emitter, in scenario order. */
static json_t *emitters_truth(const cs_synth_scenario *sc)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sc->num_gsm; i++) json_array_append_new(a, synth_truth_gsm(sc, i));
    for (size_t i = 0; i < sc->num_bursts; i++) json_array_append_new(a, synth_truth_bursts(sc, i));
    for (size_t i = 0; i < sc->num_umts; i++) json_array_append_new(a, synth_truth_umts(sc, i));
    return a;
}

int cs_synth_write(cs_synth_scenario *sc, const char *basename, cs_synth_result *result)
{
    cs_synth_result res = { 0 };
    const double t_start = now_s();
    cs_synth g = NULL;
    synth_output *w = NULL;
    json_t *emitters = NULL, *doc = NULL;
    char *text = NULL;
    int rc = cs_synth_create(sc, &g);
    if (rc == CS_OK) {
        emitters = emitters_truth(sc);
        rc = emitters ? synth_output_create(sc, basename, emitters, &w) : cs_error(CS_ENOMEM, "out of memory");
    }
    if (rc == CS_OK) rc = generate_all(g, w, sc, &res);
    res.num_samples = sc->num_samples;
    res.elapsed_s = now_s() - t_start;
    if (rc == CS_OK) {
        doc = synth_truth_document(sc, emitters, basename, &res);
        emitters = NULL;
        text = doc ? synth_json_dumps(doc) : NULL;
        if (!text) rc = cs_error(CS_ENOMEM, "out of memory");
    }
    if (rc == CS_OK) {
        char *csv = synth_track_csv(sc);
        rc = synth_output_finish(w, text, csv); /* publishes recording and truth, or nothing */
        free(csv);
        w = NULL;
    }
    synth_output_abort(w);
    cs_synth_destroy(g);
    json_decref(emitters);
    json_decref(doc);
    free(text);
    if (result) *result = res;
    return rc;
}
