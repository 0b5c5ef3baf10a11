/* RRC pulse shaping of a chip stream at an arbitrary output rate: each output sample is
 * the sum of the chips within +-span weighted by the pulse at its exact time offset. */
#include "cellscan/pulse_shaper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/rrc_filter.h"
#include "cellscan/status.h"

#define TAB_PER_CHIP 1024 /* linear interpolation error < 2e-6 of the peak */
#define CHIP_RING 8192    /* power of two: holds a push chunk plus the pulse span */
#define PUSH_CHUNK 4096

struct cs_pulse_shaper_s {
    cs_pulse_shaper_config cfg;
    double chips_per_sample;
    double delay_chips;
    float *tab;       /* p(x) for x = -span .. +span, TAB_PER_CHIP points per chip */
    cs_cf32 ring[CHIP_RING];
    int64_t n_chips;  /* chips pushed */
    int64_t k_next;   /* next output sample */
    int flushed;
};

void cs_pulse_shaper_config_init(cs_pulse_shaper_config *c)
{
    memset(c, 0, sizeof *c);
    c->sample_rate_hz = 2 * CS_UMTS_CHIP_RATE_HZ;
    c->chip_rate_hz = CS_UMTS_CHIP_RATE_HZ;
    c->rolloff = CS_UMTS_RRC_ROLLOFF;
    c->span_chips = 16;
}

void cs_pulse_shaper_reset(cs_pulse_shaper s)
{
    memset(s->ring, 0, sizeof s->ring);
    s->n_chips = 0;
    s->k_next = 0;
    s->flushed = 0;
}

int cs_pulse_shaper_create(const cs_pulse_shaper_config *cfg, cs_pulse_shaper *out)
{
    *out = NULL;
    if (!cfg)
        return cs_error(CS_EINVAL, "pulse shaper: no configuration given");
    const double rc = cfg->chip_rate_hz, fs = cfg->sample_rate_hz;
    if (!(cfg->rolloff > 0.0 && cfg->rolloff <= 1.0))
        return cs_error(CS_EINVAL, "pulse shaper: rolloff must be in (0, 1] (got %g)", cfg->rolloff);
    if (!(rc >= 1.0 && rc <= 1e9))
        return cs_error(CS_EINVAL, "pulse shaper: chip_rate_hz must be 1..1e9 (got %g)", rc);
    if (!(fs >= rc * (1.0 + cfg->rolloff) && fs <= 64.0 * rc))
        return cs_error(CS_EINVAL,
                        "pulse shaper: sample_rate_hz must be (1 + rolloff)..64 times the chip "
                        "rate, %g..%g Hz (got %g)",
                        rc * (1.0 + cfg->rolloff), 64.0 * rc, fs);
    if (cfg->span_chips < 2 || cfg->span_chips > 64)
        return cs_error(CS_EINVAL, "pulse shaper: span_chips must be 2..64 (got %u)", cfg->span_chips);
    if (!(cfg->delay_s >= -10.0 && cfg->delay_s <= 1e-3))
        return cs_error(CS_EINVAL, "pulse shaper: delay_s must be -10..0.001 s (got %g)", cfg->delay_s);
    cs_pulse_shaper s = calloc(1, sizeof *s);
    if (!s)
        return cs_error(CS_ENOMEM, "pulse shaper: out of memory");
    const size_t n_tab = 2 * (size_t)cfg->span_chips * TAB_PER_CHIP + 2;
    s->tab = malloc(n_tab * sizeof *s->tab);
    if (!s->tab) {
        free(s);
        return cs_error(CS_ENOMEM, "pulse shaper: out of memory");
    }
    for (size_t i = 0; i < n_tab; i++)
        s->tab[i] = (float)cs_rrc_impulse((double)i / TAB_PER_CHIP - cfg->span_chips, cfg->rolloff);
    s->cfg = *cfg;
    s->chips_per_sample = rc / fs;
    s->delay_chips = cfg->delay_s * rc;
    cs_pulse_shaper_reset(s);
    *out = s;
    return CS_OK;
}

void cs_pulse_shaper_destroy(cs_pulse_shaper s)
{
    if (!s)
        return;
    free(s->tab);
    free(s);
}

size_t cs_pulse_shaper_max_output(cs_pulse_shaper s, size_t n_chips)
{
    double chips = (double)n_chips + 2.0 * s->cfg.span_chips + 2.0;
    if (s->delay_chips > 0)
        chips += s->delay_chips;
    return (size_t)ceil(chips / s->chips_per_sample) + 2;
}

static inline cs_cf32 chip_at(const cs_pulse_shaper s, int64_t i, int64_t end)
{
    return (i < 0 || i >= end) ? 0.0f : s->ring[i & (CHIP_RING - 1)];
}

/* Emit samples while their chip time u satisfies u < limit (strict) or u <= limit. */
static int emit(cs_pulse_shaper s, double limit, int strict, cs_cf32 *out, size_t cap, size_t *n)
{
    const int span = (int)s->cfg.span_chips;
    for (;;) {
        const double u = (double)s->k_next * s->chips_per_sample - s->delay_chips;
        if (strict ? !(u < limit) : !(u <= limit))
            return CS_OK;
        if (*n >= cap)
            return cs_error(CS_EINVAL, "pulse shaper: output buffer too small (%zu samples)", cap);
        const int64_t lo = (int64_t)floor(u - span) + 1, hi = (int64_t)ceil(u + span) - 1;
        float re = 0.0f, im = 0.0f;
        for (int64_t i = lo; i <= hi; i++) {
            const cs_cf32 c = chip_at(s, i, s->n_chips);
            if (c == 0.0f)
                continue;
            const double pos = (u - (double)i + span) * TAB_PER_CHIP;
            const int j = (int)pos;
            const float t = (float)(pos - j);
            const float p = s->tab[j] + t * (s->tab[j + 1] - s->tab[j]);
            re += p * crealf(c);
            im += p * cimagf(c);
        }
        out[(*n)++] = re + I * im;
        s->k_next++;
    }
}

int cs_pulse_shaper_push(cs_pulse_shaper s, const cs_cf32 *chips, size_t n_chips, cs_cf32 *out,
                         size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (s->flushed)
        return cs_error(CS_EINVAL, "pulse shaper: push after flush (reset it first)");
    if (n_chips > 0 && !chips)
        return cs_error(CS_EINVAL, "pulse shaper: no chip array given");
    if (!out || out_cap < cs_pulse_shaper_max_output(s, n_chips))
        return cs_error(CS_EINVAL, "pulse shaper: output capacity %zu is below %zu for %zu chips",
                        out_cap, cs_pulse_shaper_max_output(s, n_chips), n_chips);
    while (n_chips > 0) {
        const size_t m = n_chips < PUSH_CHUNK ? n_chips : PUSH_CHUNK;
        for (size_t i = 0; i < m; i++)
            s->ring[(s->n_chips + (int64_t)i) & (CHIP_RING - 1)] = chips[i];
        s->n_chips += (int64_t)m;
        chips += m;
        n_chips -= m;
        /* a sample at u needs chips up to ceil(u + span) - 1 */
        int rc = emit(s, (double)s->n_chips - s->cfg.span_chips, 0, out, out_cap, n_out);
        if (rc != CS_OK)
            return rc;
    }
    return CS_OK;
}

int cs_pulse_shaper_flush(cs_pulse_shaper s, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (s->flushed)
        return CS_OK;
    if (!out || out_cap < cs_pulse_shaper_max_output(s, 0))
        return cs_error(CS_EINVAL, "pulse shaper: flush needs room for %zu samples (got %zu)",
                        cs_pulse_shaper_max_output(s, 0), out_cap);
    s->flushed = 1;
    const double end = (double)s->n_chips;
    return emit(s, end - (1e-9 + fabs(end) * 0x1.0p-46), 1, out, out_cap, n_out);
}
