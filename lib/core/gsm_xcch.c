/* xCCH channel coding (TS 45.003 §4.1) for BCCH, CCCH, SDCCH and SACCH: 184 data bits,
 * 40 Fire parity bits, 4 tail bits, the rate-1/2 code → 456 bits, block-diagonal
 * interleaving over 4 bursts: bit k goes to burst k mod 4, position
 * 2·((49k) mod 57) + ((k mod 8) div 4). Stealing flags are both 1 (control channel). */
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"

#define FIRE_BITS 40

static void interleave_position(int k, int *burst, int *pos)
{
    *burst = k % 4;
    *pos = 2 * ((49 * k) % 57) + ((k % 8) / 4);
}

int cs_gsm_xcch_encode(const uint8_t l2[CS_GSM_L2_OCTETS], uint8_t payload[4][CS_GSM_NB_PAYLOAD_BITS])
{
    if (!l2 || !payload)
        return cs_error(CS_EINVAL, "gsm: xCCH encoder needs a block and an output");
    uint8_t u[CS_GSM_XCCH_DATA_BITS + FIRE_BITS];
    for (int i = 0; i < CS_GSM_XCCH_DATA_BITS; i++)
        u[i] = (uint8_t)((l2[i / 8] >> (i % 8)) & 1u); /* octets go least significant bit first */
    cs_gsm_fire_parity(u, u + CS_GSM_XCCH_DATA_BITS);
    uint8_t c[CS_GSM_XCCH_CODED_BITS];
    int st = cs_gsm_conv_encode(u, CS_GSM_XCCH_DATA_BITS + FIRE_BITS, c);
    if (st != CS_OK)
        return st;
    for (int k = 0; k < CS_GSM_XCCH_CODED_BITS; k++) {
        int b, j;
        interleave_position(k, &b, &j);
        payload[b][j] = c[k];
    }
    return CS_OK;
}

int cs_gsm_xcch_bursts(const uint8_t l2[CS_GSM_L2_OCTETS], int tsc,
                       uint8_t bursts[4][CS_GSM_BURST_BITS])
{
    uint8_t payload[4][CS_GSM_NB_PAYLOAD_BITS];
    if (tsc < 0 || tsc > 7)
        return cs_error(CS_EINVAL, "gsm: training sequence code %d out of range 0..7", tsc);
    int st = cs_gsm_xcch_encode(l2, payload);
    for (int b = 0; b < 4 && st == CS_OK; b++)
        st = cs_gsm_normal_burst(payload[b], tsc, 1, 1, bursts[b]);
    return st;
}

int cs_gsm_xcch_decode(const float payload[4][CS_GSM_NB_PAYLOAD_BITS], uint8_t l2[CS_GSM_L2_OCTETS],
                       cs_gsm_xcch_result *res)
{
    if (!payload || !l2 || !res)
        return cs_error(CS_EINVAL, "gsm: xCCH decoder needs soft payloads, an output and a result");
    memset(res, 0, sizeof *res);
    float c[CS_GSM_XCCH_CODED_BITS];
    for (int k = 0; k < CS_GSM_XCCH_CODED_BITS; k++) {
        int b, j;
        interleave_position(k, &b, &j);
        c[k] = payload[b][j];
    }
    uint8_t u[CS_GSM_XCCH_DATA_BITS + FIRE_BITS];
    int st = cs_gsm_conv_decode(c, CS_GSM_XCCH_DATA_BITS + FIRE_BITS, u, &res->viterbi);
    if (st != CS_OK)
        return st;
    res->fire_ok = cs_gsm_fire_check(u, u + CS_GSM_XCCH_DATA_BITS);
    memset(l2, 0, CS_GSM_L2_OCTETS);
    for (int i = 0; i < CS_GSM_XCCH_DATA_BITS; i++)
        l2[i / 8] |= (uint8_t)(u[i] << (i % 8));
    return CS_OK;
}
