/* Internal: systematic cyclic-code parity as used by the GSM SCH parity code and the Fire
 * code (TS 45.003 §4.1.2, §4.7). Header-only so both coders share one definition. */
#ifndef CELLSCAN_GSM_CRC_H
#define CELLSCAN_GSM_CRC_H

#include <stddef.h>
#include <stdint.h>

/* Remainder of (bits[0]·D^(n-1) + … + bits[n-1]) · D^deg divided by
 * g(D) = D^deg + gen_low(D); bit j of the result is the coefficient of D^j. deg ≤ 63. */
static inline uint64_t cs_gsm_crc_remainder(const uint8_t *bits, size_t n, uint64_t gen_low,
                                            int deg)
{
    const uint64_t mask = ((uint64_t)1 << deg) - 1;
    uint64_t reg = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t feedback = ((reg >> (deg - 1)) ^ bits[i]) & 1u;
        reg = (reg << 1) & mask;
        if (feedback)
            reg ^= gen_low;
    }
    return reg;
}

/* GSM parity bits: the inverted remainder, p[0] the coefficient of D^(deg-1). */
static inline void cs_gsm_crc_parity(const uint8_t *bits, size_t n, uint64_t gen_low, int deg,
                                     uint8_t *parity)
{
    uint64_t rem = cs_gsm_crc_remainder(bits, n, gen_low, deg);
    for (int j = 0; j < deg; j++)
        parity[j] = (uint8_t)(((rem >> (deg - 1 - j)) & 1u) ^ 1u);
}

#endif
