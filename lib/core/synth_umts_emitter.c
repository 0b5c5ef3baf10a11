/* UMTS cell emitter: chips slot by slot (synth_umts_cell.c), RRC pulse shaping straight to
 * the recording rate (pulse_shaper.h), then moved to the carrier's offset (rotator).
 * Timing: chip 0 of a frame peaks at t = frame_offset_chips / 3.84e6 (+ k * 10 ms). */
#include <math.h>
#include <stdlib.h>

#include "cellscan/pulse_shaper.h"
#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "synth_internal.h"

#define SPAN_CHIPS 16

typedef struct umts_impl {
    synth_umts_cell *cell;
    cs_pulse_shaper shaper;
    cs_rotator rot;     /* carrier offset, or NULL for a cell at the centre: */
    double phasor[2];   /* then only its phase (what the rotator does at 0 Hz) */
    int slot;           /* next slot to generate, 0..14 */
    int first_chip;     /* chip of that slot to start from (only the first slot is partial) */
    cs_cf32 chips[CS_UMTS_SLOT_CHIPS];
} umts_impl;

static int umts_produce(synth_emitter *e)
{
    umts_impl *u = e->impl;
    synth_umts_cell_slot(u->cell, u->slot, u->chips);
    size_t n_chips = CS_UMTS_SLOT_CHIPS - (size_t)u->first_chip, n = 0;
    size_t cap = cs_pulse_shaper_max_output(u->shaper, n_chips);
    int rc = synth_fifo_reserve(&e->raw, cap);
    if (rc) return rc;
    cs_cf32 *dst = synth_fifo_tail(&e->raw);
    rc = cs_pulse_shaper_push(u->shaper, u->chips + u->first_chip, n_chips, dst, cap, &n);
    if (rc) return rc;
    if (u->rot) {
        cs_rotator_execute(u->rot, dst, dst, n);
    } else {
        const double c = u->phasor[0], s = u->phasor[1];
        for (size_t i = 0; i < n; i++) {
            const double xr = crealf(dst[i]), xi = cimagf(dst[i]);
            dst[i] = CMPLXF(xr * c - xi * s, xr * s + xi * c);
        }
    }
    synth_fifo_commit(&e->raw, n);
    u->slot = (u->slot + 1) % CS_UMTS_SLOTS_PER_FRAME;
    u->first_chip = 0;
    return CS_OK;
}

static void umts_destroy(synth_emitter *e)
{
    umts_impl *u = e->impl;
    if (!u) return;
    synth_umts_cell_destroy(u->cell);
    cs_pulse_shaper_destroy(u->shaper);
    cs_rotator_destroy(u->rot);
    free(u);
}

int synth_umts_emitter_create(const cs_synth_scenario *sc, size_t index, synth_emitter **out)
{
    const cs_synth_umts *cfg = &sc->umts[index];
    synth_emitter *e = calloc(1, sizeof *e);
    umts_impl *u = calloc(1, sizeof *u);
    if (!e || !u) {
        free(e);
        free(u);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    e->impl = u;
    e->produce = umts_produce;
    e->destroy = umts_destroy;
    e->common = &cfg->c;
    e->freq_hz = cfg->c.freq_hz + cfg->c.freq_error_hz;
    e->amplitude = pow(10.0, cfg->c.power_dbfs / 20.0);

    /* Start SPAN_CHIPS before t = 0 so the first sample sees a full pulse history. */
    const double off = cfg->frame_offset_chips;
    const long long j0 = (long long)floor(-(double)SPAN_CHIPS - off);
    long long p0 = j0 % CS_UMTS_FRAME_CHIPS;
    if (p0 < 0) p0 += CS_UMTS_FRAME_CHIPS;
    u->slot = (int)(p0 / CS_UMTS_SLOT_CHIPS);
    u->first_chip = (int)(p0 % CS_UMTS_SLOT_CHIPS);

    cs_pulse_shaper_config pc;
    cs_pulse_shaper_config_init(&pc);
    pc.sample_rate_hz = sc->sample_rate_hz;
    pc.span_chips = SPAN_CHIPS;
    pc.delay_s = (off + (double)j0) / CS_UMTS_CHIP_RATE_HZ;
    const double nominal_offset_hz = cfg->c.freq_hz + cfg->c.freq_error_hz - sc->centre_freq_hz;
    cs_rng prng = NULL;
    int rc = cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_PHASE, SYNTH_CLASS_UMTS, index),
                           &prng);
    double phase = 0.0;
    if (rc == CS_OK) phase = 2.0 * M_PI * cs_rng_uniform(prng);
    cs_rng_destroy(prng);
    if (rc == CS_OK) rc = synth_umts_cell_create(cfg, sc->seed, index, &u->cell);
    if (rc == CS_OK) rc = cs_pulse_shaper_create(&pc, &u->shaper);
    u->phasor[0] = cos(phase);
    u->phasor[1] = sin(phase);
    if (rc == CS_OK && nominal_offset_hz != 0.0)
        rc = cs_rotator_create(nominal_offset_hz, sc->sample_rate_hz, phase, &u->rot);
    if (rc == CS_OK) rc = synth_emitter_attach_channel(e, sc, SYNTH_CLASS_UMTS, index);
    if (rc != CS_OK) {
        synth_emitter_destroy(e);
        return rc;
    }
    *out = e;
    return CS_OK;
}
