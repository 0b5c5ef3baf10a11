/* Successive cancellation for the UMTS searcher's second round: the synchronisation
 * channels of the cells found are rebuilt (their chips through the raised-cosine pulse at
 * each cell's sub-sample timing), scaled by their amplitude in every slot and subtracted
 * from the cached samples. Weaker cells whose P-SCH hides under a strong cell's
 * correlation side lobes (up to -12 dB, within 276 chips of it) then stand out.
 *
 * Amplitudes: the projection of each slot onto the rebuilt P-SCH (and S-SCH) waveform,
 * with the cell's frequency error removed and averaged over +-7 slots (10 ms), which
 * follows fading of up to some 20 Hz Doppler while averaging the other signals away.
 *
 * The strongest cells' CPICH goes too: it repeats every frame, so in the P-SCH fold it
 * does not average away like noise but leaves peaks of z 9 - 12 that bury cells 15 dB
 * weaker. Over N slots the fold averages N noise values per position but only 15 distinct
 * CPICH ones, so the CPICH's spread there is Ec/Io sqrt(N / 15) times the noise's: a cell's
 * strongest path is cancelled where that is CPICH_JUNK or more (-10 dB Ec/Io at 100 ms,
 * -11.7 dB at 200 ms), its echoes where their own power reaches it. Rebuilt per symbol (the
 * frame's 150 symbols shaped once), amplitude per symbol averaged over +-CPICH_AVG symbols. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "umts_kernels.h"
#include "umts_psch_internal.h"
#include "umts_searcher_internal.h"

#define PULSE_CHIPS 8                         /* RC pulse truncated at +-8 chips */
#define WAVE (2 * CS_UMTS_SCH_CHIPS + 4 * PULSE_CHIPS) /* samples of one rebuilt SCH */
#define HALF_WINDOW 7                         /* slots averaged on each side */
#define CPICH_AVG 10            /* CPICH symbols averaged on each side (+-0.7 ms) */
#define CPICH_CELLS 4           /* strongest cells whose CPICH is cancelled, at most */
#define CPICH_JUNK 0.3          /* ... and only where its junk reaches this (see below) */
#define CPICH_MAX_WALK 0.1      /* samples of timing drift over the cache it tolerates */
#define SYM_WORDS (CS_UMTS_SCH_CHIPS / 16) /* packed code words per CPICH symbol */

/* Where a rebuilt waveform for a signal starting at `start` samples goes: whole sample n0,
 * the RC taps at half-chip steps shifted by the rest (reversed, for shape_split()), and the
 * parity its waves start at (every slot and symbol, an even number of samples apart, the
 * same). */
typedef struct placement {
    long n0;
    int odd;
    float taps[4 * PULSE_CHIPS + 1];
} placement;

static void place(double start, placement *pl)
{
    pl->n0 = (long)floor(start);
    const double eps = start - (double)pl->n0;
    for (int j = -2 * PULSE_CHIPS; j <= 2 * PULSE_CHIPS; j++)
        pl->taps[2 * PULSE_CHIPS - j] = (float)umts_rc_pulse((j - eps) / 2.0);
    pl->odd = (int)umts_mod(pl->n0 - 2 * PULSE_CHIPS, 2);
}

/* RC-shaped chips c (256, +-1 real parts; the (1+j) is folded into the amplitude) at
 * sub-sample offset eps: w[n] for samples n - 2 * PULSE_CHIPS relative to the start, as a
 * filter over the chips at every other sample: w[n] = sum_i c[i] pulse[n - 2 i] with
 * pulse[k] the RC pulse at (k - 2 P - eps) / 2 chips (taps: the pulse reversed); split by sample phase for a start of parity `odd` (wave sample n lands on
 * phase (odd + n) & 1 at index (start + n) / 2, so phase 0 takes n = odd, odd + 2, ...
 * and phase 1 n = 1 - odd, ...; len[ph] samples each, zero-padded to HALF), and the whole
 * wave w. The chips sit on every other sample, so each output phase is a filter over the
 * chips with every other tap (17 and 16): half the multiplies of shaping the whole wave
 * with zeros in between, the same sums in the same order. */
#define HALF (WAVE / 2 + 1)
static void shape_split(const umts_kernels *k, const int8_t *c, const float *taps, int odd,
                        float out[2][HALF], size_t len[2], float *w)
{
    /* outputs in whole vector blocks of 32 (the filter's scalar tail is slow), chips
     * zero-padded past the last one those read */
    enum { NO = (WAVE / 2 + 31) / 32 * 32, NC = NO + 2 * PULSE_CHIPS + 1 };
    float cc[NC] = { 0 }, he[2 * PULSE_CHIPS + 1], ho[2 * PULSE_CHIPS], ph[2][NO];
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++) cc[2 * PULSE_CHIPS + i] = c[i];
    for (int u = 0; u <= 2 * PULSE_CHIPS; u++) he[u] = taps[2 * u];
    for (int u = 0; u < 2 * PULSE_CHIPS; u++) ho[u] = taps[2 * u + 1];
    k->fir(cc, ph[0], NO, he, 2 * PULSE_CHIPS + 1, 1);  /* w[2 m] */
    k->fir(cc + 1, ph[1], NO, ho, 2 * PULSE_CHIPS, 1); /* w[2 m + 1] */
    for (int p = 0; p < 2; p++) {
        const float *src = ph[(p - odd) & 1];
        for (int m = 0; m < WAVE / 2; m++) out[p][m] = src[m];
        len[p] = WAVE / 2;
        for (size_t j = WAVE / 2; j < HALF; j++) out[p][j] = 0.0f;
    }
    for (int m = 0; m < WAVE / 2; m++) {
        w[2 * m] = ph[0][m];
        w[2 * m + 1] = ph[1][m];
    }
}

typedef struct cancel_work {
    float wp[2][HALF], ws[15][2][HALF];
    size_t len[2];
} cancel_work;

/* Projections of the cached samples from `start` on onto the split waveforms wp and ws
 * (sum x w, both in one pass over the samples). */
static void project(const struct cs_umts_searcher_s *s, const umts_kernels *k, size_t start,
                    const float wp[2][HALF], const float ws[2][HALF], const size_t len[2],
                    double complex *pp, double complex *ps)
{
    *pp = *ps = 0;
    for (int ph = 0; ph < 2; ph++) {
        const size_t first = (start + (size_t)((ph - (int)(start & 1)) & 1)) / 2;
        float d[4];
        k->dot2(s->poly[2 * ph] + first, s->poly[2 * ph + 1] + first, wp[ph], ws[ph], len[ph], d);
        *pp += d[0] + I * d[1];
        *ps += d[2] + I * d[3];
    }
}

/* Subtracts the SCH of slot i: its amplitudes averaged over the slots +-HALF_WINDOW of the
 * m projected so far (those after it up to HALF_WINDOW, or all there are). */
static void subtract_slot(struct cs_umts_searcher_s *s, const umts_kernels *k, const cancel_work *cw,
                          const double complex *ap, const double complex *as, const long *pos, size_t m,
                          size_t i, long n0, double f)
{
    double complex sp = 0, ss = 0;
    size_t lo = i > HALF_WINDOW ? i - HALF_WINDOW : 0, hi = i + HALF_WINDOW < m ? i + HALF_WINDOW : m - 1;
    for (size_t j = lo; j <= hi; j++) {
        sp += ap[j];
        ss += as[j];
    }
    const double cnt = (double)(hi - lo + 1);
    const long p = n0 + pos[i] * UMTS_SLOT_SAMPLES - 2 * PULSE_CHIPS;
    const double complex back = cexp(2.0 * M_PI * I * fmod(f * (double)p / UMTS_FS_HZ, 1.0));
    const double complex gp = sp / cnt * back, gs = ss / cnt * back;
    const float g[4] = { (float)creal(gp), (float)cimag(gp), (float)creal(gs), (float)cimag(gs) };
    const float (*w2)[HALF] = cw->ws[umts_mod(pos[i], 15)];
    for (int ph = 0; ph < 2; ph++) {
        const size_t first = ((size_t)p + (size_t)((ph - (int)(p & 1)) & 1)) / 2;
        k->sub2(s->poly[2 * ph] + first, s->poly[2 * ph + 1] + first, cw->wp[ph], w2[ph], g, cw->len[ph]);
    }
}

static int cancel_cell(struct cs_umts_searcher_s *s, const cs_umts_cell *cell, cancel_work *cw)
{
    const umts_kernels *k = umts_kernels_get();
    placement pl; /* frame start, samples at t = 0 */
    place(cell->frame_offset_chips * UMTS_SPC, &pl);
    const long n0 = pl.n0;
    const int odd = pl.odd;
    const double f = cell->freq_error_hz - s->derotated_hz; /* left in the cache */
    const size_t n_slots = s->poly_n / UMTS_SLOT_SAMPLES + 2;
    double complex *ap = malloc(n_slots * sizeof *ap), *as = malloc(n_slots * sizeof *as);
    long *pos = malloc(n_slots * sizeof *pos);
    if (!ap || !as || !pos) {
        free(ap), free(as), free(pos);
        return cs_error(CS_ENOMEM, "umts search: out of memory");
    }
    float w[WAVE];
    int8_t c[CS_UMTS_SCH_CHIPS];
    cs_umts_psc_chips(c);
    shape_split(k, c, pl.taps, odd, cw->wp, cw->len, w);
    double ep = 0, es = 0;
    for (int n = 0; n < WAVE; n++) ep += (double)w[n] * w[n];
    for (int j = 0; j < 15; j++) {
        cs_umts_ssc_chips(cs_umts_ssc_number(cell->group, j), c);
        shape_split(k, c, pl.taps, odd, cw->ws[j], cw->len, w);
        if (j == 0)
            for (int n = 0; n < WAVE; n++) es += (double)w[n] * w[n];
    }
    /* slots from the one before the first frame start on; slot i is subtracted once the
     * projections of its +-HALF_WINDOW neighbours are in, while its samples are still in
     * cache (a slot's wave spans WAVE samples, far less than a slot) */
    const long first_slot = -(long)ceil((double)n0 / UMTS_SLOT_SAMPLES);
    size_t m = 0, done = 0;
    for (long j = first_slot; m < n_slots; j++) {
        long p = n0 + j * UMTS_SLOT_SAMPLES - 2 * PULSE_CHIPS;
        if (p < 0) continue;
        if ((size_t)p + WAVE > s->poly_n) break;
        const double complex rot = cexp(-2.0 * M_PI * I * fmod(f * (double)p / UMTS_FS_HZ, 1.0));
        double complex pp, ps;
        project(s, k, (size_t)p, cw->wp, cw->ws[umts_mod(j, 15)], cw->len, &pp, &ps);
        ap[m] = pp / ep * rot;
        as[m] = ps / es * rot;
        pos[m] = j;
        m++;
        while (done + HALF_WINDOW < m) subtract_slot(s, k, cw, ap, as, pos, m, done++, n0, f);
    }
    while (done < m) subtract_slot(s, k, cw, ap, as, pos, m, done++, n0, f);
    free(ap), free(as), free(pos);
    return CS_OK;
}

/* The CPICH of one path of a cell: the 150 symbols of a frame rebuilt once (chips
 * (1+j)(I+jQ) through the RC pulse at the path's sub-sample timing), then symbol by symbol
 * over the cache: projection, averaged over +-CPICH_AVG symbols with the frequency error
 * taken out, subtracted. */
typedef struct cpich_wave {
    float wr[2][HALF], wi[2][HALF]; /* real and imaginary parts, split by sample phase */
    double energy;
} cpich_wave;

/* Subtraction of the CPICH symbols in order: a sliding sum of the projections over
 * +-CPICH_AVG symbols (the frequency error taken out), turned back and subtracted. */
typedef struct sub_state {
    double complex run; /* sum of a[lo .. hi - 1] */
    size_t lo, hi, done;
    double complex back;
} sub_state;

/* Subtracts symbol st->done, given the m projections so far (it needs those up to
 * CPICH_AVG after it, or all there are). */
static void subtract_symbol(struct cs_umts_searcher_s *s, const umts_kernels *k, sub_state *st,
                            const double complex *a, const long *idx, size_t m, long n0,
                            double f, double complex step, const cpich_wave *wave, const size_t len[2])
{
    const long sym_samples = UMTS_SPC * CS_UMTS_SCH_CHIPS;
    const size_t i = st->done++;
    const size_t want_lo = i > CPICH_AVG ? i - CPICH_AVG : 0;
    const size_t want_hi = i + CPICH_AVG + 1 < m ? i + CPICH_AVG + 1 : m;
    while (st->hi < want_hi) st->run += a[st->hi++];
    while (st->lo < want_lo) st->run -= a[st->lo++];
    const long p = n0 + idx[i] * sym_samples - 2 * PULSE_CHIPS;
    st->back = (i & 63) == 0 ? cexp(2.0 * M_PI * I * fmod(f * (double)p / UMTS_FS_HZ, 1.0)) : st->back * conj(step);
    const double complex g = st->run / (double)(st->hi - st->lo) * st->back;
    /* x -= g (wr + j wi): g on wr, j g on wi */
    const float gg[4] = { (float)creal(g), (float)cimag(g), (float)-cimag(g), (float)creal(g) };
    const cpich_wave *w = &wave[umts_mod(idx[i], CS_UMTS_FRAME_CHIPS / CS_UMTS_SCH_CHIPS)];
    for (int ph = 0; ph < 2; ph++) {
        const size_t at = ((size_t)p + (size_t)((ph - (int)(p & 1)) & 1)) / 2;
        k->sub2(s->poly[2 * ph] + at, s->poly[2 * ph + 1] + at, w->wr[ph], w->wi[ph], gg, len[ph]);
    }
}

static int cancel_cpich_path(struct cs_umts_searcher_s *s, const cs_umts_cell *cell, double delay_chips,
                             cpich_wave *wave, const uint16_t *iw, const uint16_t *qw,
                             psch_stream_fold *fold)
{
    const float *const poly[4] = { s->poly[0], s->poly[1], s->poly[2], s->poly[3] };
    const umts_kernels *k = umts_kernels_get();
    placement pl;
    place((cell->frame_offset_chips + delay_chips) * UMTS_SPC, &pl);
    const long n0 = pl.n0;
    const int odd = pl.odd;
    const double f = cell->freq_error_hz - s->derotated_hz;
    size_t len[2];
    for (int sym = 0; sym < CS_UMTS_FRAME_CHIPS / CS_UMTS_SCH_CHIPS; sym++) {
        int8_t cr[CS_UMTS_SCH_CHIPS], ci[CS_UMTS_SCH_CHIPS];
        for (int wd = 0; wd < SYM_WORDS; wd++) { /* (1 + j)(I + jQ), I = 1 - 2 bit */
            const unsigned a = iw[sym * SYM_WORDS + wd], b = qw[sym * SYM_WORDS + wd];
            for (int j = 0; j < 16; j++) {
                const int bi = (int)((a >> j) & 1u), bq = (int)((b >> j) & 1u);
                cr[16 * wd + j] = (int8_t)(2 * (bq - bi));
                ci[16 * wd + j] = (int8_t)(2 - 2 * (bi + bq));
            }
        }
        float w[WAVE];
        shape_split(k, cr, pl.taps, odd, wave[sym].wr, len, w);
        double e = k->energy(w, WAVE);
        shape_split(k, ci, pl.taps, odd, wave[sym].wi, len, w);
        e += k->energy(w, WAVE);
        wave[sym].energy = e;
    }
    /* symbols from the one before the first frame start on, while wholly in the cache */
    const long sym_samples = UMTS_SPC * CS_UMTS_SCH_CHIPS;
    const long first = -(long)ceil((double)n0 / (double)sym_samples);
    const size_t cap = s->poly_n / (size_t)sym_samples + 2;
    double complex *a = malloc(cap * sizeof *a);
    long *idx = malloc(cap * sizeof *idx);
    if (!a || !idx) {
        free(a), free(idx);
        return cs_error(CS_ENOMEM, "umts search: out of memory");
    }
    /* the frequency error's phase at each symbol: one turn per symbol, exact every 64 */
    const double complex step = cexp(-2.0 * M_PI * I * f * (double)sym_samples / UMTS_FS_HZ);
    /* One pass: symbol i is subtracted as soon as the projections of its +-CPICH_AVG
     * neighbours are in, while its samples are still in cache (CPICH_AVG symbols later,
     * clear of the samples projected since: a symbol's wave spans WAVE < 2 symbols). */
    sub_state st = { .run = 0, .lo = 0, .hi = 0, .done = 0, .back = 1.0 };
    size_t m = 0;
    double complex rot = 1.0;
    for (long j = first; m < cap; j++) {
        const long p = n0 + j * sym_samples - 2 * PULSE_CHIPS;
        if (p < 0) continue;
        if ((size_t)p + WAVE > s->poly_n) break;
        const cpich_wave *w = &wave[umts_mod(j, CS_UMTS_FRAME_CHIPS / CS_UMTS_SCH_CHIPS)];
        double complex pr, pi;
        project(s, k, (size_t)p, w->wr, w->wi, len, &pr, &pi);
        rot = (m & 63) == 0 ? cexp(-2.0 * M_PI * I * fmod(f * (double)p / UMTS_FS_HZ, 1.0)) : rot * step;
        a[m] = (pr - I * pi) / w->energy * rot; /* <x, w> / |w|^2: w = wr + j wi */
        idx[m++] = j;
        if (st.done + CPICH_AVG < m) {
            while (st.done + CPICH_AVG < m) subtract_symbol(s, k, &st, a, idx, m, n0, f, step, wave, len);
            /* samples before the next symbol's wave are final: fold them while in cache */
            psch_stream_fold_upto(fold, poly, (size_t)(n0 + idx[st.done] * sym_samples - 2 * PULSE_CHIPS));
        }
    }
    while (st.done < m) subtract_symbol(s, k, &st, a, idx, m, n0, f, step, wave, len);
    free(a), free(idx);
    return CS_OK;
}

/* Cancels the CPICH of the strongest cells found (see the top of this file). Returns the
 * number of cells cancelled, or a negative status. */
int search_cancel_cpich(struct cs_umts_searcher_s *s, psch_stream_fold *fold)
{
    const double spread = sqrt((double)s->poly_n / UMTS_SLOT_SAMPLES / CS_UMTS_SLOTS_PER_FRAME);
    uint16_t *iw = malloc(2 * UMTS_FRAME_WORDS * sizeof *iw), *qw = iw + UMTS_FRAME_WORDS;
    cpich_wave *wave = malloc((CS_UMTS_FRAME_CHIPS / CS_UMTS_SCH_CHIPS) * sizeof *wave);
    if (!iw || !wave) {
        free(iw), free(wave);
        return cs_error(CS_ENOMEM, "umts search: out of memory");
    }
    /* the cells and paths first: the last pass feeds the fold */
    size_t cell_of[CPICH_CELLS * CS_UMTS_MAX_PATHS], path_of[CPICH_CELLS * CS_UMTS_MAX_PATHS], n = 0;
    int done = 0, rc = CS_OK;
    const double walk = (double)s->poly_n * 1e-6;
    for (size_t i = 0; i < s->n_out && done < CPICH_CELLS; i++) {
        const cs_umts_cell *c = &s->out[i];
        if (!(c->rscp > 0 && c->rssi > 0) || c->rscp / c->rssi * spread < CPICH_JUNK) continue;
        if (isfinite(c->drift_ppm) && fabs(c->drift_ppm) * walk > CPICH_MAX_WALK) continue;
        /* the strongest path always; an echo only if its own junk counts (each costs a
         * pass over the cache) */
        for (size_t j = 0; j < c->n_paths && j < CS_UMTS_MAX_PATHS; j++)
            if (j == 0 || c->path[j].rscp / c->rssi * spread >= CPICH_JUNK) {
                cell_of[n] = i;
                path_of[n++] = j;
            }
        done++;
    }
    for (size_t q = 0; q < n && rc == CS_OK; q++) {
        const cs_umts_cell *c = &s->out[cell_of[q]];
        if ((q == 0 || cell_of[q] != cell_of[q - 1]) && umts_code_words(c->psc, 0, UMTS_FRAME_WORDS, iw, qw) != 0) {
            rc = cs_error(CS_EINVAL, "umts search: PSC %d out of range", c->psc);
            break;
        }
        rc = cancel_cpich_path(s, c, c->path[path_of[q]].delay_chips, wave, iw, qw, q + 1 == n ? fold : NULL);
    }
    free(iw), free(wave);
    return rc == CS_OK ? done : rc;
}

int search_cancel(struct cs_umts_searcher_s *s)
{
    cancel_work *cw = calloc(1, sizeof *cw);
    if (!cw) return cs_error(CS_ENOMEM, "umts search: out of memory");
    int rc = CS_OK;
    for (size_t i = 0; i < s->n_out && rc == CS_OK; i++) rc = cancel_cell(s, &s->out[i], cw);
    free(cw);
    return rc;
}
