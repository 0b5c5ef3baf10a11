/* S-SCH frame synchronisation and code-group identification (see umts_frame_sync.h). */
#include "cellscan/umts_frame_sync.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "umts_frame_sync_internal.h"
#include "umts_internal.h"
#include "umts_kernels.h"

#define NS CS_UMTS_SLOTS_PER_FRAME
#define NK CS_UMTS_NUM_SSC
#define KEPT (2 + 2 * NK)   /* floats kept per slot */
#define MAX_STORED 3000     /* slots (2 s) scored with the smoothed reference; later ones directly */
#define SMOOTH_SLOTS 4      /* the reference averages this many slots either side */

struct cs_umts_frame_sync_s {
    int slot_offset;
    double drift;            /* samples per sample */
    const umts_kernels *k;
    float psc[CS_UMTS_SCH_CHIPS], z[CS_UMTS_SCH_CHIPS];
    uint64_t next_slot;      /* slots are counted from the first window at or after 0 */
    size_t slots;
    double score[NS][NK];
    double p_power, io_power; /* sums of |P|^2 and of chip power */
    double complex half_acc, slot_acc, p_prev;
    int have_prev;
    uint64_t prev_slot;
    /* the first MAX_STORED slots kept for a smoothed phase reference (see score_smoothed) */
    float *kept;             /* per slot: P (re, im), then the 16 SSC correlations (re, im) */
    uint64_t *kept_slot;
    size_t n_kept, kept_cap;
};

static uint64_t window_start(const cs_umts_frame_sync f, uint64_t k)
{
    double nominal = (double)f->slot_offset + (double)k * UMTS_SLOT_SAMPLES;
    return (uint64_t)llround(nominal * (1.0 + f->drift));
}

void cs_umts_frame_sync_reset(cs_umts_frame_sync f)
{
    f->next_slot = 0;
    f->slots = 0;
    memset(f->score, 0, sizeof f->score);
    f->p_power = f->io_power = 0.0;
    f->half_acc = f->slot_acc = f->p_prev = 0.0;
    f->have_prev = 0;
    f->n_kept = 0;
}

int cs_umts_frame_sync_create(int slot_offset, double drift_ppm, cs_umts_frame_sync *out)
{
    *out = NULL;
    if (slot_offset < 0 || slot_offset >= UMTS_SLOT_SAMPLES)
        return cs_error(CS_EINVAL, "umts frame sync: slot offset %d outside 0 .. %d", slot_offset,
                        UMTS_SLOT_SAMPLES - 1);
    if (!(fabs(drift_ppm) <= 1000.0))
        return cs_error(CS_EINVAL, "umts frame sync: drift %g ppm is out of range", drift_ppm);
    cs_umts_frame_sync f = calloc(1, sizeof *f);
    if (!f) return cs_error(CS_ENOMEM, "umts frame sync: out of memory");
    f->slot_offset = slot_offset;
    f->drift = drift_ppm * 1e-6;
    f->k = umts_kernels_get();
    int8_t c[CS_UMTS_SCH_CHIPS];
    cs_umts_psc_chips(c);
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++) f->psc[i] = c[i];
    cs_umts_ssc_z(c);
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++) f->z[i] = c[i];
    cs_umts_frame_sync_reset(f);
    *out = f;
    return CS_OK;
}

void cs_umts_frame_sync_destroy(cs_umts_frame_sync f)
{
    if (!f) return;
    free(f->kept);
    free(f->kept_slot);
    free(f);
}

/* In-place 16-point Walsh-Hadamard transform, as cs_umts_fwht16 on reals. */
static void fwht16(double v[NK])
{
    for (int h = 1; h < NK; h *= 2)
        for (int i = 0; i < NK; i += 2 * h)
            for (int j = i; j < i + h; j++) {
                const double a = v[j], b = v[j + h];
                v[j] = a + b;
                v[j + h] = a - b;
            }
}

/* Keep slot k's P-SCH correlation p and its 16 block sums (the SSC correlations before the
 * transform) while there is room: 0 when the slot must be scored at once. */
static int keep(cs_umts_frame_sync f, uint64_t k, double complex p, const float *vr, const float *vi)
{
    if (f->n_kept == MAX_STORED) return 0;
    if (f->n_kept == f->kept_cap) {
        const size_t cap = f->kept_cap ? 2 * f->kept_cap : 256;
        float *a = realloc(f->kept, cap * KEPT * sizeof *a);
        if (a) f->kept = a;
        uint64_t *b = a ? realloc(f->kept_slot, cap * sizeof *b) : NULL;
        if (b) f->kept_slot = b;
        if (!a || !b) return 0;
        f->kept_cap = cap;
    }
    float *o = f->kept + f->n_kept * KEPT; /* the block sums as they are: transformed at the
                                              end, after projection on the reference */
    o[0] = (float)creal(p);
    o[1] = (float)cimag(p);
    for (int b = 0; b < NK; b++) {
        o[2 + 2 * b] = vr[b];
        o[3 + 2 * b] = vi[b];
    }
    f->kept_slot[f->n_kept++] = k;
    return 1;
}

/* Scores of the kept slots against a phase reference averaged over SMOOTH_SLOTS slots
 * either side, each turned back by the mean slot-to-slot rotation of the P-SCH: at low
 * SNR the slot's own P-SCH is a noisy reference, and the averaged one is several times
 * less so (the S-SCH word then stands out by up to about sqrt(1 + 1 / SNR) more). */
static void score_smoothed(const cs_umts_frame_sync f, double score[NS][NK])
{
    const double mag = cabs(f->slot_acc);
    const double complex rot = mag > 0 ? f->slot_acc / mag : 1.0; /* p(k + 1) ~ p(k) rot */
    double complex back[2 * SMOOTH_SLOTS + 1]; /* rot^-d for d = -SMOOTH_SLOTS .. SMOOTH_SLOTS */
    back[SMOOTH_SLOTS] = 1.0;
    for (int d = 1; d <= SMOOTH_SLOTS; d++) {
        back[SMOOTH_SLOTS + d] = back[SMOOTH_SLOTS + d - 1] * conj(rot);
        back[SMOOTH_SLOTS - d] = back[SMOOTH_SLOTS - d + 1] * rot;
    }
    double acc[NS][NK] = { { 0 } }; /* projected block sums per slot position */
    for (size_t i = 0; i < f->n_kept; i++) {
        const uint64_t k = f->kept_slot[i];
        double complex ref = 0;
        const size_t j0 = i > SMOOTH_SLOTS ? i - SMOOTH_SLOTS : 0;
        for (size_t j = j0; j < f->n_kept && j <= i + SMOOTH_SLOTS; j++) {
            const long d = (long)(f->kept_slot[j] - k);
            if (d < -SMOOTH_SLOTS || d > SMOOTH_SLOTS) continue;
            ref += (f->kept[j * KEPT] + I * f->kept[j * KEPT + 1]) * back[SMOOTH_SLOTS + d];
        }
        const float *v = f->kept + i * KEPT + 2;
        double *w = acc[k % NS];
        for (int b = 0; b < NK; b++) w[b] += v[2 * b] * creal(ref) + v[2 * b + 1] * cimag(ref);
    }
    /* the transform is linear: once per slot position, on the sums */
    for (int pos = 0; pos < NS; pos++) {
        fwht16(acc[pos]);
        for (int m = 0; m < NK; m++) score[pos][m] += acc[pos][m];
    }
}

/* One slot's SCH: chips r (SoA, 256). */
static void slot(cs_umts_frame_sync f, uint64_t k, const float *rr, const float *ri)
{
    /* P-SCH: sum r a over each half; the (1 - j) of conj(1 + j) is left out on both codes.
     * S-SCH: strip z, sum the 16-chip blocks, one 16-point Walsh-Hadamard transform gives
     * all 16 codes (as cs_umts_ssc_correlate, on these split arrays, without its (1 - j)) */
    float h[4], vr[NK], vi[NK], e;
    f->k->sch_slot(rr, ri, f->psc, f->z, h, vr, vi, &e);
    const double complex h1 = h[0] + I * h[1], h2 = h[2] + I * h[3], p = h1 + h2;
    const double io = e;
    if (keep(f, k, p, vr, vi)) {
        /* scored at the end against a reference smoothed over neighbouring slots */
    } else {
        /* Re(SSC_m conj(p)) for every m: the transform is linear, so project the block sums
         * on p first and transform 16 reals */
        double w[NK];
        for (int b = 0; b < NK; b++) w[b] = vr[b] * creal(p) + vi[b] * cimag(p);
        fwht16(w);
        const int pos = (int)(k % NS);
        for (int m = 0; m < NK; m++) f->score[pos][m] += w[m];
    }
    f->p_power += creal(p * conj(p));
    f->io_power += io;
    f->half_acc += h2 * conj(h1);
    if (f->have_prev && k == f->prev_slot + 1) f->slot_acc += p * conj(f->p_prev);
    f->p_prev = p;
    f->prev_slot = k;
    f->have_prev = 1;
    f->slots++;
}

int cs_umts_frame_sync_execute(cs_umts_frame_sync f, const cs_umts_block *b)
{
    const uint64_t end = b->first + b->n, avail_end = b->first + b->avail;
    for (;;) {
        uint64_t w = window_start(f, f->next_slot);
        if (w >= end) break;
        if (w >= b->first && w + 2 * CS_UMTS_SCH_CHIPS <= avail_end) {
            uint64_t off = w - b->first;
            int p = (int)(off & 1);
            size_t idx = (size_t)(off >> 1);
            slot(f, f->next_slot, b->re[p] + idx, b->im[p] + idx);
        }
        f->next_slot++;
    }
    return CS_OK;
}

/* Score every (group, first slot) word; keep the best few and the runner-up of the best.
 * A word's metric for group g and shift t sums score[s][c_g(s + t)] over the slots s;
 * written over j = s + t, it sums rot[c_g(j)][j][t] with rot[c][j][t] = score[j - t][c]
 * (slots mod 15): for each group, 15 additions of 16-shift rows instead of 225 scattered
 * loads (the ranking runs for every P-SCH candidate). */
static void rank(const cs_umts_frame_sync f, const double score[NS][NK], cs_umts_frame_sync_result *out,
                 double *second)
{
    enum { LANES = 16 }; /* NS shifts, padded */
    const uint8_t (*table)[NS] = cs_umts_ssc_table();
    double rot[NK][NS][LANES]; /* 30 KB */
    for (int c = 0; c < NK; c++) {
        double col[2 * NS]; /* score[s][c] twice over: col[j - t + NS] = score[(j - t) mod 15][c] */
        for (int q = 0; q < NS; q++) col[q] = col[q + NS] = score[q][c];
        for (int j = 0; j < NS; j++) {
            for (int t = 0; t < NS; t++) rot[c][j][t] = col[j - t + NS];
            rot[c][j][NS] = 0.0;
        }
    }
    double best[CS_UMTS_FRAME_HYPOTHESES];
    int bg[CS_UMTS_FRAME_HYPOTHESES], bs[CS_UMTS_FRAME_HYPOTHESES];
    for (int i = 0; i < CS_UMTS_FRAME_HYPOTHESES; i++) {
        best[i] = -INFINITY;
        bg[i] = bs[i] = 0;
    }
    for (int g = 0; g < CS_UMTS_NUM_GROUPS; g++) {
        double word[LANES] = { 0 };
        for (int j = 0; j < NS; j++) {
            const double *r = rot[table[g][j] - 1][j];
            for (int t = 0; t < LANES; t++) word[t] += r[t];
        }
        for (int shift = 0; shift < NS; shift++) {
            const double m = word[shift];
            int at = CS_UMTS_FRAME_HYPOTHESES;
            while (at > 0 && m > best[at - 1]) at--;
            if (at == CS_UMTS_FRAME_HYPOTHESES) continue;
            for (int i = CS_UMTS_FRAME_HYPOTHESES - 1; i > at; i--) {
                best[i] = best[i - 1];
                bg[i] = bg[i - 1];
                bs[i] = bs[i - 1];
            }
            best[at] = m;
            bg[at] = g;
            bs[at] = shift;
        }
    }
    for (int i = 0; i < CS_UMTS_FRAME_HYPOTHESES; i++) {
        out->hyp[i].group = bg[i];
        /* observed slot 0 is slot number bs of its frame: the next frame starts
         * (15 - bs) % 15 slots later */
        long start = f->slot_offset + (long)((NS - bs[i]) % NS) * UMTS_SLOT_SAMPLES;
        out->hyp[i].frame_start_samples = (double)umts_mod(start, UMTS_FRAME_SAMPLES);
        out->hyp[i].metric_z = best[i];
    }
    *second = best[1];
}

int cs_umts_frame_sync_result_get(cs_umts_frame_sync f, cs_umts_frame_sync_result *out)
{
    memset(out, 0, sizeof *out);
    out->slots = f->slots;
    out->freq_hz = NAN;
    if (f->slots < NS)
        return cs_error(CS_ENOTFOUND, "umts frame sync: %zu slots seen, 15 needed", f->slots);
    double second, score[NS][NK];
    memcpy(score, f->score, sizeof score);
    score_smoothed(f, score);
    rank(f, score, out, &second);
    /* Noise of one entry: robust spread (median absolute value / 0.6745) of the 240 entries,
     * 15 of which carry the cell. A word sums 15 entries. */
    float v[NS * NK];
    for (int s = 0; s < NS; s++)
        for (int m = 0; m < NK; m++) v[s * NK + m] = (float)fabs(score[s][m]);
    double sigma = umts_select_kth(v, NS * NK, NS * NK / 2) / 0.6745;
    double word = sigma > 0 ? sigma * sqrt((double)NS) : 1.0;
    for (int i = 0; i < CS_UMTS_FRAME_HYPOTHESES; i++) out->hyp[i].metric_z /= word;
    out->margin_z = out->hyp[0].metric_z - second / word;
    /* P-SCH SNR: noise of the 256-chip correlation is 256 times the chip power */
    double noise = f->io_power / (double)f->slots;
    double p = f->p_power / (double)f->slots;
    out->sch_snr = noise > 0 && p > noise ? (p - noise) / noise : 0.0;
    /* Frequency: halves 128 chips apart resolve the slot-to-slot estimate's 1500 Hz ambiguity. */
    const double t_half = 128.0 / CS_UMTS_CHIP_RATE_HZ, t_slot = 2560.0 / CS_UMTS_CHIP_RATE_HZ;
    if (cabs(f->half_acc) > 0) {
        double f_half = carg(f->half_acc) / (2.0 * M_PI * t_half);
        out->freq_hz = f_half;
        if (cabs(f->slot_acc) > 0) {
            double f_slot = carg(f->slot_acc) / (2.0 * M_PI * t_slot);
            double wraps = round((f_half - f_slot) * t_slot);
            out->freq_hz = f_slot + wraps / t_slot;
        }
    }
    return CS_OK;
}

double umts_frame_sync_coherence_z(cs_umts_frame_sync f)
{
    return f->p_power > 0 ? cabs(f->slot_acc) / f->p_power * sqrt((double)f->slots) : 0.0;
}
