/* The generator's mixer: every emitter pulled block by block, summed per receiver channel,
 * then the receiver: LO offset, reference error (impairments.h), thermal noise, IQ
 * imbalance and DC. See synth.h for the chain. */
#include "cellscan/synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

#define BLOCK 8192 /* ideal-rate samples per emitter pull */
#define MOTION_STEP 64 /* samples between updates of time-varying gains and steering */

struct cs_synth_s {
    cs_synth_scenario *sc;
    size_t n_em;
    synth_emitter **em;
    unsigned channels;
    cs_cf32 *tmp, *acc;     /* BLOCK, channels * BLOCK */
    cs_cf32 *steer;         /* n_em * channels steering gains (arrays), else NULL */
    cs_cf32 *chan_gain;     /* per channel receiver gain/phase error */
    cs_multipath *delay;    /* per channel delay error (one static tap), NULL when none */
    cs_cf32 *delay_buf;
    cs_rng cal_rng;         /* calibration noise source, common to every channel */
    int motion;             /* gains and bearings vary with time (synth_motion.c) */
    uint64_t cal_samples, ideal_pos;
    cs_rotator *cfo;        /* per channel, NULL when cfo_hz = 0 */
    cs_ref_error *ref;      /* per channel, NULL when ppm = 0 */
    synth_fifo *ready;      /* per channel: receiver output before noise */
    cs_awgn *noise;         /* per channel */
    cs_cf32 *ref_buf;
    size_t ref_cap;
    cs_iq_impairment iq;
    int iq_on;
};

unsigned cs_synth_num_channels(cs_synth g) { return g->channels; }

void cs_synth_destroy(cs_synth g)
{
    if (!g) return;
    for (size_t i = 0; i < g->n_em; i++) synth_emitter_destroy(g->em[i]);
    for (unsigned m = 0; m < g->channels; m++) {
        if (g->cfo) cs_rotator_destroy(g->cfo[m]);
        if (g->ref) cs_ref_error_destroy(g->ref[m]);
        if (g->ready) synth_fifo_free(&g->ready[m]);
        if (g->noise) cs_awgn_destroy(g->noise[m]);
        if (g->delay) cs_multipath_destroy(g->delay[m]);
    }
    free(g->steer);
    free(g->chan_gain);
    free(g->delay);
    free(g->delay_buf);
    cs_rng_destroy(g->cal_rng);
    free(g->em);
    free(g->cfo);
    free(g->ref);
    free(g->ready);
    free(g->noise);
    free(g->tmp);
    free(g->acc);
    free(g->ref_buf);
    free(g);
}

static int add_emitters(cs_synth g)
{
    cs_synth_scenario *sc = g->sc;
    const size_t n = sc->num_gsm + sc->num_bursts + sc->num_umts;
    g->em = calloc(n ? n : 1, sizeof *g->em);
    if (!g->em) return cs_error(CS_ENOMEM, "out of memory");
    int rc = CS_OK;
    for (size_t i = 0; rc == CS_OK && i < sc->num_gsm; i++)
        if ((rc = synth_gsm_c0_emitter_create(sc, i, &g->em[g->n_em])) == CS_OK) g->n_em++;
    for (size_t i = 0; rc == CS_OK && i < sc->num_bursts; i++)
        if ((rc = synth_gsm_bursts_emitter_create(sc, i, &g->em[g->n_em])) == CS_OK) g->n_em++;
    for (size_t i = 0; rc == CS_OK && i < sc->num_umts; i++)
        if ((rc = synth_umts_emitter_create(sc, i, &g->em[g->n_em])) == CS_OK) g->n_em++;
    return rc;
}

/* Steering vectors, channel errors, delay lines and calibration source of an array. */
static int add_array(cs_synth g)
{
    cs_synth_scenario *sc = g->sc;
    const unsigned M = g->channels;
    g->chan_gain = malloc(M * sizeof *g->chan_gain);
    if (!g->chan_gain) return cs_error(CS_ENOMEM, "out of memory");
    for (unsigned m = 0; m < M; m++) g->chan_gain[m] = 1.0f;
    if (sc->array.num_elements == 0) return CS_OK;
    g->steer = malloc((g->n_em ? g->n_em : 1) * M * sizeof *g->steer);
    g->delay = calloc(M, sizeof *g->delay);
    g->delay_buf = malloc(BLOCK * sizeof *g->delay_buf);
    if (!g->steer || !g->delay || !g->delay_buf) return cs_error(CS_ENOMEM, "out of memory");
    for (size_t e = 0; e < g->n_em; e++) {
        const synth_emitter *em = g->em[e];
        synth_array_steering(sc, em->freq_hz, em->common->bearing_deg, em->common->elevation_deg,
                             g->steer + e * M);
    }
    int rc = CS_OK;
    for (unsigned m = 0; rc == CS_OK && m < M; m++) {
        g->chan_gain[m] = synth_array_channel_gain(sc, m);
        if (sc->array.delay_ns[m] > 0.0) {
            cs_channel_tap tap = { .delay_s = sc->array.delay_ns[m] * 1e-9, .power_db = 0.0,
                                   .kind = CS_FADING_STATIC };
            cs_multipath_config cfg = { .sample_rate_hz = sc->sample_rate_hz, .doppler_hz = 0.0,
                                        .normalize = 0, .seed = sc->seed,
                                        .stream = synth_stream(SYNTH_STREAM_ARRAY, SYNTH_CLASS_RECEIVER, m) };
            rc = cs_multipath_create(&tap, 1, &cfg, &g->delay[m]);
        }
    }
    g->cal_samples = (uint64_t)llround(sc->array.calibration_s * sc->sample_rate_hz);
    if (rc == CS_OK && g->cal_samples)
        rc = cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_ARRAY, SYNTH_CLASS_RECEIVER, 1000), &g->cal_rng);
    return rc;
}

static int add_receiver(cs_synth g)
{
    cs_synth_scenario *sc = g->sc;
    const unsigned M = g->channels;
    g->cfo = calloc(M, sizeof *g->cfo);
    g->ref = calloc(M, sizeof *g->ref);
    g->ready = calloc(M, sizeof *g->ready);
    g->noise = calloc(M, sizeof *g->noise);
    g->tmp = malloc(BLOCK * sizeof *g->tmp);
    g->acc = malloc((size_t)M * BLOCK * sizeof *g->acc);
    if (!g->cfo || !g->ref || !g->ready || !g->noise || !g->tmp || !g->acc)
        return cs_error(CS_ENOMEM, "out of memory");
    const double noise_power = sc->content == CS_SYNTH_SIGNAL_ONLY ? 0.0 : pow(10.0, sc->noise_power_dbfs / 10.0);
    int rc = CS_OK;
    for (unsigned m = 0; rc == CS_OK && m < M; m++) {
        if (sc->rx.cfo_hz != 0.0)
            rc = cs_rotator_create(-sc->rx.cfo_hz, sc->sample_rate_hz, 0.0, &g->cfo[m]);
        if (rc == CS_OK && sc->rx.ppm != 0.0)
            rc = cs_ref_error_create(sc->rx.ppm, sc->centre_freq_hz, sc->sample_rate_hz, &g->ref[m]);
        if (rc == CS_OK)
            rc = cs_awgn_create(noise_power, sc->seed,
                                synth_stream(SYNTH_STREAM_NOISE, SYNTH_CLASS_RECEIVER, m), &g->noise[m]);
    }
    if (rc == CS_OK && g->ref[0]) {
        g->ref_cap = cs_ref_error_max_output(g->ref[0], BLOCK);
        if (!(g->ref_buf = malloc(g->ref_cap * sizeof *g->ref_buf))) rc = cs_error(CS_ENOMEM, "out of memory");
    }
    if (rc == CS_OK) rc = add_array(g);
    const double dc = isfinite(sc->rx.dc_dbfs) ? pow(10.0, sc->rx.dc_dbfs / 20.0) : 0.0;
    g->iq.gain_db = sc->rx.iq_gain_db;
    g->iq.phase_deg = sc->rx.iq_phase_deg;
    g->iq.dc_i = dc * cos(sc->rx.dc_phase_deg * M_PI / 180.0);
    g->iq.dc_q = dc * sin(sc->rx.dc_phase_deg * M_PI / 180.0);
    g->iq_on = dc != 0.0 || sc->rx.iq_gain_db != 0.0 || sc->rx.iq_phase_deg != 0.0;
    return rc;
}

int cs_synth_create(cs_synth_scenario *sc, cs_synth *out)
{
    *out = NULL;
    int rc = cs_synth_scenario_resolve(sc);
    if (rc) return rc;
    cs_synth g = calloc(1, sizeof *g);
    if (!g) return cs_error(CS_ENOMEM, "out of memory");
    g->sc = sc;
    g->channels = sc->array.num_elements ? sc->array.num_elements : 1;
    g->motion = synth_motion_active(sc);
    rc = sc->content == CS_SYNTH_NOISE_ONLY ? CS_OK : add_emitters(g);
    if (rc == CS_OK) rc = add_receiver(g);
    if (rc != CS_OK) {
        cs_synth_destroy(g);
        return rc;
    }
    *out = g;
    return CS_OK;
}

/* Add emitter e's block (in tmp) with gains and steering that follow the receiver's motion
 * and heading, updated every MOTION_STEP samples. */
static void add_moving(cs_synth g, size_t e)
{
    const cs_synth_scenario *sc = g->sc;
    const synth_emitter *em = g->em[e];
    const unsigned M = g->channels;
    cs_cf32 c[CS_SYNTH_MAX_ELEMENTS];
    for (size_t i0 = 0; i0 < BLOCK; i0 += MOTION_STEP) {
        const double t = ((double)(g->ideal_pos + i0) + 0.5 * MOTION_STEP) / sc->sample_rate_hz;
        const double amp = sqrt(synth_motion_power_gain(sc, em->common, t));
        if (sc->array.num_elements) {
            const double b = synth_motion_bearing_deg(sc, em->common, t, NULL);
            synth_array_steering_at(sc, em->freq_hz, b, em->common->elevation_deg,
                                    synth_motion_heading_deg(sc, t), c);
        } else {
            c[0] = 1.0f;
        }
        for (unsigned m = 0; m < M; m++) {
            const cs_cf32 s = c[m] * (float)amp;
            cs_cf32 *a = g->acc + (size_t)m * BLOCK + i0;
            for (size_t i = 0; i < MOTION_STEP; i++) a[i] += s * g->tmp[i0 + i];
        }
    }
}

/* One ideal block of every channel through the array, channel errors, LO offset and
 * reference error into ready[]. */
static int produce_block(cs_synth g)
{
    const unsigned M = g->channels;
    memset(g->acc, 0, (size_t)M * BLOCK * sizeof *g->acc);
    for (size_t e = 0; e < g->n_em; e++) {
        int rc = synth_emitter_pull(g->em[e], g->tmp, BLOCK);
        if (rc) return rc;
        if (g->motion) {
            add_moving(g, e);
            continue;
        }
        if (!g->steer) { /* one antenna: a gain of exactly 1, no complex product needed */
            for (size_t i = 0; i < BLOCK; i++) g->acc[i] += g->tmp[i];
            continue;
        }
        for (unsigned m = 0; m < M; m++) {
            cs_cf32 *a = g->acc + (size_t)m * BLOCK;
            const cs_cf32 s = g->steer[e * M + m];
            for (size_t i = 0; i < BLOCK; i++) a[i] += s * g->tmp[i];
        }
    }
    /* Calibration: a common noise source replaces the antennas at the start. */
    if (g->ideal_pos < g->cal_samples) {
        const size_t n = g->cal_samples - g->ideal_pos < BLOCK ? (size_t)(g->cal_samples - g->ideal_pos) : BLOCK;
        cs_rng_fill_cgauss(g->cal_rng, g->tmp, n, pow(10.0, g->sc->array.calibration_dbfs / 10.0));
        for (unsigned m = 0; m < M; m++) memcpy(g->acc + (size_t)m * BLOCK, g->tmp, n * sizeof *g->tmp);
    }
    g->ideal_pos += BLOCK;
    for (unsigned m = 0; m < M; m++) {
        cs_cf32 *a = g->acc + (size_t)m * BLOCK;
        size_t n = BLOCK;
        int rc;
        if (g->chan_gain[m] != 1.0f)
            for (size_t i = 0; i < BLOCK; i++) a[i] *= g->chan_gain[m];
        if (g->delay && g->delay[m]) {
            if ((rc = cs_multipath_execute(g->delay[m], a, BLOCK, g->delay_buf, BLOCK, &n))) return rc;
            memcpy(a, g->delay_buf, n * sizeof *a);
        }
        if (g->cfo[m]) cs_rotator_execute(g->cfo[m], a, a, n);
        const cs_cf32 *src = a;
        if (g->ref[m]) {
            if ((rc = cs_ref_error_execute(g->ref[m], a, n, g->ref_buf, g->ref_cap, &n))) return rc;
            src = g->ref_buf;
        }
        if ((rc = synth_fifo_reserve(&g->ready[m], n))) return rc;
        memcpy(synth_fifo_tail(&g->ready[m]), src, n * sizeof *src);
        synth_fifo_commit(&g->ready[m], n);
    }
    return CS_OK;
}

static size_t ready_min(cs_synth g)
{
    size_t k = g->ready[0].len;
    for (unsigned m = 1; m < g->channels; m++)
        if (g->ready[m].len < k) k = g->ready[m].len;
    return k;
}

int cs_synth_generate(cs_synth g, cs_cf32 *out, size_t n)
{
    const unsigned M = g->channels;
    size_t done = 0;
    while (done < n) {
        while (ready_min(g) == 0) {
            int rc = produce_block(g);
            if (rc) return rc;
        }
        size_t k = n - done < ready_min(g) ? n - done : ready_min(g);
        if (k > BLOCK) k = BLOCK;
        for (unsigned m = 0; m < M; m++) {
            synth_fifo_pop(&g->ready[m], g->tmp, k);
            cs_awgn_execute(g->noise[m], g->tmp, g->tmp, k);
            if (g->iq_on) {
                int rc = cs_iq_impairment_apply(&g->iq, g->tmp, g->tmp, k);
                if (rc) return rc;
            }
            cs_cf32 *dst = out + done * M + m;
            if (M == 1) memcpy(dst, g->tmp, k * sizeof *dst);
            else for (size_t i = 0; i < k; i++) dst[i * M] = g->tmp[i];
        }
        done += k;
    }
    return CS_OK;
}
