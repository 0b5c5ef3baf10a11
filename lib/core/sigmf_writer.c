/* SigMF recording writer: samples go to a temporary file beside the target, the metadata is
 * built in memory, and cs_sigmf_writer_finish renames both into place (data first, then
 * meta, so a reader never finds metadata without its data). */
#include "cellscan/sigmf_writer.h"

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
#include "recording_files.h"
#include "sigmf_json.h"
#include "temp_file.h"
#include "sigmf_meta.h"

#define CS_WRITE_BLOCK_SAMPLES 65536
#define CS_SIGMF_VERSION "1.2.0"

struct cs_sigmf_writer_s {
    char *data_path, *meta_path, *data_tmp;
    int fd;
    cs_datatype dt;
    unsigned channels;
    size_t frame_bytes, block_frames;
    uint64_t frames;            /* frames written so far */
    json_t *global, *captures, *annotations;
    int failed;                 /* a write failed: finish must not publish */
    unsigned char *buf;
};

/* Keys of an existing global object that describe its own data file, not ours. */
static int is_data_key(const char *key)
{
    static const char *const keys[] = { "core:datatype", "core:sample_rate", "core:version",
                                        "core:num_channels", "core:sha512", "core:dataset",
                                        "core:trailing_bytes", "core:metadata_only" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(key, keys[i])) return 1;
    return 0;
}

static int build_global(const cs_sigmf_writer_params *p, unsigned channels, json_t **out)
{
    json_t *g = json_object();
    json_object_set_new(g, "core:datatype", json_string(cs_datatype_name(p->datatype)));
    json_object_set_new(g, "core:sample_rate", json_real(p->sample_rate_hz));
    json_object_set_new(g, "core:version", json_string(CS_SIGMF_VERSION));
    if (channels > 1) json_object_set_new(g, "core:num_channels", json_integer(channels));
    if (p->description) json_object_set_new(g, "core:description", json_string(p->description));
    if (p->author) json_object_set_new(g, "core:author", json_string(p->author));
    if (p->recorder) json_object_set_new(g, "core:recorder", json_string(p->recorder));
    if (p->global_json && *p->global_json) {
        json_error_t err;
        json_t *extra = json_loads(p->global_json, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(extra)) {
            json_decref(extra);
            json_decref(g);
            return cs_error(CS_EINVAL, "global_json is not a JSON object%s%s",
                            extra ? "" : ": ", extra ? "" : err.text);
        }
        const char *key;
        json_t *v;
        json_object_foreach(extra, key, v)
        {
            if (!is_data_key(key) && !json_object_get(g, key)) json_object_set(g, key, v);
        }
        json_decref(extra);
    }
    *out = g;
    return CS_OK;
}

/* BASENAME, BASENAME.sigmf-data or BASENAME.sigmf-meta → the two final names. */
static int final_names(const char *basename, char **data, char **meta)
{
    size_t n = strlen(basename);
    const char *exts[] = { ".sigmf-data", ".sigmf-meta" };
    for (int i = 0; i < 2; i++) {
        size_t le = strlen(exts[i]);
        if (n > le && !strcmp(basename + n - le, exts[i])) n -= le;
    }
    *data = malloc(n + 12);
    *meta = malloc(n + 12);
    if (!*data || !*meta) return cs_error(CS_ENOMEM, "out of memory");
    snprintf(*data, n + 12, "%.*s.sigmf-data", (int)n, basename);
    snprintf(*meta, n + 12, "%.*s.sigmf-meta", (int)n, basename);
    return CS_OK;
}

static void writer_free(cs_sigmf_writer w)
{
    if (w->fd >= 0) close(w->fd);
    if (w->data_tmp) unlink(w->data_tmp);
    free(w->data_path);
    free(w->meta_path);
    free(w->data_tmp);
    free(w->buf);
    json_decref(w->global);
    json_decref(w->captures);
    json_decref(w->annotations);
    free(w);
}

void cs_sigmf_writer_abort(cs_sigmf_writer w)
{
    if (w) writer_free(w);
}

int cs_sigmf_writer_create(const char *basename, const cs_sigmf_writer_params *p,
                           cs_sigmf_writer *out)
{
    *out = NULL;
    if (!basename || !*basename || !p) return cs_error(CS_EINVAL, "no output name or parameters");
    unsigned channels = p->num_channels ? p->num_channels : 1;
    if (cs_datatype_sample_bytes(p->datatype) == 0)
        return cs_error(CS_EINVAL, "SigMF writer needs a sample datatype");
    if (!(p->sample_rate_hz > 0.0 && p->sample_rate_hz < CS_SIGMF_MAX_RATE_HZ))
        return cs_error(CS_EINVAL, "sample rate must be above 0 and below 1e11 Hz (got %g)",
                        p->sample_rate_hz);
    if (channels > CS_SIGMF_MAX_CHANNELS)
        return cs_error(CS_EINVAL, "channels must be 1 to %d (got %u)", CS_SIGMF_MAX_CHANNELS,
                        channels);
    cs_sigmf_writer w = calloc(1, sizeof *w);
    if (!w) return cs_error(CS_ENOMEM, "out of memory");
    w->fd = -1;
    w->dt = p->datatype;
    w->channels = channels;
    w->frame_bytes = cs_datatype_sample_bytes(p->datatype) * channels;
    w->block_frames = CS_WRITE_BLOCK_SAMPLES / channels;
    int rc = final_names(basename, &w->data_path, &w->meta_path);
    if (rc == CS_OK) rc = build_global(p, channels, &w->global);
    if (rc == CS_OK) {
        w->captures = json_array();
        w->annotations = json_array();
        w->buf = malloc(w->block_frames * w->frame_bytes);
        if (!w->captures || !w->annotations || !w->buf) rc = cs_error(CS_ENOMEM, "out of memory");
    }
    if (rc == CS_OK && (w->fd = cs_temp_create(w->data_path, &w->data_tmp)) < 0) rc = CS_EIO;
    if (rc != CS_OK) {
        writer_free(w);
        return rc;
    }
    *out = w;
    return CS_OK;
}

int cs_sigmf_writer_add_capture(cs_sigmf_writer w, const cs_capture *c)
{
    size_t n = json_array_size(w->captures);
    if (n == 0 && c->sample_start != 0)
        return cs_error(CS_EINVAL, "the first capture must start at sample 0 (got %" PRIu64 ")",
                        c->sample_start);
    if (n > 0) {
        json_t *prev = json_object_get(json_array_get(w->captures, n - 1), "core:sample_start");
        if (c->sample_start <= (uint64_t)json_integer_value(prev))
            return cs_error(CS_EINVAL,
                            "capture at sample %" PRIu64 " is not after the previous one (%" JSON_INTEGER_FORMAT ")",
                            c->sample_start, json_integer_value(prev));
    }
    int rc = CS_OK;
    json_t *o = cs_sigmf_capture_json(c, &rc);
    if (!o) return rc;
    json_array_append_new(w->captures, o);
    return CS_OK;
}

int cs_sigmf_writer_add_annotation(cs_sigmf_writer w, const cs_annotation *a)
{
    int rc = CS_OK;
    json_t *o = cs_sigmf_annotation_json(a, &rc);
    if (!o) return rc;
    json_array_append_new(w->annotations, o);
    return CS_OK;
}

int cs_sigmf_writer_write(cs_sigmf_writer w, const cs_cf32 *frames, size_t n_frames,
                          size_t *n_clipped)
{
    if (w->failed) return cs_error(CS_EIO, "cannot write %s: an earlier write failed", w->data_path);
    size_t done = 0;
    while (done < n_frames) {
        size_t chunk = n_frames - done < w->block_frames ? n_frames - done : w->block_frames;
        size_t clipped = cs_convert_from_cf32(w->dt, frames + done * w->channels, w->buf,
                                              chunk * w->channels);
        if (n_clipped) *n_clipped += clipped;
        const unsigned char *p = w->buf;
        size_t left = chunk * w->frame_bytes;
        while (left > 0) {
            ssize_t k = write(w->fd, p, left);
            if (k < 0 && errno == EINTR) continue;
            if (k < 0) {
                w->failed = 1;
                return cs_error(CS_EIO, "cannot write %s: %s", w->data_path, strerror(errno));
            }
            p += k;
            left -= (size_t)k;
        }
        done += chunk;
        w->frames += chunk;
    }
    return CS_OK;
}

/* Every capture and annotation must lie inside the samples written (the reader's rule). */
static int check_extent(cs_sigmf_writer w)
{
    size_t i;
    json_t *o;
    json_array_foreach(w->captures, i, o)
    {
        uint64_t s = (uint64_t)json_integer_value(json_object_get(o, "core:sample_start"));
        if (s >= w->frames)
            return cs_error(CS_EINVAL, "capture at sample %" PRIu64 " is beyond the %" PRIu64
                                       " samples written",
                            s, w->frames);
    }
    json_array_foreach(w->annotations, i, o)
    {
        uint64_t s = (uint64_t)json_integer_value(json_object_get(o, "core:sample_start"));
        uint64_t n = (uint64_t)json_integer_value(json_object_get(o, "core:sample_count"));
        if (s >= w->frames || n > w->frames - s)
            return cs_error(CS_EINVAL,
                            "annotation at sample %" PRIu64 " (%" PRIu64
                            " samples) is beyond the %" PRIu64 " samples written",
                            s, n, w->frames);
    }
    return CS_OK;
}

/* Make the renames durable: a crash after finish must not lose the directory entries. */
static void sync_dir_of(const char *path)
{
    size_t n = (size_t)(cs_base_name(path) - path);
    char *dir = n ? strndup(path, n) : strdup(".");
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int cs_sigmf_writer_finish(cs_sigmf_writer w)
{
    if (!w) return cs_error(CS_EINVAL, "no writer");
    int rc = CS_OK;
    char *meta_tmp = NULL;
    if (w->failed) rc = cs_error(CS_EIO, "cannot finish %s: an earlier write failed", w->data_path);
    else if (w->frames == 0) rc = cs_error(CS_EINVAL, "no samples were written to %s", w->data_path);
    if (rc == CS_OK && json_array_size(w->captures) == 0)
        json_array_append_new(w->captures, json_pack("{s:i}", "core:sample_start", 0));
    if (rc == CS_OK) rc = check_extent(w);
    if (rc == CS_OK) {
        cs_sigmf_sort_annotations(w->annotations);
        json_t *root = json_pack("{s:O, s:O, s:O}", "global", w->global, "captures", w->captures,
                                 "annotations", w->annotations);
        if (!root) rc = cs_error(CS_ENOMEM, "out of memory");
        else rc = cs_sigmf_dump_to_temp(w->meta_path, root, &meta_tmp);
        json_decref(root);
    }
    if (rc == CS_OK) {
        int bad = fsync(w->fd) != 0, e = errno;
        if (close(w->fd) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        w->fd = -1;
        if (bad) rc = cs_error(CS_EIO, "cannot write %s: %s", w->data_path, strerror(e));
    }
    if (rc == CS_OK && rename(w->data_tmp, w->data_path) != 0)
        rc = cs_error(CS_EIO, "cannot create %s: %s", w->data_path, strerror(errno));
    if (rc == CS_OK) {
        free(w->data_tmp);
        w->data_tmp = NULL; /* published: writer_free must not unlink it */
        if (rename(meta_tmp, w->meta_path) != 0) {
            rc = cs_error(CS_EIO, "cannot create %s: %s", w->meta_path, strerror(errno));
            unlink(w->data_path); /* no data without its metadata */
        }
    }
    if (rc == CS_OK) sync_dir_of(w->meta_path);
    if (meta_tmp && rc != CS_OK) unlink(meta_tmp);
    free(meta_tmp);
    writer_free(w);
    return rc;
}
