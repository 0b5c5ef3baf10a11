/* Generator scenarios: command-line specs, scenario files (errors name the field), defaults,
 * the joint power solution and the JSON echo that reproduces a scenario. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellscan/status.h"
#include "cellscan/synth_scenario.h"
#include "cs_test.h"

static cs_synth_scenario *fresh(void)
{
    cs_synth_scenario *sc = NULL;
    CS_CHECK(cs_synth_scenario_create(&sc) == CS_OK);
    return sc;
}

static void test_specs(void)
{
    cs_synth_scenario *sc = fresh();
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0:20") == CS_OK);
    CS_CHECK(sc->num_gsm == 1 && sc->gsm[0].arfcn == 30 && sc->gsm[0].ncc == 4 && sc->gsm[0].snr_db == 20);
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0:-3.5") == CS_OK && sc->gsm[1].snr_db == -3.5);
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:8:0:20") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "NCC") != NULL);
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0") == CS_EINVAL);
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0:20:1") == CS_EINVAL);
    CS_CHECK(cs_synth_scenario_add_gsm_spec(sc, "30:4:0:2x") == CS_EINVAL);
    CS_CHECK(sc->num_gsm == 2); /* failures add nothing */
    CS_CHECK(cs_synth_scenario_add_umts_spec(sc, "366:-12") == CS_OK && sc->umts[0].uarfcn == -1);
    CS_CHECK(cs_synth_scenario_add_umts_spec(sc, "366:-12:10700") == CS_OK && sc->umts[1].uarfcn == 10700);
    CS_CHECK(cs_synth_scenario_add_umts_spec(sc, "512:-12") == CS_EINVAL);
    CS_CHECK(cs_synth_scenario_add_traffic_spec(sc, "32:1,2,7:15") == CS_OK);
    CS_CHECK(sc->bursts[0].timeslot_mask == 0x86 && !sc->bursts[0].uplink);
    CS_CHECK(cs_synth_scenario_add_traffic_spec(sc, "32:8:15") == CS_EINVAL);
    CS_CHECK(cs_synth_scenario_add_uplink_spec(sc, "30:2:0.1-0.3,0.5-0.9:12") == CS_OK);
    const cs_synth_gsm_bursts *u = &sc->bursts[1];
    CS_CHECK(u->uplink && u->timeslot_mask == 4 && u->num_intervals == 2 && u->intervals_s[1][0] == 0.5 &&
             u->intervals_s[1][1] == 0.9);
    CS_CHECK(cs_synth_scenario_add_uplink_spec(sc, "30:2:all:12") == CS_OK && sc->bursts[2].num_intervals == 0);
    CS_CHECK(cs_synth_scenario_add_uplink_spec(sc, "30:2:0.5-0.1:12") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "ends before it starts") != NULL);
    char label[64];
    cs_synth_gsm_label(&sc->gsm[0], label, sizeof label);
    CS_CHECK(!strcmp(label, "GSM 30 BSIC 4-0"));
    cs_synth_umts_label(&sc->umts[0], label, sizeof label);
    CS_CHECK(!strcmp(label, "UMTS PSC 366"));
    cs_synth_bursts_label(&sc->bursts[1], label, sizeof label);
    CS_CHECK(!strcmp(label, "GSM UL 30 TS 2"));
    cs_synth_scenario_destroy(sc);
}

static int load_text(cs_synth_scenario *sc, const char *text)
{
    cs_clear_error();
    return cs_synth_scenario_load_json(sc, text, "scene.json");
}

static void test_file_errors(void)
{
    cs_synth_scenario *sc = fresh();
    CS_CHECK(load_text(sc, "{\"gsm\": [{\"arfcn\": 30, \"snr\": 3}]}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "scene.json: gsm[0].snr: unknown field") != NULL);
    CS_CHECK(load_text(sc, "{\"umts\": [{\"psc\": \"x\"}]}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "umts[0].psc") != NULL);
    CS_CHECK(load_text(sc, "{\"umts\": [{\"ecio_db\": -3}]}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "psc: is required") != NULL);
    CS_CHECK(load_text(sc, "{\"duration_s\": -1}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "duration_s") != NULL);
    CS_CHECK(load_text(sc, "{\"gsm\": [}") == CS_EFORMAT);
    CS_CHECK(strstr(cs_last_error(), "scene.json: line 1") != NULL);
    CS_CHECK(load_text(sc, "[1, 2]") == CS_EFORMAT);
    CS_CHECK(load_text(sc, "{\"gsm_bursts\": [{\"link\": \"sideways\", \"arfcn\": 3, \"timeslots\": [1]}]}") == CS_EINVAL);
    CS_CHECK(load_text(sc, "{\"gsm\": [{\"arfcn\": 30, \"mnc\": \"2\"}]}") == CS_EINVAL);
    CS_CHECK(load_text(sc, "{\"datatype\": \"rf32_le\"}") == CS_EINVAL);
    CS_CHECK(load_text(sc, "{\"seed\": 1, \"seed\": 2}") == CS_EFORMAT);
    CS_CHECK(cs_synth_scenario_load(sc, "/nonexistent/scene.json") == CS_EIO);
    CS_CHECK(strstr(cs_last_error(), "/nonexistent/scene.json") != NULL);
    CS_CHECK(sc->num_gsm == 0 && sc->num_umts == 0 && sc->duration_s == 0.1); /* failures leave it as it was */
    cs_synth_scenario_destroy(sc);
}

static double db2lin(double db) { return pow(10.0, db / 10.0); }

static void test_powers(void)
{
    cs_synth_scenario *sc = fresh();
    CS_CHECK(load_text(sc, "{\"seed\": 7, \"power_dbfs\": -20, \"centre_freq_hz\": 941e6,"
                           " \"sample_rate_hz\": 20e6,"
                           " \"gsm\": [{\"arfcn\": 30, \"snr_db\": 12}],"
                           " \"umts\": [{\"psc\": 1, \"ecio_db\": -13, \"uarfcn\": 3037},"
                           "          {\"psc\": 2, \"ecio_db\": -15, \"uarfcn\": 3037}]}") == CS_OK);
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    const double n0 = db2lin(sc->n0_dbfs_per_hz);
    CS_CHECK_NEAR(sc->gsm[0].c.power_dbfs - 10 * log10(n0 * CS_GSM_NOISE_BW_HZ), 12.0, 1e-9);
    CS_CHECK_NEAR(sc->gsm[0].c.freq_hz, 941.0e6, 1e-3);
    CS_CHECK_NEAR(sc->umts[0].c.freq_hz, 947.4e6, 1e-3); /* UARFCN 3037 = 5 (947.4 - 340) */
    /* Ec/Io = CPICH / (every cell + N0 * 3.84 MHz), for each cell */
    double io = n0 * CS_UMTS_NOISE_BW_HZ + db2lin(sc->umts[0].c.power_dbfs) + db2lin(sc->umts[1].c.power_dbfs);
    CS_CHECK_NEAR(10 * log10(db2lin(sc->umts[0].cpich_dbfs) / io), -13.0, 1e-9);
    CS_CHECK_NEAR(10 * log10(db2lin(sc->umts[1].cpich_dbfs) / io), -15.0, 1e-9);
    CS_CHECK_NEAR(sc->umts[0].io_dbfs, 10 * log10(io), 1e-9);
    /* the whole recording at the requested mean power */
    double total = n0 * sc->sample_rate_hz + db2lin(sc->gsm[0].c.power_dbfs) + io - n0 * CS_UMTS_NOISE_BW_HZ;
    CS_CHECK_NEAR(10 * log10(total), -20.0, 1e-9);
    /* deterministic defaults, in range */
    CS_CHECK(sc->gsm[0].first_fn >= 0 && sc->gsm[0].first_fn < 2715648);
    CS_CHECK(sc->gsm[0].first_frame_s >= 0 && sc->gsm[0].first_frame_s < 60.0 / 13 * 1e-3);
    CS_CHECK(sc->umts[0].frame_offset_chips >= 0 && sc->umts[0].frame_offset_chips < 38400 &&
             sc->umts[0].frame_offset_chips == floor(sc->umts[0].frame_offset_chips));
    cs_synth_scenario *again = fresh();
    load_text(again, "{\"seed\": 7, \"centre_freq_hz\": 941e6, \"sample_rate_hz\": 20e6,"
                     " \"gsm\": [{\"arfcn\": 30}], \"umts\": [{\"psc\": 1, \"uarfcn\": 3037}]}");
    CS_CHECK(cs_synth_scenario_resolve(again) == CS_OK);
    CS_CHECK(again->gsm[0].first_fn == sc->gsm[0].first_fn && again->gsm[0].first_frame_s == sc->gsm[0].first_frame_s);
    CS_CHECK(again->umts[0].frame_offset_chips == sc->umts[0].frame_offset_chips);
    cs_synth_scenario_destroy(again);
    cs_synth_scenario_destroy(sc);

    /* noise_dbfs fixes the noise instead of the total */
    sc = fresh();
    load_text(sc, "{\"noise_dbfs\": -40, \"gsm\": [{\"arfcn\": 1, \"snr_db\": 5}]}");
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    CS_CHECK_NEAR(sc->noise_power_dbfs, -40.0, 1e-9);
    CS_CHECK_NEAR(sc->sample_rate_hz, 13e6 / 12, 1e-6); /* one GSM carrier: 4 samples/symbol */
    cs_synth_scenario_destroy(sc);
}

static void test_resolve_errors(void)
{
    cs_synth_scenario *sc = fresh();
    cs_synth_scenario_add_umts_spec(sc, "1:-10.3");
    cs_synth_scenario_add_umts_spec(sc, "2:-20");
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL); /* 0.933 + 0.1 >= 1 */
    CS_CHECK(strstr(cs_last_error(), "infeasible") != NULL);
    cs_synth_scenario_destroy(sc);

    sc = fresh();
    cs_synth_scenario_add_umts_spec(sc, "1:-12");
    sc->umts[0].cpich_db = -1; /* CPICH alone at 0.79, P-CCPCH 0.06, SCH ... > 1 */
    sc->umts[0].pccpch_db = -3;
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "exceed the cell's total power") != NULL);
    cs_synth_scenario_destroy(sc);

    sc = fresh();
    cs_synth_scenario_add_gsm_spec(sc, "30:1:1:10");
    sc->centre_freq_hz = 941.4e6;
    sc->sample_rate_hz = 1e6;
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "GSM 30 BSIC 1-1 at 941.0000 MHz does not fit") != NULL);
    cs_synth_scenario_destroy(sc);

    sc = fresh();
    snprintf(sc->band, sizeof sc->band, "DCS1800");
    cs_synth_scenario_add_gsm_spec(sc, "30:1:1:10");
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "ARFCN 30 is not a GSM downlink channel of band DCS1800") != NULL);
    cs_synth_scenario_destroy(sc);

    sc = fresh();
    cs_synth_scenario_add_uplink_spec(sc, "30:1:5-6:10");
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "starts after the end") != NULL);
    cs_synth_scenario_destroy(sc);

    sc = fresh();
    cs_synth_scenario_add_gsm_spec(sc, "30:1:1:10");
    snprintf(sc->gsm[0].c.fading, sizeof sc->gsm[0].c.fading, "XX9");
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "unknown fading profile 'XX9' (known: none, TU") != NULL);
    cs_synth_scenario_destroy(sc);
}

/* to_json → load → to_json gives the same text: the echo reproduces the scenario. */
static void test_echo(void)
{
    cs_synth_scenario *sc = fresh();
    cs_synth_scenario_add_gsm_spec(sc, "512:3:5:17");
    snprintf(sc->gsm[0].band, sizeof sc->gsm[0].band, "PCS1900");
    sc->gsm[0].mnc = 2;
    sc->gsm[0].mnc_digits = 3;
    sc->gsm[0].combined_ccch = 1;
    cs_synth_scenario_add_uplink_spec(sc, "512:3:0.01-0.05:9");
    snprintf(sc->bursts[0].band, sizeof sc->bursts[0].band, "PCS1900");
    snprintf(sc->gsm[0].c.fading, sizeof sc->gsm[0].c.fading, "tu");
    sc->rx.ppm = 1.5;
    sc->rx.cfo_hz = -12.25;
    sc->duration_s = 0.1;
    sc->sample_rate_hz = 100e6; /* uplink 80 MHz below the downlink */
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    CS_CHECK_NEAR(sc->gsm[0].c.freq_hz, 1930.2e6, 1e-3);
    CS_CHECK_NEAR(sc->bursts[0].c.freq_hz, 1850.2e6, 1e-3);
    CS_CHECK(!strcmp(sc->gsm[0].c.fading, "TU") && sc->gsm[0].c.doppler_hz > 80); /* 50 km/h at 1.93 GHz */
    char *a = cs_synth_scenario_to_json(sc);
    cs_synth_scenario *b = fresh();
    CS_CHECK(a && cs_synth_scenario_load_json(b, a, "echo") == CS_OK);
    CS_CHECK(cs_synth_scenario_resolve(b) == CS_OK);
    char *c = cs_synth_scenario_to_json(b);
    CS_CHECK(a && c && !strcmp(a, c));
    CS_CHECK(a && strstr(a, "\"mnc\": \"002\"") && strstr(a, "\"ccch\": \"combined\"") &&
             strstr(a, "\"duration_s\": 0.1,"));
    free(a);
    free(c);
    cs_synth_scenario_destroy(b);
    cs_synth_scenario_destroy(sc);
}


/* A YAML scenario is the same scenario as its JSON twin. */
static void test_yaml(void)
{
    char dir[] = "/tmp/cs_synth_yaml_XXXXXX";
    if (!mkdtemp(dir)) return;
    char path[256];
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    FILE *fp = fopen(path, "w");
    fputs("seed: 5\nduration_s: 0.02\ngsm:\n  - arfcn: 30\n    ncc: 2\n    mnc: \"02\"\n"
          "umts:\n  - {psc: 44, ecio_db: -14.5, uarfcn: 3037}\nreceiver: {ppm: 0.5}\n", fp);
    fclose(fp);
    cs_synth_scenario *y = fresh(), *j = fresh();
    int rc = cs_synth_scenario_load(y, path);
    if (rc == CS_ENOTSUP) {
        printf("note: built without libyaml: %s\n", cs_last_error());
    } else {
        CS_CHECK(rc == CS_OK);
        CS_CHECK(load_text(j, "{\"seed\": 5, \"duration_s\": 0.02, \"gsm\": [{\"arfcn\": 30, \"ncc\": 2, \"mnc\": \"02\"}],"
                              " \"umts\": [{\"psc\": 44, \"ecio_db\": -14.5, \"uarfcn\": 3037}],"
                              " \"receiver\": {\"ppm\": 0.5}}") == CS_OK);
        CS_CHECK(cs_synth_scenario_resolve(y) == CS_OK && cs_synth_scenario_resolve(j) == CS_OK);
        char *a = cs_synth_scenario_to_json(y), *b = cs_synth_scenario_to_json(j);
        CS_CHECK(a && b && !strcmp(a, b));
        free(a);
        free(b);
        fp = fopen(path, "w");
        fputs("gsm:\n  - arfcn: 30\n   bad indent: [\n", fp);
        fclose(fp);
        cs_synth_scenario *z = fresh();
        CS_CHECK(cs_synth_scenario_load(z, path) == CS_EFORMAT);
        CS_CHECK(strstr(cs_last_error(), "s.yaml: line") != NULL);
        cs_synth_scenario_destroy(z);
    }
    cs_synth_scenario_destroy(y);
    cs_synth_scenario_destroy(j);
    unlink(path);
    rmdir(dir);
}

/* Arrays and motion survive the echo too; their errors name the field. */
static void test_array_motion(void)
{
    cs_synth_scenario *sc = fresh();
    CS_CHECK(load_text(sc, "{\"duration_s\": 0.5, \"gsm\": [{\"arfcn\": 30, \"location\": [48.2, 16.4]}],"
                           " \"array\": {\"geometry\": \"uca\", \"elements\": 5, \"heading_deg\": 15,"
                           "   \"phase_deg\": [0, 1, 2, 3, 4], \"delay_ns\": [0, 0, 3, 0, 0], \"calibration_s\": 0.1},"
                           " \"receiver_track\": {\"points\": [[0, 48.1, 16.3], [0.5, 48.1, 16.31, 5]]}}") == CS_OK);
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_OK);
    CS_CHECK_NEAR(sc->array.radius_m, 299792458.0 / 941e6 / (4 * sin(M_PI / 5)), 1e-12);
    CS_CHECK(sc->array.delay_ns[2] == 3.0);
    char *a = cs_synth_scenario_to_json(sc);
    cs_synth_scenario *b = fresh();
    CS_CHECK(a && cs_synth_scenario_load_json(b, a, "echo") == CS_OK && cs_synth_scenario_resolve(b) == CS_OK);
    char *c = cs_synth_scenario_to_json(b);
    CS_CHECK(a && c && !strcmp(a, c));
    free(a);
    free(c);
    cs_synth_scenario_destroy(b);
    cs_synth_scenario_destroy(sc);

    sc = fresh();
    CS_CHECK(load_text(sc, "{\"array\": {\"geometry\": \"uca\", \"elements\": 3, \"phase_deg\": [1, 2]}}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "array.phase_deg must list 3 numbers") != NULL);
    CS_CHECK(load_text(sc, "{\"array\": {\"geometry\": \"custom\", \"elements\": 2}}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "positions_m") != NULL);
    CS_CHECK(load_text(sc, "{\"receiver_track\": {\"points\": [[0, 95, 0]]}}") == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "latitude/longitude out of range") != NULL);
    CS_CHECK(load_text(sc, "{\"antenna\": {\"pattern\": \"yagi\"}}") == CS_OK);
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "antenna.pattern 'yagi'") != NULL);
    cs_synth_scenario_destroy(sc);
    sc = fresh();
    CS_CHECK(cs_synth_scenario_set_array_spec(sc, "ula:4:0.2") == CS_OK && sc->array.spacing_m == 0.2);
    CS_CHECK(cs_synth_scenario_set_array_spec(sc, "ula:1") == CS_EINVAL);
    CS_CHECK(cs_synth_scenario_set_array_spec(sc, "grid:4") == CS_EINVAL);
    sc->array.calibration_s = 1.0; /* longer than the 0.1 s recording */
    cs_synth_scenario_add_gsm_spec(sc, "30:1:1:10");
    CS_CHECK(cs_synth_scenario_resolve(sc) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "calibration segment") != NULL);
    cs_synth_scenario_destroy(sc);
}

int main(void)
{
    test_specs();
    test_file_errors();
    test_powers();
    test_resolve_errors();
    test_echo();
    test_yaml();
    test_array_motion();
    return cs_test_done();
}
