/* The recording reader: path forms, seek/tell, capture lookup, NaN/Inf guard, a file that
 * shrinks while being read, non-conforming datasets, and metadata rules checked in-process
 * (the CLI-level bad inputs are in tests/badinput). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellscan/recording.h"
#include "cellscan/status.h"
#include "cs_test.h"

static char dir[] = "/tmp/cs_rec_XXXXXX";

static void path_in(char *out, size_t n, const char *name) { snprintf(out, n, "%s/%s", dir, name); }

static void write_bytes(const char *name, const void *b, size_t n)
{
    char p[512];
    path_in(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    if (n) fwrite(b, 1, n, f);
    fclose(f);
}

static void write_text(const char *name, const char *text) { write_bytes(name, text, strlen(text)); }

/* ci16 ramp: sample k is (k mod 30000, -(k mod 20000)). */
static void write_ramp(const char *name, size_t n)
{
    int16_t *v = malloc(4 * n);
    for (size_t k = 0; k < n; k++) {
        v[2 * k] = (int16_t)(k % 30000);
        v[2 * k + 1] = (int16_t)-(int)(k % 20000);
    }
    write_bytes(name, v, 4 * n);
    free(v);
}

static int open_meta(const char *name, cs_recording *rec)
{
    char p[512];
    path_in(p, sizeof p, name);
    return cs_recording_open(p, rec);
}

static void check_ramp_sample(cs_cf32 x, uint64_t k)
{
    CS_CHECK_MSG(crealf(x) == (float)(k % 30000) / 32768.0f &&
                     cimagf(x) == -(float)(k % 20000) / 32768.0f,
                 "sample %llu wrong", (unsigned long long)k);
}

static void test_paths_and_seek(void)
{
    const size_t n = 150000;
    write_ramp("ramp.sigmf-data", n);
    write_text("ramp.sigmf-meta",
               "{\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1e6,"
               "\"core:version\":\"1.2.0\"},\"captures\":[{\"core:sample_start\":0,"
               "\"core:frequency\":9.4e8},{\"core:sample_start\":1000,\"core:frequency\":9.5e8,"
               "\"core:global_index\":5000},{\"core:sample_start\":100000}],\"annotations\":[]}");
    const char *forms[] = { "ramp", "ramp.sigmf-meta", "ramp.sigmf-data" };
    for (int i = 0; i < 3; i++) {
        cs_recording rec;
        int rc = open_meta(forms[i], &rec);
        CS_CHECK_MSG(rc == CS_OK, "%s: %s", forms[i], cs_last_error());
        if (rc == CS_OK) cs_recording_destroy(rec);
    }
    cs_recording rec;
    if (open_meta("ramp", &rec) != CS_OK) return;
    const cs_recording_info *in = cs_recording_get_info(rec);
    CS_CHECK(in->num_samples == n && in->num_captures == 3);
    CS_CHECK(in->captures[1].global_index == 5000 && in->captures[2].global_index == 100000);
    CS_CHECK(isnan(in->captures[2].frequency_hz));
    CS_CHECK(cs_recording_capture_at(rec, 0) == 0);
    CS_CHECK(cs_recording_capture_at(rec, 999) == 0);
    CS_CHECK(cs_recording_capture_at(rec, 1000) == 1);
    CS_CHECK(cs_recording_capture_at(rec, 99999) == 1);
    CS_CHECK(cs_recording_capture_at(rec, n - 1) == 2);

    cs_cf32 *buf = malloc(n * sizeof *buf);
    size_t got = 0, total = 0;
    while (cs_recording_read(rec, buf + total, 70000, &got) == CS_OK && got > 0) total += got;
    CS_CHECK(total == n && cs_recording_tell(rec) == n);
    for (size_t k = 0; k < n; k += 997) check_ramp_sample(buf[k], k);
    check_ramp_sample(buf[n - 1], n - 1);

    CS_CHECK(cs_recording_seek(rec, 123457) == CS_OK && cs_recording_tell(rec) == 123457);
    CS_CHECK(cs_recording_read(rec, buf, 100, &got) == CS_OK && got == 100);
    for (size_t k = 0; k < 100; k++) check_ramp_sample(buf[k], 123457 + k);
    CS_CHECK(cs_recording_seek(rec, n - 3) == CS_OK);
    CS_CHECK(cs_recording_read(rec, buf, 100, &got) == CS_OK && got == 3); /* short at the end */
    CS_CHECK(cs_recording_read(rec, buf, 100, &got) == CS_OK && got == 0);
    CS_CHECK(cs_recording_seek(rec, n) == CS_OK);
    CS_CHECK(cs_recording_seek(rec, n + 1) == CS_EINVAL);
    CS_CHECK(cs_recording_seek(rec, 0) == CS_OK);
    CS_CHECK(cs_recording_read(rec, buf, 1, &got) == CS_OK && got == 1);
    check_ramp_sample(buf[0], 0);
    free(buf);
    cs_recording_destroy(rec);

    CS_CHECK(open_meta("ramp.sigmf", &rec) == CS_ENOTSUP);
    CS_CHECK(strstr(cs_last_error(), "archives") != NULL);
}

static void test_nonfinite(void)
{
    /* NaN in the second read block; channel 1 of 2 */
    const size_t n = 40000;
    float *v = calloc(4 * n, sizeof *v);
    v[4 * 35000 + 3] = NAN; /* frame 35000, channel 1, Q */
    write_bytes("nan.cf32", v, 16 * n);
    free(v);
    char p[512];
    path_in(p, sizeof p, "nan.cf32");
    cs_raw_params rp = { CS_DT_CF32_LE, 1e6, NAN, 2 };
    cs_recording rec;
    CS_CHECK(cs_recording_open_raw(p, &rp, &rec) == CS_OK);
    cs_cf32 *buf = malloc(2 * n * sizeof *buf);
    size_t got = 0;
    int rc = cs_recording_read(rec, buf, n, &got);
    CS_CHECK(rc == CS_EFORMAT);
    CS_CHECK_MSG(strstr(cs_last_error(), "non-finite sample (NaN or Inf) at sample 35000 (channel 1)"),
                 "message: %s", cs_last_error());
    cs_recording_allow_nonfinite(rec, 1);
    CS_CHECK(cs_recording_seek(rec, 0) == CS_OK);
    CS_CHECK(cs_recording_read(rec, buf, n, &got) == CS_OK && got == n);
    CS_CHECK(isnan(cimagf(buf[2 * 35000 + 1])));
    cs_recording_destroy(rec);
    free(buf);

    /* cf64 beyond float range: named as such, not as NaN */
    double d[4] = { 0.5, 0.25, 1e300, 0.0 };
    write_bytes("big.cf64", d, sizeof d);
    path_in(p, sizeof p, "big.cf64");
    rp = (cs_raw_params){ CS_DT_CF64_LE, 1e6, NAN, 1 };
    cs_cf32 two[2];
    CS_CHECK(cs_recording_open_raw(p, &rp, &rec) == CS_OK);
    CS_CHECK(cs_recording_read(rec, two, 2, &got) == CS_EFORMAT);
    CS_CHECK_MSG(strstr(cs_last_error(), "sample 1 value 1e+300 is beyond the single-precision range"),
                 "message: %s", cs_last_error());
    cs_recording_destroy(rec);
}

static void test_shrinks_while_reading(void)
{
    write_ramp("shrink.cs16", 200000);
    char p[512];
    path_in(p, sizeof p, "shrink.cs16");
    cs_raw_params rp = { CS_DT_CI16_LE, 1e6, NAN, 1 };
    cs_recording rec;
    CS_CHECK(cs_recording_open_raw(p, &rp, &rec) == CS_OK);
    cs_cf32 buf[1000];
    size_t got;
    CS_CHECK(cs_recording_read(rec, buf, 1000, &got) == CS_OK && got == 1000);
    CS_CHECK(truncate(p, 6000) == 0); /* 1500 samples: the next read crosses the new end */
    int rc = cs_recording_read(rec, buf, 1000, &got);
    CS_CHECK(rc == CS_EIO);
    CS_CHECK_MSG(strstr(cs_last_error(), "truncated while being read"), "message: %s",
                 cs_last_error());
    cs_recording_destroy(rec);
}

static void test_nonconforming_dataset(void)
{
    /* 6 header bytes, 3 ci8 frames, 4 trailing bytes, under another name */
    const unsigned char b[] = { 'H', 'E', 'A', 'D', 'E', 'R', 1, 2, 3, 4, 5, 6, 'T', 'A', 'I', 'L' };
    write_bytes("capture.dat", b, sizeof b);
    write_text("ncd.sigmf-meta",
               "{\"global\":{\"core:datatype\":\"ci8\",\"core:sample_rate\":1000,"
               "\"core:dataset\":\"capture.dat\",\"core:trailing_bytes\":4,\"core:offset\":77,"
               "\"core:geolocation\":{\"type\":\"Point\",\"coordinates\":[13.4,52.5,40]},"
               "\"acme:site\":\"roof\"},"
               "\"captures\":[{\"core:sample_start\":0,\"core:header_bytes\":6,"
               "\"core:datetime\":\"2024-05-01T12:00:00.25Z\"}],"
               "\"annotations\":[{\"core:sample_start\":2,\"core:sample_count\":1,\"x:k\":[1,2]},"
               "{\"core:sample_start\":0,\"core:label\":\"first\"}]}");
    cs_recording rec;
    int rc = open_meta("ncd.sigmf-meta", &rec);
    CS_CHECK_MSG(rc == CS_OK, "%s", cs_last_error());
    if (rc != CS_OK) return;
    const cs_recording_info *in = cs_recording_get_info(rec);
    CS_CHECK(in->num_samples == 3 && in->data_offset_bytes == 6 && in->offset_samples == 77);
    CS_CHECK(strstr(in->data_path, "capture.dat") != NULL);
    CS_CHECK(in->version == NULL); /* absent: accepted */
    CS_CHECK(strstr(in->global_json, "\"acme:site\":\"roof\"") != NULL);
    CS_CHECK_NEAR(in->captures[0].latitude_deg, 52.5, 0); /* inherited from global */
    CS_CHECK_NEAR(in->captures[0].longitude_deg, 13.4, 0);
    CS_CHECK_NEAR(in->captures[0].altitude_m, 40, 0);
    CS_CHECK(!strcmp(in->captures[0].datetime, "2024-05-01T12:00:00.25Z"));
    CS_CHECK(in->num_annotations == 2);
    CS_CHECK(in->annotations[0].sample_start == 0 && in->annotations[0].label &&
             !strcmp(in->annotations[0].label, "first")); /* sorted */
    CS_CHECK(strstr(in->annotations[1].json, "\"x:k\":[1,2]") != NULL);
    cs_cf32 x[4];
    size_t got;
    CS_CHECK(cs_recording_read(rec, x, 4, &got) == CS_OK && got == 3);
    CS_CHECK(crealf(x[0]) == 1 / 128.0f && cimagf(x[2]) == 6 / 128.0f);
    cs_recording_destroy(rec);
}

/* One metadata text, the expected status and message fragment. */
static void expect_meta_error(const char *meta, size_t data_bytes, int status, const char *frag)
{
    static int k;
    char name[64];
    snprintf(name, sizeof name, "bad%d.sigmf-data", k);
    unsigned char *zeros = calloc(1, data_bytes + 1);
    write_bytes(name, zeros, data_bytes);
    free(zeros);
    snprintf(name, sizeof name, "bad%d.sigmf-meta", k++);
    write_text(name, meta);
    cs_recording rec;
    int rc = open_meta(name, &rec);
    CS_CHECK_MSG(rc == status && strstr(cs_last_error(), frag), "%s → %d '%s', expected '%s'",
                 meta, rc, cs_last_error(), frag);
    if (rc == CS_OK) cs_recording_destroy(rec);
}

#define G "\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1e6}"

static void test_meta_rules(void)
{
    expect_meta_error("{" G ",\"captures\":[],\"annotations\":[{\"core:sample_start\":90,"
                      "\"core:sample_count\":20}]}",
                      400, CS_EFORMAT, "core:sample_count 20 runs past the end of the data (100 samples)");
    expect_meta_error("{" G ",\"annotations\":[{\"core:sample_start\":100}]}", 400, CS_EFORMAT,
                      "is beyond the end of the data (100 samples)");
    expect_meta_error("{" G ",\"captures\":[{\"core:sample_start\":0},{\"core:sample_start\":100}]}",
                      400, CS_EFORMAT, "captures[1]: core:sample_start 100 is beyond the end");
    expect_meta_error("{" G ",\"captures\":[{\"core:sample_start\":5}]}", 400, CS_EFORMAT,
                      "captures[0]: core:sample_start must be 0");
    expect_meta_error("{" G ",\"captures\":[{\"core:sample_start\":0},{\"core:sample_start\":1,"
                      "\"core:header_bytes\":4}]}",
                      400, CS_ENOTSUP, "core:header_bytes inside the dataset");
    expect_meta_error("{\"global\":{\"core:datatype\":\"cf32\",\"core:sample_rate\":1}}", 400,
                      CS_EFORMAT, "did you mean 'cf32_le'");
    expect_meta_error("{\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1,"
                      "\"core:version\":\"2.0.0\"}}",
                      400, CS_ENOTSUP, "core:version 2.0.0 is not supported");
    expect_meta_error("{\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1,"
                      "\"core:metadata_only\":true}}",
                      400, CS_EFORMAT, "core:metadata_only");
    expect_meta_error("{\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1,"
                      "\"core:dataset\":\"../x\"}}",
                      400, CS_EFORMAT, "core:dataset must be the name of a file beside");
    expect_meta_error("{" G ",\"annotations\":[{\"core:sample_start\":1,\"core:freq_lower_edge\":5}]}",
                      400, CS_EFORMAT, "must be given together");
    expect_meta_error("{\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1,"
                      "\"core:num_channels\":3}}",
                      400, CS_EFORMAT, "not a multiple of 12 bytes per frame (3 channels of ci16_le)");
    expect_meta_error("{" G ",\"global\":{}}", 400, CS_EFORMAT, "duplicate object key");
    const char *bad_times[] = { "2024-05-01T12:00:00", "2024-05-01T12:00:00.Z",
                                "2024-05-01 12:00:00Z", "2024-05-01T24:00:00Z",
                                "2024-05-01T12:00:00+01:00", "24-05-01T12:00:00Z" };
    for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
        char m[300];
        snprintf(m, sizeof m, "{" G ",\"captures\":[{\"core:sample_start\":0,"
                 "\"core:datetime\":\"%s\"}]}", bad_times[i]);
        expect_meta_error(m, 400, CS_EFORMAT, "is not an RFC 3339 UTC time");
    }
    expect_meta_error("{" G ",\"captures\":[{\"core:sample_start\":0,"
                      "\"core:datetime\":\"2024-05-01t12:00:60.123456789z\"}]}",
                      400, CS_OK, "");
    expect_meta_error("{" G ",\"captures\":[{\"core:sample_start\":0,\"core:geolocation\":"
                      "{\"type\":\"Point\",\"coordinates\":[1]}}]}",
                      400, CS_EFORMAT, "coordinates must be [longitude, latitude]");
    /* accepted: captures absent or empty, annotations absent */
    expect_meta_error("{" G "}", 400, CS_OK, "");
}

static void test_raw_params(void)
{
    write_ramp("p.cs16", 10);
    char p[512];
    path_in(p, sizeof p, "p.cs16");
    cs_recording rec;
    cs_raw_params bad_rate = { CS_DT_CI16_LE, -1, NAN, 1 };
    CS_CHECK(cs_recording_open_raw(p, &bad_rate, &rec) == CS_EINVAL);
    cs_raw_params bad_ch = { CS_DT_CI16_LE, 1e6, NAN, 65 };
    CS_CHECK(cs_recording_open_raw(p, &bad_ch, &rec) == CS_EINVAL);
    cs_raw_params no_type = { CS_DT_UNKNOWN, 1e6, NAN, 1 };
    CS_CHECK(cs_recording_open_raw(p, &no_type, &rec) == CS_EINVAL);
    cs_raw_params ch5 = { CS_DT_CI16_LE, 1e6, 1e9, 5 }; /* 40 bytes = 2 frames of 20 */
    CS_CHECK(cs_recording_open_raw(p, &ch5, &rec) == CS_OK);
    CS_CHECK(cs_recording_get_info(rec)->num_samples == 2);
    CS_CHECK(strstr(cs_recording_get_info(rec)->captures[0].json, "\"core:frequency\":1000000000"));
    cs_recording_destroy(rec);
    path_in(p, sizeof p, "");
    CS_CHECK(cs_recording_open_raw(p, &ch5, &rec) == CS_EIO);
    CS_CHECK(strstr(cs_last_error(), "is a directory") != NULL);
}

/* SigMF: a missing or empty captures list means one capture at sample 0 (found by fuzzing:
 * it once opened with none, and readers of captures[0] overran). */
static void test_implied_capture(void)
{
    static const char *const metas[] = {
        "{\"global\": {\"core:datatype\": \"ci8\", \"core:sample_rate\": 1e6}}",
        "{\"global\": {\"core:datatype\": \"ci8\", \"core:sample_rate\": 1e6}, \"captures\": []}",
    };
    static const int8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    for (size_t i = 0; i < 2; i++) {
        write_text("implied.sigmf-meta", metas[i]);
        write_bytes("implied.sigmf-data", data, sizeof data);
        cs_recording rec = NULL;
        CS_CHECK(open_meta("implied.sigmf-meta", &rec) == CS_OK);
        if (!rec) continue;
        const cs_recording_info *in = cs_recording_get_info(rec);
        CS_CHECK(in->num_captures == 1 && in->captures[0].sample_start == 0 &&
                 isnan(in->captures[0].frequency_hz) && in->num_samples == 4);
        CS_CHECK(cs_recording_capture_at(rec, 3) == 0);
        cs_recording_destroy(rec);
    }
}

int main(void)
{
    if (!mkdtemp(dir)) CS_SKIP("cannot create a temporary directory");
    test_paths_and_seek();
    test_nonfinite();
    test_shrinks_while_reading();
    test_nonconforming_dataset();
    test_meta_rules();
    test_raw_params();
    test_implied_capture();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return cs_test_done();
}
