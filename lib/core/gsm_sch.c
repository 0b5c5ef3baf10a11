/* GSM frame numbers (TS 45.002 §3.3.2) and the synchronisation channel: 25 information
 * bits (TS 44.018 §9.1.30), 10 parity bits, convolutional code (TS 45.003 §4.7), and the
 * SCH burst around the 64-bit extended training sequence (TS 45.002 §5.2.5). */
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"
#include "gsm_crc.h"

#define SCH_INFO_BITS 25
#define SCH_PARITY_BITS 10
#define SCH_PARITY_GEN_LOW ((1u << 8) | (1u << 6) | (1u << 5) | (1u << 4) | (1u << 2) | 1u)
#define SCH_DATA1_START 3
#define SCH_TRAINING_START 42
#define SCH_DATA2_START 106
#define SCH_HALF 39

/* Where each field's bits sit among d0..d24, most significant bit first. */
static const int ncc_bits[3] = {7, 6, 5};
static const int bcc_bits[3] = {4, 3, 2};
static const int t1_bits[11] = {1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 23};
static const int t2_bits[5] = {22, 21, 20, 19, 18};
static const int t3p_bits[3] = {17, 16, 24};

static void put_field(uint8_t *d, const int *pos, int n, int value)
{
    for (int i = 0; i < n; i++)
        d[pos[i]] = (uint8_t)((value >> (n - 1 - i)) & 1);
}

static int get_field(const uint8_t *d, const int *pos, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 1) | d[pos[i]];
    return v;
}

int cs_gsm_fn_to_t123(uint32_t fn, int *t1, int *t2, int *t3)
{
    if (fn >= CS_GSM_HYPERFRAME)
        return cs_error(CS_EINVAL, "gsm: frame number %u beyond the hyperframe (< %u)", fn,
                        CS_GSM_HYPERFRAME);
    *t1 = (int)(fn / 1326u);
    *t2 = (int)(fn % 26u);
    *t3 = (int)(fn % 51u);
    return CS_OK;
}

int cs_gsm_t123_to_fn(int t1, int t2, int t3, uint32_t *fn)
{
    if (t1 < 0 || t1 > 2047 || t2 < 0 || t2 > 25 || t3 < 0 || t3 > 50)
        return cs_error(CS_EINVAL, "gsm: T1 %d, T2 %d, T3 %d out of range (0..2047, 0..25, 0..50)",
                        t1, t2, t3);
    const int diff = ((t3 - t2) % 26 + 26) % 26;
    *fn = (uint32_t)(51 * diff + t3 + 1326 * t1);
    return CS_OK;
}

int cs_gsm_sch_encode(int ncc, int bcc, uint32_t fn, uint8_t coded[CS_GSM_SCH_CODED_BITS])
{
    if (ncc < 0 || ncc > 7 || bcc < 0 || bcc > 7)
        return cs_error(CS_EINVAL, "gsm: BSIC %d/%d out of range (NCC and BCC 0..7)", ncc, bcc);
    int t1 = 0, t2 = 0, t3 = 0;
    int st = cs_gsm_fn_to_t123(fn, &t1, &t2, &t3);
    if (st != CS_OK)
        return st;
    if (t3 % 10 != 1 || t3 > 41)
        return cs_error(CS_EINVAL,
                        "gsm: FN %u is not an SCH frame (FN mod 51 = %d, need 1, 11, 21, 31 or 41)",
                        fn, t3);
    uint8_t u[SCH_INFO_BITS + SCH_PARITY_BITS];
    put_field(u, ncc_bits, 3, ncc);
    put_field(u, bcc_bits, 3, bcc);
    put_field(u, t1_bits, 11, t1);
    put_field(u, t2_bits, 5, t2);
    put_field(u, t3p_bits, 3, (t3 - 1) / 10);
    cs_gsm_crc_parity(u, SCH_INFO_BITS, SCH_PARITY_GEN_LOW, SCH_PARITY_BITS, u + SCH_INFO_BITS);
    return cs_gsm_conv_encode(u, SCH_INFO_BITS + SCH_PARITY_BITS, coded);
}

int cs_gsm_sch_burst(int ncc, int bcc, uint32_t fn, uint8_t burst[CS_GSM_BURST_BITS])
{
    uint8_t coded[CS_GSM_SCH_CODED_BITS];
    int st = cs_gsm_sch_encode(ncc, bcc, fn, coded);
    if (st != CS_OK)
        return st;
    memset(burst, 0, CS_GSM_BURST_BITS);
    memcpy(burst + SCH_DATA1_START, coded, SCH_HALF);
    cs_gsm_sch_training(burst + SCH_TRAINING_START);
    memcpy(burst + SCH_DATA2_START, coded + SCH_HALF, SCH_HALF);
    return CS_OK;
}

int cs_gsm_sch_decode(const float soft[CS_GSM_SCH_CODED_BITS], cs_gsm_sch_result *res)
{
    if (!soft || !res)
        return cs_error(CS_EINVAL, "gsm: SCH decoder needs soft values and a result");
    memset(res, 0, sizeof *res);
    uint8_t u[SCH_INFO_BITS + SCH_PARITY_BITS];
    int st = cs_gsm_conv_decode(soft, SCH_INFO_BITS + SCH_PARITY_BITS, u, &res->viterbi);
    if (st != CS_OK)
        return st;
    uint8_t parity[SCH_PARITY_BITS];
    cs_gsm_crc_parity(u, SCH_INFO_BITS, SCH_PARITY_GEN_LOW, SCH_PARITY_BITS, parity);
    res->parity_ok = !memcmp(parity, u + SCH_INFO_BITS, SCH_PARITY_BITS);
    res->ncc = get_field(u, ncc_bits, 3);
    res->bcc = get_field(u, bcc_bits, 3);
    res->t1 = get_field(u, t1_bits, 11);
    res->t2 = get_field(u, t2_bits, 5);
    res->t3 = 10 * get_field(u, t3p_bits, 3) + 1;
    /* T3' = 5..7 would mean T3 = 51..71: no such frame. */
    res->valid = res->parity_ok && res->t2 < 26 && res->t3 <= 41 &&
                 cs_gsm_t123_to_fn(res->t1, res->t2, res->t3, &res->fn) == CS_OK;
    if (!res->valid)
        res->fn = 0;
    return CS_OK;
}

int cs_gsm_sch_decode_burst(const float burst[CS_GSM_BURST_BITS], cs_gsm_sch_result *res)
{
    if (!burst)
        return cs_error(CS_EINVAL, "gsm: SCH decoder needs a burst");
    float soft[CS_GSM_SCH_CODED_BITS];
    memcpy(soft, burst + SCH_DATA1_START, SCH_HALF * sizeof(float));
    memcpy(soft + SCH_HALF, burst + SCH_DATA2_START, SCH_HALF * sizeof(float));
    return cs_gsm_sch_decode(soft, res);
}
