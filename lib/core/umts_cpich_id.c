/* CPICH code identification among a few hypotheses (see umts_cpich.h). */
#include "cellscan/umts_cpich.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "umts_cpich_id_internal.h"
#include "umts_internal.h"
#include "umts_kernels.h"

#define SYM_CHIPS 256
#define SYM_SAMPLES (SYM_CHIPS * UMTS_SPC)
#define SYMS_PER_FRAME 150
#define SYM_WORDS (SYM_CHIPS / 16) /* packed code words per symbol */

typedef struct id_timing {
    double frame_start;
    long next_sym;        /* next symbol index from the frame start (may be negative) */
    size_t first_hyp, n_hyp; /* hypotheses sorted by timing */
    double window_energy;
    size_t symbols;
    size_t since_check;   /* symbols since the last early-decision check */
    int done;             /* decided early: no more symbols */
} id_timing;

struct cs_umts_cpich_id_s {
    size_t n_hyp, n_timings;
    cs_umts_code_hypothesis hyp[CS_UMTS_ID_MAX_CODES];
    size_t order[CS_UMTS_ID_MAX_CODES];   /* hyp index of sorted position */
    id_timing timing[CS_UMTS_ID_MAX_CODES];
    double energy[CS_UMTS_ID_MAX_CODES];  /* by sorted position */
    const uint16_t *wx, *wy; /* the scrambling code word tables */
    unsigned spf;
    int rotate;           /* a different stretch of spf symbols in each frame */
    double early_p;       /* early decision at this false-alarm probability; 0 = never */
    double drift;
    const umts_kernels *k;
};

static int cmp_start(const void *a, const void *b, void *ctx)
{
    const cs_umts_code_hypothesis *h = ctx;
    double x = h[*(const size_t *)a].frame_start_samples, y = h[*(const size_t *)b].frame_start_samples;
    return x < y ? -1 : x > y;
}

int cs_umts_cpich_id_create(const cs_umts_code_hypothesis *h, size_t n, unsigned spf,
                            double drift_ppm, cs_umts_cpich_id *out)
{
    *out = NULL;
    if (n < 1 || n > CS_UMTS_ID_MAX_CODES)
        return cs_error(CS_EINVAL, "umts cpich id: %zu hypotheses (1 .. %d)", n, CS_UMTS_ID_MAX_CODES);
    if (spf < 1 || spf > SYMS_PER_FRAME)
        return cs_error(CS_EINVAL, "umts cpich id: %u symbols per frame (1 .. 150)", spf);
    for (size_t i = 0; i < n; i++)
        if (h[i].psc < 0 || h[i].psc >= CS_UMTS_NUM_PSC || !(h[i].frame_start_samples >= 0) ||
            !(h[i].frame_start_samples < UMTS_FRAME_SAMPLES))
            return cs_error(CS_EINVAL, "umts cpich id: hypothesis %zu (PSC %d at %g) out of range",
                            i, h[i].psc, h[i].frame_start_samples);
    cs_umts_cpich_id id = calloc(1, sizeof *id);
    if (!id) return cs_error(CS_ENOMEM, "umts cpich id: out of memory");
    id->n_hyp = n;
    id->spf = spf;
    id->drift = drift_ppm * 1e-6;
    id->k = umts_kernels_get();
    id->wx = umts_code_word_tables(&id->wy);
    memcpy(id->hyp, h, n * sizeof *h);
    for (size_t i = 0; i < n; i++) id->order[i] = i;
    qsort_r(id->order, n, sizeof id->order[0], cmp_start, id->hyp);
    for (size_t s = 0; s < n; s++) {
        const cs_umts_code_hypothesis *hy = &id->hyp[id->order[s]];
        if (s == 0 || hy->frame_start_samples != id->hyp[id->order[s - 1]].frame_start_samples) {
            id_timing *t = &id->timing[id->n_timings++];
            t->frame_start = hy->frame_start_samples;
            t->next_sym = -(long)floor(t->frame_start / SYM_SAMPLES);
            t->first_hyp = s;
        }
        id->timing[id->n_timings - 1].n_hyp++;
    }
    *out = id;
    return CS_OK;
}

void cs_umts_cpich_id_destroy(cs_umts_cpich_id id)
{
    if (!id) return;
    free(id);
}

/* One code of the timing far above the noise threshold and all others far below it. */
static int decided(const cs_umts_cpich_id id, const id_timing *t)
{
    if (t->symbols < 20 || t->window_energy <= 0) return 0;
    const double thr = cs_umts_cpich_threshold(t->symbols, id->early_p);
    double best = 0.0, second = 0.0;
    for (size_t s = t->first_hyp; s < t->first_hyp + t->n_hyp; s++) {
        double v = id->energy[s] / t->window_energy;
        if (v > best) {
            second = best;
            best = v;
        } else if (v > second) {
            second = v;
        }
    }
    return best >= 2.0 * thr - 1.0 && second < thr;
}

/* Best code still under a third of the way to the threshold after 60 symbols: a -22 dB
 * cell is past the threshold by then, a -26 dB one usually at half way. */
static int hopeless(const cs_umts_cpich_id id, const id_timing *t)
{
    if (t->symbols < 60 || t->window_energy <= 0) return 0;
    const double thr = cs_umts_cpich_threshold(t->symbols, id->early_p);
    for (size_t s = t->first_hyp; s < t->first_hyp + t->n_hyp; s++)
        if (id->energy[s] / t->window_energy > 1.0 + (thr - 1.0) / 3.0) return 0;
    return 1;
}

void cs_umts_cpich_id_set_early(cs_umts_cpich_id id, double p_false) { id->early_p = p_false; }

int umts_cpich_id_set_rotation(cs_umts_cpich_id id)
{
    id->rotate = 1;
    return CS_OK;
}

/* Whether symbol in_frame of frame f is used, and whether it closes a stretch. */
static int used(const cs_umts_cpich_id id, long sym, long in_frame)
{
    if (!id->rotate) return in_frame < (long)id->spf;
    const long frame = (sym - in_frame) / SYMS_PER_FRAME;
    const long offset = umts_mod(frame * (long)id->spf, SYMS_PER_FRAME);
    return umts_mod(in_frame - offset, SYMS_PER_FRAME) < (long)id->spf;
}

int cs_umts_cpich_id_execute(cs_umts_cpich_id id, const cs_umts_block *b)
{
    const uint64_t end = b->first + b->n, avail_end = b->first + b->avail;
    for (size_t ti = 0; ti < id->n_timings; ti++) {
        id_timing *t = &id->timing[ti];
        if (t->done) continue;
        for (;; t->next_sym++) {
            long in_frame = umts_mod(t->next_sym, SYMS_PER_FRAME);
            if (!used(id, t->next_sym, in_frame)) {
                if (!id->rotate) t->next_sym += SYMS_PER_FRAME - in_frame - 1; /* to the next frame */
                continue;
            }
            double nominal = t->frame_start + (double)SYM_SAMPLES * (double)t->next_sym;
            long long p = llround(nominal * (1.0 + id->drift));
            if (p < 0) continue;
            if ((uint64_t)p >= end) break;
            if ((uint64_t)p < b->first || (uint64_t)p + SYM_SAMPLES > avail_end) continue;
            const uint64_t off = (uint64_t)p - b->first;
            const int ph = (int)(off & 1);
            const float *xr = b->re[ph] + off / 2, *xi = b->im[ph] + off / 2;
            /* every code of this timing in one pass over the window, and its energy */
            float er[CS_UMTS_ID_MAX_CODES], ei[CS_UMTS_ID_MAX_CODES], e;
            uint16_t iw[CS_UMTS_ID_MAX_CODES][SYM_WORDS], qw[CS_UMTS_ID_MAX_CODES][SYM_WORDS];
            const size_t w0 = (size_t)in_frame * SYM_WORDS;
            for (size_t j = 0; j < t->n_hyp; j++) { /* the codes' chips of this symbol */
                const uint16_t *xi = id->wx + id->hyp[id->order[t->first_hyp + j]].psc + w0;
                const uint16_t *xq = xi + UMTS_Q_WORDS, *yi = id->wy + w0, *yq = yi + UMTS_Q_WORDS;
                for (size_t w = 0; w < SYM_WORDS; w++) {
                    iw[j][w] = (uint16_t)(xi[w] ^ yi[w]);
                    qw[j][w] = (uint16_t)(xq[w] ^ yq[w]);
                }
            }
            id->k->despread_codes(xr, xi, iw[0], qw[0], SYM_WORDS, t->n_hyp, SYM_WORDS, er, ei, &e);
            t->window_energy += e;
            t->symbols++;
            for (size_t j = 0; j < t->n_hyp; j++)
                id->energy[t->first_hyp + j] += (double)er[j] * er[j] + (double)ei[j] * ei[j];
            /* At each frame's last used symbol (rotating: after each stretch of spf): stop
             * once one code is beyond doubt, or once every code is so far below the
             * threshold that the rest cannot lift it. */
            const int check = id->rotate ? ++t->since_check == id->spf : in_frame == (long)id->spf - 1;
            if (check) t->since_check = 0;
            if (check && id->early_p > 0 && (decided(id, t) || hopeless(id, t))) {
                t->done = 1;
                break;
            }
        }
    }
    return CS_OK;
}

double cs_umts_cpich_id_metric(cs_umts_cpich_id id, size_t i, size_t *symbols)
{
    if (i >= id->n_hyp) return NAN;
    for (size_t s = 0; s < id->n_hyp; s++) {
        if (id->order[s] != i) continue;
        for (size_t ti = 0; ti < id->n_timings; ti++) {
            const id_timing *t = &id->timing[ti];
            if (s >= t->first_hyp && s < t->first_hyp + t->n_hyp) {
                if (symbols) *symbols = t->symbols;
                return t->window_energy > 0 ? id->energy[s] / t->window_energy : 0.0;
            }
        }
    }
    return NAN;
}

/* Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
static double norm_inv(double p)
{
    static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
    static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                6.680131188771972e+01, -1.328068155288572e+01 };
    static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
    static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                3.754408661907416e+00 };
    if (p <= 0) return -INFINITY;
    if (p >= 1) return INFINITY;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) return -norm_inv(1 - p);
    double q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double cs_umts_cpich_threshold(size_t symbols, double p_false)
{
    if (symbols == 0) return INFINITY;
    const double n = (double)symbols, z = norm_inv(1.0 - p_false);
    const double v = 1.0 / (9.0 * n), c = 1.0 - v + z * sqrt(v);
    return c * c * c;
}
