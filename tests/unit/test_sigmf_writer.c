/* The SigMF writer: multi-channel and multi-capture recordings, annotations and extension
 * fields that round-trip, all-or-nothing output (abort and failures leave no file), and
 * cs_sigmf_write_annotations beside SigMF and raw recordings. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/recording.h"
#include "cellscan/sigmf_writer.h"
#include "cellscan/status.h"
#include "cs_test.h"

static char root[] = "/tmp/cs_wr_XXXXXX";

/* Number of directory entries (other than . and ..); names listed on stderr on demand. */
static int count_entries(const char *d, int show)
{
    DIR *dp = opendir(d);
    if (!dp) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            n++;
            if (show) fprintf(stderr, "  left behind: %s\n", e->d_name);
        }
    closedir(dp);
    return n;
}

static char *sub(const char *name)
{
    static char p[8][512];
    static int k;
    char *s = p[k++ % 8];
    snprintf(s, 512, "%s/%s", root, name);
    return s;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

#define CH 3
#define N 50000

static void write_multichannel(const char *stem)
{
    char base[600], data[600], meta[600];
    snprintf(base, sizeof base, "%s.sigmf-meta", sub(stem)); /* an extension is stripped */
    snprintf(data, sizeof data, "%s.sigmf-data", sub(stem));
    snprintf(meta, sizeof meta, "%s.sigmf-meta", sub(stem));
    cs_sigmf_writer_params p = { CS_DT_CI16_LE, 3.84e6, CH, "array test", "tester", "unit",
                                 "{\"acme:array\":\"ula\",\"core:sha512\":\"stale\","
                                 "\"core:num_channels\":9,\"core:description\":\"loses\"}" };
    cs_sigmf_writer w;
    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    cs_capture c0 = { 0, 947.6e6, "2024-05-01T12:00:00Z", 52.5, 13.4, 35.0,
                      "{\"acme:gain_db\":20,\"core:frequency\":1}", 0 };
    cs_capture c1 = { 40000, 1842.6e6, "", NAN, NAN, NAN, NULL, 90000 };
    CS_CHECK(cs_sigmf_writer_add_capture(w, &c0) == CS_OK);
    CS_CHECK(cs_sigmf_writer_add_capture(w, &c1) == CS_OK);
    CS_CHECK(cs_sigmf_writer_add_capture(w, &c1) == CS_EINVAL); /* not increasing */
    cs_annotation a_late = { 45000, 100, 1842.5e6, 1842.7e6, "gsm", "C0 of ARFCN 600",
                             "{\"acme:snr_db\":12.5,\"acme:bsic\":{\"ncc\":4,\"bcc\":0}}" };
    cs_annotation a_early = { 10, 0, NAN, NAN, "early", NULL, NULL };
    CS_CHECK(cs_sigmf_writer_add_annotation(w, &a_late) == CS_OK);
    CS_CHECK(cs_sigmf_writer_add_annotation(w, &a_early) == CS_OK);
    cs_annotation bad_edges = { 1, 1, 5.0, NAN, NULL, NULL, NULL };
    CS_CHECK(cs_sigmf_writer_add_annotation(w, &bad_edges) == CS_EINVAL);

    cs_cf32 *x = malloc(N * CH * sizeof *x);
    for (size_t k = 0; k < N; k++)
        for (int c = 0; c < CH; c++)
            x[k * CH + c] = CMPLXF((float)c / 8.0f, (float)(k % 1000) / 2048.0f);
    CS_CHECK(cs_sigmf_writer_write(w, x, N, NULL) == CS_OK);
    free(x);
    CS_CHECK(!exists(meta) && !exists(data)); /* nothing visible before finish */
    CS_CHECK(cs_sigmf_writer_finish(w) == CS_OK);
}

static void test_multichannel_roundtrip(void)
{
    write_multichannel("multi");
    cs_recording rec;
    int rc = cs_recording_open(sub("multi"), &rec);
    CS_CHECK_MSG(rc == CS_OK, "%s", cs_last_error());
    if (rc != CS_OK) return;
    const cs_recording_info *in = cs_recording_get_info(rec);
    CS_CHECK(in->num_channels == CH && in->num_samples == N && in->datatype == CS_DT_CI16_LE);
    CS_CHECK(in->description && !strcmp(in->description, "array test"));
    CS_CHECK(in->author && !strcmp(in->author, "tester"));
    CS_CHECK(strstr(in->global_json, "\"acme:array\":\"ula\"") != NULL);
    CS_CHECK(strstr(in->global_json, "sha512") == NULL);        /* stale data key dropped */
    CS_CHECK(strstr(in->global_json, "\"core:num_channels\":3") != NULL);
    CS_CHECK(in->num_captures == 2);
    CS_CHECK(in->captures[0].frequency_hz == 947.6e6 && in->captures[1].frequency_hz == 1842.6e6);
    CS_CHECK(!strcmp(in->captures[0].datetime, "2024-05-01T12:00:00Z"));
    CS_CHECK(in->captures[0].latitude_deg == 52.5 && in->captures[0].altitude_m == 35.0);
    CS_CHECK(strstr(in->captures[0].json, "\"acme:gain_db\":20") != NULL);
    CS_CHECK(in->captures[1].global_index == 90000);
    CS_CHECK(in->num_annotations == 2);
    CS_CHECK(in->annotations[0].sample_start == 10 && !strcmp(in->annotations[0].label, "early"));
    const cs_annotation *a = &in->annotations[1];
    CS_CHECK(a->sample_count == 100 && a->freq_lower_hz == 1842.5e6 && a->freq_upper_hz == 1842.7e6);
    CS_CHECK(a->comment && !strcmp(a->comment, "C0 of ARFCN 600"));
    CS_CHECK(strstr(a->json, "\"acme:bsic\":{\"ncc\":4,\"bcc\":0}") != NULL);
    CS_CHECK(strstr(a->json, "\"acme:snr_db\":12.5") != NULL);

    cs_cf32 f[2 * CH];
    size_t got;
    CS_CHECK(cs_recording_seek(rec, 999) == CS_OK);
    CS_CHECK(cs_recording_read(rec, f, 2, &got) == CS_OK && got == 2);
    for (int c = 0; c < CH; c++) {
        CS_CHECK(crealf(f[c]) == (float)c / 8.0f && cimagf(f[c]) == 999 / 2048.0f);
        CS_CHECK(cimagf(f[CH + c]) == 0.0f); /* frame 1000 */
    }

    /* Rewrite everything the reader returned: the metadata must come out the same. */
    cs_sigmf_writer_params p = { in->datatype, in->sample_rate_hz, in->num_channels, NULL, NULL,
                                 NULL, in->global_json };
    cs_sigmf_writer w;
    CS_CHECK(cs_sigmf_writer_create(sub("copy"), &p, &w) == CS_OK);
    for (size_t i = 0; i < in->num_captures; i++) cs_sigmf_writer_add_capture(w, &in->captures[i]);
    for (size_t i = in->num_annotations; i-- > 0;) cs_sigmf_writer_add_annotation(w, &in->annotations[i]);
    cs_cf32 *all = malloc(N * CH * sizeof *all);
    cs_recording_seek(rec, 0);
    cs_recording_read(rec, all, N, &got);
    cs_sigmf_writer_write(w, all, got, NULL);
    free(all);
    CS_CHECK(cs_sigmf_writer_finish(w) == CS_OK);
    json_t *m1 = json_load_file(sub("multi.sigmf-meta"), 0, NULL);
    json_t *m2 = json_load_file(sub("copy.sigmf-meta"), 0, NULL);
    CS_CHECK(m1 && m2 && json_equal(m1, m2));
    json_decref(m1);
    json_decref(m2);
    cs_recording_destroy(rec);
}

static void test_all_or_nothing(void)
{
    char d[600];
    snprintf(d, sizeof d, "%s/atomic", root);
    mkdir(d, 0755);
    char base[700];
    snprintf(base, sizeof base, "%s/rec", d);
    cs_sigmf_writer_params p = { CS_DT_CF32_LE, 1e6, 1, NULL, NULL, NULL, NULL };
    cs_cf32 x[64] = { 0 };
    cs_sigmf_writer w;

    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    CS_CHECK(cs_sigmf_writer_write(w, x, 64, NULL) == CS_OK);
    CS_CHECK(count_entries(d, 0) == 1); /* the temporary data file only */
    cs_sigmf_writer_abort(w);
    CS_CHECK(count_entries(d, 1) == 0);

    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    CS_CHECK(cs_sigmf_writer_finish(w) == CS_EINVAL); /* no samples */
    CS_CHECK(strstr(cs_last_error(), "no samples were written") != NULL);
    CS_CHECK(count_entries(d, 1) == 0);

    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    cs_annotation beyond = { 60, 10, NAN, NAN, NULL, NULL, NULL };
    CS_CHECK(cs_sigmf_writer_add_annotation(w, &beyond) == CS_OK);
    CS_CHECK(cs_sigmf_writer_write(w, x, 64, NULL) == CS_OK);
    CS_CHECK(cs_sigmf_writer_finish(w) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "beyond the 64 samples written") != NULL);
    CS_CHECK(count_entries(d, 1) == 0);

    cs_capture late = { 5, NAN, "", NAN, NAN, NAN, NULL, 0 };
    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    CS_CHECK(cs_sigmf_writer_add_capture(w, &late) == CS_EINVAL); /* first must be at 0 */
    cs_capture bad_json = { 0, NAN, "", NAN, NAN, NAN, "[1,2]", 0 };
    CS_CHECK(cs_sigmf_writer_add_capture(w, &bad_json) == CS_EINVAL);
    cs_capture bad_time = { 0, NAN, "yesterday", NAN, NAN, NAN, NULL, 0 };
    CS_CHECK(cs_sigmf_writer_add_capture(w, &bad_time) == CS_EINVAL);
    cs_sigmf_writer_abort(w);
    CS_CHECK(count_entries(d, 1) == 0);

    cs_sigmf_writer_params bad = { CS_DT_CF32_LE, 0, 1, NULL, NULL, NULL, NULL };
    CS_CHECK(cs_sigmf_writer_create(base, &bad, &w) == CS_EINVAL);
    cs_sigmf_writer_params bad_global = { CS_DT_CF32_LE, 1, 1, NULL, NULL, NULL, "{oops" };
    CS_CHECK(cs_sigmf_writer_create(base, &bad_global, &w) == CS_EINVAL);
    CS_CHECK(cs_sigmf_writer_create("/nonexistent-dir/x", &p, &w) == CS_EIO);
    CS_CHECK(strstr(cs_last_error(), "/nonexistent-dir/x.sigmf-data") != NULL);
    CS_CHECK(count_entries(d, 1) == 0);

    /* success replaces an existing pair and leaves exactly two files */
    for (int i = 0; i < 2; i++) {
        CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
        CS_CHECK(cs_sigmf_writer_write(w, x, 16 + 16 * i, NULL) == CS_OK);
        CS_CHECK(cs_sigmf_writer_finish(w) == CS_OK);
    }
    CS_CHECK(count_entries(d, 0) == 2);
    cs_recording rec;
    CS_CHECK(cs_recording_open(base, &rec) == CS_OK);
    CS_CHECK(cs_recording_get_info(rec)->num_samples == 32);
    cs_recording_destroy(rec);
    cs_sigmf_writer_abort(NULL); /* safe */
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = calloc(1, 1 << 20);
    size_t n = fread(s, 1, (1 << 20) - 1, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void test_write_annotations(void)
{
    write_multichannel("ann");
    cs_recording rec;
    if (cs_recording_open(sub("ann"), &rec) != CS_OK) return;
    cs_annotation add[2] = {
        { 20000, 500, 947.5e6, 947.7e6, "umts", NULL, "{\"cellscan:psc\":366}" },
        { 5, 1, NAN, NAN, NULL, "note", NULL },
    };
    char *before = slurp(sub("ann.sigmf-meta"));
    cs_annotation beyond = { N - 1, 2, NAN, NAN, NULL, NULL, NULL };
    CS_CHECK(cs_sigmf_write_annotations(rec, sub("ann.sigmf-meta"), &beyond, 1) == CS_EINVAL);
    char *after = slurp(sub("ann.sigmf-meta"));
    CS_CHECK(before && after && !strcmp(before, after)); /* untouched on failure */
    free(before);
    free(after);
    CS_CHECK(cs_sigmf_write_annotations(rec, sub("ann.sigmf-meta"), add, 2) == CS_OK);
    CS_CHECK(cs_sigmf_write_annotations(rec, "/tmp/elsewhere.sigmf-meta", add, 1) == CS_EINVAL);
    CS_CHECK(cs_sigmf_write_annotations(rec, sub("ann.json"), add, 1) == CS_EINVAL);
    cs_recording_destroy(rec);

    CS_CHECK(cs_recording_open(sub("ann"), &rec) == CS_OK);
    const cs_recording_info *in = cs_recording_get_info(rec);
    CS_CHECK(in->num_annotations == 4 && in->num_captures == 2);
    uint64_t starts[4] = { 5, 10, 20000, 45000 };
    for (int i = 0; i < 4 && i < (int)in->num_annotations; i++)
        CS_CHECK(in->annotations[i].sample_start == starts[i]);
    CS_CHECK(strstr(in->annotations[2].json, "\"cellscan:psc\":366") != NULL);
    CS_CHECK(strstr(in->annotations[3].json, "\"acme:snr_db\":12.5") != NULL); /* kept */
    CS_CHECK(strstr(in->global_json, "\"acme:array\":\"ula\"") != NULL);
    CS_CHECK(strstr(in->captures[0].json, "\"acme:gain_db\":20") != NULL);
    cs_recording_destroy(rec);

    /* beside a raw file: the new metadata points at it through core:dataset */
    char d[600];
    snprintf(d, sizeof d, "%s/raw", root);
    mkdir(d, 0755);
    char raw[700], meta[700];
    snprintf(raw, sizeof raw, "%s/cap.cfile", d);
    snprintf(meta, sizeof meta, "%s/cap.sigmf-meta", d);
    float z[2 * 100] = { 0 };
    FILE *f = fopen(raw, "wb");
    fwrite(z, sizeof z, 1, f);
    fclose(f);
    cs_raw_params rp = { CS_DT_CF32_LE, 2e6, 941e6, 1 };
    CS_CHECK(cs_recording_open_raw(raw, &rp, &rec) == CS_OK);
    CS_CHECK(cs_sigmf_write_annotations(rec, meta, add + 1, 1) == CS_OK);
    cs_recording_destroy(rec);
    CS_CHECK(count_entries(d, 0) == 2);
    int rc = cs_recording_open(meta, &rec);
    CS_CHECK_MSG(rc == CS_OK, "%s", cs_last_error());
    if (rc == CS_OK) {
        in = cs_recording_get_info(rec);
        CS_CHECK(in->num_samples == 100 && in->sample_rate_hz == 2e6);
        CS_CHECK(in->captures[0].frequency_hz == 941e6 && in->num_annotations == 1);
        CS_CHECK(strstr(in->data_path, "cap.cfile") != NULL);
        cs_recording_destroy(rec);
    }
}

int main(void)
{
    if (!mkdtemp(root)) CS_SKIP("cannot create a temporary directory");
    test_multichannel_roundtrip();
    test_all_or_nothing();
    test_write_annotations();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
    return cs_test_done();
}
