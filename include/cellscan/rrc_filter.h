/* Root-raised-cosine pulse (UMTS: roll-off 0.22, TS 25.104 "Transmit pulse shape filter") and the
 * receiver's matched filter.
 *
 * cs_rrc_impulse() is the unit-energy pulse p(t) in symbol periods (integral of p^2 = 1),
 * so p * p is the raised cosine with value 1 at t = 0 and 0 at every other integer t.
 * The transmit side (cs_pulse_shaper, pulse_shaper.h) sums chips c_i p(t - i); the
 * receive filter here has taps p(n/sps)/sps, so its output at a chip instant equals the
 * chip (unit gain, zero ISI up to truncation) and white noise of density N0 leaves it
 * with power N0 * chip rate (noise bandwidth = chip rate, whatever the roll-off).
 */
#ifndef CELLSCAN_RRC_FILTER_H
#define CELLSCAN_RRC_FILTER_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_UMTS_CHIP_RATE_HZ 3840000.0 /* spelt as in umts_codes.h: one definition, no redefinition warning */
#define CS_UMTS_RRC_ROLLOFF 0.22

/* Unit-energy root-raised-cosine pulse at t symbol periods from its centre; 0 < rolloff <= 1. */
CS_API double cs_rrc_impulse(double t_symbols, double rolloff);

/* Taps of a matched filter truncated at +-span_symbols: 2*floor(span*sps)+1. */
CS_API size_t cs_rrc_num_taps(double samples_per_symbol, unsigned span_symbols);

/* Fill taps[0 .. n-1], n = cs_rrc_num_taps(): taps[i] = p((i - (n-1)/2) / sps) / sps.
 * samples_per_symbol >= 1.5 (need not be an integer: 10e6/3.84e6 works), span 2..64.
 * CS_EINVAL when a parameter or n_taps is wrong. */
CS_API int cs_rrc_taps(double rolloff, double samples_per_symbol, unsigned span_symbols,
                       float *taps, size_t n_taps);

typedef struct cs_rrc_filter_s *cs_rrc_filter;

/* Streaming matched filter (complex in, complex out, real taps from cs_rrc_taps()).
 * Causal: output n is the filtered value centred on input n - cs_rrc_filter_delay(). */
CS_API int cs_rrc_filter_create(double rolloff, double samples_per_symbol, unsigned span_symbols,
                                cs_rrc_filter *out);

/* Filter n samples; in and out may be the same buffer. */
CS_API void cs_rrc_filter_execute(cs_rrc_filter f, const cs_cf32 *in, cs_cf32 *out, size_t n);

/* Group delay in samples: (number of taps - 1) / 2. */
CS_API size_t cs_rrc_filter_delay(cs_rrc_filter f);

/* Forget the past input (zeros). */
CS_API void cs_rrc_filter_reset(cs_rrc_filter f);

CS_API void cs_rrc_filter_destroy(cs_rrc_filter f);

#ifdef __cplusplus
}
#endif

#endif
