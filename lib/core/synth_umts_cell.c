/* UMTS FDD downlink cell at chip level (TS 25.211 §5.3, TS 25.213 §5): P-SCH and S-SCH in
 * the first 256 chips of every slot (not scrambled, times a = sch_sign), P-CPICH (SF256
 * code 0, symbol 1+j), P-CCPCH (SF256 code 1, random QPSK, silent while the SCH is on) and
 * OCNS (SF128 codes of TS 25.101 Table C.6, equal powers, random QPSK), all scrambled with
 * the primary scrambling code 16·psc. Total power averages 1 over a frame.
 *
 * The downlink sum over channelisation codes of one 128-chip block is a Walsh–Hadamard
 * transform: OVSF code k of SF128 is Hadamard row bitrev7(k), and the SF256 codes 0 and 1
 * are ± code 0 of SF128 on the two halves of their symbol. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "synth_internal.h"

#define SF128 128
#define BLOCKS_PER_SLOT (CS_UMTS_SLOT_CHIPS / SF128) /* 20 */

/* OCNS channelisation codes at SF128 (TS 25.101 Table C.6), all outside the subtree of
 * SF128 code 0 that holds the CPICH and P-CCPCH. */
static const int ocns_code[CS_SYNTH_MAX_OCNS] = { 2,  11, 17, 23, 31,  38,  47,  55,
                                                  62, 69, 78, 85, 94, 125, 113, 119 };

struct synth_umts_cell {
    cs_cf32 *scr;                /* 38400 scrambling chips / sqrt(2) */
    cs_cf32 psch[CS_UMTS_SCH_CHIPS];
    cs_cf32 ssch[CS_UMTS_SLOTS_PER_FRAME][CS_UMTS_SCH_CHIPS]; /* per slot, a and gain applied */
    float g_cpich, g_pccpch, g_ocns;
    int n_ocns;
    int row[CS_SYNTH_MAX_OCNS];  /* Hadamard row of each OCNS code */
    cs_rng rng;
};

int synth_umts_power_split(const cs_synth_umts *u, double *cpich, double *pccpch, double *psch,
                           double *ssch, double *ocns_total)
{
    *cpich = pow(10.0, u->cpich_db / 10.0);
    *pccpch = pow(10.0, u->pccpch_db / 10.0);
    *psch = pow(10.0, u->psch_db / 10.0);
    *ssch = pow(10.0, u->ssch_db / 10.0);
    /* P-CCPCH is off for 256 of 2560 chips, the SCH on for them only. */
    const double duty_sch = (double)CS_UMTS_SCH_CHIPS / CS_UMTS_SLOT_CHIPS;
    double fixed = *cpich + *pccpch * (1.0 - duty_sch) + (*psch + *ssch) * duty_sch;
    *ocns_total = 1.0 - fixed;
    if (*ocns_total < -1e-12)
        return cs_error(CS_EINVAL, "UMTS PSC %d: CPICH %g dB, P-CCPCH %g dB and SCH %g/%g dB "
                        "already exceed the cell's total power (%.3f of it)", u->psc, u->cpich_db,
                        u->pccpch_db, u->psch_db, u->ssch_db, fixed);
    if (*ocns_total < 0) *ocns_total = 0;
    if (u->ocns_codes == 0 && *ocns_total > 1e-9)
        return cs_error(CS_EINVAL, "UMTS PSC %d: with no OCNS codes the channels must add up to "
                        "the total power (they give %.3f of it)", u->psc, fixed);
    return CS_OK;
}

static int bitrev7(int k)
{
    int r = 0;
    for (int b = 0; b < 7; b++) r |= ((k >> b) & 1) << (6 - b);
    return r;
}

int synth_umts_cell_create(const cs_synth_umts *u, uint64_t seed, size_t index,
                           synth_umts_cell **out)
{
    double cp, pc, ps, ss, oc;
    int rc = synth_umts_power_split(u, &cp, &pc, &ps, &ss, &oc);
    if (rc) return rc;
    synth_umts_cell *c = calloc(1, sizeof *c);
    if (!c) return cs_error(CS_ENOMEM, "out of memory");
    c->scr = malloc(CS_UMTS_FRAME_CHIPS * sizeof *c->scr);
    if (!c->scr) {
        free(c);
        return cs_error(CS_ENOMEM, "out of memory");
    }
    rc = cs_umts_scrambling_cf32(cs_umts_psc_code_number(u->psc), 0, CS_UMTS_FRAME_CHIPS, c->scr);
    if (rc == CS_OK) rc = cs_rng_create(seed, synth_stream(SYNTH_STREAM_PAYLOAD, SYNTH_CLASS_UMTS, index), &c->rng);
    if (rc != CS_OK) {
        synth_umts_cell_destroy(c);
        return rc;
    }
    for (int i = 0; i < CS_UMTS_FRAME_CHIPS; i++) c->scr[i] *= (float)M_SQRT1_2;
    const float a = (float)u->sch_sign;
    cs_umts_psc_cf32(c->psch);
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++) c->psch[i] *= a * (float)(sqrt(ps) * M_SQRT1_2);
    int group = u->psc / 8;
    for (int s = 0; s < CS_UMTS_SLOTS_PER_FRAME; s++) {
        cs_umts_ssc_cf32(cs_umts_ssc_number(group, s), c->ssch[s]);
        for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++) c->ssch[s][i] *= a * (float)(sqrt(ss) * M_SQRT1_2);
    }
    c->g_cpich = (float)sqrt(cp);
    c->g_pccpch = (float)sqrt(pc);
    c->n_ocns = u->ocns_codes;
    c->g_ocns = c->n_ocns ? (float)sqrt(oc / c->n_ocns) : 0.0f;
    for (int k = 0; k < c->n_ocns; k++) c->row[k] = bitrev7(ocns_code[k]);
    *out = c;
    return CS_OK;
}

/* In-place Walsh–Hadamard transform, Sylvester order: v[i] <- sum_m v[m] (-1)^popcount(m&i). */
static void fwht128(cs_cf32 *v)
{
    for (int h = 1; h < SF128; h <<= 1)
        for (int i = 0; i < SF128; i += 2 * h)
            for (int j = i; j < i + h; j++) {
                cs_cf32 x = v[j], y = v[j + h];
                v[j] = x + y;
                v[j + h] = x - y;
            }
}

static inline cs_cf32 qpsk(const uint8_t *b)
{
    return ((1.0f - 2.0f * b[0]) + I * (1.0f - 2.0f * b[1])) * (float)M_SQRT1_2;
}

void synth_umts_cell_slot(synth_umts_cell *c, int slot, cs_cf32 chips[CS_UMTS_SLOT_CHIPS])
{
    /* Draws per slot: P-CCPCH symbols 1..9 (symbol 0 lies under the SCH), then the OCNS
     * codes' 20 symbols each. */
    uint8_t pc_bits[2 * 10], oc_bits[2 * BLOCKS_PER_SLOT * CS_SYNTH_MAX_OCNS];
    cs_rng_fill_bits(c->rng, pc_bits + 2, 18);
    cs_rng_fill_bits(c->rng, oc_bits, (size_t)(2 * BLOCKS_PER_SLOT * c->n_ocns));
    const cs_cf32 cpich = c->g_cpich * (1.0f + I) * (float)M_SQRT1_2;
    const cs_cf32 *scr = c->scr + (size_t)slot * CS_UMTS_SLOT_CHIPS;
    for (int b = 0; b < BLOCKS_PER_SLOT; b++) {
        cs_cf32 *w = chips + b * SF128;
        memset(w, 0, SF128 * sizeof *w);
        const int sym256 = b / 2, half = b % 2;
        w[0] = cpich;
        if (sym256 > 0) /* P-CCPCH: code 1 = [+code0, -code0] of SF128 */
            w[0] += (half ? -c->g_pccpch : c->g_pccpch) * qpsk(pc_bits + 2 * sym256);
        for (int k = 0; k < c->n_ocns; k++)
            w[c->row[k]] += c->g_ocns * qpsk(oc_bits + 2 * (k * BLOCKS_PER_SLOT + b));
        fwht128(w);
        for (int i = 0; i < SF128; i++) w[i] *= scr[b * SF128 + i];
    }
    for (int i = 0; i < CS_UMTS_SCH_CHIPS; i++) chips[i] += c->psch[i] + c->ssch[slot][i];
}

void synth_umts_cell_destroy(synth_umts_cell *c)
{
    if (!c) return;
    free(c->scr);
    cs_rng_destroy(c->rng);
    free(c);
}
