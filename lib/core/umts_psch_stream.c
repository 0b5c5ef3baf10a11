/* The P-SCH fold of the whole slot from cached polyphase samples (as umts_psch_windows.c
 * folds it), in steps that follow a pass writing or changing the cache from its start on:
 * each few slots are folded once the samples they read are final, while they are still in
 * cache, instead of in a second pass over the whole cache from memory. Per sample phase
 * every slot goes in the same order into the same sums (the outer fold adds slot after
 * slot, however many a call takes), so the result is bit for bit that of
 * umts_psch_sync_fold_cache. */
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"

#define HALF_SLOT (PSCH_L / 2)
#define STEP 4                         /* slots per inner-code run while streaming */
#define BATCH 16                       /* ... at the end */
#define PHASE_LAG (PSCH_BLOCK_LAG / 2) /* the outer code's blocks, in samples of one phase */
#define PHASE_SPAN ((PSCH_INNER_SPAN + PSCH_LAG_SPAN) / 2) /* 255 */
#define CAP (BATCH * HALF_SLOT + PHASE_SPAN + 32)

struct psch_stream_fold {
    struct cs_umts_psch_sync_s *s;
    size_t next[2]; /* per phase: the next slot to fold */
    float *buf;     /* ur, ui (CAP each), e per phase (HALF_SLOT each) */
};

int psch_stream_fold_begin(struct cs_umts_psch_sync_s *s, psch_stream_fold **out)
{
    *out = NULL;
    if (!psch_fresh_direct(s)) return CS_ENOTSUP;
    psch_stream_fold *f = calloc(1, sizeof *f);
    float *buf = umts_alloc_floats(2 * CAP + 2 * HALF_SLOT);
    if (!f || !buf) {
        free(f);
        free(buf);
        return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    }
    f->s = s;
    f->buf = buf;
    memset(buf + 2 * CAP, 0, 2 * HALF_SLOT * sizeof *buf);
    *out = f;
    return CS_OK;
}

/* Slots [k, k + nk) of phase ph: the inner code over them (it reads 15 samples of the
 * phase past its outputs, PHASE_SPAN - 15 of which past the slots), the outer fold. */
static void fold_slots(psch_stream_fold *f, const float *const poly[4], size_t ph, size_t k, size_t nk)
{
    const struct cs_umts_psch_sync_s *s = f->s;
    float *ur = f->buf, *ui = ur + CAP, *e = ui + CAP + ph * HALF_SLOT;
    s->k->psc_inner1(poly[2 * ph] + k * HALF_SLOT, poly[2 * ph + 1] + k * HALF_SLOT, ur, ui,
                     nk * HALF_SLOT + PHASE_SPAN - 15);
    s->k->outer_fold(ur, ui, HALF_SLOT, nk, HALF_SLOT, PHASE_LAG, e);
    f->next[ph] = k + nk;
}

void psch_stream_fold_upto(psch_stream_fold *f, const float *const poly[4], size_t n_final)
{
    if (!f) return;
    /* STEP slots whose reads lie before n_final; any such slot is a whole slot of the
     * final fold too (its positions have a whole code after them in the samples) */
    for (size_t ph = 0; ph < 2; ph++)
        while (2 * ((f->next[ph] + STEP) * HALF_SLOT + PHASE_SPAN) + ph < n_final)
            fold_slots(f, poly, ph, f->next[ph], STEP);
}

int psch_stream_fold_end(psch_stream_fold *f, const float *const poly[4], size_t n)
{
    struct cs_umts_psch_sync_s *s = f->s;
    const size_t span = PSCH_INNER_SPAN + PSCH_LAG_SPAN;
    const size_t n_fold = n > span ? n - span : 0; /* positions with a whole code after them */
    float *ur = f->buf, *ui = ur + CAP;
    for (size_t ph = 0; ph < 2; ph++) {
        const size_t j_end = n_fold > ph ? (n_fold - ph + 1) / 2 : 0; /* 2 j + ph < n_fold */
        const size_t whole = j_end / HALF_SLOT, rest = j_end % HALF_SLOT;
        while (f->next[ph] < whole) {
            const size_t k = f->next[ph];
            fold_slots(f, poly, ph, k, whole - k < BATCH ? whole - k : BATCH);
        }
        float *e = ui + CAP + ph * HALF_SLOT;
        if (rest) {
            s->k->psc_inner1(poly[2 * ph] + whole * HALF_SLOT, poly[2 * ph + 1] + whole * HALF_SLOT, ur,
                             ui, rest + PHASE_SPAN - 15);
            s->k->outer_fold(ur, ui, 0, 1, rest, PHASE_LAG, e);
        }
        float *rr = s->centre[0].rr;
        for (size_t j = 0; j < HALF_SLOT; j++) rr[2 * j + ph] += e[j];
    }
    s->t_in = n;
    s->t_acc = n_fold;
    psch_stream_fold_abort(f);
    return CS_OK;
}

void psch_stream_fold_abort(psch_stream_fold *f)
{
    if (!f) return;
    free(f->buf);
    free(f);
}
