/* The Fire code protecting every xCCH block (TS 45.003 §4.1.2):
 * g(D) = (D^23 + 1)(D^17 + D^3 + 1) = D^40 + D^26 + D^23 + D^17 + D^3 + 1; the 40 parity
 * bits make d(0)D^223 + … + d(183)D^40 + p(0)D^39 + … + p(39) leave the remainder
 * 1 + D + … + D^39 (parity inverted). Used for error detection only. */
#include "cellscan/gsm_coding.h"
#include "gsm_crc.h"

#define FIRE_DEG 40
#define FIRE_GEN_LOW ((1ull << 26) | (1ull << 23) | (1ull << 17) | (1ull << 3) | 1ull)

void cs_gsm_fire_parity(const uint8_t data[CS_GSM_XCCH_DATA_BITS], uint8_t parity[40])
{
    cs_gsm_crc_parity(data, CS_GSM_XCCH_DATA_BITS, FIRE_GEN_LOW, FIRE_DEG, parity);
}

int cs_gsm_fire_check(const uint8_t data[CS_GSM_XCCH_DATA_BITS], const uint8_t parity[40])
{
    uint8_t expect[FIRE_DEG];
    cs_gsm_fire_parity(data, expect);
    for (int j = 0; j < FIRE_DEG; j++)
        if ((parity[j] & 1u) != expect[j])
            return 0;
    return 1;
}
