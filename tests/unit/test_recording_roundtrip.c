/* Every datatype through the SigMF writer and the reader:
 * (a) cf32 → writer → reader gives exactly what the datatype can represent;
 * (b) raw bytes → raw reader → writer gives the same bytes back (byte-exact).
 * Lengths cross the reader's and writer's 65536-sample blocks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellscan/recording.h"
#include "cellscan/sigmf_writer.h"
#include "cellscan/status.h"
#include "cs_test.h"

#define N_FRAMES 70001

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd32(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 32);
}
static double rnd_unit(void) { return rnd32() / 4294967296.0 * 2.0 - 1.0; } /* [-1, 1) */

static char dir[] = "/tmp/cs_rt_XXXXXX";

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*len ? *len : 1);
    if (fread(b, 1, *len, f) != *len) *len = 0;
    fclose(f);
    return b;
}

/* (a) write cf32 values (some beyond full scale) and read back through the file format. */
static void writer_then_reader(cs_datatype dt)
{
    cs_cf32 *x = malloc(N_FRAMES * sizeof *x), *expect = malloc(N_FRAMES * sizeof *x);
    cs_cf32 *got = malloc(N_FRAMES * sizeof *x);
    unsigned char *raw = malloc(N_FRAMES * 16);
    for (size_t i = 0; i < N_FRAMES; i++) x[i] = CMPLXF((float)(1.2 * rnd_unit()), (float)rnd_unit());
    x[0] = CMPLXF(1.0f, -1.0f); /* full scale both ways */
    cs_convert_from_cf32(dt, x, raw, N_FRAMES);
    cs_convert_to_cf32(dt, raw, expect, N_FRAMES);

    char base[256];
    snprintf(base, sizeof base, "%s/w_%s", dir, cs_datatype_name(dt));
    cs_sigmf_writer_params p = { dt, 1.25e6, 1, "round trip", NULL, NULL, NULL };
    cs_sigmf_writer w;
    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    size_t clipped = 0;
    CS_CHECK(cs_sigmf_writer_write(w, x, 1000, &clipped) == CS_OK);
    CS_CHECK(cs_sigmf_writer_write(w, x + 1000, N_FRAMES - 1000, &clipped) == CS_OK);
    CS_CHECK(cs_sigmf_writer_finish(w) == CS_OK);
    int is_float = dt <= CS_DT_CF32_BE;
    CS_CHECK_MSG(is_float ? clipped == 0 : clipped > 0, "%s clipped %zu", cs_datatype_name(dt),
                 clipped);

    cs_recording rec;
    int rc = cs_recording_open(base, &rec);
    CS_CHECK_MSG(rc == CS_OK, "%s: %s", cs_datatype_name(dt), cs_last_error());
    if (rc != CS_OK) goto out;
    const cs_recording_info *in = cs_recording_get_info(rec);
    CS_CHECK(in->datatype == dt);
    CS_CHECK(in->num_samples == N_FRAMES);
    CS_CHECK(in->sample_rate_hz == 1.25e6);
    CS_CHECK(in->num_channels == 1);
    CS_CHECK(in->version && !strcmp(in->version, "1.2.0"));
    CS_CHECK(in->description && !strcmp(in->description, "round trip"));
    CS_CHECK_NEAR(in->duration_s, N_FRAMES / 1.25e6, 1e-12);
    size_t n = 0, total = 0;
    while (cs_recording_read(rec, got + total, 30000, &n) == CS_OK && n > 0) total += n;
    CS_CHECK(total == N_FRAMES);
    CS_CHECK_MSG(memcmp(got, expect, N_FRAMES * sizeof *got) == 0, "%s: samples differ",
                 cs_datatype_name(dt));
    cs_recording_destroy(rec);
out:
    free(x);
    free(expect);
    free(got);
    free(raw);
}

/* Raw component values this datatype reproduces exactly through cf32. */
static void fill_raw(cs_datatype dt, unsigned char *b, size_t n_comp)
{
    for (size_t i = 0; i < n_comp; i++) {
        switch (dt) {
        case CS_DT_CF64_LE:
        case CS_DT_CF64_BE: {
            double d = (double)(float)(3.0 * rnd_unit());
            uint64_t v;
            memcpy(&v, &d, 8);
            if (dt == CS_DT_CF64_BE) v = __builtin_bswap64(v);
            memcpy(b + 8 * i, &v, 8);
            break;
        }
        case CS_DT_CF32_LE:
        case CS_DT_CF32_BE: {
            float f = (float)(3.0 * rnd_unit());
            uint32_t v;
            memcpy(&v, &f, 4);
            if (dt == CS_DT_CF32_BE) v = __builtin_bswap32(v);
            memcpy(b + 4 * i, &v, 4);
            break;
        }
        case CS_DT_CI32_LE:
        case CS_DT_CI32_BE: {
            /* 24 significant bits survive float; the extremes saturate back to themselves */
            int32_t s = i == 0 ? INT32_MIN : i == 1 ? INT32_MAX : (int32_t)(rnd32() & ~0xffu);
            uint32_t v = (uint32_t)s;
            if (dt == CS_DT_CI32_BE) v = __builtin_bswap32(v);
            memcpy(b + 4 * i, &v, 4);
            break;
        }
        default: { /* 8- and 16-bit types: every code is exact */
            size_t w = cs_datatype_sample_bytes(dt) / 2;
            for (size_t k = 0; k < w; k++) b[w * i + k] = (unsigned char)rnd32();
        }
        }
    }
}

/* (b) raw bytes → raw reader → writer: the data file must hold the same bytes. */
static void raw_bytes_exact(cs_datatype dt)
{
    size_t bytes = N_FRAMES * cs_datatype_sample_bytes(dt);
    unsigned char *raw = malloc(bytes);
    fill_raw(dt, raw, 2 * (size_t)N_FRAMES);
    char raw_path[256], base[256], data_path[300];
    snprintf(raw_path, sizeof raw_path, "%s/raw_%s.bin", dir, cs_datatype_name(dt));
    snprintf(base, sizeof base, "%s/copy_%s", dir, cs_datatype_name(dt));
    snprintf(data_path, sizeof data_path, "%s.sigmf-data", base);
    FILE *f = fopen(raw_path, "wb");
    fwrite(raw, 1, bytes, f);
    fclose(f);

    cs_raw_params rp = { dt, 2e6, 935.2e6, 1 };
    cs_recording rec;
    int rc = cs_recording_open_raw(raw_path, &rp, &rec);
    CS_CHECK_MSG(rc == CS_OK, "%s", cs_last_error());
    if (rc != CS_OK) {
        free(raw);
        return;
    }
    const cs_recording_info *in = cs_recording_get_info(rec);
    CS_CHECK(in->num_samples == N_FRAMES);
    CS_CHECK(in->num_captures == 1 && in->captures[0].frequency_hz == 935.2e6);
    CS_CHECK(in->meta_path == NULL && in->global_json == NULL);
    cs_recording_allow_nonfinite(rec, 1);
    cs_sigmf_writer_params p = { dt, 2e6, 1, NULL, NULL, NULL, NULL };
    cs_sigmf_writer w;
    CS_CHECK(cs_sigmf_writer_create(base, &p, &w) == CS_OK);
    cs_cf32 buf[4096];
    size_t n;
    while ((rc = cs_recording_read(rec, buf, 4096, &n)) == CS_OK && n > 0)
        cs_sigmf_writer_write(w, buf, n, NULL);
    CS_CHECK(rc == CS_OK);
    CS_CHECK(cs_sigmf_writer_finish(w) == CS_OK);
    cs_recording_destroy(rec);

    size_t len = 0;
    unsigned char *copy = read_file(data_path, &len);
    CS_CHECK_MSG(copy && len == bytes && memcmp(copy, raw, bytes) == 0,
                 "%s: written bytes differ from the raw input", cs_datatype_name(dt));
    free(copy);
    free(raw);
}

int main(void)
{
    if (!mkdtemp(dir)) CS_SKIP("cannot create a temporary directory");
    for (int dt = 1; dt < CS_DT_COUNT; dt++) {
        writer_then_reader((cs_datatype)dt);
        raw_bytes_exact((cs_datatype)dt);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return cs_test_done();
}
