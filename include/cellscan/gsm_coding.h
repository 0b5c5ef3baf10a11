/* GSM channel coding and burst layouts for the broadcast channels, bit-exact to
 * 3GPP TS 45.002 (bursts, frame numbers), TS 45.003 (SCH and xCCH coding) and
 * TS 44.018 (SCH information, System Information Type 3, Paging Request Type 1).
 *
 * Conventions:
 * - Bits are uint8_t 0/1, one per element.
 * - Soft values are floats with LLR sign: > 0 means bit 0, < 0 means bit 1, 0 means
 *   unknown; the magnitude is the confidence (an LLR or any proportional value — the
 *   Viterbi decoder is scale-invariant). A hard bit b maps to soft 1 - 2b.
 * - A burst is 148 bits (tail, payload, training, payload, tail); guard bits excluded.
 * - L2 blocks (BCCH/CCCH) are 23 octets; on air, octet n bit k (k = 0 is the least
 *   significant bit) is data bit d(8n + k). */
#ifndef CELLSCAN_GSM_CODING_H
#define CELLSCAN_GSM_CODING_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_GSM_BURST_BITS 148
#define CS_GSM_HYPERFRAME 2715648u    /* 26 · 51 · 2048 TDMA frames; FN wraps here */
#define CS_GSM_SCH_CODED_BITS 78
#define CS_GSM_SCH_TRAINING_BITS 64
#define CS_GSM_NB_TRAINING_BITS 26
#define CS_GSM_NB_PAYLOAD_BITS 114     /* coded bits per normal burst, stealing flags excluded */
#define CS_GSM_L2_OCTETS 23
#define CS_GSM_XCCH_DATA_BITS 184
#define CS_GSM_XCCH_CODED_BITS 456
#define CS_GSM_CONV_MAX_DATA_BITS 1024 /* longest block the Viterbi decoder accepts */

/* ---- Frame numbers (TS 45.002 §3.3.2) ------------------------------------------------ */

/* T1 = FN div 1326 (0..2047), T2 = FN mod 26, T3 = FN mod 51. CS_EINVAL when fn ≥ 2715648. */
CS_API int cs_gsm_fn_to_t123(uint32_t fn, int *t1, int *t2, int *t3);

/* FN = 51·((T3 − T2) mod 26) + T3 + 1326·T1; CS_EINVAL when a field is out of range. */
CS_API int cs_gsm_t123_to_fn(int t1, int t2, int t3, uint32_t *fn);

/* ---- Rate-1/2 K=5 convolutional code (TS 45.003 §4.1.3: G0 = 1+D^3+D^4,
 *      G1 = 1+D+D^3+D^4), used by SCH, xCCH and others ------------------------------- */

/* Encode n_data bits followed by 4 zero tail bits (added here) from the zero state:
 * coded receives 2·(n_data + 4) bits, c(2k) from G0 and c(2k+1) from G1. */
CS_API int cs_gsm_conv_encode(const uint8_t *data, size_t n_data, uint8_t *coded);

/* Quality of one Viterbi decode. */
typedef struct cs_gsm_viterbi_info {
    float correlation;    /* Σ soft·(1−2c) / Σ|soft| over the chosen path: 1 = every
                           * coded bit agrees with its soft sign, ~0 for noise */
    int coded_bit_errors; /* coded bits whose soft sign disagrees with the chosen path */
} cs_gsm_viterbi_info;

/* Soft-decision maximum-likelihood (Viterbi) decoder for the code above: soft holds
 * 2·(n_data + 4) soft values, the path starts and ends (tail) in the zero state.
 * data receives n_data bits; info (may be NULL) the path quality.
 * CS_EINVAL when n_data is 0 or above CS_GSM_CONV_MAX_DATA_BITS or a value is NaN. */
CS_API int cs_gsm_conv_decode(const float *soft, size_t n_data, uint8_t *data,
                              cs_gsm_viterbi_info *info);

/* ---- Fire code (TS 45.003 §4.1.2: g = (D^23+1)(D^17+D^3+1), 40 parity bits) ---------- */

/* Parity p0..p39 of 184 data bits (remainder inverted, p0 the coefficient of D^39). */
CS_API void cs_gsm_fire_parity(const uint8_t data[CS_GSM_XCCH_DATA_BITS], uint8_t parity[40]);

/* 1 when data and parity form a codeword, 0 otherwise. */
CS_API int cs_gsm_fire_check(const uint8_t data[CS_GSM_XCCH_DATA_BITS], const uint8_t parity[40]);

/* ---- Bursts (TS 45.002 §5.2) --------------------------------------------------------- */

/* Normal burst training sequence code tsc (0..7), 26 bits; CS_EINVAL when out of range. */
CS_API int cs_gsm_nb_training(int tsc, uint8_t out[CS_GSM_NB_TRAINING_BITS]);

/* The 64-bit extended training sequence of the SCH. */
CS_API void cs_gsm_sch_training(uint8_t out[CS_GSM_SCH_TRAINING_BITS]);

/* FCCH burst: 148 zero bits. */
CS_API void cs_gsm_fcch_burst(uint8_t burst[CS_GSM_BURST_BITS]);

/* Dummy burst (TS 45.002 §5.2.6): the fixed 142-bit pattern between 3-bit tails. */
CS_API void cs_gsm_dummy_burst(uint8_t burst[CS_GSM_BURST_BITS]);

/* Normal burst: 3 tail, payload[0..56], hl, training(tsc), hu, payload[57..113], 3 tail.
 * hl/hu are the stealing flags (1 for control channels: BCCH, CCCH, SDCCH, SACCH). */
CS_API int cs_gsm_normal_burst(const uint8_t payload[CS_GSM_NB_PAYLOAD_BITS], int tsc, int hl,
                               int hu, uint8_t burst[CS_GSM_BURST_BITS]);

/* Take a received normal burst's soft values apart: payload (114) and, when steal is not
 * NULL, the soft stealing flags steal[0] = hl, steal[1] = hu. */
CS_API void cs_gsm_normal_burst_payload(const float burst[CS_GSM_BURST_BITS],
                                        float payload[CS_GSM_NB_PAYLOAD_BITS], float steal[2]);

/* Hard bits → soft values (0 → +1, 1 → −1), n of them. */
CS_API void cs_gsm_bits_to_soft(const uint8_t *bits, size_t n, float *soft);

/* ---- SCH (TS 45.003 §4.7, TS 44.018 §9.1.30) ----------------------------------------- */

/* 78 coded bits of the SCH carrying BSIC (ncc, bcc: 0..7) at frame number fn, which must
 * be an SCH frame (FN mod 51 ∈ {1, 11, 21, 31, 41}); CS_EINVAL otherwise. */
CS_API int cs_gsm_sch_encode(int ncc, int bcc, uint32_t fn, uint8_t coded[CS_GSM_SCH_CODED_BITS]);

/* The complete 148-bit SCH burst (tails, coded bits around the extended training). */
CS_API int cs_gsm_sch_burst(int ncc, int bcc, uint32_t fn, uint8_t burst[CS_GSM_BURST_BITS]);

typedef struct cs_gsm_sch_result {
    int parity_ok;   /* the 10 parity bits check */
    int valid;       /* parity_ok and T2 < 26, T3' < 5 (the fields make a frame number) */
    int ncc, bcc;    /* BSIC */
    int t1, t2, t3;  /* T3 rebuilt from T3' as 10·T3' + 1 */
    uint32_t fn;     /* full frame number when valid, else 0 */
    cs_gsm_viterbi_info viterbi;
} cs_gsm_sch_result;

/* Decode 78 coded soft values (burst bits 3..41 then 106..144). Returns CS_OK whenever it
 * could run; the result says whether the parity checked. */
CS_API int cs_gsm_sch_decode(const float soft[CS_GSM_SCH_CODED_BITS], cs_gsm_sch_result *res);

/* Same from the soft values of a whole 148-bit SCH burst. */
CS_API int cs_gsm_sch_decode_burst(const float burst[CS_GSM_BURST_BITS], cs_gsm_sch_result *res);

/* ---- xCCH: BCCH, CCCH, SDCCH, SACCH (TS 45.003 §4.1) ---------------------------------- */

/* 23-octet L2 block → Fire code, convolutional code, block-diagonal interleaving over
 * 4 bursts: payload[b] is burst b's 114 coded bits (stealing flags are set by
 * cs_gsm_normal_burst, both 1 for these channels). */
CS_API int cs_gsm_xcch_encode(const uint8_t l2[CS_GSM_L2_OCTETS],
                              uint8_t payload[4][CS_GSM_NB_PAYLOAD_BITS]);

/* 4 complete normal bursts (tsc 0..7) for one L2 block. */
CS_API int cs_gsm_xcch_bursts(const uint8_t l2[CS_GSM_L2_OCTETS], int tsc,
                              uint8_t bursts[4][CS_GSM_BURST_BITS]);

typedef struct cs_gsm_xcch_result {
    int fire_ok; /* the 40 Fire parity bits check: the block is correct */
    cs_gsm_viterbi_info viterbi;
} cs_gsm_xcch_result;

/* Deinterleave the 4 bursts' soft payloads, Viterbi-decode and check the Fire code.
 * l2 receives the decoded octets (meaningful when res->fire_ok). */
CS_API int cs_gsm_xcch_decode(const float payload[4][CS_GSM_NB_PAYLOAD_BITS],
                              uint8_t l2[CS_GSM_L2_OCTETS], cs_gsm_xcch_result *res);

/* ---- Broadcast messages (TS 44.018) -------------------------------------------------- */

typedef struct cs_gsm_cell_id {
    int mcc;        /* 3 digits, 0..999 */
    int mnc;        /* 0..999 */
    int mnc_digits; /* 2 or 3 (MNC "02" has 2 digits, "002" has 3) */
    int lac;        /* location area code 0..65535 */
    int ci;         /* cell identity 0..65535 */
} cs_gsm_cell_id;

/* System Information Type 3 (§9.1.35) as a 23-octet L2 block: L2 pseudo length 0x49,
 * the cell identity and location area from id, and fixed, plausible values for the
 * control channel description, cell options, cell selection and RACH parameters;
 * rest octets all "L" (0x2B). CS_EINVAL when a field is out of range. */
CS_API int cs_gsm_si3_encode(const cs_gsm_cell_id *id, uint8_t l2[CS_GSM_L2_OCTETS]);

/* Read the cell identity out of an SI3 block. CS_ENOTFOUND when the block is not an SI3
 * (wrong pseudo length, protocol discriminator or message type), CS_EFORMAT when its
 * location area identity holds non-decimal digits. */
CS_API int cs_gsm_si3_parse(const uint8_t l2[CS_GSM_L2_OCTETS], cs_gsm_cell_id *id);

/* Paging Request Type 1 (§9.1.22) paging nobody ("empty paging"): what an idle CCCH
 * block carries. Fill octets 0x2B. */
CS_API void cs_gsm_empty_paging(uint8_t l2[CS_GSM_L2_OCTETS]);

#ifdef __cplusplus
}
#endif

#endif
