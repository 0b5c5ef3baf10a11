/* cs_synth_write: the recording opens in the project's own SigMF reader with one
 * annotation per emitter (label, band edges, sample span, "cellscan:truth" with every
 * parameter), the truth file agrees, the same seed gives the same bytes, and failures
 * leave no files behind. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/recording.h"
#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cs_test.h"

static char dir[] = "/tmp/cs_synth_write_XXXXXX";

static int exists(const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat st;
    return stat(p, &st) == 0;
}

static cs_synth_scenario *scenario(uint64_t seed)
{
    cs_synth_scenario *sc;
    cs_synth_scenario_create(&sc);
    cs_synth_scenario_add_gsm_spec(sc, "20:2:7:18");
    cs_synth_scenario_add_uplink_spec(sc, "22:3:0.01-0.02,0.03-0.04:10");
    cs_synth_scenario_add_umts_spec(sc, "366:-13:3012");
    sc->bursts[0].uplink = 0; /* downlink traffic near the C0, with two on-intervals */
    sc->centre_freq_hz = 940e6;
    sc->sample_rate_hz = 12e6;
    sc->duration_s = 0.05;
    sc->datatype = CS_DT_CI16_LE;
    sc->seed = seed;
    return sc;
}

static char *slurp(const char *name, size_t *len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *fp = fopen(p, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, fp);
    b[*len] = 0;
    fclose(fp);
    return b;
}

static void test_roundtrip(void)
{
    char base[512];
    snprintf(base, sizeof base, "%s/rec", dir);
    cs_synth_scenario *sc = scenario(3);
    cs_synth_result res;
    CS_CHECK(cs_synth_write(sc, base, &res) == CS_OK);
    /* -15 dBFS with bursts counted as always on: a little less as written */
    CS_CHECK(res.clipped_components == 0 && res.measured_power_dbfs < -14.9 && res.measured_power_dbfs > -16.5);
    cs_recording rec;
    CS_CHECK(cs_recording_open(base, &rec) == CS_OK);
    const cs_recording_info *info = cs_recording_get_info(rec);
    CS_CHECK(info->datatype == CS_DT_CI16_LE && info->sample_rate_hz == 12e6 && info->num_samples == 600000);
    CS_CHECK(info->captures[0].frequency_hz == 940e6);
    CS_CHECK(info->num_annotations == 4); /* C0, two traffic intervals, UMTS cell */
    int seen_gsm = 0, seen_umts = 0, seen_traffic = 0;
    for (size_t i = 0; i < info->num_annotations; i++) {
        const cs_annotation *a = &info->annotations[i];
        json_error_t err;
        json_t *o = json_loads(a->json, 0, &err), *t = json_object_get(o, "cellscan:truth");
        CS_CHECK(json_is_object(t));
        const double off = json_real_value(json_object_get(t, "offset_hz"));
        CS_CHECK_NEAR(0.5 * (a->freq_lower_hz + a->freq_upper_hz), 940e6 + off, 1e-3);
        if (a->label && !strcmp(a->label, "GSM 20 BSIC 2-7")) {
            seen_gsm = 1;
            CS_CHECK(a->sample_start == 0 && a->sample_count == 600000);
            CS_CHECK(json_integer_value(json_object_get(t, "arfcn")) == 20);
            CS_CHECK(json_integer_value(json_object_get(json_object_get(t, "bsic"), "bcc")) == 7);
            CS_CHECK(json_is_integer(json_object_get(t, "first_fn")));
            CS_CHECK(json_real_value(json_object_get(t, "snr_db")) == 18.0);
            CS_CHECK(json_is_number(json_object_get(t, "power_dbfs")));
            CS_CHECK_NEAR(json_real_value(json_object_get(t, "freq_hz")), 939.0e6, 1e-3);
        } else if (a->label && !strcmp(a->label, "UMTS PSC 366")) {
            seen_umts = 1;
            CS_CHECK(json_integer_value(json_object_get(t, "group")) == 45);
            CS_CHECK(json_real_value(json_object_get(t, "ecio_db")) == -13.0);
            CS_CHECK(json_is_number(json_object_get(t, "frame_offset_chips")));
            CS_CHECK(json_integer_value(json_object_get(t, "uarfcn")) == 3012);
            CS_CHECK_NEAR(a->freq_upper_hz - a->freq_lower_hz, 1.22 * 3.84e6, 1);
        } else if (a->label && !strcmp(a->label, "GSM DL 22 TS 3")) {
            seen_traffic++;
            CS_CHECK(a->sample_count > 100000 && a->sample_count < 130000); /* 10 ms spans */
        }
        json_decref(o);
    }
    CS_CHECK(seen_gsm && seen_umts && seen_traffic == 2);
    cs_recording_destroy(rec);

    size_t len;
    char *truth = slurp("rec.truth.json", &len);
    json_error_t err;
    json_t *t = truth ? json_loads(truth, 0, &err) : NULL;
    CS_CHECK(json_is_object(t));
    CS_CHECK(json_array_size(json_object_get(t, "emitters")) == 3);
    CS_CHECK(json_integer_value(json_object_get(json_object_get(t, "recording"), "num_samples")) == 600000);
    CS_CHECK(json_is_number(json_object_get(json_object_get(t, "noise"), "n0_dbfs_per_hz")));
    CS_CHECK(json_is_object(json_object_get(t, "scenario")));
    /* the truth file is a scenario: loading it reproduces the recording byte for byte */
    cs_synth_scenario *again;
    cs_synth_scenario_create(&again);
    char tp[512], base2[512];
    snprintf(tp, sizeof tp, "%s/rec.truth.json", dir);
    snprintf(base2, sizeof base2, "%s/again", dir);
    CS_CHECK(cs_synth_scenario_load(again, tp) == CS_OK);
    CS_CHECK(cs_synth_write(again, base2, NULL) == CS_OK);
    size_t l1, l2;
    char *d1 = slurp("rec.sigmf-data", &l1), *d2 = slurp("again.sigmf-data", &l2);
    CS_CHECK(d1 && d2 && l1 == l2 && !memcmp(d1, d2, l1));
    free(d2);
    /* another seed: other noise, other timing */
    cs_synth_scenario *other = scenario(4);
    snprintf(base2, sizeof base2, "%s/other", dir);
    CS_CHECK(cs_synth_write(other, base2, NULL) == CS_OK);
    d2 = slurp("other.sigmf-data", &l2);
    CS_CHECK(d1 && d2 && l1 == l2 && memcmp(d1, d2, l1) != 0);
    free(d1);
    free(d2);
    free(truth);
    json_decref(t);
    cs_synth_scenario_destroy(other);
    cs_synth_scenario_destroy(again);
    cs_synth_scenario_destroy(sc);
}

static void test_failures(void)
{
    char base[512];
    cs_synth_scenario *sc = scenario(1);
    CS_CHECK(cs_synth_write(sc, "/nonexistent-dir/x", NULL) == CS_EIO);
    CS_CHECK(strstr(cs_last_error(), "/nonexistent-dir/x") != NULL);
    cs_synth_scenario_destroy(sc);

    /* a bursts file that is not one: error naming it, no output */
    char bad[512];
    snprintf(bad, sizeof bad, "%s/garbage.bz2", dir);
    FILE *fp = fopen(bad, "w");
    fputs("this is not bzip2\n", fp);
    fclose(fp);
    cs_synth_scenario_create(&sc);
    cs_synth_scenario_add_gsm_spec(sc, "725:0:0:20");
    sc->gsm[0].bursts_file = strdup(bad);
    snprintf(base, sizeof base, "%s/fail", dir);
    CS_CHECK(cs_synth_write(sc, base, NULL) != CS_OK);
    CS_CHECK(strstr(cs_last_error(), "garbage.bz2") != NULL);
    CS_CHECK(!exists("fail.sigmf-data") && !exists("fail.sigmf-meta") && !exists("fail.truth.json"));
    printf("bad bursts file: %s\n", cs_last_error());
    unlink(bad);
    cs_synth_scenario_destroy(sc);
}

static void cleanup(void)
{
    const char *names[] = { "rec", "again", "other" }, *ext[] = { ".sigmf-data", ".sigmf-meta", ".truth.json" };
    char p[512];
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            snprintf(p, sizeof p, "%s/%s%s", dir, names[i], ext[k]);
            unlink(p);
        }
    if (rmdir(dir) != 0) printf("note: %s not empty\n", dir);
}

int main(void)
{
    if (!mkdtemp(dir)) CS_SKIP("cannot make a temporary directory");
    test_roundtrip();
    test_failures();
    cleanup();
    return cs_test_done();
}
