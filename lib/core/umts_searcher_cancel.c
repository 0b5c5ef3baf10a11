/* Successive cancellation for the UMTS searcher's second round: the synchronisation
 * channels of the cells found are rebuilt (their chips through the raised-cosine pulse at
 * each cell's sub-sample timing), scaled by their amplitude in every slot and subtracted
 * from the cached samples. Weaker cells whose P-SCH hides under a strong cell's
 * correlation side lobes (up to -12 dB, within 276 chips of it) then stand out.
 *
 * Amplitudes: the projection of each slot onto the rebuilt P-SCH (and S-SCH) waveform,
 * with the cell's frequency error removed and averaged over +-7 slots (10 ms), which
 * follows fading of up to some 20 Hz Doppler while averaging the other signals away. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "umts_searcher_internal.h"

#define PULSE_CHIPS 8                         /* RC pulse truncated at +-8 chips */
#define WAVE (2 * CS_UMTS_SCH_CHIPS + 4 * PULSE_CHIPS) /* samples of one rebuilt SCH */
#define HALF_WINDOW 7                         /* slots averaged on each side */

/* RC-shaped chips c (256, +-1 real parts; the (1+j) is folded into the amplitude) at
 * sub-sample offset eps: w[n] for samples n - 2 * PULSE_CHIPS relative to the start. */
static void shape(const int8_t *c, const double *pulse, double complex *w)
{
    /* sample n sees chip i through pulse[k], k = n - 2i in -2P .. 2P (table index k + 2P) */
    for (int n = 0; n < WAVE; n++) {
        const int m = n - 2 * PULSE_CHIPS;
        int lo = (m - 2 * PULSE_CHIPS + 1) / 2, hi = (m + 2 * PULSE_CHIPS) / 2;
        if (lo < 0) lo = 0;
        if (hi > CS_UMTS_SCH_CHIPS - 1) hi = CS_UMTS_SCH_CHIPS - 1;
        double v = 0.0;
        for (int i = lo; i <= hi; i++) {
            const int k = m - 2 * i;
            if (k >= -2 * PULSE_CHIPS && k <= 2 * PULSE_CHIPS) v += c[i] * pulse[k + 2 * PULSE_CHIPS];
        }
        w[n] = v;
    }
}

/* Sample n of the cache as a complex value (and a pointer pair to write it back). */
static inline double complex cache_at(const struct cs_umts_searcher_s *s, size_t n)
{
    const int ph = (int)(n & 1);
    return s->poly[2 * ph][n / 2] + I * s->poly[2 * ph + 1][n / 2];
}

static int cancel_cell(struct cs_umts_searcher_s *s, const cs_umts_cell *cell)
{
    const double start = cell->frame_offset_chips * UMTS_SPC; /* frame start, samples at t = 0 */
    const long n0 = (long)floor(start);
    const double eps = start - (double)n0;
    const double f = cell->freq_error_hz - s->derotated_hz; /* left in the cache */
    const size_t n_slots = s->poly_n / UMTS_SLOT_SAMPLES + 2;
    double complex *wp = malloc(WAVE * sizeof *wp), *ws = malloc(15 * WAVE * sizeof *ws);
    double complex *ap = malloc(n_slots * sizeof *ap), *as = malloc(n_slots * sizeof *as);
    long *pos = malloc(n_slots * sizeof *pos);
    if (!wp || !ws || !ap || !as || !pos) {
        free(wp), free(ws), free(ap), free(as), free(pos);
        return cs_error(CS_ENOMEM, "umts search: out of memory");
    }
    double pulse[4 * PULSE_CHIPS + 1]; /* RC pulse at half-chip steps, shifted by eps */
    for (int k = -2 * PULSE_CHIPS; k <= 2 * PULSE_CHIPS; k++)
        pulse[k + 2 * PULSE_CHIPS] = umts_rc_pulse((k - eps) / 2.0);
    int8_t c[CS_UMTS_SCH_CHIPS];
    cs_umts_psc_chips(c);
    shape(c, pulse, wp);
    for (int k = 0; k < 15; k++) {
        cs_umts_ssc_chips(cs_umts_ssc_number(cell->group, k), c);
        shape(c, pulse, ws + (size_t)k * WAVE);
    }
    double ep = 0, es = 0;
    for (int n = 0; n < WAVE; n++) ep += creal(wp[n] * conj(wp[n]));
    for (int n = 0; n < WAVE; n++) es += creal(ws[n] * conj(ws[n]));
    /* slots from the one before the first frame start on */
    const long first_slot = -(long)ceil((double)n0 / UMTS_SLOT_SAMPLES);
    size_t m = 0;
    for (long k = first_slot; m < n_slots; k++) {
        long p = n0 + k * UMTS_SLOT_SAMPLES - 2 * PULSE_CHIPS;
        if (p < 0) continue;
        if ((size_t)p + WAVE > s->poly_n) break;
        const int sk = (int)umts_mod(k, 15);
        const double complex *w2 = ws + (size_t)sk * WAVE;
        double complex xp = 0, xs = 0;
        for (int n = 0; n < WAVE; n++) {
            const double complex x = cache_at(s, (size_t)p + (size_t)n);
            xp += x * conj(wp[n]);
            xs += x * conj(w2[n]);
        }
        const double complex rot = cexp(-2.0 * M_PI * I * fmod(f * (double)p / UMTS_FS_HZ, 1.0));
        ap[m] = xp / ep * rot;
        as[m] = xs / es * rot;
        pos[m] = k;
        m++;
    }
    for (size_t i = 0; i < m; i++) {
        double complex sp = 0, ss = 0;
        size_t lo = i > HALF_WINDOW ? i - HALF_WINDOW : 0, hi = i + HALF_WINDOW < m ? i + HALF_WINDOW : m - 1;
        for (size_t j = lo; j <= hi; j++) {
            sp += ap[j];
            ss += as[j];
        }
        const double cnt = (double)(hi - lo + 1);
        const long p = n0 + pos[i] * UMTS_SLOT_SAMPLES - 2 * PULSE_CHIPS;
        const double complex back = cexp(2.0 * M_PI * I * f * (double)p / UMTS_FS_HZ);
        const double complex gp = sp / cnt * back, gs = ss / cnt * back;
        const double complex *w2 = ws + (size_t)umts_mod(pos[i], 15) * WAVE;
        for (int n = 0; n < WAVE; n++) {
            const size_t q = (size_t)p + (size_t)n;
            const int ph = (int)(q & 1);
            const double complex v = gp * wp[n] + gs * w2[n];
            s->poly[2 * ph][q / 2] -= (float)creal(v);
            s->poly[2 * ph + 1][q / 2] -= (float)cimag(v);
        }
    }
    free(wp), free(ws), free(ap), free(as), free(pos);
    return CS_OK;
}

int search_cancel(struct cs_umts_searcher_s *s)
{
    for (size_t i = 0; i < s->n_out; i++) {
        int rc = cancel_cell(s, &s->out[i]);
        if (rc != CS_OK) return rc;
    }
    return CS_OK;
}
