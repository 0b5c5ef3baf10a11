/* What a GSM BCCH carrier (C0) transmits in each timeslot (TS 45.002 §6.3, §7 Table 3):
 * TS0 follows the 51-frame multiframe of FCCH (F), SCH (S), BCCH norm (B), CCCH (C) and,
 * for a combined CCCH, SDCCH/4 + SACCH/4 (D, sent as dummy bursts: no channel assigned):
 *
 *   FN mod 51: 0 F, 1 S, 2-5 B, 6-9 C, 10 F, 11 S, 12-15 C, 16-19 C, 20 F, 21 S, 22-25 C|D,
 *              26-29 C|D, 30 F, 31 S, 32-35 C|D, 36-39 C|D, 40 F, 41 S, 42-45 C|D,
 *              46-49 C|D, 50 idle (dummy)
 *
 * BCCH norm: SI3 at TC = (FN div 51) mod 8 = 2 and 6, SI4 at TC 3 and 7 (§6.3.1.3); the
 * SI1/SI2 positions (TC 0, 1, 4, 5) repeat SI3 (even TC) and SI4 (odd TC), the generator
 * having no channel-list messages. CCCH blocks page nobody. TS1..7 carry dummy bursts.
 * Normal bursts use TSC = BCC. With a bursts file, its bursts replace the generated ones
 * in every (FN, TS) it holds. */
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

struct synth_gsm_c0 {
    int ncc, bcc;
    int combined;
    const synth_burst_file *file;
    uint8_t fcch[CS_GSM_BURST_BITS], dummy[CS_GSM_BURST_BITS];
    uint8_t si3[4][CS_GSM_BURST_BITS], si4[4][CS_GSM_BURST_BITS], paging[4][CS_GSM_BURST_BITS];
};

#define L2_FILL 0x2B

int synth_gsm_si4_encode(const cs_gsm_cell_id *id, uint8_t l2[CS_GSM_L2_OCTETS])
{
    /* SI3 holds every SI4 field: its LAI (octets 5..9), cell selection parameters
     * (14..15) and RACH control parameters (16..18). */
    uint8_t si3[CS_GSM_L2_OCTETS];
    int rc = cs_gsm_si3_encode(id, si3);
    if (rc) return rc;
    memset(l2, L2_FILL, CS_GSM_L2_OCTETS);
    l2[0] = (12 << 2) | 1; /* L2 pseudo length: 12 octets without the rest octets */
    l2[1] = 0x06;          /* radio resources management */
    l2[2] = 0x1C;          /* System Information Type 4 */
    memcpy(l2 + 3, si3 + 5, 5);
    memcpy(l2 + 8, si3 + 14, 2);
    memcpy(l2 + 10, si3 + 16, 3);
    return CS_OK; /* octets 13..22: SI4 rest octets, all options absent */
}

int synth_gsm_c0_create(const cs_synth_gsm *g, const synth_burst_file *file, synth_gsm_c0 **out)
{
    synth_gsm_c0 *c = calloc(1, sizeof *c);
    if (!c) return cs_error(CS_ENOMEM, "out of memory");
    c->ncc = g->ncc;
    c->bcc = g->bcc;
    c->combined = g->combined_ccch;
    c->file = file;
    cs_gsm_fcch_burst(c->fcch);
    cs_gsm_dummy_burst(c->dummy);
    cs_gsm_cell_id id = { g->mcc, g->mnc, g->mnc_digits, g->lac, g->ci };
    uint8_t l2[CS_GSM_L2_OCTETS];
    int rc = cs_gsm_si3_encode(&id, l2);
    /* Control channel description (SI3 octet 10, TS 44.018 §10.5.2.11): CCCH_CONF in its
     * low 3 bits, 001 = one basic physical channel combined with SDCCH/4. */
    if (g->combined_ccch) l2[10] = (uint8_t)((l2[10] & ~7u) | 1u);
    if (rc == CS_OK) rc = cs_gsm_xcch_bursts(l2, g->bcc, c->si3);
    if (rc == CS_OK) rc = synth_gsm_si4_encode(&id, l2);
    if (rc == CS_OK) rc = cs_gsm_xcch_bursts(l2, g->bcc, c->si4);
    if (rc == CS_OK) {
        cs_gsm_empty_paging(l2);
        rc = cs_gsm_xcch_bursts(l2, g->bcc, c->paging);
    }
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
    return CS_OK;
}

/* TS0 content at T3 = FN mod 51. */
static const uint8_t *ts0_burst(synth_gsm_c0 *c, uint32_t fn, uint8_t *sch)
{
    const int t3 = (int)(fn % 51);
    if (t3 == 50) return c->dummy;
    const int pos = t3 % 10; /* within the 10-frame groups that start at 0, 10, ..., 40 */
    if (pos == 0) return c->fcch;
    if (pos == 1) {
        cs_gsm_sch_burst(c->ncc, c->bcc, fn, sch);
        return sch;
    }
    /* Blocks of 4 frames start at T3 = 2, 6, 12, 16, 22, 26, ... */
    const int in_block = (pos - 2) % 4;
    if (t3 >= 2 && t3 <= 5) {
        const int tc = (int)((fn / 51) % 8);
        return (tc % 2 ? c->si4 : c->si3)[in_block];
    }
    if (c->combined && t3 >= 22) return c->dummy; /* SDCCH/4, SACCH/4: unassigned */
    return c->paging[in_block];
}

void synth_gsm_c0_slot(synth_gsm_c0 *c, uint32_t fn, int ts, uint8_t bits[CS_GSM_BURST_BITS])
{
    const uint8_t *b = c->file ? synth_burst_file_burst(c->file, fn, ts) : NULL;
    if (!b) b = ts == 0 ? ts0_burst(c, fn, bits) : c->dummy;
    if (b != bits) memcpy(bits, b, CS_GSM_BURST_BITS);
}

void synth_gsm_c0_destroy(synth_gsm_c0 *c) { free(c); }
