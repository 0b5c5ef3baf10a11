/* UMTS receiver front end: one 5 MHz carrier of a recording at any rate >= 3.84 MS/s,
 * brought to the working rate of the UMTS objects: complex baseband centred on the
 * carrier, 7.68 MS/s (2 samples per chip), through the root-raised-cosine matched filter
 * (roll-off 0.22, unit gain at the chip instants).
 *
 * Impulses are blanked first: an input sample more than 30 dB above the mean power of its
 * 8192-sample chunk is set to zero (corrupt samples, ADC glitches; a signal's own peaks
 * stay well below that).
 *
 * Timing is exact: output sample m is the carrier at t = m / 7.68e6 s after the first
 * input sample (the mixer, the resampler chain and the filter's group delay are all
 * accounted for), so sample indices of different passes and different carriers agree.
 *
 *   cs_umts_frontend fe;
 *   cs_umts_frontend_create(20e6, 2.6e6, &fe);      // carrier 2.6 MHz above the centre
 *   cs_cf32 *out = malloc(cs_umts_frontend_max_output(fe, n) * sizeof *out);
 *   cs_umts_frontend_execute(fe, in, n, out, cap, &n_out);   ... repeatedly ...
 *   cs_umts_frontend_flush(fe, out, cap, &n_out);             // the tail
 *   cs_umts_frontend_destroy(fe);
 */
#ifndef CELLSCAN_UMTS_FRONTEND_H
#define CELLSCAN_UMTS_FRONTEND_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_UMTS_WORK_RATE_HZ 7.68e6 /* 2 samples per chip */

typedef struct cs_umts_frontend_s *cs_umts_frontend;

/* input_rate_hz: 3.84e6 .. 1e9. carrier_offset_hz: where the carrier sits relative to the
 * recording centre; |offset| + 1.92 MHz (half the chip rate) must fit in half the
 * input rate. CS_EINVAL with a message, or CS_ENOMEM. */
CS_API int cs_umts_frontend_create(double input_rate_hz, double carrier_offset_hz,
                                   cs_umts_frontend *out);

/* Change the frequency that is shifted to 0 Hz (the carrier offset plus a measured
 * frequency error) and reset(): used between passes over the same recording. */
CS_API int cs_umts_frontend_set_offset(cs_umts_frontend f, double carrier_offset_hz);

CS_API double cs_umts_frontend_offset(cs_umts_frontend f);

/* Consume n_in input samples; write the completed output samples. out_cap must be at least
 * cs_umts_frontend_max_output(f, n_in). */
CS_API int cs_umts_frontend_execute(cs_umts_frontend f, const cs_cf32 *in, size_t n_in,
                                    cs_cf32 *out, size_t out_cap, size_t *n_out);

/* Emit the outputs still held (those whose time falls before the end of the input);
 * afterwards only reset() makes the front end usable again. */
CS_API int cs_umts_frontend_flush(cs_umts_frontend f, cs_cf32 *out, size_t out_cap,
                                  size_t *n_out);

/* Largest number of outputs one execute of n_in inputs, or a flush (n_in = 0), returns. */
CS_API size_t cs_umts_frontend_max_output(cs_umts_frontend f, size_t n_in);

/* Input samples blanked as impulses since the last reset. */
CS_API uint64_t cs_umts_frontend_blanked(cs_umts_frontend f);

/* Back to the state right after create (same offset). */
CS_API void cs_umts_frontend_reset(cs_umts_frontend f);

CS_API void cs_umts_frontend_destroy(cs_umts_frontend f);

#ifdef __cplusplus
}
#endif

#endif
