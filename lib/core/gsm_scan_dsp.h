/* Small DSP helpers shared by the GSM detectors (internal): Kaiser-windowed low-pass
 * design, a mixing FIR decimator, a low-pass interpolator for short segments. */
#ifndef CELLSCAN_GSM_SCAN_DSP_H
#define CELLSCAN_GSM_SCAN_DSP_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/impairments.h"
#include "cellscan/types.h"

#define CS_GSM_RS_HZ (1625000.0 / 6.0)

/* Modified Bessel function I0 (Kaiser window). */
double cs_gsm_bessel_i0(double x);

/* Kaiser beta for a stopband attenuation in dB (Kaiser's formula). */
double cs_gsm_kaiser_beta(double atten_db);

/* Number of taps (odd) of a Kaiser low-pass with the given transition width (fraction
 * of the sample rate) and attenuation. */
size_t cs_gsm_kaiser_taps(double transition, double atten_db);

/* Low-pass taps with cut-off fc (fraction of the sample rate, 0..0.5), unit DC gain. */
void cs_gsm_lowpass(float *h, size_t n, double fc, double beta);

/* Mix by -shift_hz, low-pass and decimate by an integer factor (1: mixing only).
 * Output sample j stands for input time (j * factor - delay) / rate, delay = (taps-1)/2. */
typedef struct cs_gsm_decimator_s *cs_gsm_decimator;

/* pass_hz: edge of the flat passband around the new 0 Hz; the stopband starts at
 * rate/factor - pass_hz so that aliases fall outside +-pass_hz. */
int cs_gsm_decimator_create(double rate_hz, double shift_hz, unsigned factor, double pass_hz,
                            cs_gsm_decimator *out);
/* Output capacity needed for n inputs: n / factor + 1. */
size_t cs_gsm_decimator_execute(cs_gsm_decimator q, const cs_cf32 *x, size_t n, cs_cf32 *y);
/* Group delay in input samples. */
double cs_gsm_decimator_delay(cs_gsm_decimator q);
/* Mean |H|^2 over the output band (noise fraction of white input; 1 when factor is 1). */
double cs_gsm_decimator_noise_fraction(cs_gsm_decimator q);
void cs_gsm_decimator_reset(cs_gsm_decimator q);
void cs_gsm_decimator_destroy(cs_gsm_decimator q);

/* Low-pass interpolator: a Kaiser-windowed sinc with cut-off `cutoff` (fraction of the
 * input rate, 0.02..0.5) tabulated at 512 phases. Interpolating with it both filters
 * and resamples (the GSM receivers use the symbol rate: white noise at 1 sample per
 * symbol). */
typedef struct cs_gsm_interp_s *cs_gsm_interp;
int cs_gsm_interp_create(double cutoff, cs_gsm_interp *out);
/* y[k] = filtered x at position pos0 + k*step (input samples); zeros outside x. */
void cs_gsm_interp_execute(cs_gsm_interp q, const cs_cf32 *x, size_t n, double pos0,
                           double step, size_t m, cs_cf32 *y);
/* Half-length in input samples (how far around a position the data must reach). */
unsigned cs_gsm_interp_half(cs_gsm_interp q);
void cs_gsm_interp_destroy(cs_gsm_interp q);

#endif
