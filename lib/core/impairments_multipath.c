/* Tapped delay line with fractional delays and time-varying (fading) tap gains. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/impairments.h"
#include "cellscan/resampler.h"
#include "cellscan/status.h"

#define FD_HALF 16      /* fractional-delay filter: 32 taps, error < -76 dB up to 0.4 fs */
#define FD_BETA 8.0
#define POINTS_PER_DOPPLER_PERIOD 128 /* linear gain interpolation error < 3e-4 */
#define CHUNK 4096
#define MAX_DELAY_S 100e-6

typedef struct tap_state {
    int64_t delay;          /* whole samples */
    int integer_only;       /* no fractional part: a plain delayed copy */
    float fir[2 * FD_HALF];
    double amp;             /* sqrt of the (normalised) average power */
    cs_fading fading;
    int64_t seg;            /* gain segment cached in g0, g1 (-1: none) */
    cs_cf32 g0, g1;
} tap_state;

struct cs_multipath_s {
    cs_multipath_config cfg;
    size_t n_taps;
    tap_state tap[CS_CHANNEL_MAX_TAPS];
    int64_t update_every;   /* samples between computed gain points */
    int64_t history;        /* samples kept before the next output: max delay + FD_HALF */
    cs_cf32 *buf;           /* buf[i - buf_start] is input i */
    size_t buf_cap;
    int64_t buf_start, n_in, k_next;
    int flushed;
};

void cs_multipath_reset(cs_multipath q)
{
    memset(q->buf, 0, q->buf_cap * sizeof *q->buf);
    q->buf_start = -q->history;
    q->n_in = 0;
    q->k_next = 0;
    q->flushed = 0;
    for (size_t t = 0; t < q->n_taps; t++)
        q->tap[t].seg = -1;
}

static int check_taps(const cs_channel_tap *taps, size_t n, const cs_multipath_config *cfg)
{
    if (!taps || n < 1 || n > CS_CHANNEL_MAX_TAPS)
        return cs_error(CS_EINVAL, "multipath: 1..%d taps needed (got %zu)", CS_CHANNEL_MAX_TAPS, n);
    if (!cfg || !(cfg->sample_rate_hz > 0.0 && cfg->sample_rate_hz <= 1e9))
        return cs_error(CS_EINVAL, "multipath: sample_rate_hz must be in (0, 1e9]");
    if (!(cfg->doppler_hz >= 0.0 && cfg->doppler_hz <= 5000.0))
        return cs_error(CS_EINVAL, "multipath: doppler_hz must be 0..5000 (got %g)", cfg->doppler_hz);
    for (size_t i = 0; i < n; i++) {
        if (!(taps[i].delay_s >= 0.0 && taps[i].delay_s <= MAX_DELAY_S))
            return cs_error(CS_EINVAL, "multipath: tap %zu delay must be 0..100 us (got %g s)", i,
                            taps[i].delay_s);
        if (!(fabs(taps[i].power_db) <= 100.0))
            return cs_error(CS_EINVAL, "multipath: tap %zu power must be -100..100 dB (got %g)", i,
                            taps[i].power_db);
    }
    return CS_OK;
}

int cs_multipath_create(const cs_channel_tap *taps, size_t n, const cs_multipath_config *cfg,
                        cs_multipath *out)
{
    *out = NULL;
    int rc = check_taps(taps, n, cfg);
    if (rc != CS_OK)
        return rc;
    cs_multipath q = calloc(1, sizeof *q);
    if (!q)
        return cs_error(CS_ENOMEM, "multipath: out of memory");
    q->cfg = *cfg;
    q->n_taps = n;
    cs_rng rng = NULL;
    rc = cs_rng_create(cfg->seed, cfg->stream, &rng);
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += pow(10.0, taps[i].power_db / 10.0);
    int64_t max_delay = 0;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        tap_state *t = &q->tap[i];
        const double p = pow(10.0, taps[i].power_db / 10.0);
        t->amp = sqrt(cfg->normalize ? p / total : p);
        const double d = taps[i].delay_s * cfg->sample_rate_hz;
        const double nearest = floor(d + 0.5);
        t->integer_only = fabs(d - nearest) < 1e-6;
        t->delay = t->integer_only ? (int64_t)nearest : (int64_t)floor(d);
        if (!t->integer_only)
            rc = cs_fractional_delay_taps(d - floor(d), FD_HALF, FD_BETA, t->fir);
        if (rc == CS_OK) /* taps draw from the stream in order: tap i never sees tap i+1 */
            rc = cs_fading_create(taps[i].kind, cfg->doppler_hz, taps[i].rice_k_db,
                                  taps[i].los_doppler_ratio, rng, &t->fading);
        if (t->delay > max_delay)
            max_delay = t->delay;
    }
    cs_rng_destroy(rng);
    if (rc != CS_OK) {
        cs_multipath_destroy(q);
        return rc;
    }
    double every = cfg->doppler_hz > 0.0
                       ? floor(cfg->sample_rate_hz / (POINTS_PER_DOPPLER_PERIOD * cfg->doppler_hz))
                       : 65536.0;
    q->update_every = every < 1.0 ? 1 : every > 65536.0 ? 65536 : (int64_t)every;
    q->history = max_delay + FD_HALF;
    q->buf_cap = CHUNK + (size_t)q->history + FD_HALF + 2;
    q->buf = malloc(q->buf_cap * sizeof *q->buf);
    if (!q->buf) {
        cs_multipath_destroy(q);
        return cs_error(CS_ENOMEM, "multipath: out of memory");
    }
    cs_multipath_reset(q);
    *out = q;
    return CS_OK;
}

void cs_multipath_destroy(cs_multipath q)
{
    if (!q)
        return;
    for (size_t t = 0; t < q->n_taps; t++)
        cs_fading_destroy(q->tap[t].fading);
    free(q->buf);
    free(q);
}

cs_cf32 cs_multipath_tap_gain(cs_multipath q, size_t i, double t_s)
{
    if (i >= q->n_taps)
        return 0.0f;
    return (float)q->tap[i].amp * cs_fading_gain(q->tap[i].fading, t_s);
}

/* Gain of tap t at sample k: linear between points every update_every samples. */
static cs_cf32 gain_at(cs_multipath q, tap_state *t, int64_t k)
{
    const int64_t seg = k / q->update_every;
    if (seg != t->seg) {
        const double fs = q->cfg.sample_rate_hz;
        t->g0 = (float)t->amp * cs_fading_gain(t->fading, (double)(seg * q->update_every) / fs);
        t->g1 = (float)t->amp *
                cs_fading_gain(t->fading, (double)((seg + 1) * q->update_every) / fs);
        t->seg = seg;
    }
    const float lambda = (float)(k - seg * q->update_every) / (float)q->update_every;
    return t->g0 + lambda * (t->g1 - t->g0);
}

/* Emit outputs k < limit (each needs input up to k + FD_HALF - 1). */
static int emit(cs_multipath q, int64_t limit, cs_cf32 *out, size_t cap, size_t *n)
{
    for (; q->k_next < limit; q->k_next++) {
        if (*n >= cap)
            return cs_error(CS_EINVAL, "multipath: output buffer too small (%zu samples)", cap);
        const int64_t k = q->k_next;
        cs_cf32 y = 0.0f;
        for (size_t ti = 0; ti < q->n_taps; ti++) {
            tap_state *t = &q->tap[ti];
            const cs_cf32 *x = q->buf + (k - t->delay - q->buf_start);
            cs_cf32 z;
            if (t->integer_only) {
                z = x[0];
            } else { /* y[k] = sum_j fir[j] x[k - D + h - 1 - j] */
                float re = 0.0f, im = 0.0f;
                for (int j = 0; j < 2 * FD_HALF; j++) {
                    re += t->fir[j] * crealf(x[FD_HALF - 1 - j]);
                    im += t->fir[j] * cimagf(x[FD_HALF - 1 - j]);
                }
                z = re + I * im;
            }
            y += gain_at(q, t, k) * z;
        }
        out[(*n)++] = y;
    }
    return CS_OK;
}

static int feed(cs_multipath q, const cs_cf32 *in, size_t n_in, int final, cs_cf32 *out,
                size_t cap, size_t *n_out)
{
    const int64_t end = q->n_in; /* real inputs when flushing */
    do {
        /* keep history - 1 samples before the next output's oldest need */
        int64_t drop = (q->k_next - q->history) - q->buf_start;
        const int64_t used = q->n_in - q->buf_start;
        if (drop > used)
            drop = used;
        if (drop > 0) {
            memmove(q->buf, q->buf + drop, (size_t)(used - drop) * sizeof *q->buf);
            q->buf_start += drop;
        }
        const size_t have = (size_t)(q->n_in - q->buf_start);
        size_t m = q->buf_cap - have;
        if (m > n_in)
            m = n_in;
        if (in)
            memcpy(q->buf + have, in, m * sizeof *in);
        else
            memset(q->buf + have, 0, m * sizeof *q->buf);
        q->n_in += (int64_t)m;
        if (in)
            in += m;
        n_in -= m;
        const int64_t limit = final ? end : q->n_in - (FD_HALF - 1);
        int rc = emit(q, limit < q->n_in - (FD_HALF - 1) ? limit : q->n_in - (FD_HALF - 1), out,
                      cap, n_out);
        if (rc != CS_OK)
            return rc;
    } while (n_in > 0);
    return CS_OK;
}

int cs_multipath_execute(cs_multipath q, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                         size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (q->flushed)
        return cs_error(CS_EINVAL, "multipath: execute after flush (reset it first)");
    if (n_in > 0 && !in)
        return cs_error(CS_EINVAL, "multipath: no input array given");
    if (n_in == 0)
        return CS_OK;
    if (!out || out_cap < n_in)
        return cs_error(CS_EINVAL, "multipath: output capacity %zu is below the input count %zu",
                        out_cap, n_in);
    return feed(q, in, n_in, 0, out, out_cap, n_out);
}

int cs_multipath_flush(cs_multipath q, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (q->flushed)
        return CS_OK;
    if (!out || out_cap < FD_HALF)
        return cs_error(CS_EINVAL, "multipath: flush needs room for %d samples (got %zu)", FD_HALF,
                        out_cap);
    q->flushed = 1;
    return feed(q, NULL, FD_HALF, 1, out, out_cap, n_out);
}
