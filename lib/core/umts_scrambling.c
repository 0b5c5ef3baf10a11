/* UMTS downlink scrambling codes (TS 25.213 §5.2.2): two 18-stage m-sequences,
 * x: x(i+18) = x(i+7) ⊕ x(i), x(0) = 1, x(1..17) = 0;
 * y: y(i+18) = y(i+10) ⊕ y(i+7) ⊕ y(i+5) ⊕ y(i), y(0..17) = 1;
 * z_n(i) = x(i+n) ⊕ y(i); chip(i) = Z_n(i) + j·Z_n(i+131072), Z = +1 for 0, −1 for 1.
 * Starting anywhere (code offset n, first chip, the Q branch's 131072) is a jump in the
 * sequence, done with polynomial arithmetic instead of stepping the register. */
#include "cellscan/status.h"
#include "cellscan/umts_codes.h"

#define SEQ_PERIOD 262143u /* 2^18 - 1 */
#define Q_OFFSET 131072u

/* Characteristic polynomials without the D^18 term (bit j = coefficient of D^j). */
#define X_POLY ((1u << 7) | 1u)
#define Y_POLY ((1u << 10) | (1u << 7) | (1u << 5) | 1u)
#define X_INIT 1u          /* bit j = x(j) */
#define Y_INIT 0x3FFFFu    /* bit j = y(j) */

/* a·b mod (D^18 + poly) over GF(2), a and b of degree < 18. */
static uint32_t gf2_mulmod(uint32_t a, uint32_t b, uint32_t poly)
{
    uint64_t prod = 0;
    for (int i = 0; i < 18; i++)
        if (b & (1u << i))
            prod ^= (uint64_t)a << i;
    for (int i = 35; i >= 18; i--)
        if (prod & ((uint64_t)1 << i))
            prod ^= ((uint64_t)poly | (1u << 18)) << (i - 18);
    return (uint32_t)prod;
}

/* D^k mod (D^18 + poly). */
static uint32_t gf2_powmod(uint32_t k, uint32_t poly)
{
    uint32_t result = 1, base = 2;
    while (k) {
        if (k & 1)
            result = gf2_mulmod(result, base, poly);
        base = gf2_mulmod(base, base, poly);
        k >>= 1;
    }
    return result;
}

/* Register state (bit m = s(k+m), m = 0..17) of the sequence with the given polynomial and
 * initial bits, k steps on: s(k+m) is the initial state "read" by D^(k+m) mod p. */
static uint32_t lfsr_state_at(uint32_t k, uint32_t poly, uint32_t init)
{
    uint32_t r = gf2_powmod(k % SEQ_PERIOD, poly), state = 0;
    for (int m = 0; m < 18; m++) {
        state |= (uint32_t)(__builtin_popcount(r & init) & 1) << m;
        r = gf2_mulmod(r, 2, poly);
    }
    return state;
}

/* Advance one step: s(i+18) = parity of the tapped bits (taps = poly without D^18). */
static uint32_t lfsr_step(uint32_t state, uint32_t poly)
{
    uint32_t fb = (uint32_t)__builtin_popcount(state & poly) & 1u;
    return (state >> 1) | (fb << 17);
}

static int check_span(int n, size_t first_chip, size_t count, const void *out)
{
    if (n < 0 || n > CS_UMTS_MAX_SCRAMBLING_CODE)
        return cs_error(CS_EINVAL, "umts: scrambling code %d out of range 0..%d", n,
                        CS_UMTS_MAX_SCRAMBLING_CODE);
    if (first_chip > CS_UMTS_FRAME_CHIPS || count > CS_UMTS_FRAME_CHIPS - first_chip)
        return cs_error(CS_EINVAL, "umts: scrambling chips %zu..+%zu leave the %d-chip frame",
                        first_chip, count, CS_UMTS_FRAME_CHIPS);
    if (count > 0 && !out)
        return cs_error(CS_EINVAL, "umts: scrambling code output buffer is NULL");
    return CS_OK;
}

/* Four registers run side by side: x and y for the I branch, both 131072 on for Q. */
int cs_umts_scrambling_chips(int n, size_t first_chip, size_t count, int8_t *iq)
{
    int st = check_span(n, first_chip, count, iq);
    if (st != CS_OK)
        return st;
    const uint32_t i0 = (uint32_t)first_chip;
    uint32_t xi = lfsr_state_at(i0 + (uint32_t)n, X_POLY, X_INIT);
    uint32_t xq = lfsr_state_at(i0 + (uint32_t)n + Q_OFFSET, X_POLY, X_INIT);
    uint32_t yi = lfsr_state_at(i0, Y_POLY, Y_INIT);
    uint32_t yq = lfsr_state_at(i0 + Q_OFFSET, Y_POLY, Y_INIT);
    for (size_t i = 0; i < count; i++) {
        iq[2 * i] = (int8_t)(((xi ^ yi) & 1u) ? -1 : 1);
        iq[2 * i + 1] = (int8_t)(((xq ^ yq) & 1u) ? -1 : 1);
        xi = lfsr_step(xi, X_POLY);
        xq = lfsr_step(xq, X_POLY);
        yi = lfsr_step(yi, Y_POLY);
        yq = lfsr_step(yq, Y_POLY);
    }
    return CS_OK;
}

int cs_umts_scrambling_cf32(int n, size_t first_chip, size_t count, cs_cf32 *out)
{
    int st = check_span(n, first_chip, count, out);
    if (st != CS_OK)
        return st;
    /* Generate in small blocks so no allocation is needed. */
    int8_t iq[2 * 512];
    for (size_t done = 0; done < count;) {
        size_t m = count - done < 512 ? count - done : 512;
        cs_umts_scrambling_chips(n, first_chip + done, m, iq);
        for (size_t i = 0; i < m; i++)
            out[done + i] = (float)iq[2 * i] + (float)iq[2 * i + 1] * I;
        done += m;
    }
    return CS_OK;
}
