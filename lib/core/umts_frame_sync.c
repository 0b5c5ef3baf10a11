/* S-SCH frame synchronisation and code-group identification (see umts_frame_sync.h). */
#include "cellscan/umts_frame_sync.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "umts_internal.h"
#include "umts_kernels.h"

#define NS CS_UMTS_SLOTS_PER_FRAME
#define NK CS_UMTS_NUM_SSC

struct cs_umts_frame_sync_s {
    int slot_offset;
    double drift;            /* samples per sample */
    const umts_kernels *k;
    float psc[CS_UMTS_SCH_CHIPS], zero[CS_UMTS_SCH_CHIPS], z[CS_UMTS_SCH_CHIPS];
    uint64_t next_slot;      /* slots are counted from the first window at or after 0 */
    size_t slots;
    double score[NS][NK];
    double p_power, io_power; /* sums of |P|^2 and of chip power */
    double complex half_acc, slot_acc, p_prev;
    int have_prev;
    uint64_t prev_slot;
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

void cs_umts_frame_sync_destroy(cs_umts_frame_sync f) { free(f); }

/* One slot's SCH: chips r (SoA, 256). */
static void slot(cs_umts_frame_sync f, uint64_t k, const float *rr, const float *ri)
{
    /* P-SCH: sum r a over each half; the (1 - j) of conj(1 + j) is left out on both codes. */
    float h1r, h1i, h2r, h2i;
    f->k->despread(rr, ri, f->psc, f->zero, 128, &h1r, &h1i);
    f->k->despread(rr + 128, ri + 128, f->psc + 128, f->zero, 128, &h2r, &h2i);
    const double complex h1 = h1r + I * h1i, h2 = h2r + I * h2i, p = h1 + h2;
    /* S-SCH: strip z, sum the 16-chip blocks, one 16-point Walsh-Hadamard transform gives
     * all 16 codes (as cs_umts_ssc_correlate, on these split arrays, without its (1 - j)) */
    cs_cf32 v[NK];
    for (int b = 0; b < NK; b++) {
        float vr = 0.0f, vi = 0.0f;
        for (int q = 0; q < 16; q++) {
            vr += f->z[16 * b + q] * rr[16 * b + q];
            vi += f->z[16 * b + q] * ri[16 * b + q];
        }
        v[b] = vr + I * vi;
    }
    cs_umts_fwht16(v);
    const double io = f->k->energy(rr, CS_UMTS_SCH_CHIPS) + f->k->energy(ri, CS_UMTS_SCH_CHIPS);
    const int pos = (int)(k % NS);
    for (int m = 0; m < NK; m++) f->score[pos][m] += creal((double complex)v[m] * conj(p));
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

/* Score every (group, first slot) word; keep the best few and the runner-up of the best. */
static void rank(const cs_umts_frame_sync f, cs_umts_frame_sync_result *out, double *second)
{
    const uint8_t (*table)[NS] = cs_umts_ssc_table();
    double best[CS_UMTS_FRAME_HYPOTHESES];
    int bg[CS_UMTS_FRAME_HYPOTHESES], bs[CS_UMTS_FRAME_HYPOTHESES];
    for (int i = 0; i < CS_UMTS_FRAME_HYPOTHESES; i++) {
        best[i] = -INFINITY;
        bg[i] = bs[i] = 0;
    }
    for (int g = 0; g < CS_UMTS_NUM_GROUPS; g++)
        for (int shift = 0; shift < NS; shift++) {
            double m = 0.0;
            for (int s = 0; s < NS; s++) m += f->score[s][table[g][(s + shift) % NS] - 1];
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
    double second;
    rank(f, out, &second);
    /* Noise of one entry: robust spread (median absolute value / 0.6745) of the 240 entries,
     * 15 of which carry the cell. A word sums 15 entries. */
    float v[NS * NK];
    for (int s = 0; s < NS; s++)
        for (int m = 0; m < NK; m++) v[s * NK + m] = (float)fabs(f->score[s][m]);
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
