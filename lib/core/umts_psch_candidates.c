/* P-SCH candidate selection: strongest peak first; each accepted peak masks its main lobe
 * and raises a side-lobe floor (its modelled correlation side lobes, +3 dB margin) that
 * weaker peaks must clear, so code side lobes do not become candidates while real cells
 * and echoes elsewhere in the slot still do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "umts_psch_internal.h"

#define MAIN_LOBE PSCH_MAIN_LOBE /* samples masked on each side of a peak (1 chip) */
#define SIDELOBE_REACH PSCH_SIDELOBE_REACH
#define SIDELOBE_MARGIN 2.0
#define NEAR_HZ 5500.0     /* side-lobe model valid up to one default grid step away */

/* Offset (-0.5 .. 0.5) of the vertex of the parabola through (-1, a), (0, b), (1, c). */
static double vertex(double a, double b, double c)
{
    double den = a - 2.0 * b + c;
    if (!(den < 0.0)) return 0.0;
    double x = 0.5 * (a - c) / den;
    return x < -0.5 ? -0.5 : x > 0.5 ? 0.5 : x;
}

/* best[t], arg[t]: the largest snr - floor over frequencies at slot positions [t0, t1),
 * frequency by frequency (contiguous, vectorisable). */
static void update_best(const struct cs_umts_psch_sync_s *s, const float *floor_, float *restrict best,
                        int *restrict arg, size_t t0, size_t t1)
{
    for (size_t t = t0; t < t1; t++) {
        best[t] = -INFINITY;
        arg[t] = 0;
    }
    for (int j = 0; j < s->n_freqs; j++) {
        const float *restrict m = s->snr_map + (size_t)j * PSCH_L, *restrict f = floor_ + (size_t)j * PSCH_L;
#pragma GCC ivdep
        for (size_t t = t0; t < t1; t++) {
            const float x = m[t] - f[t];
            const int up = x > best[t];
            best[t] = up ? x : best[t];
            arg[t] = up ? j : arg[t];
        }
    }
}

/* The window [c - reach, c + reach] of the slot as at most two plain ranges. */
static size_t ring_ranges(long c, long reach, size_t r[2][2])
{
    const long a = c - reach, b = c + reach + 1;
    if (a >= 0 && b <= PSCH_L) {
        r[0][0] = (size_t)a, r[0][1] = (size_t)b;
        return 1;
    }
    if (a < 0) {
        r[0][0] = 0, r[0][1] = (size_t)b;
        r[1][0] = (size_t)(a + PSCH_L), r[1][1] = PSCH_L;
    } else {
        r[0][0] = (size_t)a, r[0][1] = PSCH_L;
        r[1][0] = 0, r[1][1] = (size_t)(b - PSCH_L);
    }
    return 2;
}

void psch_select_candidates(struct cs_umts_psch_sync_s *s)
{
    s->n_cand = 0;
    if (psch_combine(s) != 0) return;
    const size_t map_len = (size_t)s->n_freqs * PSCH_L;
    float *best = malloc(PSCH_L * sizeof(float));
    int *arg = malloc(PSCH_L * sizeof(int));
    float *floor_ = calloc(map_len, sizeof(float));
    unsigned char *masked = calloc(PSCH_L, 1);
    if (!best || !arg || !floor_ || !masked) goto done;
    if (s->windowed && !s->use_outside) /* positions not folded cannot be peaks */
        for (size_t t = 0; t < PSCH_L; t++) masked[t] = !s->active[t];
    update_best(s, floor_, best, arg, 0, PSCH_L);
    const float *lobe = umts_psch_sidelobe_table();
    const double sqrt_k = sqrt(s->slots);
    while (s->n_cand < s->p.max_candidates) {
        long tb = -1;
        float vb = -INFINITY;
        for (size_t t = 0; t < PSCH_L; t++)
            if (!masked[t] && best[t] > vb) {
                vb = best[t];
                tb = (long)t;
            }
        if (tb < 0 || vb * sqrt_k < s->p.threshold_z) break;
        const int j = arg[tb];
        const float *m = s->snr_map + (size_t)j * PSCH_L;
        cs_umts_psch_candidate *c = &s->cand[s->n_cand++];
        c->slot_offset_index = (int)tb;
        double dt = vertex(m[umts_mod(tb - 1, PSCH_L)], m[tb], m[umts_mod(tb + 1, PSCH_L)]);
        c->slot_offset_samples = fmod(tb + dt + PSCH_L, PSCH_L);
        c->freq_index = j;
        double df = 0.0;
        if (j > 0 && j + 1 < s->n_freqs)
            df = vertex(s->snr_map[(size_t)(j - 1) * PSCH_L + tb], m[tb],
                        s->snr_map[(size_t)(j + 1) * PSCH_L + tb]);
        c->freq_hz = cs_umts_psch_sync_freq(s, j) + df * s->p.freq_step_hz;
        c->snr = m[tb] > 0 ? m[tb] : 0.0;
        c->z = m[tb] * sqrt_k;
        c->drift_ppm = s->drift_ppm;
        for (long d = -MAIN_LOBE; d <= MAIN_LOBE; d++) masked[umts_mod(tb + d, PSCH_L)] = 1;
        /* Near its own frequency the peak's modelled side lobes; further away in frequency
         * its response is not modelled, and nothing weaker than it counts there (cells of
         * one carrier share its frequency offset within a few hundred Hz). */
        const float height = (float)(SIDELOBE_MARGIN * c->snr);
        size_t r[2][2];
        const size_t nr = ring_ranges(tb, SIDELOBE_REACH, r);
        for (int jj = 0; jj < s->n_freqs; jj++) {
            const int near = fabs(cs_umts_psch_sync_freq(s, jj) - c->freq_hz) < NEAR_HZ;
            float *restrict fl = floor_ + (size_t)jj * PSCH_L;
            for (size_t q = 0; q < nr; q++) {
                /* position t is d = t - tb from the peak, wrapped into the lobe table */
                const long d0 = (long)r[q][0] - tb + (r[q][0] + SIDELOBE_REACH < (size_t)tb ? PSCH_L : 0) -
                                ((long)r[q][0] - tb > SIDELOBE_REACH ? PSCH_L : 0);
                const float *restrict lb = lobe + d0;
                if (near)
                    for (size_t t = r[q][0]; t < r[q][1]; t++) fl[t] += height * lb[t - r[q][0]];
                else
                    for (size_t t = r[q][0]; t < r[q][1]; t++) fl[t] += height;
            }
        }
        for (size_t q = 0; q < nr; q++) update_best(s, floor_, best, arg, r[q][0], r[q][1]);
    }
done:
    free(best);
    free(arg);
    free(floor_);
    free(masked);
}
