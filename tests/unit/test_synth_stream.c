/* cs_synth_stream_truth_json: the truth document of cellscan synth without a recording, equal
 * to BASENAME.truth.json but for the fields only a written file has; null length when
 * endless; NULL with the resolve message on a bad scenario. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_stream.h"
#include "cs_test.h"

static cs_synth_scenario *scenario(void)
{
    cs_synth_scenario *sc = NULL;
    CS_CHECK(cs_synth_scenario_create(&sc) == CS_OK);
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0:20") == CS_OK);
    CS_CHECK(cs_synth_scenario_add_traffic_spec(sc, "32:2,3:12") == CS_OK);
    sc->duration_s = 0.01;
    sc->seed = 17;
    return sc;
}

static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *doc = text ? json_loads(text, 0, &err) : NULL;
    CS_CHECK_MSG(doc != NULL, "truth is not JSON");
    return doc;
}

static void test_equals_written_truth(const char *dir)
{
    char base[512], path[600];
    snprintf(base, sizeof base, "%s/rec", dir);
    snprintf(path, sizeof path, "%s.truth.json", base);
    cs_synth_scenario *written = scenario(), *streamed = scenario();
    CS_CHECK(cs_synth_write(written, base, NULL) == CS_OK);
    json_error_t err;
    json_t *file = json_load_file(path, 0, &err);
    char *text = cs_synth_stream_truth_json(streamed, 0);
    json_t *doc = parse(text);
    if (file && doc) {
        json_t *rec = json_object_get(doc, "recording");
        CS_CHECK(json_is_null(json_object_get(rec, "basename")));
        CS_CHECK(json_integer_value(json_object_get(rec, "num_samples")) == 10833);
        CS_CHECK(json_object_get(rec, "measured_power_dbfs") == NULL);
        json_t *frec = json_object_get(file, "recording");
        json_object_del(frec, "basename");
        json_object_del(frec, "clipped_components");
        json_object_del(frec, "measured_power_dbfs");
        json_object_del(rec, "basename");
        CS_CHECK_MSG(json_equal(file, doc), "stream truth differs from %s", path);
        CS_CHECK(json_array_size(json_object_get(doc, "emitters")) == 2);
    }
    json_decref(file);
    json_decref(doc);
    free(text);
    cs_synth_scenario_destroy(written);
    cs_synth_scenario_destroy(streamed);
    const char *suffix[] = { ".sigmf-data", ".sigmf-meta", ".truth.json" };
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", base, suffix[i]);
        unlink(path);
    }
}

static void test_endless_has_no_length(void)
{
    cs_synth_scenario *sc = scenario();
    char *text = cs_synth_stream_truth_json(sc, 1);
    json_t *doc = parse(text);
    json_t *rec = json_object_get(doc, "recording");
    CS_CHECK(rec && json_is_null(json_object_get(rec, "num_samples")));
    CS_CHECK(rec && json_is_null(json_object_get(rec, "duration_s")));
    CS_CHECK(json_integer_value(json_object_get(doc, "seed")) == 17);
    json_decref(doc);
    free(text);
    cs_synth_scenario_destroy(sc);
}

static void test_bad_scenario(void)
{
    cs_synth_scenario *sc = scenario();
    sc->sample_rate_hz = 100e3; /* ARFCN 32 lies outside +-50 kHz */
    cs_clear_error();
    char *text = cs_synth_stream_truth_json(sc, 0);
    CS_CHECK(text == NULL);
    CS_CHECK_MSG(strstr(cs_last_error(), "does not fit") != NULL, "%s", cs_last_error());
    free(text);
    cs_synth_scenario_destroy(sc);
}

int main(void)
{
    char dir[] = "/tmp/cs_synth_stream_XXXXXX";
    if (!mkdtemp(dir)) CS_SKIP("cannot make a temporary directory");
    test_equals_written_truth(dir);
    test_endless_has_no_length();
    test_bad_scenario();
    rmdir(dir);
    return cs_test_done();
}
