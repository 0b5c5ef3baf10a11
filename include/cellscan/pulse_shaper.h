/* Chip stream to complex baseband: y(t) = sum_i c_i p(t*Rc - i - delay*Rc), with p the
 * unit-energy root-raised-cosine (rrc_filter.h), sampled at any output rate. The UMTS
 * transmitter's pulse shaping: 3.84 Mchip/s, roll-off 0.22, output 7.68 MS/s (2 samples
 * per chip) or any other rate (10 MS/s, 5 MS/s, 3.84*1.0001 MS/s ...) directly, without
 * a separate resampler. Uncorrelated chips of mean power P give output power P.
 *
 * Timing: chip i (i = 0, 1, ... in push order) peaks at t = i/Rc + delay_s; output sample
 * k is at t = k/sample_rate_hz. Streaming: a sample is returned by the first push that
 * has every chip within span_chips of it; flush() returns the rest, treating later chips
 * as zero. After flush the outputs are exactly the samples with t < delay_s + N/Rc
 * (N chips pushed), for any rate: no drift. Before chip 0 the chips are zero; to start
 * in steady state, push span_chips chips of history first and set
 * delay_s = -span_chips / chip_rate_hz (the first sample is then at chip span_chips).
 */
#ifndef CELLSCAN_PULSE_SHAPER_H
#define CELLSCAN_PULSE_SHAPER_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_pulse_shaper_config {
    double sample_rate_hz;   /* output rate >= (1 + rolloff) * chip rate (the whole spectrum) */
    double chip_rate_hz;     /* default 3.84e6 */
    double rolloff;          /* default 0.22 */
    unsigned span_chips;     /* pulse truncated at +-span chips; default 16: with a span-16
                                matched filter ISI <= 1.1e-3 (-59 dB), stop band < -50 dB */
    double delay_s;          /* time of chip 0's peak, -10 .. +1e-3 s */
} cs_pulse_shaper_config;

typedef struct cs_pulse_shaper_s *cs_pulse_shaper;

/* Defaults: 7.68 MS/s, 3.84 Mchip/s, roll-off 0.22, span 16, delay 0. */
CS_API void cs_pulse_shaper_config_init(cs_pulse_shaper_config *cfg);

/* CS_OK, CS_EINVAL (the message names the bad parameter) or CS_ENOMEM. */
CS_API int cs_pulse_shaper_create(const cs_pulse_shaper_config *cfg, cs_pulse_shaper *out);

/* Append n_chips chips; write the samples now complete to out (capacity out_cap >=
 * cs_pulse_shaper_max_output(s, n_chips)) and their count to *n_out. */
CS_API int cs_pulse_shaper_push(cs_pulse_shaper s, const cs_cf32 *chips, size_t n_chips,
                                cs_cf32 *out, size_t out_cap, size_t *n_out);

/* Emit the remaining samples (out_cap >= cs_pulse_shaper_max_output(s, 0)). Only
 * cs_pulse_shaper_reset() makes the shaper usable again. */
CS_API int cs_pulse_shaper_flush(cs_pulse_shaper s, cs_cf32 *out, size_t out_cap, size_t *n_out);

/* Largest number of samples a push of n_chips (or a flush, n_chips = 0) can return. */
CS_API size_t cs_pulse_shaper_max_output(cs_pulse_shaper s, size_t n_chips);

CS_API void cs_pulse_shaper_reset(cs_pulse_shaper s);

CS_API void cs_pulse_shaper_destroy(cs_pulse_shaper s);

#ifdef __cplusplus
}
#endif

#endif
