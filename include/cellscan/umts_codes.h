/* UMTS FDD downlink code generators (3GPP TS 25.213 §5.2): primary and secondary
 * synchronisation codes, the S-SCH group/slot allocation (Table 4), downlink scrambling
 * codes, and the fast correlators the cell searcher builds on.
 *
 * Chip conventions: a chip value is +1 or -1 per component; "bits" in the standard map
 * 0 → +1 and 1 → -1. The PSC and SSCs carry the factor (1+j): their real and imaginary
 * parts are equal, so the int8 forms below give one sign per chip (the real part) and the
 * cf32 forms give the full complex chip (±1 ± j). */
#ifndef CELLSCAN_UMTS_CODES_H
#define CELLSCAN_UMTS_CODES_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_UMTS_CHIP_RATE_HZ 3840000.0
#define CS_UMTS_SCH_CHIPS 256        /* length of the PSC and of every SSC */
#define CS_UMTS_SLOT_CHIPS 2560      /* one slot */
#define CS_UMTS_SLOTS_PER_FRAME 15
#define CS_UMTS_FRAME_CHIPS 38400    /* one 10 ms radio frame */
#define CS_UMTS_NUM_SSC 16           /* secondary codes k = 1..16 */
#define CS_UMTS_NUM_GROUPS 64        /* scrambling code groups 0..63 */
#define CS_UMTS_NUM_PSC 512          /* primary scrambling code indices 0..511 */
#define CS_UMTS_MAX_SCRAMBLING_CODE 262142 /* n = 0 .. 2^18 - 2 */

/* ---- Synchronisation codes ---------------------------------------------------------- */

/* Primary synchronisation code: out[i] = real part of chip i (±1), i = 0..255. */
CS_API void cs_umts_psc_chips(int8_t out[CS_UMTS_SCH_CHIPS]);

/* Primary synchronisation code as complex chips (1+j)·a(i). */
CS_API void cs_umts_psc_cf32(cs_cf32 out[CS_UMTS_SCH_CHIPS]);

/* Secondary synchronisation code k (1..16): out[i] = real part of chip i (±1).
 * Returns CS_EINVAL when k is out of range. */
CS_API int cs_umts_ssc_chips(int k, int8_t out[CS_UMTS_SCH_CHIPS]);

/* Secondary synchronisation code k (1..16) as complex chips. */
CS_API int cs_umts_ssc_cf32(int k, cs_cf32 out[CS_UMTS_SCH_CHIPS]);

/* The sequence z of TS 25.213 §5.2.3.1 (±1, 256 chips): every SSC is (1+j)·h_m·z where
 * h_m is Hadamard row m = 16(k-1), which is constant over each 16-chip block. */
CS_API void cs_umts_ssc_z(int8_t out[CS_UMTS_SCH_CHIPS]);

/* ---- S-SCH allocation (TS 25.213 Table 4) ------------------------------------------- */

/* SSC number (1..16) transmitted by a cell of `group` (0..63) in `slot` (0..14), or a
 * negative status (CS_EINVAL) when either is out of range. */
CS_API int cs_umts_ssc_number(int group, int slot);

/* The whole table: row g, column s = SSC number (1..16) of group g in slot s. */
CS_API const uint8_t (*cs_umts_ssc_table(void))[CS_UMTS_SLOTS_PER_FRAME];

/* Result of identifying (group, frame timing) from 15 consecutive slots. `first_slot` is
 * the slot number (0..14) within the radio frame of the first observed slot; the next
 * frame therefore starts (15 - first_slot) % 15 slots after the first observed slot. */
typedef struct cs_umts_group_match {
    int group;           /* 0..63 */
    int first_slot;      /* 0..14 */
    float metric;        /* sum of the matched scores (soft) or matching slots (hard) */
    float second_metric; /* best metric over all other (group, first_slot) hypotheses */
} cs_umts_group_match;

/* Hard decision: seq[s] = SSC number (1..16, or 0 for "unknown") detected in the s-th of
 * 15 consecutive slots. Picks the (group, first_slot) word agreeing in most slots; metric
 * counts agreeing slots. Because any two words differ in at least 13 slots, up to 6 wrong
 * or unknown entries still give the right answer. CS_EINVAL on out-of-range entries. */
CS_API int cs_umts_ssc_decode_hard(const uint8_t seq[CS_UMTS_SLOTS_PER_FRAME],
                                   cs_umts_group_match *out);

/* Soft decision (TS 25.214 Annex C step 2): score[s][k-1] = accumulated correlation
 * energy of SSC k in the s-th observed slot position. Evaluates all 960 hypotheses
 * (64 groups × 15 slot positions) and returns the best and the runner-up metric. */
CS_API int cs_umts_ssc_decode_soft(const float score[CS_UMTS_SLOTS_PER_FRAME][CS_UMTS_NUM_SSC],
                                   cs_umts_group_match *out);

/* ---- Fast correlators ---------------------------------------------------------------- */

/* In-place 16-point fast Walsh–Hadamard transform (Sylvester order, unnormalised):
 * v[m] ← Σ_p (-1)^popcount(m & p) · v[p]. */
CS_API void cs_umts_fwht16(cs_cf32 v[16]);

/* Correlate 256 received chips (1 sample per chip, aligned on the SCH) with all 16 SSCs:
 * corr[k-1] = Σ_i r[i]·conj(C_ssc,k(i)). Cost: 256 sign multiplies, 16 block sums and one
 * 16-point FWHT instead of 16 × 256 complex MACs. A clean SSC_k of amplitude A gives
 * corr[k-1] = 512·A and 0 for the others (the codes are orthogonal). */
CS_API void cs_umts_ssc_correlate(const cs_cf32 r[CS_UMTS_SCH_CHIPS],
                                  cs_cf32 corr[CS_UMTS_NUM_SSC]);

/* P-SCH matched filter over a stream using the code's hierarchical structure (16-tap
 * inner code, 16-tap outer code: 32 instead of 256 adds per output).
 * x: n_samples input samples at `samples_per_chip` (1 or more, integer) samples per chip;
 * out[t] = Σ_i x[t + i·samples_per_chip]·conj(C_psc(i)) for t = 0 .. n_samples - 1 - 255·spc;
 * returns the number of outputs written (0 when n_samples is too short), or CS_EINVAL. */
CS_API long cs_umts_psc_correlate(const cs_cf32 *x, size_t n_samples, int samples_per_chip,
                                  cs_cf32 *out);

/* ---- Downlink scrambling codes (TS 25.213 §5.2.2) ----------------------------------- */

/* Scrambling code number of primary scrambling code index psc (0..511): 16·psc. */
static inline int cs_umts_psc_code_number(int psc) { return 16 * psc; }

/* Chips first_chip .. first_chip + count - 1 of scrambling code n (0..262142) within the
 * 38400-chip frame, as interleaved int8 pairs iq[2i] = I, iq[2i+1] = Q (±1).
 * CS_EINVAL when n is out of range or the span leaves the frame. */
CS_API int cs_umts_scrambling_chips(int n, size_t first_chip, size_t count, int8_t *iq);

/* Same chips as complex values I + jQ. */
CS_API int cs_umts_scrambling_cf32(int n, size_t first_chip, size_t count, cs_cf32 *out);

#ifdef __cplusplus
}
#endif

#endif
