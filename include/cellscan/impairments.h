/* Channel and receiver impairments for the generator: noise at a stated SNR or Ec/Io,
 * frequency offset, receiver reference (LO and sample clock) error, multipath with
 * fading, IQ imbalance and DC offset. Every random one draws from its own seeded stream
 * (rng.h), so the same seed gives the same recording.
 *
 * Streaming objects keep their state across calls; the per-sample ones (AWGN, rotator,
 * IQ) return as many samples as they get; the ones that interpolate (reference error,
 * multipath) return a sample once all the input it depends on is in, and their flush()
 * returns the rest, so the concatenated output has exactly the ideal length and timing.
 */
#ifndef CELLSCAN_IMPAIRMENTS_H
#define CELLSCAN_IMPAIRMENTS_H

#include "cellscan/export.h"
#include "cellscan/rng.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Noise levels ------------------------------------------------------------------- */

#define CS_GSM_SNR_BANDWIDTH_HZ (1625000.0 / 6.0) /* GSM SNR = C / (N0 * 270.833 kHz) */

/* Total complex noise power (E|n|^2 over the whole sample-rate bandwidth) that puts a
 * signal of power signal_power at snr_db measured in ref_bandwidth_hz:
 * N0 = signal_power / (SNR * ref_bandwidth_hz), noise power = N0 * sample_rate_hz. */
CS_API double cs_noise_power_for_snr(double signal_power, double snr_db, double ref_bandwidth_hz,
                                     double sample_rate_hz);

/* UMTS CPICH Ec/Io from the TS 25.101 §3 quantities (Ec, I^or, Ioc) of its test conditions:
 * Ec/Io = cpich_power / (total_signal_power + N0 * 3.84 MHz), with total_signal_power
 * the power of every cell's RRC-shaped signal on the carrier (I^or integrated and
 * normalised to the chip rate) and N0 the noise density. An RSSI measured after a
 * unit-peak RRC matched filter sees the signal part 10*log10(1 - rolloff/4) = -0.245 dB
 * lower (the noise part is unchanged).
 * Noise power over the sample-rate bandwidth for a target Ec/Io of one cell. Several
 * cells: set their powers relative to each other, then call this for one of them.
 * CS_EINVAL when the target needs negative noise (cpich_power/total_signal_power is
 * already below it) or an argument is out of range. */
CS_API int cs_umts_noise_power_for_ecio(double total_signal_power, double cpich_power,
                                        double ecio_db, double sample_rate_hz,
                                        double *noise_power);

/* The Ec/Io (dB) that results, by the same definition (the truth of each cell). */
CS_API double cs_umts_ecio_db(double cpich_power, double total_signal_power, double noise_power,
                              double sample_rate_hz);

/* ---- Additive white Gaussian noise ------------------------------------------------- */

typedef struct cs_awgn_s *cs_awgn;

/* Circular complex Gaussian noise of power noise_power (>= 0) from stream (seed, stream). */
CS_API int cs_awgn_create(double noise_power, uint64_t seed, uint64_t stream, cs_awgn *out);

CS_API int cs_awgn_set_power(cs_awgn a, double noise_power);

/* out = in + noise; in may equal out, or be NULL for noise alone. */
CS_API void cs_awgn_execute(cs_awgn a, const cs_cf32 *in, cs_cf32 *out, size_t n);

/* Restart the noise sequence from its first value. */
CS_API void cs_awgn_reset(cs_awgn a);

CS_API void cs_awgn_destroy(cs_awgn a);

/* ---- Frequency offset -------------------------------------------------------------- */

typedef struct cs_rotator_s *cs_rotator;

/* out[k] = in[k] * exp(j(2 pi freq_hz k / sample_rate_hz + phase_rad)), k counted from
 * create/reset. The phase is recomputed from k in double precision every 256 samples,
 * so frequency and phase are exact after any length. Not VOLK's rotator: VOLK 2.5 has
 * volk_32fc_s32fc_x2_rotator_32fc(out, in, const lv_32fc_t phase_inc, lv_32fc_t *phase,
 * n) with the increment by value (VOLK 3.1 deprecates it for ..._rotator2_32fc, which
 * takes a pointer); its float increment rounds the frequency by up to 0.1 Hz at 10 MS/s
 * and its protokernels round differently from machine to machine, which would break
 * reproducible recordings. */
CS_API int cs_rotator_create(double freq_hz, double sample_rate_hz, double phase_rad,
                             cs_rotator *out);

/* in may equal out. */
CS_API void cs_rotator_execute(cs_rotator r, const cs_cf32 *in, cs_cf32 *out, size_t n);

CS_API void cs_rotator_reset(cs_rotator r);

CS_API void cs_rotator_destroy(cs_rotator r);

/* ---- Receiver reference error (LO and sample clock from one oscillator) ------------- */

/* Apparent shift of a carrier at rf_hz seen by a receiver whose reference runs ppm fast:
 * -rf_hz * e / (1 + e), e = ppm * 1e-6 (a +1 ppm receiver sees a 941 MHz carrier 941 Hz
 * low). */
CS_API double cs_ref_error_offset_hz(double ppm, double rf_hz);

typedef struct cs_ref_error_s *cs_ref_error;

/* What such a receiver records from an ideal recording at sample_rate_hz centred on
 * centre_hz: the signal resampled by 1 + e (more samples per second of signal) and
 * rotated by cs_ref_error_offset_hz(ppm, centre_hz). |ppm| <= 1000. */
CS_API int cs_ref_error_create(double ppm, double centre_hz, double sample_rate_hz,
                               cs_ref_error *out);

/* Variable output count (see the resampler): out_cap >= cs_ref_error_max_output(n_in). */
CS_API int cs_ref_error_execute(cs_ref_error q, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                                size_t out_cap, size_t *n_out);

CS_API int cs_ref_error_flush(cs_ref_error q, cs_cf32 *out, size_t out_cap, size_t *n_out);

CS_API size_t cs_ref_error_max_output(cs_ref_error q, size_t n_in);

CS_API void cs_ref_error_reset(cs_ref_error q);

CS_API void cs_ref_error_destroy(cs_ref_error q);

/* ---- IQ imbalance and DC offset ----------------------------------------------------- */

typedef struct cs_iq_impairment {
    double gain_db;   /* Q branch gain relative to I */
    double phase_deg; /* Q branch LO phase error */
    double dc_i;      /* DC added to I and Q, full scale 1.0 */
    double dc_q;
} cs_iq_impairment;

/* out = I + j g (Q cos(phi) - I sin(phi)) + (dc_i + j dc_q), g = 10^(gain_db/20): a
 * receiver whose Q mixer has gain g and LO phase error phi. in may equal out.
 * CS_EINVAL when |gain_db| > 20, |phase_deg| > 45 or a value is not finite. */
CS_API int cs_iq_impairment_apply(const cs_iq_impairment *p, const cs_cf32 *in, cs_cf32 *out,
                                  size_t n);

/* Image rejection ratio in dB: |K1|^2/|K2|^2 = (1 + 2g cos(phi) + g^2)/(1 - 2g cos(phi) + g^2);
 * +inf without imbalance. */
CS_API double cs_iq_image_rejection_db(double gain_db, double phase_deg);

/* ---- Multipath fading --------------------------------------------------------------- */

typedef enum cs_fading_kind {
    CS_FADING_STATIC = 0, /* fixed gain sqrt(power), phase 0 */
    CS_FADING_RAYLEIGH,   /* classical (Jakes/Clarke, "CLASS") Doppler spectrum */
    CS_FADING_RICE        /* Rayleigh part plus a direct path at los_doppler_ratio * f_d */
} cs_fading_kind;

typedef struct cs_channel_tap {
    double delay_s;           /* 0 .. 100e-6, fractional sample delays are exact */
    double power_db;          /* average power */
    cs_fading_kind kind;
    double rice_k_db;         /* RICE: direct / diffuse power */
    double los_doppler_ratio; /* RICE: direct path's Doppler shift over f_d */
} cs_channel_tap;

#define CS_CHANNEL_MAX_TAPS 12

typedef struct cs_channel_profile {
    const char *name;        /* "TU", "RA", "HT", "EQ", "CASE1", "CASE2", "CASE3", "PA", "PB", "VA" */
    const char *description;
    const char *reference;   /* the table it comes from */
    double speed_kmh;        /* speed of the standard's test case, 0 if none */
    size_t num_taps;
    cs_channel_tap taps[CS_CHANNEL_MAX_TAPS];
} cs_channel_profile;

/* Built-in profiles by name (case-insensitive), NULL when unknown. */
CS_API const cs_channel_profile *cs_channel_profile_find(const char *name);
CS_API size_t cs_channel_profile_count(void);
CS_API const cs_channel_profile *cs_channel_profile_at(size_t i);

/* Maximum Doppler shift f_d = v f_c / c of a receiver moving at speed_kmh. */
CS_API double cs_doppler_hz(double speed_kmh, double carrier_hz);

/* One tap's fading process: a sum of 20 sinusoids (Zheng and Xiao's Rayleigh model, IEEE
 * Trans. Commun. 51(6), 2003) with random phases and arrival angles drawn from rng at
 * creation; unit mean power, autocorrelation J0(2 pi f_d tau), Doppler spectrum within
 * +-f_d. The gain is a pure function of time, so it does not depend on block sizes. */
typedef struct cs_fading_s *cs_fading;

CS_API int cs_fading_create(cs_fading_kind kind, double doppler_hz, double rice_k_db,
                            double los_doppler_ratio, cs_rng rng, cs_fading *out);

CS_API cs_cf32 cs_fading_gain(cs_fading f, double t_s);

CS_API void cs_fading_destroy(cs_fading f);

typedef struct cs_multipath_config {
    double sample_rate_hz;
    double doppler_hz;   /* maximum Doppler shift, 0 .. 5000 (0: each tap a fixed random gain) */
    int normalize;       /* 1: scale tap powers to a total of 1 (average power preserved) */
    uint64_t seed, stream;
} cs_multipath_config;

typedef struct cs_multipath_s *cs_multipath;

/* y(t) = sum over taps of gain_i(t) * x(t - delay_i). Fractional delays by a 32-tap
 * windowed sinc (flat within 0.01 dB to 0.4 fs); gains interpolated linearly between
 * points computed at least 128 times per Doppler period. */
CS_API int cs_multipath_create(const cs_channel_tap *taps, size_t n_taps,
                               const cs_multipath_config *cfg, cs_multipath *out);

/* Output sample k (time k/fs) is returned once input k + 15 is in: the first call
 * returns up to 15 fewer samples than it got; flush() returns them. out_cap >= n_in
 * (flush: >= 16). */
CS_API int cs_multipath_execute(cs_multipath q, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                                size_t out_cap, size_t *n_out);

CS_API int cs_multipath_flush(cs_multipath q, cs_cf32 *out, size_t out_cap, size_t *n_out);

/* Complex gain of tap i at time t_s (after normalisation): truth for tests and reports. */
CS_API cs_cf32 cs_multipath_tap_gain(cs_multipath q, size_t tap, double t_s);

CS_API void cs_multipath_reset(cs_multipath q);

CS_API void cs_multipath_destroy(cs_multipath q);

#ifdef __cplusplus
}
#endif

#endif
