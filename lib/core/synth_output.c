/* Where a generated recording goes: one SigMF recording (one channel, or an array's channels
 * interleaved, core:num_channels), a SigMF collection with one recording per element (the
 * `spatial` extension), or KrakenSDR .iqf frames (synth_output_iqf.c). Everything is written
 * under temporary names and published together with the truth file, or not at all. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/sigmf_writer.h"
#include "cellscan/status.h"
#include "synth_internal.h"
#include "synth_output.h"
#include "temp_file.h"
#include "synth_truth.h"

struct synth_output {
    const cs_synth_scenario *sc;
    char *basename;
    unsigned channels;        /* sample frames carry this many values */
    unsigned n_writers;       /* 1, or one per element (collection) */
    cs_sigmf_writer *w;
    cs_cf32 *split;           /* one channel's samples (collection) */
    synth_iqf *iqf;
    int is_iqf;
};

char *synth_derived_path(const char *basename, const char *suffix)
{
    size_t n = strlen(basename);
    const char *exts[] = { ".sigmf-data", ".sigmf-meta" };
    for (int i = 0; i < 2; i++) {
        size_t le = strlen(exts[i]);
        if (n > le && !strcmp(basename + n - le, exts[i])) n -= le;
    }
    size_t cap = n + strlen(suffix) + 1;
    char *p = malloc(cap);
    if (p) snprintf(p, cap, "%.*s%s", (int)n, basename, suffix);
    return p;
}

/* ---- SigMF metadata of the spatial extension ----------------------------------------- */

static json_t *geometry_json(const cs_synth_scenario *sc)
{
    json_t *g = json_array();
    for (unsigned m = 0; m < sc->array.num_elements; m++)
        json_array_append_new(g, json_pack("{s:[f,f,f]}", "point", sc->array.positions_m[m][0],
                                           sc->array.positions_m[m][1], sc->array.positions_m[m][2]));
    return g;
}

static char *global_json(const cs_synth_scenario *sc, const char *truth_name, int channel_index)
{
    json_t *ext = json_array();
    json_array_append_new(ext, json_pack("{s:s, s:s, s:b}", "name", "cellscan", "version", cs_version(),
                                         "optional", 1));
    json_t *g = json_pack("{s:o, s:s}", "core:extensions", ext, "cellscan:truth_file", truth_name);
    if (sc->array.num_elements) {
        json_array_append_new(ext, json_pack("{s:s, s:s, s:b}", "name", "spatial", "version", "1.1.0",
                                             "optional", 0));
        json_object_set_new(g, "spatial:num_elements", json_integer(sc->array.num_elements));
        json_object_set_new(g, "spatial:channel_index", json_integer(channel_index));
    }
    char *s = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(g);
    return s;
}

/* Start samples of the captures: 0, the end of the calibration segment, and with a moving
 * receiver or a turning antenna one every capture interval. */
static size_t capture_starts(const cs_synth_scenario *sc, uint64_t *out, size_t max)
{
    const double fs_true = sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
    const uint64_t cal = (uint64_t)llround(sc->array.calibration_s * fs_true);
    size_t n = 0;
    out[n++] = 0;
    const double step = synth_motion_active(sc) ? sc->motion.capture_interval_s * fs_true : 0.0;
    for (uint64_t k = 1; step > 0 && n < max; k++) {
        const uint64_t s = (uint64_t)llround(k * step);
        if (s >= sc->num_samples) break;
        if (cal > out[n - 1] && cal < s && n < max) out[n++] = cal;
        if (s != cal && n < max) out[n++] = s;
    }
    if (cal > out[n - 1] && cal < sc->num_samples && n < max) out[n++] = cal;
    return n;
}

static int add_captures(cs_sigmf_writer w, const cs_synth_scenario *sc, int interleaved)
{
    const double fs_true = sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
    const uint64_t cal = (uint64_t)llround(sc->array.calibration_s * fs_true);
    enum { MAX_CAPTURES = 100000 };
    uint64_t *starts = malloc(MAX_CAPTURES * sizeof *starts);
    if (!starts) return cs_error(CS_ENOMEM, "out of memory");
    const size_t n = capture_starts(sc, starts, MAX_CAPTURES);
    const int turning = sc->array.num_elements || sc->motion.num_heading || sc->motion.antenna[0];
    int rc = CS_OK;
    for (size_t k = 0; rc == CS_OK && k < n; k++) {
        const double t = starts[k] / fs_true;
        json_t *o = json_object();
        if (turning) json_object_set_new(o, "spatial:aperture_azimuth", json_real(synth_motion_heading_deg(sc, t)));
        if (sc->array.num_elements && interleaved) json_object_set_new(o, "spatial:element_geometry", geometry_json(sc));
        if (starts[k] < cal)
            json_object_set_new(o, "spatial:calibration", json_pack("{s:s, s:{s:b}}", "caltype", "xcorr",
                                                                 "cal_geometry", "unknown", 1));
        char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));
        json_decref(o);
        double pos[3] = { NAN, NAN, NAN };
        synth_motion_position(sc, t, pos);
        cs_capture c = { .sample_start = starts[k], .frequency_hz = sc->centre_freq_hz,
                         .latitude_deg = pos[0], .longitude_deg = pos[1], .altitude_m = pos[2], .json = text };
        rc = text ? cs_sigmf_writer_add_capture(w, &c) : cs_error(CS_ENOMEM, "out of memory");
        free(text);
    }
    free(starts);
    return rc;
}

char *synth_track_csv(const cs_synth_scenario *sc)
{
    if (!synth_motion_active(sc)) return NULL;
    const double fs_true = sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp) return NULL;
    fprintf(fp, "t_s,sample,lat_deg,lon_deg,alt_m,heading_deg\n");
    const double step = sc->motion.capture_interval_s;
    for (uint64_t k = 0; llround(k * step * fs_true) < (long long)sc->num_samples; k++) {
        const double t = k * step;
        double pos[3] = { NAN, NAN, NAN };
        synth_motion_position(sc, t, pos);
        fprintf(fp, "%.6f,%llu,", t, (unsigned long long)llround(t * fs_true));
        if (isfinite(pos[0])) fprintf(fp, "%.8f,%.8f,%.2f,", pos[0], pos[1], pos[2]);
        else fputs(",,,", fp);
        fprintf(fp, "%.4f\n", synth_motion_heading_deg(sc, t));
    }
    if (fclose(fp) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Annotation(s) of one emitter: its band, its span (one per on-interval), its truth and,
 * for arrays, its direction relative to the aperture. */
static int annotate(cs_sigmf_writer w, const cs_synth_scenario *sc, const cs_synth_common *c,
                    const char *label, json_t *truth, const double (*iv)[2], size_t n_iv)
{
    json_t *wrap = json_pack("{s:O}", "cellscan:truth", truth);
    if (sc->array.num_elements && !synth_motion_active(sc)) { /* moving: see the truth's track */
        const double az = synth_array_azimuth_deg(sc, c->bearing_deg);
        json_object_set_new(wrap, "spatial:signal_azimuth", json_real(az));
        json_object_set_new(wrap, "spatial:signal_bearing",
                            json_pack("{s:f, s:f}", "azimuth", az, "elevation", c->elevation_deg));
    }
    char *text = wrap ? json_dumps(wrap, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(wrap);
    if (!text) return cs_error(CS_ENOMEM, "out of memory");
    const double centre = sc->centre_freq_hz + c->offset_hz;
    const double fs_true = sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
    int rc = CS_OK;
    for (size_t k = 0; rc == CS_OK && k < (n_iv ? n_iv : 1); k++) {
        uint64_t s0 = 0, s1 = sc->num_samples;
        if (n_iv) {
            s0 = (uint64_t)fmin(floor(iv[k][0] * fs_true), (double)sc->num_samples);
            s1 = (uint64_t)fmin(ceil(iv[k][1] * fs_true), (double)sc->num_samples);
        }
        if (s1 <= s0) continue;
        cs_annotation a = { .sample_start = s0, .sample_count = s1 - s0,
                            .freq_lower_hz = centre - 0.5 * c->bandwidth_hz,
                            .freq_upper_hz = centre + 0.5 * c->bandwidth_hz,
                            .label = label, .comment = "cellscan synth ground truth", .json = text };
        rc = cs_sigmf_writer_add_annotation(w, &a);
    }
    free(text);
    return rc;
}

static int add_annotations(cs_sigmf_writer w, const cs_synth_scenario *sc, json_t *emitters)
{
    char label[64];
    int rc = CS_OK;
    size_t k = 0;
    for (size_t i = 0; rc == CS_OK && i < sc->num_gsm; i++, k++) {
        cs_synth_gsm_label(&sc->gsm[i], label, sizeof label);
        rc = annotate(w, sc, &sc->gsm[i].c, label, json_array_get(emitters, k), NULL, 0);
    }
    for (size_t i = 0; rc == CS_OK && i < sc->num_bursts; i++, k++) {
        const cs_synth_gsm_bursts *b = &sc->bursts[i];
        cs_synth_bursts_label(b, label, sizeof label);
        rc = annotate(w, sc, &b->c, label, json_array_get(emitters, k),
                      (const double(*)[2])b->intervals_s, b->num_intervals);
    }
    for (size_t i = 0; rc == CS_OK && i < sc->num_umts; i++, k++) {
        cs_synth_umts_label(&sc->umts[i], label, sizeof label);
        rc = annotate(w, sc, &sc->umts[i].c, label, json_array_get(emitters, k), NULL, 0);
    }
    return rc;
}

/* ---- the output object ------------------------------------------------------------- */

int synth_output_create(const cs_synth_scenario *sc, const char *basename, json_t *emitters,
                        synth_output **out)
{
    synth_output *o = calloc(1, sizeof *o);
    if (!o || !(o->basename = strdup(basename))) {
        free(o);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    o->sc = sc;
    o->channels = sc->array.num_elements ? sc->array.num_elements : 1;
    int rc = CS_OK;
    if (sc->array.num_elements && !strcmp(sc->array.output, "iqf")) {
        o->is_iqf = 1;
        rc = synth_iqf_create(sc, basename, &o->iqf);
    } else {
        const int collection = sc->array.num_elements && !strcmp(sc->array.output, "collection");
        o->n_writers = collection ? o->channels : 1;
        o->w = calloc(o->n_writers, sizeof *o->w);
        o->split = collection ? malloc(65536 * sizeof *o->split) : NULL;
        if (!o->w || (collection && !o->split)) rc = cs_error(CS_ENOMEM, "out of memory");
        char *truth_path = synth_derived_path(basename, ".truth.json");
        const char *tn = truth_path ? (strrchr(truth_path, '/') ? strrchr(truth_path, '/') + 1 : truth_path) : "";
        char desc[200];
        snprintf(desc, sizeof desc, "cellscan synth: %zu GSM carrier(s), %zu GSM burst emitter(s), "
                 "%zu UMTS cell(s), seed %llu%s", sc->num_gsm, sc->num_bursts, sc->num_umts,
                 (unsigned long long)sc->seed, sc->array.num_elements ? ", receiver array" : "");
        for (unsigned k = 0; rc == CS_OK && k < o->n_writers; k++) {
            char *g = global_json(sc, tn, (int)k), suffix[32];
            cs_sigmf_writer_params p = { .datatype = sc->datatype, .sample_rate_hz = sc->sample_rate_hz,
                                         .num_channels = collection ? 1 : o->channels,
                                         .description = desc, .recorder = "cellscan synth",
                                         .global_json = g };
            snprintf(suffix, sizeof suffix, "-ch%u", k);
            char *name = collection ? synth_derived_path(basename, suffix) : strdup(basename);
            rc = g && name ? cs_sigmf_writer_create(name, &p, &o->w[k]) : cs_error(CS_ENOMEM, "out of memory");
            if (rc == CS_OK) rc = add_captures(o->w[k], sc, !collection);
            if (rc == CS_OK) rc = add_annotations(o->w[k], sc, emitters);
            free(g);
            free(name);
        }
        free(truth_path);
    }
    if (rc) {
        synth_output_abort(o);
        return rc;
    }
    *out = o;
    return CS_OK;
}

int synth_output_write(synth_output *o, const cs_cf32 *frames, size_t n, size_t *clipped)
{
    if (o->iqf) return synth_iqf_write(o->iqf, frames, n);
    if (o->n_writers == 1) return cs_sigmf_writer_write(o->w[0], frames, n, clipped);
    for (size_t done = 0; done < n;) {
        size_t k = n - done < 65536 ? n - done : 65536;
        for (unsigned m = 0; m < o->n_writers; m++) {
            for (size_t i = 0; i < k; i++) o->split[i] = frames[(done + i) * o->channels + m];
            int rc = cs_sigmf_writer_write(o->w[m], o->split, k, clipped);
            if (rc) return rc;
        }
        done += k;
    }
    return CS_OK;
}

/* Remove what finish already published (all or nothing). */
static void unpublish(synth_output *o, unsigned published)
{
    char suffix[48];
    for (unsigned k = 0; k < published; k++)
        for (int e = 0; e < 2; e++) {
            if (o->n_writers > 1) snprintf(suffix, sizeof suffix, "-ch%u%s", k, e ? ".sigmf-meta" : ".sigmf-data");
            else snprintf(suffix, sizeof suffix, "%s", e ? ".sigmf-meta" : ".sigmf-data");
            char *p = synth_derived_path(o->basename, suffix);
            if (p) unlink(p);
            free(p);
        }
}

/* The collection file: element geometry and the member recordings. */
static int collection_text(synth_output *o, char **text)
{
    json_t *streams = json_array();
    for (unsigned k = 0; k < o->n_writers; k++) {
        char suffix[32];
        snprintf(suffix, sizeof suffix, "-ch%u", k);
        char *p = synth_derived_path(o->basename, suffix);
        const char *slash = p ? strrchr(p, '/') : NULL;
        char hash[129] = "";
        char *mp = p ? synth_derived_path(p, ".sigmf-meta") : NULL;
        int have = mp && synth_sha512_file(mp, hash) == CS_OK;
        json_t *s = json_pack("{s:s}", "name", slash ? slash + 1 : (p ? p : ""));
        if (have) json_object_set_new(s, "hash", json_string(hash));
        json_array_append_new(streams, s);
        free(p);
        free(mp);
    }
    json_t *ext = json_pack("[{s:s, s:s, s:b}]", "name", "spatial", "version", "1.1.0", "optional", 0);
    json_t *c = json_pack("{s:{s:s, s:o, s:s, s:o, s:o}}", "collection", "core:version", "1.2.0",
                          "core:extensions", ext, "core:description", "cellscan synth receiver array",
                          "core:streams", streams, "spatial:element_geometry", geometry_json(o->sc));
    *text = c ? json_dumps(c, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(c);
    return *text ? CS_OK : cs_error(CS_ENOMEM, "out of memory");
}

int synth_output_finish(synth_output *o, const char *truth_text, const char *csv_text)
{
    char *truth_path = synth_derived_path(o->basename, ".truth.json"), *truth_tmp = NULL;
    char *csv_path = csv_text ? synth_derived_path(o->basename, ".track.csv") : NULL, *csv_tmp = NULL;
    char *coll_path = NULL, *coll_tmp = NULL, *coll = NULL;
    int rc = truth_path ? cs_temp_write_text(truth_path, truth_text, &truth_tmp) : cs_error(CS_ENOMEM, "out of memory");
    unsigned published = 0;
    if (o->is_iqf) {
        if (rc == CS_OK) rc = synth_iqf_finish(o->iqf);
        else synth_iqf_abort(o->iqf);
        o->iqf = NULL;
    } else {
        for (unsigned k = 0; k < o->n_writers; k++) {
            int r = rc == CS_OK ? cs_sigmf_writer_finish(o->w[k]) : CS_OK;
            if (rc != CS_OK) cs_sigmf_writer_abort(o->w[k]);
            o->w[k] = NULL;
            if (r == CS_OK && rc == CS_OK) published++;
            else if (rc == CS_OK) rc = r;
        }
        if (rc == CS_OK && o->n_writers > 1) {
            coll_path = synth_derived_path(o->basename, ".sigmf-collection");
            rc = coll_path ? collection_text(o, &coll) : cs_error(CS_ENOMEM, "out of memory");
            if (rc == CS_OK) rc = cs_temp_write_text(coll_path, coll, &coll_tmp);
            if (rc == CS_OK && rename(coll_tmp, coll_path) != 0)
                rc = cs_error(CS_EIO, "cannot create %s: %s", coll_path, strerror(errno));
        }
    }
    if (rc == CS_OK && csv_text) {
        /* the track: text ending in a newline already; write without adding another */
        rc = csv_path ? cs_temp_write_text(csv_path, csv_text, &csv_tmp) : cs_error(CS_ENOMEM, "out of memory");
        if (rc == CS_OK && rename(csv_tmp, csv_path) != 0)
            rc = cs_error(CS_EIO, "cannot create %s: %s", csv_path, strerror(errno));
    }
    if (rc == CS_OK && rename(truth_tmp, truth_path) != 0)
        rc = cs_error(CS_EIO, "cannot create %s: %s", truth_path, strerror(errno));
    if (rc != CS_OK) {
        if (csv_path) unlink(csv_path);
        if (csv_tmp) unlink(csv_tmp);
        unpublish(o, published);
        if (coll_path) unlink(coll_path);
        if (coll_tmp) unlink(coll_tmp);
        if (truth_tmp) unlink(truth_tmp);
        if (o->is_iqf) synth_iqf_remove(o->basename);
    }
    free(truth_path);
    free(truth_tmp);
    free(csv_path);
    free(csv_tmp);
    free(coll_path);
    free(coll_tmp);
    free(coll);
    synth_output_abort(o);
    return rc;
}

void synth_output_abort(synth_output *o)
{
    if (!o) return;
    for (unsigned k = 0; o->w && k < o->n_writers; k++) cs_sigmf_writer_abort(o->w[k]);
    synth_iqf_abort(o->iqf);
    free(o->w);
    free(o->split);
    free(o->basename);
    free(o);
}
