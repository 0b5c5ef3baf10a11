/* GSM frequency-correction burst (FCCH) detector: a coherent tone detector for one
 * channel's complex baseband stream.
 *
 * An FCCH is 148 zero bits, which GMSK turns into a pure tone at +Rs/4 = +67 708.3 Hz
 * above the carrier for about 147 symbols (TS 45.002 §5.2.4). The detector slides a
 * 142-symbol window along the stream and computes its periodogram (FFT, zero-padded)
 * over the frequency search range; the statistic is the periodogram peak over the
 * window's noise-plus-signal power,
 *     T = max_f |sum_n z[n] e^{-j 2 pi f n}|^2 / (L sigma^2),
 *     sigma^2 = max(window energy / L, energy of the window and both neighbours / 3L),
 * which needs no noise estimate and stays bounded (about L) on strong data bursts. Each
 * bin is first divided by the channel's background spectrum where that rises above flat
 * (a robust running mean of recent windows): data bursts, whose GMSK spectrum slopes
 * across the tone band, a neighbour's skirt or a spur then do not pass for tones, and
 * white noise is left alone.
 * A coarse pass (window hop L/2, half the FFT size) picks candidates down to 0.55 of the
 * threshold, a fine pass (every 2nd window, then every window around the best) finds the
 * best window, whose frequency is then refined to the maximum-likelihood estimate
 * (maximum of the continuous periodogram; its error meets the Cramer-Rao bound above
 * about -3 dB). A detection must also pass: no equally strong tone a window before or
 * after (a continuous carrier or spur), the tone holding its share of each quarter of
 * the window (a data burst forms a tone over part of it at most), and, where the window
 * stands 3 dB above the noise, the tone carrying 60% of its signal power. The threshold
 * on T follows from the requested false-alarm rate through a model of T on white noise
 * (cs_gsm_fcch_threshold) that bench_gsm_false_alarms measures again.
 *
 * Input: any rate >= 2 * (max_offset_hz + 12 kHz); the stream is mixed so that the tone
 * of a carrier at its nominal frequency lands at 0 Hz (tone_hz gives where it is in the
 * input: +67 708.3 Hz for a stream centred on the channel), then low-pass filtered and
 * decimated to about 2 * max_offset_hz + 30 kHz when the input is wider. Noise must be
 * white across tone_hz +- (max_offset_hz + 10 kHz).
 *
 *   cs_gsm_fcch_config c; cs_gsm_fcch_config_init(&c); c.sample_rate_hz = 1e6;
 *   cs_gsm_fcch_detector d; cs_gsm_fcch_detector_create(&c, &d);
 *   cs_gsm_fcch_detector_execute(d, x, n);              (any block sizes)
 *   cs_gsm_fcch_detection det;
 *   while (cs_gsm_fcch_detector_pop(d, &det)) use(det);
 *   cs_gsm_fcch_detector_flush(d); ... pop ...; cs_gsm_fcch_detector_destroy(d);
 */
#ifndef CELLSCAN_GSM_FCCH_H
#define CELLSCAN_GSM_FCCH_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_GSM_FCCH_TONE_HZ (1625000.0 / 24.0) /* Rs / 4 = 67 708.33 Hz */
#define CS_GSM_FCCH_WINDOW_SYMBOLS 142         /* coherent window: the burst's useful part */

typedef struct cs_gsm_fcch_config {
    double sample_rate_hz;         /* input rate */
    double tone_hz;                /* where a nominal carrier's FCCH tone is in the input;
                                      default CS_GSM_FCCH_TONE_HZ (stream centred on the
                                      channel); 0 for a stream already centred on the tone */
    double max_offset_hz;          /* carrier frequency error searched, +-; default 25 kHz */
    double false_alarms_per_hour;  /* design rate on white noise, per hour of input;
                                      default 6 (one per 10 minutes) */
    double noise_fraction;         /* mean |H(f)|^2 of the input's noise shaping over the
                                      whole input band, passband = 1 (1 for white input;
                                      a channelizer's band-limited output has less). Used
                                      only when the input is not decimated here. */
} cs_gsm_fcch_config;

/* One detected FCCH burst. Times are seconds from the first input sample. */
typedef struct cs_gsm_fcch_detection {
    double t_start_s;      /* start of the burst's bit 0 (its timeslot's start), +-1 symbol */
    double offset_hz;      /* carrier frequency error: measured tone minus nominal tone */
    double offset_sigma_hz;/* Cramer-Rao standard deviation of offset_hz at the measured SNR */
    double snr_db;         /* tone power over noise in 270.833 kHz (Es/N0), from the burst */
    double power;          /* tone power (|amplitude|^2, input units) */
    double statistic;      /* T of the best window */
    double threshold;      /* the threshold T was compared with */
} cs_gsm_fcch_detection;

typedef struct cs_gsm_fcch_detector_s *cs_gsm_fcch_detector;

/* Defaults: rate 0 (must be set), tone CS_GSM_FCCH_TONE_HZ, +-25 kHz, 6 per hour, 1. */
CS_API void cs_gsm_fcch_config_init(cs_gsm_fcch_config *c);

/* CS_EINVAL (message names the parameter) or CS_ENOMEM. */
CS_API int cs_gsm_fcch_detector_create(const cs_gsm_fcch_config *c, cs_gsm_fcch_detector *out);

/* Feed n samples. Detections become available (pop) about two windows after the burst. */
CS_API int cs_gsm_fcch_detector_execute(cs_gsm_fcch_detector d, const cs_cf32 *x, size_t n);

/* End of stream: examine what is left (windows lacking a right neighbour use their own
 * energy only). */
CS_API int cs_gsm_fcch_detector_flush(cs_gsm_fcch_detector d);

/* Next detection in time order: 1 and *out filled, or 0 when none is waiting. */
CS_API int cs_gsm_fcch_detector_pop(cs_gsm_fcch_detector d, cs_gsm_fcch_detection *out);

/* Working rate after decimation, window length in samples, threshold on T. */
CS_API double cs_gsm_fcch_detector_rate_hz(cs_gsm_fcch_detector d);
CS_API unsigned cs_gsm_fcch_detector_window(cs_gsm_fcch_detector d);
CS_API double cs_gsm_fcch_detector_threshold(cs_gsm_fcch_detector d);

/* Noise power per input sample (white noise of density N0 in the stream: N0 * rate *
 * noise_fraction), or NAN to estimate it from the quietest recent windows (then a carrier
 * on in every slot, a C0, hides it). With it the detector checks that a candidate tone
 * holds the share of its window's power that a tone at that SNR would (data bursts of a
 * strong carrier do not). */
CS_API int cs_gsm_fcch_detector_set_noise(cs_gsm_fcch_detector d, double noise_power);

/* Change the design false-alarm rate (recomputes the threshold). */
CS_API int cs_gsm_fcch_detector_set_false_alarm_rate(cs_gsm_fcch_detector d, double per_hour);

/* Samples consumed (input rate) since create/reset. */
CS_API uint64_t cs_gsm_fcch_detector_samples(cs_gsm_fcch_detector d);

CS_API void cs_gsm_fcch_detector_reset(cs_gsm_fcch_detector d);
CS_API void cs_gsm_fcch_detector_destroy(cs_gsm_fcch_detector d);

/* The threshold model: expected false alarms per hour of white-noise input for a
 * threshold t, and its inverse, at working rate rate_hz with window window_len and
 * search range +-max_offset_hz, noise fraction beta. */
CS_API double cs_gsm_fcch_false_alarms_per_hour(double t, double rate_hz, unsigned window_len,
                                                double max_offset_hz, double beta);
CS_API double cs_gsm_fcch_threshold(double per_hour, double rate_hz, unsigned window_len,
                                    double max_offset_hz, double beta);

#ifdef __cplusplus
}
#endif

#endif
