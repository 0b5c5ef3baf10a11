/* FCCH pre-detector on the wideband block spectra (see gsm_fcch_gate.h). */
#include "gsm_fcch_gate.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

#define GATE_LEVEL_EVERY 4    /* the level updates on every 4th block ... */
#define GATE_LEVEL_UPDATES 16 /* ... with a time constant of 16 updates (64 blocks, 20 ms at 20 MS/s) */
#define GATE_MIN_BLOCKS 8     /* open until this many blocks set the level */
#define GATE_CLIP 4.0f        /* one block raises a bin's level by at most 4x: FCCHs barely count */
/* P(Gamma(4) > 13) = 1.0e-3 per bin pair; about 2 % of noise blocks pass over 20 pairs */
#define GATE_THRESHOLD 13.0

int cs_gsm_fcch_gate_init(cs_gsm_fcch_gate *g, unsigned nfft, int centre_bin, double bin_hz,
                          double max_offset_hz)
{
    memset(g, 0, sizeof *g);
    const int half = (int)ceil(max_offset_hz / bin_hz) + 1;
    g->nfft = nfft;
    g->bin0 = centre_bin - half;
    g->nb = 2u * (unsigned)half + 1u;
    g->threshold = GATE_THRESHOLD;
    g->level = calloc(g->nb, sizeof *g->level);
    g->pair_prev = calloc(g->nb, sizeof *g->pair_prev);
    g->pair = calloc(g->nb, sizeof *g->pair);
    g->inv_level = calloc(g->nb, sizeof *g->inv_level);
    if (!g->level || !g->inv_level || !g->pair_prev || !g->pair) {
        cs_gsm_fcch_gate_free(g);
        return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    }
    return CS_OK;
}

int cs_gsm_fcch_gate_block(cs_gsm_fcch_gate *g, const cs_cf32 *spectrum)
{
    const unsigned nb = g->nb;
    float *p = g->pair; /* bin powers */
    for (unsigned j = 0; j < nb; j++) {
        int b = g->bin0 + (int)j;
        b = b < 0 ? b + (int)g->nfft : b;
        const cs_cf32 v = spectrum[b];
        p[j] = crealf(v) * crealf(v) + cimagf(v) * cimagf(v);
    }
    const int settled = g->count >= GATE_MIN_BLOCKS;
    float best = 0.0f;
    if (settled) {
        const float *inv = g->inv_level;
        float *prev = g->pair_prev;
        float x_prev = p[0] * inv[0];
        for (unsigned j = 0; j + 1 < nb; j++) {
            const float x = p[j + 1] * inv[j + 1];
            const float s = x_prev + x;
            x_prev = x;
            const float t = s + prev[j];
            best = t > best ? t : best;
            prev[j] = s;
        }
    }
    /* level update on every GATE_LEVEL_EVERY-th block (and each of the first): mean, each
     * block clipped at GATE_CLIP x the level */
    if (!settled || g->count % GATE_LEVEL_EVERY == 0) {
        const unsigned u = settled ? GATE_MIN_BLOCKS + (g->count - GATE_MIN_BLOCKS) / GATE_LEVEL_EVERY
                                   : g->count;
        const float a = u < GATE_LEVEL_UPDATES ? 1.0f / (float)(u + 1) : 1.0f / GATE_LEVEL_UPDATES;
        for (unsigned j = 0; j < nb; j++) {
            float v = p[j];
            if (settled && v > GATE_CLIP * g->level[j]) v = GATE_CLIP * g->level[j];
            float l = g->level[j] + a * (v - g->level[j]);
            l = l > 1e-30f ? l : 1e-30f;
            g->level[j] = l;
            g->inv_level[j] = 1.0f / l;
        }
    }
    g->count++;
    if (!settled) {
        if (g->count == GATE_MIN_BLOCKS) /* first pair sums for the next block */
            for (unsigned j = 0; j + 1 < nb; j++)
                g->pair_prev[j] = p[j] * g->inv_level[j] + p[j + 1] * g->inv_level[j + 1];
        return 1;
    }
    return best >= g->threshold;
}

void cs_gsm_fcch_gate_free(cs_gsm_fcch_gate *g)
{
    free(g->level);
    free(g->pair_prev);
    free(g->pair);
    free(g->inv_level);
    memset(g, 0, sizeof *g);
}
