/* P-SCH search over windows of the slot only, straight from cached polyphase samples: the
 * searcher's second round, where only the neighbourhoods of the cells already found can
 * hold anything new (their cancelled synchronisation channels change the P-SCH
 * correlation within 528 samples of them, and their side lobes hid weaker cells within
 * 552). One frequency at 0 Hz (the outer code folded directly). Elsewhere in the slot the
 * map is the earlier search's (nothing there changed) without the peaks that search
 * already turned into candidates, or, without an earlier map, reads -1 and gives none. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"

#define HALF_SLOT (PSCH_L / 2)
#define PIECE HALF_SLOT                /* positions of one phase folded per inner-code run */
#define BATCH 16                       /* slots per inner-code run when the whole slot is folded */
#define PHASE_LAG (PSCH_BLOCK_LAG / 2) /* the outer code's blocks, in samples of one phase */
#define PHASE_SPAN ((PSCH_INNER_SPAN + PSCH_LAG_SPAN) / 2) /* 255 */

/* Fold the marked slot positions (all when active is NULL) of the n cached samples into the
 * energy of the one centre. The inner code's taps are 2 samples apart, the outer code's
 * blocks 32, a slot 5120: all even, so each sample phase is folded on its own, straight
 * from its polyphase array (position t = 2 j + phase). The whole slot goes in runs of
 * BATCH slots; windows one slot at a time, where they are. */
static int fold_poly(struct cs_umts_psch_sync_s *s, const float *const poly[4], size_t n,
                     const unsigned char *active)
{
    const size_t span = PSCH_INNER_SPAN + PSCH_LAG_SPAN;
    const size_t n_fold = n > span ? n - span : 0; /* positions with a whole code after them */
    const size_t cap = BATCH * HALF_SLOT + PHASE_SPAN + 32;
    float *buf = umts_alloc_floats(2 * cap + HALF_SLOT);
    if (!buf) return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    float *ur = buf, *ui = ur + cap, *e = ui + cap;
    for (size_t ph = 0; ph < 2; ph++) {
        const float *xr = poly[2 * ph], *xi = poly[2 * ph + 1];
        const size_t j_end = n_fold > ph ? (n_fold - ph + 1) / 2 : 0; /* 2 j + ph < n_fold */
        memset(e, 0, HALF_SLOT * sizeof *e);
        if (!active) {
            const size_t whole = j_end / HALF_SLOT, rest = j_end % HALF_SLOT;
            for (size_t k = 0; k < whole; k += BATCH) {
                const size_t nk = whole - k < BATCH ? whole - k : BATCH;
                s->k->psc_inner1(xr + k * HALF_SLOT, xi + k * HALF_SLOT, ur, ui,
                                 nk * HALF_SLOT + PHASE_SPAN - 15);
                s->k->outer_fold(ur, ui, HALF_SLOT, nk, HALF_SLOT, PHASE_LAG, e);
            }
            if (rest) {
                s->k->psc_inner1(xr + whole * HALF_SLOT, xi + whole * HALF_SLOT, ur, ui,
                                 rest + PHASE_SPAN - 15);
                s->k->outer_fold(ur, ui, 0, 1, rest, PHASE_LAG, e);
            }
        }
        for (size_t a = 0; active && a < HALF_SLOT;) {
            if (!active[2 * a + ph]) {
                a++;
                continue;
            }
            size_t b = a;
            while (b < HALF_SLOT && active[2 * b + ph] && b - a < PIECE) b++;
            for (size_t k = 0; k * HALF_SLOT + a < j_end; k++) {
                const size_t j0 = k * HALF_SLOT + a, m = j_end - j0 < b - a ? j_end - j0 : b - a;
                s->k->psc_inner1(xr + j0, xi + j0, ur, ui, m + PHASE_SPAN - 15);
                s->k->outer_fold(ur, ui, 0, 1, m, PHASE_LAG, e + a);
            }
            a = b;
        }
        float *rr = s->centre[0].rr;
        for (size_t j = 0; j < HALF_SLOT; j++) rr[2 * j + ph] += e[j];
    }
    free(buf);
    s->t_in = n;
    s->t_acc = n_fold;
    return CS_OK;
}

int psch_fresh_direct(const struct cs_umts_psch_sync_s *s)
{
    return s->direct && !s->drift_mode && s->n_centres == 1 && s->centre[0].freq_hz == 0.0 &&
           s->t_in == 0 && !s->finished;
}

int umts_psch_sync_fold_cache(struct cs_umts_psch_sync_s *s, const float *const poly[4], size_t n)
{
    if (!psch_fresh_direct(s)) return CS_ENOTSUP;
    return fold_poly(s, poly, n, NULL);
}

int umts_psch_sync_fold_windows(struct cs_umts_psch_sync_s *s, const float *const poly[4], size_t n,
                                const double *centres, size_t n_centres, int half_width,
                                const float *outside, const int *tested, size_t n_tested)
{
    if (!psch_fresh_direct(s)) return CS_ENOTSUP;
    if (!s->active && !(s->active = malloc(PSCH_L)))
        return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    if (outside && !s->outside && !(s->outside = malloc(PSCH_L * sizeof *s->outside)))
        return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    memset(s->active, 0, PSCH_L);
    for (size_t i = 0; i < n_centres; i++) {
        const long c = (long)centres[i];
        for (long d = -half_width; d <= half_width; d++) s->active[umts_mod(c + d, PSCH_L)] = 1;
    }
    /* outside the windows: the earlier map, less the peaks it already gave */
    s->use_outside = outside != NULL;
    if (outside) {
        memcpy(s->outside, outside, PSCH_L * sizeof *s->outside);
        for (size_t i = 0; i < n_tested; i++)
            for (long d = -PSCH_MAIN_LOBE; d <= PSCH_MAIN_LOBE; d++) {
                const long t = umts_mod(tested[i] + d, PSCH_L);
                if (!s->active[t]) s->outside[t] = -INFINITY;
            }
    }
    s->windowed = 1;
    /* windows covering most of the slot: all of it in long runs is cheaper (the inner code
     * then need not reach 480 samples past every window in every slot) */
    size_t n_active = 0;
    for (size_t t = 0; t < PSCH_L; t++) n_active += s->active[t];
    return fold_poly(s, poly, n, n_active > PSCH_L / 2 ? NULL : s->active);
}
