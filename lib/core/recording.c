/* Recordings opened for streaming (SigMF or raw): file checks, block reads through a
 * fixed-size buffer converted to cf32, seeking, and the non-finite sample guard. */
#include "cellscan/recording.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/status.h"
#include "kernels/convert_kernels.h"
#include "recording_files.h"
#include "sigmf_json.h"
#include "sigmf_meta.h"

/* Samples (all channels) converted per read call to the OS: bounds the buffer to 1 MiB. */
#define CS_READ_BLOCK_SAMPLES 65536

struct cs_recording_s {
    int fd;
    cs_recording_info info;
    cs_sigmf_meta meta;       /* SigMF: owns captures, annotations and strings */
    cs_capture raw_capture;   /* raw: the one synthetic capture */
    char *raw_capture_json;
    char *data_path;
    char *meta_path;
    size_t frame_bytes;       /* one sample of every channel */
    size_t block_frames;      /* frames per OS read */
    uint64_t pos;             /* next frame to read */
    int allow_nonfinite;
    unsigned char *buf;       /* block_frames * frame_bytes */
};

static cs_recording alloc_recording(void)
{
    cs_recording r = calloc(1, sizeof *r);
    if (r) r->fd = -1;
    return r;
}

void cs_recording_destroy(cs_recording rec)
{
    if (!rec) return;
    if (rec->fd >= 0) close(rec->fd);
    cs_sigmf_meta_free(&rec->meta);
    free(rec->raw_capture_json);
    free(rec->data_path);
    free(rec->meta_path);
    free(rec->buf);
    free(rec);
}

/* Size the data against the sample format; fill the common info fields; allocate the
 * read buffer. data_offset/trailing come from SigMF non-conforming dataset fields. */
static int finish_open(cs_recording r, cs_datatype dt, double rate_hz, unsigned channels,
                       uint64_t file_bytes, uint64_t data_offset, uint64_t trailing)
{
    size_t sample_bytes = cs_datatype_sample_bytes(dt);
    r->frame_bytes = sample_bytes * channels;
    if (file_bytes == 0) return cs_error(CS_EFORMAT, "data file is empty");
    if (data_offset > file_bytes || trailing > file_bytes - data_offset)
        return cs_error(CS_EFORMAT,
                        "data file size %" PRIu64 " bytes is smaller than its %" PRIu64
                        " header and %" PRIu64 " trailing bytes",
                        file_bytes, data_offset, trailing);
    uint64_t bytes = file_bytes - data_offset - trailing;
    if (bytes == 0) return cs_error(CS_EFORMAT, "data file holds no samples");
    if (bytes % r->frame_bytes != 0) {
        if (channels == 1)
            return cs_error(CS_EFORMAT,
                            "data file size %" PRIu64 " bytes is not a multiple of %zu bytes per "
                            "%s sample",
                            bytes, sample_bytes, cs_datatype_name(dt));
        return cs_error(CS_EFORMAT,
                        "data file size %" PRIu64 " bytes is not a multiple of %zu bytes per "
                        "frame (%u channels of %s)",
                        bytes, r->frame_bytes, channels, cs_datatype_name(dt));
    }
    r->block_frames = CS_READ_BLOCK_SAMPLES / channels;
    if (!(r->buf = malloc(r->block_frames * r->frame_bytes)))
        return cs_error(CS_ENOMEM, "out of memory for the read buffer");

    cs_recording_info *in = &r->info;
    in->data_path = r->data_path;
    in->meta_path = r->meta_path;
    in->datatype = dt;
    in->sample_rate_hz = rate_hz;
    in->num_channels = channels;
    in->num_samples = bytes / r->frame_bytes;
    in->duration_s = (double)in->num_samples / rate_hz;
    in->full_scale = cs_datatype_full_scale(dt);
    in->data_offset_bytes = data_offset;
    return CS_OK;
}

int cs_recording_open_raw(const char *path, const cs_raw_params *p, cs_recording *out)
{
    *out = NULL;
    if (!path || !p) return cs_error(CS_EINVAL, "no file or parameters given");
    unsigned channels = p->num_channels ? p->num_channels : 1;
    if (cs_datatype_sample_bytes(p->datatype) == 0)
        return cs_error(CS_EINVAL, "raw file needs a sample datatype");
    if (!(p->sample_rate_hz > 0.0 && p->sample_rate_hz < CS_SIGMF_MAX_RATE_HZ))
        return cs_error(CS_EINVAL, "sample rate must be above 0 and below 1e11 Hz (got %g)",
                        p->sample_rate_hz);
    if (!isnan(p->frequency_hz) && !(fabs(p->frequency_hz) <= CS_SIGMF_MAX_FREQ_HZ))
        return cs_error(CS_EINVAL, "centre frequency %g Hz is beyond 1e12 Hz", p->frequency_hz);
    if (channels > CS_SIGMF_MAX_CHANNELS)
        return cs_error(CS_EINVAL, "channels must be 1 to %d (got %u)", CS_SIGMF_MAX_CHANNELS,
                        channels);

    cs_recording r = alloc_recording();
    if (!r || !(r->data_path = strdup(path))) {
        cs_recording_destroy(r);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    uint64_t size;
    int rc = cs_open_regular(path, "data file", &r->fd, &size);
    if (rc == CS_OK) rc = finish_open(r, p->datatype, p->sample_rate_hz, channels, size, 0, 0);
    if (rc == CS_OK) {
        char json[128];
        if (isnan(p->frequency_hz)) snprintf(json, sizeof json, "{\"core:sample_start\":0}");
        else snprintf(json, sizeof json, "{\"core:sample_start\":0,\"core:frequency\":%.17g}",
                      p->frequency_hz);
        cs_capture *c = &r->raw_capture;
        c->frequency_hz = p->frequency_hz;
        c->latitude_deg = c->longitude_deg = c->altitude_m = NAN;
        if (!(r->raw_capture_json = strdup(json))) rc = cs_error(CS_ENOMEM, "out of memory");
        c->json = r->raw_capture_json;
        r->info.num_captures = 1;
        r->info.captures = c;
    }
    if (rc != CS_OK) {
        cs_recording_destroy(r);
        return rc;
    }
    *out = r;
    return CS_OK;
}

int cs_recording_open(const char *path, cs_recording *out)
{
    *out = NULL;
    if (!path || !*path) return cs_error(CS_EINVAL, "no file given");
    cs_recording r = alloc_recording();
    if (!r) return cs_error(CS_ENOMEM, "out of memory");
    char *text = NULL;
    size_t len = 0;
    uint64_t size;
    int rc = cs_sigmf_meta_path(path, &r->meta_path);
    if (rc == CS_OK) rc = cs_read_small_file(r->meta_path, "metadata file", CS_SIGMF_META_MAX_BYTES,
                                             &text, &len);
    if (rc == CS_OK) rc = cs_sigmf_meta_parse(text, len, cs_base_name(r->meta_path), &r->meta);
    free(text);
    if (rc == CS_OK) rc = cs_sigmf_data_path(r->meta_path, r->meta.dataset, &r->data_path);
    if (rc == CS_OK) rc = cs_open_regular(r->data_path, "data file", &r->fd, &size);
    const cs_sigmf_meta *m = &r->meta;
    if (rc == CS_OK)
        rc = finish_open(r, m->datatype, m->sample_rate_hz, m->num_channels, size,
                         m->header_bytes, m->trailing_bytes);
    if (rc == CS_OK) rc = cs_sigmf_meta_check_extent(m, r->info.num_samples);
    if (rc != CS_OK) {
        cs_recording_destroy(r);
        return rc;
    }
    cs_recording_info *in = &r->info;
    in->num_captures = m->num_captures;
    in->captures = m->captures;
    in->num_annotations = m->num_annotations;
    in->annotations = m->annotations;
    in->version = m->version;
    in->description = m->description;
    in->author = m->author;
    in->recorder = m->recorder;
    in->hw = m->hw;
    in->global_json = m->global_json;
    in->offset_samples = m->offset_samples;
    *out = r;
    return CS_OK;
}

const cs_recording_info *cs_recording_get_info(cs_recording rec) { return &rec->info; }

void cs_recording_allow_nonfinite(cs_recording rec, int allow) { rec->allow_nonfinite = allow; }

/* Index of the first non-finite float among n, or n (SIMD kernel: this runs on every block). */
static size_t first_nonfinite(const float *x, size_t n) { return cs_32f_index_nonfinite(x, n); }

static int is_float_type(cs_datatype dt)
{
    return dt == CS_DT_CF32_LE || dt == CS_DT_CF32_BE || dt == CS_DT_CF64_LE ||
           dt == CS_DT_CF64_BE;
}

/* Explain the non-finite float component k of the block starting at frame `first`:
 * a NaN/Inf in the file, or a cf64 value too large for single precision. */
static int nonfinite_error(cs_recording r, uint64_t first, size_t k)
{
    unsigned ch = r->info.num_channels;
    uint64_t frame = first + k / (2 * ch);
    char chan[32] = "";
    if (ch > 1) snprintf(chan, sizeof chan, " (channel %zu)", (k / 2) % ch);
    cs_datatype dt = r->info.datatype;
    if (dt == CS_DT_CF64_LE || dt == CS_DT_CF64_BE) {
        uint64_t v;
        double d;
        memcpy(&v, r->buf + 8 * k, 8);
        if (dt == CS_DT_CF64_BE) v = __builtin_bswap64(v);
        memcpy(&d, &v, 8);
        if (isfinite(d))
            return cs_error(CS_EFORMAT,
                            "sample %" PRIu64 "%s value %g is beyond the single-precision range",
                            frame, chan, d);
    }
    return cs_error(CS_EFORMAT, "non-finite sample (NaN or Inf) at sample %" PRIu64 "%s", frame,
                    chan);
}

/* pread exactly n bytes at off; a short file is an error (it shrank after opening). */
static int read_block(cs_recording r, void *dst, size_t n, uint64_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(r->fd, (char *)dst + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR) continue;
        if (k < 0)
            return cs_error(CS_EIO, "cannot read data file %s: %s", r->data_path, strerror(errno));
        if (k == 0)
            return cs_error(CS_EIO,
                            "data file %s ended at byte %" PRIu64 ", expected %" PRIu64
                            " bytes: it was truncated while being read",
                            r->data_path, off + got, r->info.data_offset_bytes +
                                                         r->info.num_samples * r->frame_bytes);
        got += (size_t)k;
    }
    return CS_OK;
}

int cs_recording_read(cs_recording rec, cs_cf32 *out, size_t max_frames, size_t *n_frames)
{
    *n_frames = 0;
    const cs_recording_info *in = &rec->info;
    uint64_t left = in->num_samples - rec->pos;
    size_t want = (uint64_t)max_frames < left ? max_frames : (size_t)left;
    size_t done = 0, ch = in->num_channels;
    while (done < want) {
        size_t chunk = want - done < rec->block_frames ? want - done : rec->block_frames;
        uint64_t off = in->data_offset_bytes + rec->pos * rec->frame_bytes;
        int rc = read_block(rec, rec->buf, chunk * rec->frame_bytes, off);
        if (rc != CS_OK) return rc;
        cs_cf32 *dst = out + done * ch;
        cs_convert_to_cf32(in->datatype, rec->buf, dst, chunk * ch);
        if (!rec->allow_nonfinite && is_float_type(in->datatype)) {
            size_t k = first_nonfinite((const float *)dst, 2 * chunk * ch);
            if (k < 2 * chunk * ch) return nonfinite_error(rec, rec->pos, k);
        }
        rec->pos += chunk;
        done += chunk;
        *n_frames = done;
    }
    return CS_OK;
}

int cs_recording_seek(cs_recording rec, uint64_t frame)
{
    if (frame > rec->info.num_samples)
        return cs_error(CS_EINVAL, "cannot seek to sample %" PRIu64 ": the recording has %" PRIu64
                                   " samples",
                        frame, rec->info.num_samples);
    rec->pos = frame;
    return CS_OK;
}

uint64_t cs_recording_tell(cs_recording rec) { return rec->pos; }

size_t cs_recording_capture_at(cs_recording rec, uint64_t frame)
{
    const cs_capture *c = rec->info.captures;
    size_t lo = 0, hi = rec->info.num_captures; /* last capture with sample_start <= frame */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].sample_start <= frame) lo = mid;
        else hi = mid;
    }
    return lo;
}
