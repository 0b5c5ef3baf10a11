/* Arbitrary-ratio resampler (band-limited interpolation) with exact long-term timing, and
 * the fractional-delay interpolation kernel it shares with the multipath channel.
 *
 * Output sample m is the input signal interpolated at input position m / ratio (input
 * sample 0 and output sample 0 are the same instant): ratio = fs_out / fs_in. The position
 * is computed from m itself in double precision, never accumulated, so timing error stays
 * about 1e-7 samples after 10^9 samples: ratio 1 + 1e-6 * ppm models a receiver whose
 * sample clock runs ppm fast (see impairments.h, cs_ref_error).
 * Kernel: Kaiser-windowed sinc (beta 8, 48 taps for ratio >= 1), 512 tabulated phases with
 * linear interpolation between them: error against ideal band-limited interpolation below
 * -78 dB of the signal up to 0.43 * fs_in (0.001 dB of gain). For ratio < 1 the cut-off
 * scales with the ratio (anti-aliasing).
 * Streaming: an output sample is returned once the 24 input samples after its position
 * are in; flush() returns the rest (input beyond the end is zero). After flush the output
 * holds exactly the samples at positions < number of inputs.
 */
#ifndef CELLSCAN_RESAMPLER_H
#define CELLSCAN_RESAMPLER_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_resampler_s *cs_resampler;

/* ratio = output rate / input rate, 0.5 .. 2. CS_EINVAL or CS_ENOMEM on failure. */
CS_API int cs_resampler_create(double ratio, cs_resampler *out);

/* Consume n_in samples, write the completed outputs (capacity out_cap >=
 * cs_resampler_max_output(r, n_in)) and their count. */
CS_API int cs_resampler_execute(cs_resampler r, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                                size_t out_cap, size_t *n_out);

/* Emit what is left (out_cap >= cs_resampler_max_output(r, 0)); reset() to reuse. */
CS_API int cs_resampler_flush(cs_resampler r, cs_cf32 *out, size_t out_cap, size_t *n_out);

/* Largest number of outputs one execute of n_in inputs (or a flush, n_in = 0) returns. */
CS_API size_t cs_resampler_max_output(cs_resampler r, size_t n_in);

CS_API void cs_resampler_reset(cs_resampler r);

CS_API void cs_resampler_destroy(cs_resampler r);

/* Fractional-delay interpolator: 2*half_len taps such that
 *   y[n] = sum_{j=0}^{2h-1} taps[j] * x[n + h - 1 - j]  equals  x(n - frac),  0 <= frac < 1
 * (needs h - 1 samples of look-ahead). Kaiser-windowed sinc with cut-off at half the
 * sample rate; half_len 2..64, kaiser_beta 0..20. CS_EINVAL on a bad argument. */
CS_API int cs_fractional_delay_taps(double frac, unsigned half_len, double kaiser_beta,
                                    float *taps);

#ifdef __cplusplus
}
#endif

#endif
