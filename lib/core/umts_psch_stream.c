/* The P-SCH fold of the whole slot from cached polyphase samples (as umts_psch_windows.c
 * folds it), in steps that follow a pass changing the cache from its start on: each batch
 * of slots is folded once the samples it reads are final, while they are still in cache,
 * instead of in a second pass over the whole cache from memory. Per sample phase the
 * batches go in the same order into the same sums, so the result is bit for bit that of
 * umts_psch_sync_fold_cache. */
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"

#define HALF_SLOT (PSCH_L / 2)
#define BATCH 16                       /* slots per inner-code run */
#define PHASE_LAG (PSCH_BLOCK_LAG / 2) /* the outer code's blocks, in samples of one phase */
#define PHASE_SPAN ((PSCH_INNER_SPAN + PSCH_LAG_SPAN) / 2) /* 255 */
#define CAP (BATCH * HALF_SLOT + PHASE_SPAN + 32)

struct psch_stream_fold {
    struct cs_umts_psch_sync_s *s;
    size_t n, n_fold;
    size_t j_end[2], whole[2], next[2]; /* per phase: positions, whole slots, next slot */
    float *buf;                         /* ur, ui (CAP each), e per phase (HALF_SLOT each) */
};

int psch_stream_fold_begin(struct cs_umts_psch_sync_s *s, size_t n, psch_stream_fold **out)
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
    const size_t span = PSCH_INNER_SPAN + PSCH_LAG_SPAN;
    f->s = s;
    f->n = n;
    f->n_fold = n > span ? n - span : 0; /* positions with a whole code after them */
    f->buf = buf;
    memset(buf + 2 * CAP, 0, 2 * HALF_SLOT * sizeof *buf);
    for (size_t ph = 0; ph < 2; ph++) {
        f->j_end[ph] = f->n_fold > ph ? (f->n_fold - ph + 1) / 2 : 0; /* 2 j + ph < n_fold */
        f->whole[ph] = f->j_end[ph] / HALF_SLOT;
    }
    *out = f;
    return CS_OK;
}

/* The next batch of whole slots of phase ph, when `final` says its samples may be read. */
static int fold_batch(psch_stream_fold *f, const float *const poly[4], size_t ph, size_t n_final)
{
    const size_t k = f->next[ph];
    if (k >= f->whole[ph]) return 0;
    const size_t nk = f->whole[ph] - k < BATCH ? f->whole[ph] - k : BATCH;
    const size_t len = nk * HALF_SLOT + PHASE_SPAN - 15; /* inner outputs; it reads 15 on */
    if (2 * (k * HALF_SLOT + len + 15) + ph > n_final) return 0;
    const struct cs_umts_psch_sync_s *s = f->s;
    float *ur = f->buf, *ui = ur + CAP, *e = ui + CAP + ph * HALF_SLOT;
    s->k->psc_inner1(poly[2 * ph] + k * HALF_SLOT, poly[2 * ph + 1] + k * HALF_SLOT, ur, ui, len);
    s->k->outer_fold(ur, ui, HALF_SLOT, nk, HALF_SLOT, PHASE_LAG, e);
    f->next[ph] = k + nk;
    return 1;
}

void psch_stream_fold_upto(psch_stream_fold *f, const float *const poly[4], size_t n_final)
{
    if (!f) return;
    for (size_t ph = 0; ph < 2; ph++)
        while (fold_batch(f, poly, ph, n_final)) {
        }
}

int psch_stream_fold_end(psch_stream_fold *f, const float *const poly[4])
{
    struct cs_umts_psch_sync_s *s = f->s;
    psch_stream_fold_upto(f, poly, (size_t)-1);
    float *ur = f->buf, *ui = ur + CAP;
    for (size_t ph = 0; ph < 2; ph++) {
        float *e = ui + CAP + ph * HALF_SLOT;
        const size_t rest = f->j_end[ph] % HALF_SLOT, w = f->whole[ph];
        if (rest) {
            s->k->psc_inner1(poly[2 * ph] + w * HALF_SLOT, poly[2 * ph + 1] + w * HALF_SLOT, ur, ui,
                             rest + PHASE_SPAN - 15);
            s->k->outer_fold(ur, ui, 0, 1, rest, PHASE_LAG, e);
        }
        float *rr = s->centre[0].rr;
        for (size_t j = 0; j < HALF_SLOT; j++) rr[2 * j + ph] += e[j];
    }
    s->t_in = f->n;
    s->t_acc = f->n_fold;
    psch_stream_fold_abort(f);
    return CS_OK;
}

void psch_stream_fold_abort(psch_stream_fold *f)
{
    if (!f) return;
    free(f->buf);
    free(f);
}
