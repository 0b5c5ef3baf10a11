/* A look at a P-SCH search still in progress (see umts_psch_internal.h): the strongest
 * (slot position, frequency) so far and its frequency refined between grid points, from
 * the lag products accumulated up to now, which stay as they are. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"

#define FINE_STEP_HZ 25.0

/* F(t) at frequency f of centre c from its G_d (s->gr, s->gi after psch_energy_maps). */
static double energy_at(const struct cs_umts_psch_sync_s *s, const psch_centre *c, size_t t,
                        double f)
{
    const double w = 2.0 * M_PI * (f - c->freq_hz) * PSCH_BLOCK_LAG / UMTS_FS_HZ;
    double e = s->gr[t];
    for (size_t d = 1; d < PSCH_LAGS; d++)
        e += 2.0 * (cos(w * (double)d) * s->gr[d * PSCH_L + t] +
                    sin(w * (double)d) * s->gi[d * PSCH_L + t]);
    return e;
}

int umts_psch_sync_peek(struct cs_umts_psch_sync_s *s, double *z, double *freq_hz)
{
    *z = 0.0;
    *freq_hz = NAN;
    if (s->direct || s->drift_mode || s->finished || s->t_acc < 2 * PSCH_L) return CS_ENOTSUP;
    const double slots = (double)s->t_acc / PSCH_L;
    float *maps = calloc((size_t)s->n_freqs * PSCH_L, sizeof *maps),
          *scratch = malloc(PSCH_L / 4 * sizeof *scratch);
    if (!maps || !scratch) {
        free(maps);
        free(scratch);
        return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    }
    double best = -INFINITY, noise = 0.0;
    for (size_t i = 0; i < s->n_centres; i++) {
        psch_centre *c = &s->centre[i];
        psch_energy_maps(s, c, maps); /* leaves this centre's G_d in s->gr, s->gi */
        if (i == 0) { /* the noise level, as normalise() has it, from one map: all share it */
            const float *m = maps + (size_t)(c->first_freq + c->n_freqs / 2) * PSCH_L;
            for (size_t t = 0; t < PSCH_L / 4; t++) scratch[t] = m[4 * t + 1];
            noise = umts_select_kth(scratch, PSCH_L / 4, PSCH_L / 8) / (slots - 1.0 / 3.0);
        }
        if (!(noise > 0)) break;
        for (int j = c->first_freq; j < c->first_freq + c->n_freqs; j++) {
            const float *m = maps + (size_t)j * PSCH_L;
            size_t tb = 0;
            for (size_t t = 1; t < PSCH_L; t++)
                if (m[t] > m[tb]) tb = t;
            const double snr = m[tb] / (noise * slots) - 1.0;
            if (snr <= best) continue;
            best = snr;
            /* the frequency between the neighbouring grid points: steps of a tenth of the
             * grid, then of FINE_STEP_HZ around the best */
            double fb = cs_umts_psch_sync_freq(s, j), step = s->p.freq_step_hz / 10.0,
                   span = s->p.freq_step_hz;
            for (int pass = 0; pass < 2; pass++) {
                const double centre = fb;
                double eb = -INFINITY;
                for (double f = centre - span; f <= centre + span + 1e-9; f += step) {
                    const double e = energy_at(s, c, tb, f);
                    if (e > eb) {
                        eb = e;
                        fb = f;
                    }
                }
                span = step;
                step = FINE_STEP_HZ;
            }
            *freq_hz = fb;
        }
    }
    free(maps);
    free(scratch);
    *z = best > 0 ? best * sqrt(slots) : 0.0;
    return CS_OK;
}
