/* KrakenSDR / Heimdall DAQ frames (DF.md): each frame is a 1024-byte header of 256 native
 * uint32 words (0: sync 0x2BF7B95A, 1: frame type 0 data / 3 calibration, 7: active
 * channels, 10-11: RF centre Hz (u64), 14-15: sample rate Hz (u64), 16: samples per
 * channel, 18-19: time stamp ms (u64)) followed by the channels one after the other, each
 * as complex64. The last frame is cut short when the recording ends inside it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/status.h"
#include "synth_internal.h"
#include "synth_output.h"
#include "temp_file.h"

#define IQF_SYNC 0x2BF7B95Au
#define IQF_HEADER_WORDS 256
#define IQF_FRAME_DATA 0u
#define IQF_FRAME_CAL 3u

struct synth_iqf {
    const cs_synth_scenario *sc;
    char *path, *tmp;
    FILE *fp;
    unsigned M, frame;      /* channels, samples per channel per frame */
    cs_cf32 *buf;           /* one frame, interleaved as received */
    size_t fill;            /* frames' samples buffered */
    uint64_t written, cal_samples;
};

static void put64(uint32_t *w, int at, uint64_t v)
{
    w[at] = (uint32_t)v; /* low word first: the u64 in native (little-endian) order */
    w[at + 1] = (uint32_t)(v >> 32);
}

static int flush_frame(synth_iqf *q)
{
    if (q->fill == 0) return CS_OK;
    uint32_t h[IQF_HEADER_WORDS];
    memset(h, 0, sizeof h);
    h[0] = IQF_SYNC;
    h[1] = q->written < q->cal_samples ? IQF_FRAME_CAL : IQF_FRAME_DATA;
    h[7] = q->M;
    put64(h, 10, (uint64_t)llround(q->sc->centre_freq_hz));
    put64(h, 14, (uint64_t)llround(q->sc->sample_rate_hz));
    h[16] = (uint32_t)q->fill;
    put64(h, 18, (uint64_t)llround(1e3 * q->written / q->sc->sample_rate_hz));
    int ok = fwrite(h, sizeof h, 1, q->fp) == 1;
    static cs_cf32 chan[1 << 16];
    for (unsigned m = 0; ok && m < q->M; m++)
        for (size_t done = 0; ok && done < q->fill;) {
            size_t k = q->fill - done < (1 << 16) ? q->fill - done : (1 << 16);
            for (size_t i = 0; i < k; i++) chan[i] = q->buf[(done + i) * q->M + m];
            ok = fwrite(chan, sizeof *chan, k, q->fp) == k;
            done += k;
        }
    if (!ok) return cs_error(CS_EIO, "cannot write %s: %s", q->path, strerror(errno));
    q->written += q->fill;
    q->fill = 0;
    return CS_OK;
}

int synth_iqf_create(const cs_synth_scenario *sc, const char *basename, synth_iqf **out)
{
    synth_iqf *q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "out of memory");
    q->sc = sc;
    q->M = sc->array.num_elements;
    q->frame = sc->array.iqf_frame_samples;
    q->cal_samples = (uint64_t)llround(sc->array.calibration_s * sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6));
    q->path = synth_derived_path(basename, ".iqf");
    q->buf = malloc((size_t)q->frame * q->M * sizeof *q->buf);
    if (!q->path || !q->buf) {
        synth_iqf_abort(q);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    int fd = cs_temp_create(q->path, &q->tmp);
    if (fd < 0 || !(q->fp = fdopen(fd, "wb"))) {
        int rc = fd < 0 ? CS_EIO : cs_error(CS_EIO, "cannot create %s: %s", q->path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(q->tmp);
        }
        free(q->tmp);
        q->tmp = NULL;
        synth_iqf_abort(q);
        return rc;
    }
    *out = q;
    return CS_OK;
}

int synth_iqf_write(synth_iqf *q, const cs_cf32 *frames, size_t n)
{
    while (n > 0) {
        size_t k = q->frame - q->fill < n ? q->frame - q->fill : n;
        memcpy(q->buf + q->fill * q->M, frames, k * q->M * sizeof *frames);
        q->fill += k;
        frames += k * q->M;
        n -= k;
        if (q->fill == q->frame) {
            int rc = flush_frame(q);
            if (rc) return rc;
        }
    }
    return CS_OK;
}

int synth_iqf_finish(synth_iqf *q)
{
    int rc = flush_frame(q);
    if (rc == CS_OK && (fflush(q->fp) != 0 || fsync(fileno(q->fp)) != 0))
        rc = cs_error(CS_EIO, "cannot write %s: %s", q->path, strerror(errno));
    if (fclose(q->fp) != 0 && rc == CS_OK) rc = cs_error(CS_EIO, "cannot write %s: %s", q->path, strerror(errno));
    q->fp = NULL;
    if (rc == CS_OK && rename(q->tmp, q->path) != 0)
        rc = cs_error(CS_EIO, "cannot create %s: %s", q->path, strerror(errno));
    if (rc == CS_OK) {
        free(q->tmp);
        q->tmp = NULL; /* published: abort must not remove it */
    }
    synth_iqf_abort(q);
    return rc;
}

void synth_iqf_abort(synth_iqf *q)
{
    if (!q) return;
    if (q->fp) fclose(q->fp);
    if (q->tmp) unlink(q->tmp);
    free(q->tmp);
    free(q->path);
    free(q->buf);
    free(q);
}

void synth_iqf_remove(const char *basename)
{
    char *p = synth_derived_path(basename, ".iqf");
    if (p) unlink(p);
    free(p);
}
