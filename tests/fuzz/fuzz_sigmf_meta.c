/* libFuzzer target: the input is the text of a .sigmf-meta file.
 *
 * Each input is written as REC.sigmf-meta in a private tmpfs directory next to a fixed, valid
 * REC.sigmf-data (its size divides evenly into frames of every datatype and 1..8 channels).
 * When cs_recording_open accepts it, the target walks every info field, reads the whole
 * (small) data file, seeks, and appends two annotations with cs_sigmf_write_annotations,
 * then reopens the written metadata. Beyond crashes, leaks and undefined behaviour it checks
 * the documented contract: failures explain themselves in cs_last_error(), captures are
 * ordered, reads deliver exactly num_samples frames, a failed write leaves no file behind,
 * and what the writer writes the reader opens again with the new annotations included. */
#include <math.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "cellscan/recording.h"
#include "cellscan/sigmf_writer.h"
#include "cellscan/status.h"
#include "fuzz_util.h"

/* 16 bytes (cf64) x 8 channels x 105 frames: every frame size up to 128 bytes divides it. */
#define DATA_BYTES 13440u
#define READ_VALUES 4096u /* cs_cf32 values per read call, whatever the channel count */

static char g_dir[256];
static char g_meta[300], g_data[300];         /* the recording under test */
static char g_out_meta[300], g_out_data[300]; /* where annotations are written */

static void remove_scratch(void)
{
    const char *files[] = { g_meta, g_data, g_out_meta, g_out_data };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        unlink(files[i]);
    rmdir(g_dir);
}

static void setup_once(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    fuzz_scratch_dir(g_dir, sizeof g_dir);
    snprintf(g_meta, sizeof g_meta, "%s/rec.sigmf-meta", g_dir);
    snprintf(g_data, sizeof g_data, "%s/rec.sigmf-data", g_dir);
    snprintf(g_out_meta, sizeof g_out_meta, "%s/out.sigmf-meta", g_dir);
    snprintf(g_out_data, sizeof g_out_data, "%s/out.sigmf-data", g_dir);

    /* Pseudo-random bytes whose low 7 bits stay below 0x47: whatever the datatype, byte
     * order and header offset, every float built from them is finite and every double below
     * 2^120, inside single precision (the reader refuses NaN, Inf and out-of-range cf64 by
     * default), so every read of this file must succeed. */
    static uint8_t data[DATA_BYTES];
    uint32_t x = 12345u;
    for (size_t i = 0; i < DATA_BYTES; i++) {
        x = x * 1103515245u + 12345u;
        uint8_t b = (uint8_t)(x >> 24);
        data[i] = (uint8_t)((b & 0x80) | ((b & 0x7F) % 0x47));
    }
    fuzz_write_file(g_data, data, DATA_BYTES);
    if (symlink("rec.sigmf-data", g_out_data) != 0)
        FUZZ_SETUP_FAIL("symlink %s", g_out_data);
    atexit(remove_scratch);
}

static void check_info(cs_recording rec, const cs_recording_info *info)
{
    fuzz_touch(info->data_path);
    fuzz_touch(info->meta_path);
    fuzz_touch(info->version);
    fuzz_touch(info->description);
    fuzz_touch(info->author);
    fuzz_touch(info->recorder);
    fuzz_touch(info->hw);
    fuzz_touch(info->global_json);
    FUZZ_REQUIRE(info->data_path != NULL && info->meta_path != NULL, "paths missing");
    FUZZ_REQUIRE(info->num_channels >= 1, "num_channels %u", info->num_channels);
    FUZZ_REQUIRE(info->full_scale == cs_datatype_full_scale(info->datatype),
                 "full_scale %g for %s", info->full_scale, cs_datatype_name(info->datatype));
    FUZZ_REQUIRE(info->num_captures >= 1 && info->captures != NULL, "no capture");
    FUZZ_REQUIRE(info->data_offset_bytes + info->num_samples *
                         cs_datatype_sample_bytes(info->datatype) * info->num_channels <=
                     DATA_BYTES,
                 "%llu frames from byte %llu do not fit in the %u-byte data file",
                 (unsigned long long)info->num_samples,
                 (unsigned long long)info->data_offset_bytes, DATA_BYTES);

    for (size_t i = 0; i < info->num_captures; i++) {
        const cs_capture *c = &info->captures[i];
        fuzz_touch(c->json);
        fuzz_sink += strnlen(c->datetime, sizeof c->datetime);
        FUZZ_REQUIRE(memchr(c->datetime, '\0', sizeof c->datetime) != NULL,
                     "capture %zu datetime not terminated", i);
        FUZZ_REQUIRE(i == 0 || c->sample_start >= info->captures[i - 1].sample_start,
                     "captures out of order at %zu", i);
    }
    for (size_t i = 0; i < info->num_annotations; i++) {
        const cs_annotation *a = &info->annotations[i];
        fuzz_touch(a->label);
        fuzz_touch(a->comment);
        fuzz_touch(a->json);
    }

    /* capture_at returns the last capture starting at or before the frame. */
    uint64_t probes[] = { 0, info->num_samples / 2, info->num_samples ? info->num_samples - 1 : 0,
                          info->captures[info->num_captures - 1].sample_start };
    for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++) {
        size_t k = cs_recording_capture_at(rec, probes[p]);
        FUZZ_REQUIRE(k < info->num_captures, "capture_at(%llu) = %zu of %zu",
                     (unsigned long long)probes[p], k, info->num_captures);
        FUZZ_REQUIRE(k + 1 == info->num_captures ||
                         info->captures[k + 1].sample_start > probes[p],
                     "capture_at(%llu) = %zu but capture %zu starts at %llu",
                     (unsigned long long)probes[p], k, k + 1,
                     (unsigned long long)info->captures[k + 1].sample_start);
    }
}

static void check_reads(cs_recording rec, const cs_recording_info *info)
{
    static cs_cf32 buf[READ_VALUES];
    size_t max_frames = READ_VALUES / info->num_channels;
    if (max_frames == 0)
        return; /* more channels than one read buffer: nothing this small file can hold */
    uint64_t total = 0;
    for (int calls = 0;; calls++) {
        size_t n = 0;
        int st = cs_recording_read(rec, buf, max_frames, &n);
        FUZZ_REQUIRE(st == CS_OK, "read failed on an unchanged file: %s", cs_last_error());
        FUZZ_REQUIRE(n <= max_frames, "read %zu frames into room for %zu", n, max_frames);
        if (n == 0)
            break;
        total += n;
        FUZZ_REQUIRE(calls <= (int)DATA_BYTES, "read never reaches the end");
    }
    FUZZ_REQUIRE(total == info->num_samples, "read %llu frames, num_samples %llu",
                 (unsigned long long)total, (unsigned long long)info->num_samples);
    FUZZ_REQUIRE(cs_recording_tell(rec) == info->num_samples, "tell after the end");

    uint64_t mid = info->num_samples / 2;
    FUZZ_REQUIRE(cs_recording_seek(rec, mid) == CS_OK, "seek(%llu): %s",
                 (unsigned long long)mid, cs_last_error());
    FUZZ_REQUIRE(cs_recording_tell(rec) == mid, "tell after seek");
    size_t n = 0;
    FUZZ_REQUIRE(cs_recording_read(rec, buf, 1, &n) == CS_OK, "read after seek");
    FUZZ_REQUIRE(n == (mid < info->num_samples ? 1u : 0u), "read %zu after seek", n);
    FUZZ_REQUIRE(cs_recording_seek(rec, info->num_samples) == CS_OK, "seek to the end");
    FUZZ_REQUIRE(cs_recording_read(rec, buf, 1, &n) == CS_OK && n == 0, "read at the end");
    cs_clear_error();
    FUZZ_REQUIRE(cs_recording_seek(rec, info->num_samples + 1) != CS_OK, "seek past the end");
    FUZZ_REQUIRE(cs_last_error()[0] != '\0', "seek past the end without a message");
}

static bool same_file(const char *path, const uint8_t *data, size_t size)
{
    struct stat st;
    if (stat(path, &st) != 0 || (size_t)st.st_size != size)
        return false;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return false;
    bool same = true;
    for (size_t i = 0; i < size && same; i++)
        same = fgetc(fp) == data[i];
    fclose(fp);
    return same;
}

/* Append two annotations (one with an extension object) and reopen what was written. */
static void check_write_annotations(cs_recording rec, const cs_recording_info *info,
                                    bool in_place, const uint8_t *input, size_t size)
{
    cs_annotation add[2] = {
        { .sample_start = 0,
          .sample_count = info->num_samples < 100 ? info->num_samples : 100,
          .freq_lower_hz = -100e3,
          .freq_upper_hz = 100e3,
          .label = "GSM C0",
          .comment = "fuzz \"quoted\" \\ comment\nwith a newline",
          .json = "{\"cellscan:arfcn\": 62, \"cellscan:bsic\": {\"ncc\": 3, \"bcc\": 5}}" },
        { .sample_start = info->num_samples / 2,
          .sample_count = 0,
          .freq_lower_hz = NAN,
          .freq_upper_hz = NAN },
    };
    const char *out = in_place ? g_meta : g_out_meta;
    unlink(g_out_meta);
    cs_clear_error();
    if (cs_sigmf_write_annotations(rec, out, add, 2) != CS_OK) {
        FUZZ_REQUIRE(cs_last_error()[0] != '\0', "write_annotations failed without a message");
        if (in_place)
            FUZZ_REQUIRE(same_file(g_meta, input, size), "failed write changed the input");
        else
            FUZZ_REQUIRE(access(g_out_meta, F_OK) != 0, "failed write left %s", g_out_meta);
        return;
    }

    cs_recording again = NULL;
    int st = cs_recording_open(out, &again);
    FUZZ_REQUIRE(st == CS_OK, "written metadata does not reopen: %s", cs_last_error());
    const cs_recording_info *b = cs_recording_get_info(again);
    FUZZ_REQUIRE(b->datatype == info->datatype && b->num_channels == info->num_channels &&
                     b->num_samples == info->num_samples &&
                     b->num_captures == info->num_captures,
                 "reopened recording differs (datatype %d/%d, channels %u/%u, samples "
                 "%llu/%llu, captures %zu/%zu)",
                 (int)b->datatype, (int)info->datatype, b->num_channels, info->num_channels,
                 (unsigned long long)b->num_samples, (unsigned long long)info->num_samples,
                 b->num_captures, info->num_captures);
    FUZZ_REQUIRE(b->num_annotations == info->num_annotations + 2,
                 "%zu annotations after adding 2 to %zu", b->num_annotations,
                 info->num_annotations);
    bool found = false;
    for (size_t i = 0; i < b->num_annotations && !found; i++) {
        const cs_annotation *a = &b->annotations[i];
        found = a->label != NULL && strcmp(a->label, "GSM C0") == 0 && a->json != NULL &&
                strstr(a->json, "cellscan:arfcn") != NULL && a->comment != NULL &&
                strcmp(a->comment, add[0].comment) == 0;
    }
    FUZZ_REQUIRE(found, "added annotation (label, comment, extension key) not read back");
    cs_recording_destroy(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    fuzz_write_file(g_meta, data, size);

    cs_recording rec = NULL;
    cs_clear_error();
    int st = cs_recording_open(g_meta, &rec);
    if (st != CS_OK) {
        FUZZ_REQUIRE(cs_last_error()[0] != '\0', "open failed (%d) without a message", st);
        return 0;
    }
    const cs_recording_info *info = cs_recording_get_info(rec);
    FUZZ_REQUIRE(info != NULL, "no info");
    check_info(rec, info);
    check_reads(rec, info);
    check_write_annotations(rec, info, (size & 1) != 0, data, size);
    cs_recording_destroy(rec);
    return 0;
}
