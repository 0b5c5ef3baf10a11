/* libFuzzer target: the input is a raw IQ file behind a 4-byte header that picks the
 * parameters of cs_recording_open_raw:
 *   byte 0  datatype (mod CS_DT_COUNT; 0 = CS_DT_UNKNOWN must be refused)
 *   byte 1  channels: < 0xF0 gives 0..8 (0 means 1); 0xF0.. gives 2^8..2^23 (absurd counts)
 *   byte 2  low 3 bits: sample rate, including invalid ones (0, < 0, NaN, inf) that must be
 *           refused; next 2 bits: centre frequency (NaN, 0, negative, 935 MHz); bit 5:
 *           cs_recording_allow_nonfinite (else a NaN/Inf float sample must fail the read)
 *   byte 3  frames per read call (0xFF: as many as the buffer holds, which makes one call
 *           span the reader's internal 65536-sample chunks when the file is big enough)
 * The rest is the file, held in a memfd (/proc/self/fd/N) so nothing touches the disk.
 * Beyond crashes, leaks and undefined behaviour it checks: refusals explain themselves,
 * num_samples is the whole frames in the file, the samples read are exactly the file's bytes
 * converted by cs_convert_to_cf32 (also after a seek), a read fails only on a non-finite
 * float sample that was not allowed, and seek/tell keep to 0..num_samples. */
#include <math.h>
#include <stdbool.h>

#include "cellscan/datatype.h"
#include "cellscan/recording.h"
#include "cellscan/status.h"
#include "fuzz_util.h"

#define HEADER_BYTES 4u
#define READ_VALUES 131072u /* cs_cf32 values in the read buffer: two reader chunks */

static int g_fd = -1;
static char g_path[64];

static const double k_rates_hz[8] = { 1e6, 2e6, 0.0, -1.0, NAN, INFINITY, 1e-300, 1e300 };
static const double k_freqs_hz[4] = { NAN, 0.0, -1e6, 935e6 };

static bool same_value(float a, float b) { return a == b || (isnan(a) && isnan(b)); }

/* Convert n values starting at value index `first` of the file (fuzzer bytes are not
 * aligned, the conversion may assume they are). */
static void convert(const uint8_t *file, cs_datatype dt, size_t first, size_t n, cs_cf32 *out)
{
    static _Alignas(16) uint8_t raw[READ_VALUES * 16];
    size_t sample_bytes = cs_datatype_sample_bytes(dt);
    memcpy(raw, file + first * sample_bytes, n * sample_bytes);
    cs_convert_to_cf32(dt, raw, out, n);
}

/* Whether any value from frame `first` to the end of the data is NaN or Inf. */
static bool nonfinite_from(const uint8_t *file, cs_datatype dt, unsigned nch, uint64_t first,
                           uint64_t num_samples)
{
    static cs_cf32 vals[READ_VALUES];
    uint64_t end = num_samples * nch;
    for (uint64_t i = first * nch; i < end; i += READ_VALUES) {
        size_t n = end - i < READ_VALUES ? (size_t)(end - i) : READ_VALUES;
        convert(file, dt, (size_t)i, n, vals);
        for (size_t k = 0; k < n; k++)
            if (!isfinite(crealf(vals[k])) || !isfinite(cimagf(vals[k])))
                return true;
    }
    return false;
}

/* A failed read is acceptable only as the documented refusal of a non-finite sample. */
static void require_nonfinite_refusal(int st, const uint8_t *file, const cs_raw_params *p,
                                      unsigned nch, bool allow, uint64_t pos,
                                      uint64_t num_samples)
{
    bool is_float = p->datatype >= CS_DT_CF64_LE && p->datatype <= CS_DT_CF32_BE;
    FUZZ_REQUIRE(st == CS_EFORMAT && is_float && !allow &&
                     nonfinite_from(file, p->datatype, nch, pos, num_samples),
                 "read failed (%d) at frame %llu: %s", st, (unsigned long long)pos,
                 cs_last_error());
    FUZZ_REQUIRE(cs_last_error()[0] != '\0', "read failed without a message");
}

/* Compare n frames read from frame `first` with the file's bytes converted directly. */
static void check_samples(const cs_cf32 *got, uint64_t first, size_t n_frames,
                          const uint8_t *file, cs_datatype dt, unsigned nch, bool integer)
{
    static cs_cf32 want[READ_VALUES];
    size_t n = n_frames * nch;
    convert(file, dt, (size_t)first * nch, n, want);
    for (size_t i = 0; i < n; i++) {
        float re = crealf(got[i]), im = cimagf(got[i]);
        FUZZ_REQUIRE(same_value(re, crealf(want[i])) && same_value(im, cimagf(want[i])),
                     "frame %llu value %zu: read (%g, %g), file holds (%g, %g)",
                     (unsigned long long)(first + i / nch), i % nch, re, im, crealf(want[i]),
                     cimagf(want[i]));
        if (integer)
            FUZZ_REQUIRE(fabsf(re) <= 1.0f && fabsf(im) <= 1.0f,
                         "integer sample beyond full scale: (%g, %g)", re, im);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER_BYTES)
        return 0;
    if (g_fd < 0)
        g_fd = fuzz_memfd("cs_fuzz_raw", g_path, sizeof g_path);

    cs_raw_params p = {
        .datatype = (cs_datatype)(data[0] % CS_DT_COUNT),
        .num_channels = data[1] < 0xF0 ? data[1] % 9u : 1u << (data[1] - 0xF0 + 8),
        .sample_rate_hz = k_rates_hz[data[2] & 7],
        .frequency_hz = k_freqs_hz[(data[2] >> 3) & 3],
    };
    bool allow_nonfinite = (data[2] & 0x20) != 0;
    size_t block_frames = data[3] == 0xFF ? SIZE_MAX
                          : data[3] % 16 == 0 ? 1
                                              : (size_t)data[3] * 17u;
    const uint8_t *file = data + HEADER_BYTES;
    size_t file_bytes = size - HEADER_BYTES;
    fuzz_fd_set_content(g_fd, file, file_bytes);

    bool valid_params = p.datatype != CS_DT_UNKNOWN && isfinite(p.sample_rate_hz) &&
                        p.sample_rate_hz > 0;
    cs_recording rec = NULL;
    cs_clear_error();
    int st = cs_recording_open_raw(g_path, &p, &rec);
    if (st != CS_OK) {
        FUZZ_REQUIRE(cs_last_error()[0] != '\0', "open_raw failed (%d) without a message", st);
        return 0;
    }
    FUZZ_REQUIRE(valid_params, "accepted datatype %d, rate %g", (int)p.datatype,
                 p.sample_rate_hz);

    const cs_recording_info *info = cs_recording_get_info(rec);
    unsigned nch = p.num_channels ? p.num_channels : 1;
    size_t frame_bytes = cs_datatype_sample_bytes(p.datatype) * nch;
    FUZZ_REQUIRE(info->datatype == p.datatype && info->num_channels == nch,
                 "info says datatype %d, %u channels", (int)info->datatype, info->num_channels);
    FUZZ_REQUIRE(info->num_samples == file_bytes / frame_bytes,
                 "num_samples %llu for %zu bytes of %zu-byte frames",
                 (unsigned long long)info->num_samples, file_bytes, frame_bytes);
    FUZZ_REQUIRE(info->meta_path == NULL && info->global_json == NULL, "raw file has metadata");
    FUZZ_REQUIRE(info->num_captures == 1 && info->captures != NULL, "%zu captures",
                 info->num_captures);
    FUZZ_REQUIRE(cs_recording_capture_at(rec, info->num_samples / 2) == 0, "capture_at");
    FUZZ_REQUIRE(info->full_scale == cs_datatype_full_scale(p.datatype), "full_scale %g",
                 info->full_scale);
    fuzz_touch(info->data_path);
    fuzz_touch(info->captures[0].json);
    cs_recording_allow_nonfinite(rec, allow_nonfinite);

    bool integer = !(p.datatype >= CS_DT_CF64_LE && p.datatype <= CS_DT_CF32_BE);
    static cs_cf32 buf[READ_VALUES];
    size_t room = READ_VALUES / nch;
    if (room == 0) { /* absurd channel count: the file holds no whole frame anyway */
        cs_recording_destroy(rec);
        return 0;
    }
    if (block_frames > room)
        block_frames = room;

    uint64_t pos = 0;
    for (;;) {
        size_t n = 0;
        cs_clear_error();
        st = cs_recording_read(rec, buf, block_frames, &n);
        if (st != CS_OK) {
            require_nonfinite_refusal(st, file, &p, nch, allow_nonfinite, pos,
                                      info->num_samples);
            break;
        }
        FUZZ_REQUIRE(n <= block_frames, "read %zu frames into room for %zu", n, block_frames);
        if (n == 0)
            break;
        check_samples(buf, pos, n, file, p.datatype, nch, integer);
        pos += n;
        FUZZ_REQUIRE(cs_recording_tell(rec) == pos, "tell %llu after reading %llu",
                     (unsigned long long)cs_recording_tell(rec), (unsigned long long)pos);
    }
    FUZZ_REQUIRE(st != CS_OK || pos == info->num_samples, "read %llu of %llu frames",
                 (unsigned long long)pos, (unsigned long long)info->num_samples);

    /* Seek back into the middle and re-read: the same samples again. */
    uint64_t mid = info->num_samples / 3;
    FUZZ_REQUIRE(cs_recording_seek(rec, mid) == CS_OK, "seek(%llu): %s",
                 (unsigned long long)mid, cs_last_error());
    FUZZ_REQUIRE(cs_recording_tell(rec) == mid, "tell after seek");
    size_t n = 0;
    cs_clear_error();
    st = cs_recording_read(rec, buf, block_frames, &n);
    if (st != CS_OK) {
        require_nonfinite_refusal(st, file, &p, nch, allow_nonfinite, mid, info->num_samples);
    } else {
        FUZZ_REQUIRE(n <= info->num_samples - mid, "read %zu after seek to %llu", n,
                     (unsigned long long)mid);
        check_samples(buf, mid, n, file, p.datatype, nch, integer);
    }

    FUZZ_REQUIRE(cs_recording_seek(rec, info->num_samples) == CS_OK, "seek to the end");
    FUZZ_REQUIRE(cs_recording_read(rec, buf, block_frames, &n) == CS_OK && n == 0,
                 "read at the end gave %zu", n);
    cs_clear_error();
    FUZZ_REQUIRE(cs_recording_seek(rec, info->num_samples + 1) != CS_OK, "seek past the end");
    FUZZ_REQUIRE(cs_last_error()[0] != '\0', "seek past the end without a message");
    FUZZ_REQUIRE(cs_recording_seek(rec, 0) == CS_OK && cs_recording_tell(rec) == 0, "rewind");
    cs_recording_destroy(rec);
    return 0;
}
