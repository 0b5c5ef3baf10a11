/* UMTS synchronisation codes (TS 25.213 §5.2.3), the S-SCH group decoder and the fast
 * P-SCH / S-SCH correlators. Scrambling codes live in umts_scrambling.c, the allocation
 * table in umts_ssc_table.c. */
#include "cellscan/umts_codes.h"

#include "cellscan/status.h"

#include <math.h>
#include <stdlib.h>

/* Inner sequence a of the PSC, and the outer sign pattern that builds the 256 chips. */
static const int8_t psc_inner[16] = {1, 1, 1, 1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1};
static const int8_t psc_outer[16] = {1, 1, 1, -1, -1, 1, -1, -1, 1, 1, 1, -1, 1, -1, 1, 1};
/* z = <b,b,b,-b,b,b,-b,-b,b,-b,b,-b,-b,-b,-b,-b>, b = a with its last 8 elements negated. */
static const int8_t z_outer[16] = {1, 1, 1, -1, 1, 1, -1, -1, 1, -1, 1, -1, -1, -1, -1, -1};

static int8_t ssc_inner(int q) { return (int8_t)(q < 8 ? psc_inner[q] : -psc_inner[q]); }

/* Element n of row m of the 256x256 Sylvester Hadamard matrix. */
static int8_t hadamard(int m, int n) { return (__builtin_popcount((unsigned)(m & n)) & 1) ? -1 : 1; }

void cs_umts_psc_chips(int8_t out[CS_UMTS_SCH_CHIPS])
{
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++)
        out[i] = (int8_t)(psc_outer[i / 16] * psc_inner[i % 16]);
}

void cs_umts_psc_cf32(cs_cf32 out[CS_UMTS_SCH_CHIPS])
{
    int8_t c[CS_UMTS_SCH_CHIPS];
    cs_umts_psc_chips(c);
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++)
        out[i] = (float)c[i] * (1.0f + 1.0f * I);
}

void cs_umts_ssc_z(int8_t out[CS_UMTS_SCH_CHIPS])
{
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++)
        out[i] = (int8_t)(z_outer[i / 16] * ssc_inner(i % 16));
}

int cs_umts_ssc_chips(int k, int8_t out[CS_UMTS_SCH_CHIPS])
{
    if (k < 1 || k > CS_UMTS_NUM_SSC)
        return cs_error(CS_EINVAL, "umts: secondary synchronisation code %d out of range 1..16", k);
    int8_t z[CS_UMTS_SCH_CHIPS];
    cs_umts_ssc_z(z);
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++)
        out[i] = (int8_t)(hadamard(16 * (k - 1), i) * z[i]);
    return CS_OK;
}

int cs_umts_ssc_cf32(int k, cs_cf32 out[CS_UMTS_SCH_CHIPS])
{
    int8_t c[CS_UMTS_SCH_CHIPS];
    int st = cs_umts_ssc_chips(k, c);
    if (st != CS_OK)
        return st;
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++)
        out[i] = (float)c[i] * (1.0f + 1.0f * I);
    return CS_OK;
}

int cs_umts_ssc_number(int group, int slot)
{
    if (group < 0 || group >= CS_UMTS_NUM_GROUPS || slot < 0 || slot >= CS_UMTS_SLOTS_PER_FRAME)
        return cs_error(CS_EINVAL, "umts: no SSC for group %d slot %d (group 0..63, slot 0..14)",
                        group, slot);
    return cs_umts_ssc_table()[group][slot];
}

/* Evaluate all 960 (group, first_slot) words with score(s, k) and keep best/runner-up. */
static void decode_words(const float score[CS_UMTS_SLOTS_PER_FRAME][CS_UMTS_NUM_SSC],
                         cs_umts_group_match *out)
{
    const uint8_t (*table)[CS_UMTS_SLOTS_PER_FRAME] = cs_umts_ssc_table();
    float best = -INFINITY, second = -INFINITY;
    int best_g = 0, best_shift = 0;
    for (int g = 0; g < CS_UMTS_NUM_GROUPS; g++) {
        for (int shift = 0; shift < CS_UMTS_SLOTS_PER_FRAME; shift++) {
            float m = 0.0f;
            for (int s = 0; s < CS_UMTS_SLOTS_PER_FRAME; s++)
                m += score[s][table[g][(s + shift) % CS_UMTS_SLOTS_PER_FRAME] - 1];
            if (m > best) {
                second = best;
                best = m;
                best_g = g;
                best_shift = shift;
            } else if (m > second) {
                second = m;
            }
        }
    }
    out->group = best_g;
    out->first_slot = best_shift;
    out->metric = best;
    out->second_metric = second;
}

int cs_umts_ssc_decode_hard(const uint8_t seq[CS_UMTS_SLOTS_PER_FRAME], cs_umts_group_match *out)
{
    if (!seq || !out)
        return cs_error(CS_EINVAL, "umts: SSC decoder needs a sequence and a result");
    float score[CS_UMTS_SLOTS_PER_FRAME][CS_UMTS_NUM_SSC] = {{0}};
    for (int s = 0; s < CS_UMTS_SLOTS_PER_FRAME; s++) {
        if (seq[s] > CS_UMTS_NUM_SSC)
            return cs_error(CS_EINVAL, "umts: SSC number %u in slot position %d out of range 0..16",
                            seq[s], s);
        if (seq[s] > 0)
            score[s][seq[s] - 1] = 1.0f;
    }
    decode_words((const float(*)[CS_UMTS_NUM_SSC])score, out);
    return CS_OK;
}

int cs_umts_ssc_decode_soft(const float score[CS_UMTS_SLOTS_PER_FRAME][CS_UMTS_NUM_SSC],
                            cs_umts_group_match *out)
{
    if (!score || !out)
        return cs_error(CS_EINVAL, "umts: SSC decoder needs scores and a result");
    for (int s = 0; s < CS_UMTS_SLOTS_PER_FRAME; s++)
        for (int k = 0; k < CS_UMTS_NUM_SSC; k++)
            if (!isfinite(score[s][k]))
                return cs_error(CS_EINVAL, "umts: SSC score of slot %d code %d is not finite", s,
                                k + 1);
    decode_words(score, out);
    return CS_OK;
}

void cs_umts_fwht16(cs_cf32 v[16])
{
    for (int h = 1; h < 16; h *= 2) {
        for (int i = 0; i < 16; i += 2 * h) {
            for (int j = i; j < i + h; j++) {
                cs_cf32 a = v[j], b = v[j + h];
                v[j] = a + b;
                v[j + h] = a - b;
            }
        }
    }
}

void cs_umts_ssc_correlate(const cs_cf32 r[CS_UMTS_SCH_CHIPS], cs_cf32 corr[CS_UMTS_NUM_SSC])
{
    /* C_k(16p+q) = (1+j)·H16[k-1][p]·z(16p+q): strip z, sum each 16-chip block, then
     * one FWHT over the blocks gives every k at once; (1-j) is the conjugate of (1+j). */
    int8_t z[CS_UMTS_SCH_CHIPS];
    cs_umts_ssc_z(z);
    for (int p = 0; p < 16; p++) {
        cs_cf32 acc = 0.0f;
        for (int q = 0; q < 16; q++)
            acc += r[16 * p + q] * (float)z[16 * p + q];
        corr[p] = acc;
    }
    cs_umts_fwht16(corr);
    for (int k = 0; k < CS_UMTS_NUM_SSC; k++)
        corr[k] *= (1.0f - 1.0f * I);
}

long cs_umts_psc_correlate(const cs_cf32 *x, size_t n_samples, int samples_per_chip, cs_cf32 *out)
{
    if (!x || !out || samples_per_chip < 1 || samples_per_chip > 64)
        return cs_error(CS_EINVAL,
                        "umts: PSC correlator needs input, output and 1..64 samples per chip (got %d)",
                        samples_per_chip);
    const size_t spc = (size_t)samples_per_chip;
    const size_t span = 255 * spc + 1; /* samples covered by one output */
    if (n_samples < span)
        return 0;
    const size_t n_out = n_samples - span + 1;
    /* Inner 16-tap code results for the last 240·spc + 1 positions, in a ring: output t
     * needs inner[t + 16·spc·p] for p = 0..15. */
    const size_t ring_len = 240 * spc + 1;
    cs_cf32 *ring = malloc(ring_len * sizeof *ring);
    if (!ring)
        return cs_error(CS_ENOMEM, "umts: PSC correlator: no memory for %zu samples", ring_len);
    for (size_t u = 0; u < n_out + ring_len - 1; u++) {
        cs_cf32 acc = 0.0f;
        for (int q = 0; q < 16; q++)
            acc += (float)psc_inner[q] * x[u + (size_t)q * spc];
        ring[u % ring_len] = acc;
        if (u + 1 < ring_len)
            continue;
        const size_t t = u + 1 - ring_len;
        cs_cf32 sum = 0.0f;
        for (int p = 0; p < 16; p++)
            sum += (float)psc_outer[p] * ring[(t + (size_t)p * 16 * spc) % ring_len];
        out[t] = sum * (1.0f - 1.0f * I);
    }
    free(ring);
    return (long)n_out;
}
