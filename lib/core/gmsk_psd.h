/* Power spectrum of GSM's GMSK (the modulator's own phase pulse, random bits), for what
 * share of a carrier's power a filter passes. With modulation index 1/2 and independent
 * equiprobable symbols the autocorrelation is exact and finite:
 *   R(tau) = mean over t in one symbol of prod_k cos(pi/2 (q(t + tau - k) - q(t - k)))
 * (q the phase pulse in symbols, 0 -> 1 over 8 symbols): every symbol whose pulse lies
 * wholly between t and t + tau contributes cos(pi/2) = 0, so R vanishes beyond 9 symbols
 * and the spectrum is a short cosine sum. Unit power: R(0) = 1. */
#ifndef CELLSCAN_GMSK_PSD_H
#define CELLSCAN_GMSK_PSD_H

#include <stddef.h>

/* Share of a unit-power GMSK carrier at shift_hz that a filter passes: the sum over
 * n frequency points freq_hz[i] (relative to the filter's centre, spaced bin_hz apart,
 * together covering the filter's band) of weight2[i] * psd(freq_hz[i] - shift_hz) * bin_hz,
 * weight2 the filter's power response |W|^2 there; NAN when out of memory. */
double cs_gmsk_filter_share(const double *freq_hz, const double *weight2, size_t n,
                            double bin_hz, double shift_hz);

/* GMSK's own envelope ratio m4/m2^2 - 1 through the same filter (0 unfiltered: the
 * filter's cut makes the envelope ripple), from modulated random bursts passed through
 * it by FFT at bin_hz resolution; NAN when out of memory. */
double cs_gmsk_filter_envelope(const double *freq_hz, const double *weight2, size_t n,
                               double bin_hz);

#endif
