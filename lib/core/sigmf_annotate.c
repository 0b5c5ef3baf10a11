/* cs_sigmf_write_annotations: a recording's metadata with extra annotations, written
 * atomically beside its data (also for raw files, which then gain a SigMF description
 * pointing at them through core:dataset). */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/sigmf_writer.h"
#include "cellscan/status.h"
#include "recording_files.h"
#include "sigmf_json.h"

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Directory part of path ("." when none), malloc'ed. */
static char *dir_of(const char *path)
{
    size_t n = (size_t)(cs_base_name(path) - path);
    return n ? strndup(path, n) : strdup(".");
}

/* How the new metadata reaches the data: nothing when the data is BASE.sigmf-data beside
 * it, core:dataset when the data sits in the same directory under another name. */
static int link_dataset(const char *meta_out, const char *data_path, json_t *global)
{
    size_t n = strlen(meta_out) - strlen(".sigmf-meta");
    char *paired = malloc(n + 12);
    char *dm = dir_of(meta_out), *dd = dir_of(data_path);
    int rc = CS_OK;
    if (!paired || !dm || !dd) rc = cs_error(CS_ENOMEM, "out of memory");
    else {
        snprintf(paired, n + 12, "%.*s.sigmf-data", (int)n, meta_out);
        json_object_del(global, "core:dataset");
        if (same_file(paired, data_path)) {
            /* conforming pair: nothing to add */
        } else if (same_file(dm, dd)) {
            json_object_set_new(global, "core:dataset", json_string(cs_base_name(data_path)));
        } else {
            rc = cs_error(CS_EINVAL, "%s must be in the directory of the data file %s", meta_out,
                          data_path);
        }
    }
    free(paired);
    free(dm);
    free(dd);
    return rc;
}

static json_t *global_of(const cs_recording_info *in, int *rc)
{
    if (in->global_json) {
        json_t *g = json_loads(in->global_json, 0, NULL);
        if (!json_is_object(g)) {
            json_decref(g);
            *rc = cs_error(CS_EFORMAT, "the recording's global metadata is not a JSON object");
            return NULL;
        }
        return g;
    }
    /* raw file: describe it */
    json_t *g = json_pack("{s:s, s:f, s:s}", "core:datatype", cs_datatype_name(in->datatype),
                          "core:sample_rate", in->sample_rate_hz, "core:version", "1.2.0");
    if (g && in->num_channels > 1)
        json_object_set_new(g, "core:num_channels", json_integer(in->num_channels));
    if (!g) *rc = cs_error(CS_ENOMEM, "out of memory");
    return g;
}

/* Existing JSON texts (captures or annotations) as a fresh array. */
static json_t *array_of(const void *items, size_t n, size_t stride, size_t json_offset, int *rc)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        const char *text = *(const char *const *)((const char *)items + i * stride + json_offset);
        json_t *o = text ? json_loads(text, 0, NULL) : NULL;
        if (!json_is_object(o)) {
            json_decref(o);
            json_decref(arr);
            *rc = cs_error(CS_EFORMAT, "the recording's metadata item %zu has no JSON object", i);
            return NULL;
        }
        json_array_append_new(arr, o);
    }
    if (!arr && *rc == CS_OK) *rc = cs_error(CS_ENOMEM, "out of memory");
    return arr;
}

int cs_sigmf_write_annotations(cs_recording rec, const char *meta_out_path,
                               const cs_annotation *annotations, size_t n)
{
    if (!rec || !meta_out_path) return cs_error(CS_EINVAL, "no recording or output name");
    size_t len = strlen(meta_out_path);
    if (len <= strlen(".sigmf-meta") || strcmp(meta_out_path + len - 11, ".sigmf-meta") != 0)
        return cs_error(CS_EINVAL, "%s: a SigMF metadata file name must end in .sigmf-meta",
                        meta_out_path);
    const cs_recording_info *in = cs_recording_get_info(rec);
    for (size_t i = 0; i < n; i++) {
        const cs_annotation *a = &annotations[i];
        if (a->sample_start >= in->num_samples ||
            a->sample_count > in->num_samples - a->sample_start)
            return cs_error(CS_EINVAL,
                            "annotation at sample %" PRIu64 " (%" PRIu64
                            " samples) is beyond the recording's %" PRIu64 " samples",
                            a->sample_start, a->sample_count, in->num_samples);
    }
    int rc = CS_OK;
    json_t *global = global_of(in, &rc);
    json_t *captures = global ? array_of(in->captures, in->num_captures, sizeof(cs_capture),
                                         offsetof(cs_capture, json), &rc)
                              : NULL;
    json_t *anns = captures ? array_of(in->annotations, in->num_annotations,
                                       sizeof(cs_annotation), offsetof(cs_annotation, json), &rc)
                            : NULL;
    for (size_t i = 0; anns && rc == CS_OK && i < n; i++) {
        json_t *o = cs_sigmf_annotation_json(&annotations[i], &rc);
        if (o) json_array_append_new(anns, o);
    }
    if (rc == CS_OK) rc = link_dataset(meta_out_path, in->data_path, global);
    char *tmp = NULL;
    if (rc == CS_OK) {
        cs_sigmf_sort_annotations(anns);
        json_t *root = json_pack("{s:O, s:O, s:O}", "global", global, "captures", captures,
                                 "annotations", anns);
        rc = root ? cs_sigmf_dump_to_temp(meta_out_path, root, &tmp)
                  : cs_error(CS_ENOMEM, "out of memory");
        json_decref(root);
    }
    if (rc == CS_OK && rename(tmp, meta_out_path) != 0) {
        rc = cs_error(CS_EIO, "cannot create %s: %s", meta_out_path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    json_decref(global);
    json_decref(captures);
    json_decref(anns);
    return rc;
}
