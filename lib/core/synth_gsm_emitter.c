/* GSM emitters: a GMSK modulator (gmsk_modulator.h) fed one TDMA frame at a time, by the
 * C0 content (synth_gsm_c0.c) or by traffic / uplink bursts in chosen timeslots.
 * Timing: frame first_fn starts at t = first_frame_s; the modulator starts one (downlink)
 * or two (uplink, 3 timeslots later) frames earlier so t = 0 is mid-stream. */
#include <math.h>
#include <stdlib.h>

#include "cellscan/status.h"
#include "synth_internal.h"

typedef struct gsm_impl {
    cs_gmsk_modulator mod;
    size_t buf_cap;           /* most samples one slot can give */
    uint32_t fn;              /* next frame to push */
    synth_gsm_c0 *c0;         /* C0 content, or NULL for bursts */
    synth_burst_file *file;
    const cs_synth_gsm_bursts *bursts;
    cs_rng payload;           /* traffic bursts' random bits */
} gsm_impl;

static int push_slot(synth_emitter *e, const uint8_t *bits, size_t n_bits, double amp)
{
    gsm_impl *g = e->impl;
    size_t n = 0;
    int rc = synth_fifo_reserve(&e->raw, g->buf_cap);
    if (rc) return rc;
    rc = cs_gmsk_modulator_push_slot(g->mod, bits, n_bits, amp, synth_fifo_tail(&e->raw),
                                     g->buf_cap, &n);
    if (rc == CS_OK) synth_fifo_commit(&e->raw, n);
    return rc;
}

static int c0_produce(synth_emitter *e)
{
    gsm_impl *g = e->impl;
    uint8_t bits[CS_GSM_BURST_BITS];
    for (int ts = 0; ts < 8; ts++) {
        synth_gsm_c0_slot(g->c0, g->fn, ts, bits);
        int rc = push_slot(e, bits, CS_GSM_BURST_BITS, 1.0);
        if (rc) return rc;
    }
    g->fn = (g->fn + 1) % CS_GSM_HYPERFRAME;
    return CS_OK;
}

/* A burst is sent only when its whole slot lies inside one on-interval. */
static int slot_on(const cs_synth_gsm_bursts *b, double t0, double t1)
{
    if (b->num_intervals == 0) return 1;
    for (size_t i = 0; i < b->num_intervals; i++)
        if (t0 >= b->intervals_s[i][0] && t1 <= b->intervals_s[i][1]) return 1;
    return 0;
}

static int bursts_produce(synth_emitter *e)
{
    gsm_impl *g = e->impl;
    const cs_synth_gsm_bursts *b = g->bursts;
    uint8_t payload[CS_GSM_NB_PAYLOAD_BITS], bits[CS_GSM_BURST_BITS];
    for (int ts = 0; ts < 8; ts++) {
        unsigned tn;
        double start_s;
        cs_gmsk_modulator_position(g->mod, &tn, &start_s);
        const double end_s = start_s + CS_GSM_BURST_BITS / CS_GSM_SYMBOL_RATE_HZ;
        int on = (b->timeslot_mask >> ts & 1u) && g->fn % 26 != 25 && slot_on(b, start_s, end_s);
        int rc;
        if (on) {
            cs_rng_fill_bits(g->payload, payload, CS_GSM_NB_PAYLOAD_BITS);
            cs_gsm_normal_burst(payload, b->tsc, 0, 0, bits);
            rc = push_slot(e, bits, CS_GSM_BURST_BITS, 1.0);
        } else {
            rc = push_slot(e, NULL, 0, 0.0);
        }
        if (rc) return rc;
    }
    g->fn = (g->fn + 1) % CS_GSM_HYPERFRAME;
    return CS_OK;
}

static void gsm_destroy(synth_emitter *e)
{
    gsm_impl *g = e->impl;
    if (!g) return;
    cs_gmsk_modulator_destroy(g->mod);
    synth_gsm_c0_destroy(g->c0);
    synth_burst_file_free(g->file);
    cs_rng_destroy(g->payload);
    free(g);
}

/* Common part: emitter shell, modulator starting `frames_before` frames before first_fn. */
static int gsm_create(const cs_synth_scenario *sc, const cs_synth_common *c, int cls, size_t index,
                      int64_t first_fn, double first_frame_s, int frames_before,
                      double extra_delay_s, synth_emitter **out)
{
    synth_emitter *e = calloc(1, sizeof *e);
    gsm_impl *g = calloc(1, sizeof *g);
    if (!e || !g) {
        free(e);
        free(g);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    e->impl = g;
    e->destroy = gsm_destroy;
    e->common = c;
    e->freq_hz = c->freq_hz + c->freq_error_hz;
    e->amplitude = pow(10.0, c->power_dbfs / 20.0);
    g->fn = (uint32_t)((first_fn - frames_before + CS_GSM_HYPERFRAME_FRAMES) % CS_GSM_HYPERFRAME_FRAMES);
    cs_gmsk_config cfg;
    cs_gmsk_config_init(&cfg);
    cfg.sample_rate_hz = sc->sample_rate_hz;
    cfg.freq_offset_hz = c->freq_hz + c->freq_error_hz - sc->centre_freq_hz;
    cfg.delay_s = first_frame_s - frames_before * CS_GSM_FRAME_S + extra_delay_s;
    cs_rng prng = NULL;
    int rc = cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_PHASE, cls, index), &prng);
    if (rc == CS_OK) cfg.phase_rad = 2.0 * M_PI * cs_rng_uniform(prng);
    cs_rng_destroy(prng);
    if (rc == CS_OK) rc = cs_gmsk_modulator_create(&cfg, &g->mod);
    if (rc == CS_OK) {
        g->buf_cap = cs_gmsk_modulator_max_samples(g->mod);
        rc = cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_PAYLOAD, cls, index), &g->payload);
    }
    if (rc == CS_OK) rc = synth_emitter_attach_channel(e, sc, cls, index);
    if (rc != CS_OK) {
        synth_emitter_destroy(e);
        return rc;
    }
    *out = e;
    return CS_OK;
}

int synth_gsm_c0_emitter_create(const cs_synth_scenario *sc, size_t index, synth_emitter **out)
{
    const cs_synth_gsm *cfg = &sc->gsm[index];
    synth_emitter *e;
    int rc = gsm_create(sc, &cfg->c, SYNTH_CLASS_GSM, index, cfg->first_fn, cfg->first_frame_s, 1,
                        0.0, &e);
    if (rc) return rc;
    gsm_impl *g = e->impl;
    e->produce = c0_produce;
    if (cfg->bursts_file) rc = synth_burst_file_load(cfg->bursts_file, &g->file);
    if (rc == CS_OK) rc = synth_gsm_c0_create(cfg, g->file, &g->c0);
    if (rc) {
        synth_emitter_destroy(e);
        return rc;
    }
    *out = e;
    return CS_OK;
}

int synth_gsm_bursts_emitter_create(const cs_synth_scenario *sc, size_t index,
                                    synth_emitter **out)
{
    const cs_synth_gsm_bursts *cfg = &sc->bursts[index];
    synth_emitter *e;
    const double ul = cfg->uplink ? CS_GSM_UPLINK_DELAY_SYMBOLS / CS_GSM_SYMBOL_RATE_HZ : 0.0;
    int rc = gsm_create(sc, &cfg->c, SYNTH_CLASS_BURSTS, index, cfg->first_fn, cfg->first_frame_s,
                        cfg->uplink ? 2 : 1, ul, &e);
    if (rc) return rc;
    gsm_impl *g = e->impl;
    g->bursts = cfg;
    e->produce = bursts_produce;
    *out = e;
    return CS_OK;
}
