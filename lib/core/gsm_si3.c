/* The two broadcast L3 messages the generator needs and the detector reads
 * (TS 44.018): System Information Type 3 (§9.1.35), which carries the cell identity and
 * location area, and Paging Request Type 1 paging nobody (§9.1.22), the idle CCCH filler.
 * Both are 23-octet L2 blocks in the "Bbis" format: an L2 pseudo length octet, the L3
 * message, and fill octets 0x2B. */
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"

#define L2_FILL 0x2B
#define PD_RR 0x06
#define MT_SI3 0x1B
#define MT_PAGING_1 0x21
/* Pseudo length = octets of the message without rest octets, << 2, with bits "01". */
#define SI3_PSEUDO_LENGTH ((18 << 2) | 1)

/* Fixed SI3 fields: plausible values of a quiet network cell. */
static const uint8_t si3_fixed[9] = {
    0x48, /* control channel description: ATT 1, BS_AG_BLKS_RES 1, CCCH_CONF 0 (1 CCCH) */
    0x02, /* BS_PA_MFRMS = 4 multiframes between paging groups */
    0x0A, /* T3212 periodic update: 10 decihours */
    0x2F, /* cell options: no PWRC, "shall not use" uplink DTX, radio link timeout 64 */
    0x40, /* cell reselect hysteresis 4 dB, MS_TXPWR_MAX_CCH 0 */
    0x48, /* NECI 1, RXLEV_ACCESS_MIN 8 (-103 dBm) */
    0xF9, /* RACH: max 7 retransmissions, tx-integer 32 slots, not barred, RE 1 */
    0x00, /* access classes 15..8 all allowed */
    0x00, /* access classes 7..0 all allowed, emergency calls allowed */
};

int cs_gsm_si3_encode(const cs_gsm_cell_id *id, uint8_t l2[CS_GSM_L2_OCTETS])
{
    if (!id || !l2)
        return cs_error(CS_EINVAL, "gsm: SI3 encoder needs a cell identity and an output");
    if (id->mcc < 0 || id->mcc > 999 || id->mnc < 0 || id->mnc > 999 ||
        (id->mnc_digits != 2 && id->mnc_digits != 3) || (id->mnc_digits == 2 && id->mnc > 99))
        return cs_error(CS_EINVAL, "gsm: SI3: MCC %d / MNC %d with %d digits out of range", id->mcc,
                        id->mnc, id->mnc_digits);
    if (id->lac < 0 || id->lac > 0xFFFF || id->ci < 0 || id->ci > 0xFFFF)
        return cs_error(CS_EINVAL, "gsm: SI3: LAC %d / CI %d out of range 0..65535", id->lac,
                        id->ci);
    const int mcc1 = id->mcc / 100, mcc2 = id->mcc / 10 % 10, mcc3 = id->mcc % 10;
    int mnc1, mnc2, mnc3;
    if (id->mnc_digits == 3) {
        mnc1 = id->mnc / 100;
        mnc2 = id->mnc / 10 % 10;
        mnc3 = id->mnc % 10;
    } else {
        mnc1 = id->mnc / 10;
        mnc2 = id->mnc % 10;
        mnc3 = 0xF;
    }
    memset(l2, L2_FILL, CS_GSM_L2_OCTETS);
    l2[0] = SI3_PSEUDO_LENGTH;
    l2[1] = PD_RR;
    l2[2] = MT_SI3;
    l2[3] = (uint8_t)(id->ci >> 8);
    l2[4] = (uint8_t)id->ci;
    l2[5] = (uint8_t)(mcc2 << 4 | mcc1);
    l2[6] = (uint8_t)(mnc3 << 4 | mcc3);
    l2[7] = (uint8_t)(mnc2 << 4 | mnc1);
    l2[8] = (uint8_t)(id->lac >> 8);
    l2[9] = (uint8_t)id->lac;
    memcpy(l2 + 10, si3_fixed, sizeof si3_fixed);
    /* Octets 19..22: SI3 rest octets, every option absent ("L" bits = the fill pattern). */
    return CS_OK;
}

int cs_gsm_si3_parse(const uint8_t l2[CS_GSM_L2_OCTETS], cs_gsm_cell_id *id)
{
    if (!l2 || !id)
        return cs_error(CS_EINVAL, "gsm: SI3 parser needs a block and a result");
    if (l2[0] != SI3_PSEUDO_LENGTH || l2[1] != PD_RR || l2[2] != MT_SI3)
        return cs_error(CS_ENOTFOUND, "gsm: block %02x %02x %02x is not a System Information 3",
                        l2[0], l2[1], l2[2]);
    const int mcc1 = l2[5] & 0xF, mcc2 = l2[5] >> 4, mcc3 = l2[6] & 0xF;
    const int mnc3 = l2[6] >> 4, mnc1 = l2[7] & 0xF, mnc2 = l2[7] >> 4;
    if (mcc1 > 9 || mcc2 > 9 || mcc3 > 9 || mnc1 > 9 || mnc2 > 9 || (mnc3 > 9 && mnc3 != 0xF))
        return cs_error(CS_EFORMAT, "gsm: SI3 location area holds non-decimal digits %02x %02x %02x",
                        l2[5], l2[6], l2[7]);
    id->mcc = 100 * mcc1 + 10 * mcc2 + mcc3;
    if (mnc3 == 0xF) {
        id->mnc = 10 * mnc1 + mnc2;
        id->mnc_digits = 2;
    } else {
        id->mnc = 100 * mnc1 + 10 * mnc2 + mnc3;
        id->mnc_digits = 3;
    }
    id->ci = l2[3] << 8 | l2[4];
    id->lac = l2[8] << 8 | l2[9];
    return CS_OK;
}

void cs_gsm_empty_paging(uint8_t l2[CS_GSM_L2_OCTETS])
{
    static const uint8_t msg[] = {
        (5 << 2) | 1, /* L2 pseudo length: 5 octets of message */
        PD_RR, MT_PAGING_1,
        0x00,         /* page mode: normal paging; channel needed: any */
        0x01, 0xF0,   /* mobile identity 1: length 1, type "no identity" */
    };
    memset(l2, L2_FILL, CS_GSM_L2_OCTETS);
    memcpy(l2, msg, sizeof msg);
}
