/* Emitter plumbing of the generator: sample FIFOs, pulling a fixed number of samples from
 * a source that produces whole slots or frames, and the propagation channel. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

int synth_fifo_reserve(synth_fifo *f, size_t extra)
{
    if (f->head + f->len + extra <= f->cap) return CS_OK;
    if (f->head > 0) { /* compact first: the FIFO stays about one production unit long */
        memmove(f->buf, f->buf + f->head, f->len * sizeof *f->buf);
        f->head = 0;
        if (f->len + extra <= f->cap) return CS_OK;
    }
    size_t cap = f->cap ? f->cap : 4096;
    while (cap < f->len + extra) cap *= 2;
    cs_cf32 *b = realloc(f->buf, cap * sizeof *b);
    if (!b) return cs_error(CS_ENOMEM, "out of memory");
    f->buf = b;
    f->cap = cap;
    return CS_OK;
}

void synth_fifo_pop(synth_fifo *f, cs_cf32 *out, size_t n)
{
    if (out) memcpy(out, f->buf + f->head, n * sizeof *out);
    f->head += n;
    f->len -= n;
    if (f->len == 0) f->head = 0;
}

void synth_fifo_free(synth_fifo *f)
{
    free(f->buf);
    memset(f, 0, sizeof *f);
}

int synth_emitter_pull(synth_emitter *e, cs_cf32 *out, size_t n)
{
    synth_fifo *ready = e->channel ? &e->fifo : &e->raw;
    while (ready->len < n) {
        int rc = e->produce(e);
        if (rc) return rc;
        if (e->channel && e->raw.len) {
            size_t got = 0;
            if ((rc = synth_fifo_reserve(&e->fifo, e->raw.len))) return rc;
            rc = cs_multipath_execute(e->channel, e->raw.buf + e->raw.head, e->raw.len,
                                      synth_fifo_tail(&e->fifo), e->raw.len, &got);
            if (rc) return rc;
            synth_fifo_commit(&e->fifo, got);
            synth_fifo_pop(&e->raw, NULL, e->raw.len);
        }
    }
    synth_fifo_pop(ready, out, n);
    const float a = (float)e->amplitude;
    for (size_t i = 0; i < n; i++) out[i] *= a;
    return CS_OK;
}

void synth_emitter_destroy(synth_emitter *e)
{
    if (!e) return;
    if (e->destroy) e->destroy(e);
    cs_multipath_destroy(e->channel);
    synth_fifo_free(&e->fifo);
    synth_fifo_free(&e->raw);
    free(e);
}

int synth_emitter_attach_channel(synth_emitter *e, const cs_synth_scenario *sc, int cls,
                                 size_t index)
{
    const cs_synth_common *c = e->common;
    if (!c->fading[0] || !strcmp(c->fading, "none")) return CS_OK;
    const cs_channel_profile *p = cs_channel_profile_find(c->fading);
    if (!p) return cs_error(CS_EINVAL, "unknown fading profile '%s'", c->fading);
    cs_multipath_config cfg = { .sample_rate_hz = sc->sample_rate_hz,
                                .doppler_hz = c->doppler_hz,
                                .normalize = 1,
                                .seed = sc->seed,
                                .stream = synth_stream(SYNTH_STREAM_FADING, cls, index) };
    return cs_multipath_create(p->taps, p->num_taps, &cfg, &e->channel);
}
