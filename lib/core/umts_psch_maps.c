/* P-SCH energy maps: from slot-folded lag products to the folded correlation energy at
 * every (slot position, frequency), and the combination of segments along sample-clock
 * drift hypotheses into one noise-normalised map. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "umts_psch_internal.h"

/* g[tau] += sign * r[(tau + shift) mod L] */
static void add_shifted(const umts_kernels *k, float *g, const float *r, size_t shift, float sign)
{
    const size_t first = PSCH_L - shift;
    k->axpy(g, r + shift, sign, first);
    if (shift) k->axpy(g + first, r, sign, shift);
}

void psch_energy_maps(struct cs_umts_psch_sync_s *s, psch_centre *c, float *maps)
{
    /* G_d(tau) = sum_q outer[q+d] outer[q] R_d(tau + 32 q); the q = 0 term written, not
     * added to zeros (the same values: the signs are +-1) */
    memset(s->gi, 0, PSCH_L * sizeof(float)); /* G_0 is real */
    for (size_t d = 0; d < PSCH_LAGS; d++) {
        float *gr = s->gr + d * PSCH_L, *gi = s->gi + d * PSCH_L;
        const float *rr = c->rr + d * PSCH_L, *ri = c->ri + d * PSCH_L;
        const float sign0 = umts_psc_outer[d] * umts_psc_outer[0];
        for (size_t t = 0; t < PSCH_L; t++) gr[t] = sign0 * rr[t];
        if (d > 0)
            for (size_t t = 0; t < PSCH_L; t++) gi[t] = sign0 * ri[t];
        for (size_t q = 1; q + d < PSCH_LAGS; q++) {
            float sign = umts_psc_outer[q + d] * umts_psc_outer[q];
            add_shifted(s->k, gr, rr, PSCH_BLOCK_LAG * q, sign);
            if (d > 0) add_shifted(s->k, gi, ri, PSCH_BLOCK_LAG * q, sign);
        }
    }
    /* F(tau) = G_0 + 2 Re sum_d exp(-j w d) G_d, w = 2 pi f 32 / fs */
    for (int j = c->first_freq; j < c->first_freq + c->n_freqs; j++) {
        float *out = maps + (size_t)j * PSCH_L;
        const double w = 2.0 * M_PI * (cs_umts_psch_sync_freq(s, j) - c->freq_hz) * PSCH_BLOCK_LAG / UMTS_FS_HZ;
        s->k->axpy(out, s->gr, 1.0f, PSCH_L);
        for (size_t d = 1; d < PSCH_LAGS; d++) {
            s->k->axpy(out, s->gr + d * PSCH_L, (float)(2.0 * cos(w * (double)d)), PSCH_L);
            s->k->axpy(out, s->gi + d * PSCH_L, (float)(2.0 * sin(w * (double)d)), PSCH_L);
        }
    }
}

/* Normalise combined energies into per-slot SNR (energy / noise - 1) per frequency and
 * return the largest. The noise level of each frequency is the median of its map: with K
 * slots folded, noise-only energy is Gamma(K) distributed, median (K - 1/3) sigma^2. */
static double normalise(struct cs_umts_psch_sync_s *s, const float *maps, float *snr, double slots,
                        float *scratch)
{
    double best = -INFINITY;
    const double med_factor = slots - 1.0 / 3.0;
    for (int j = 0; j < s->n_freqs; j++) {
        const float *m = maps + (size_t)j * PSCH_L;
        /* every 4th position: 1280 values pin the median well enough, 4x faster; of the
         * positions folded only, when not all were */
        size_t n = 0;
        if (s->windowed) {
            for (size_t t = 1; t < PSCH_L; t += 2)
                if (s->active[t]) scratch[n++] = m[t];
        } else {
            for (size_t t = 0; t < PSCH_L / 4; t++) scratch[n++] = m[4 * t + 1];
        }
        double med = n ? umts_select_kth(scratch, n, n / 2) : 0.0;
        double sigma2 = med > 0 ? med / med_factor : 1e-30;
        float scale = (float)(1.0 / (sigma2 * slots));
        float *o = snr + (size_t)j * PSCH_L;
        for (size_t t = 0; t < PSCH_L; t++) {
            o[t] = !s->windowed || s->active[t] ? m[t] * scale - 1.0f : s->use_outside ? s->outside[t] : -1.0f;
            if (o[t] > best) best = o[t];
        }
    }
    return best;
}

int psch_combine(struct cs_umts_psch_sync_s *s)
{
    const size_t map_len = (size_t)s->n_freqs * PSCH_L;
    float *scratch = malloc(PSCH_L * sizeof(float));
    if (!scratch) return -1;
    double total = 0.0;
    for (size_t i = 0; i < s->n_segments; i++) total += s->seg_positions[i];
    s->slots = total / PSCH_L;
    if (!s->drift_mode || s->n_segments < 2) {
        normalise(s, s->seg_maps, s->snr_map, s->slots, scratch);
        s->drift_ppm = 0.0;
        free(scratch);
        return 0;
    }
    /* Drift hypotheses: the P-SCH moves by drift * t samples; one sample apart at the end. */
    const double t_end = (double)s->t_acc;
    long n_h = (long)floor(s->p.max_drift_ppm * 1e-6 * t_end);
    float *comb = malloc(map_len * sizeof(float));
    float *snr = malloc(map_len * sizeof(float));
    if (!comb || !snr) {
        free(comb);
        free(snr);
        free(scratch);
        return -1;
    }
    double best = -INFINITY;
    for (long h = -n_h; h <= n_h; h++) {
        double drift = (double)h / t_end;
        memset(comb, 0, map_len * sizeof(float));
        for (size_t seg = 0; seg < s->n_segments; seg++) {
            size_t shift = (size_t)umts_mod(lround(drift * s->seg_mid[seg]), PSCH_L);
            const float *m = s->seg_maps + seg * map_len;
            for (int j = 0; j < s->n_freqs; j++)
                add_shifted(s->k, comb + (size_t)j * PSCH_L, m + (size_t)j * PSCH_L, shift, 1.0f);
        }
        double v = normalise(s, comb, snr, s->slots, scratch);
        /* prefer the smaller drift on ties */
        if (v > best * (1.0 + 1e-6) || (h == 0 && v >= best)) {
            best = v;
            s->drift_ppm = drift * 1e6;
            memcpy(s->snr_map, snr, map_len * sizeof(float));
        }
    }
    free(comb);
    free(snr);
    free(scratch);
    return 0;
}
