/* GSM burst activity on one channel: which timeslots carry bursts, how many, how strong,
 * and when the channel was active. Works on any GSM carrier, downlink or uplink
 * (handsets transmit one or a few timeslots per frame, 3 slots after the downlink).
 *
 * The stream's power is integrated over ticks of 1/8 slot (72 us). A slot grid (577 us
 * slots, 8 per 4.615 ms frame) is fitted to the ticks: the phase that makes the slots'
 * powers most distinct (bursts and guard periods line up with slot edges), re-fitted
 * every 26 frames so a drifting sample clock is followed. Each slot's power over its
 * central 6 ticks (72..505 us) is compared with the noise; a slot above the threshold (set for a
 * false-alarm rate on noise) holds a burst. Timeslot numbers are relative: slot count
 * mod 8 from the grid's origin; cs_gsm_activity_result.slot_origin_s lets a caller
 * that knows a carrier's frame timing (an SCH) turn them into TS numbers.
 *
 * It also measures the envelope of the burst samples, m4 / m2^2 - 1: GMSK has a constant
 * envelope (0 without noise, (2s + 1)/(s + 1)^2 at SNR s), noise-like signals (UMTS,
 * LTE) give 1. */
#ifndef CELLSCAN_GSM_ACTIVITY_H
#define CELLSCAN_GSM_ACTIVITY_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_GSM_SLOT_S (156.25 * 6.0 / 1625000.0) /* 576.92 us */
#define CS_GSM_MAX_INTERVALS 256

typedef struct cs_gsm_activity_config {
    double sample_rate_hz;        /* input rate, >= 100 kHz */
    double noise_power;           /* noise power per input sample; NAN: estimated from the
                                     quietest slots (then a carrier on in every slot, like
                                     a C0, counts as noise) */
    double noise_bandwidth_hz;    /* noise-equivalent bandwidth of the input; 0 = the rate */
    double false_alarms_per_hour; /* slots wrongly called bursts on noise; default 1 */
    double max_gap_s;             /* gaps longer than this split activity intervals (0.15 s:
                                     a call in DTX still sends a SACCH burst every 120 ms) */
} cs_gsm_activity_config;

typedef struct cs_gsm_activity_result {
    uint64_t slots;               /* slots examined */
    uint64_t bursts;              /* slots that held a burst */
    uint64_t bursts_per_ts[8];    /* by relative timeslot */
    double power_per_ts[8];       /* mean burst power per relative timeslot (signal+noise) */
    double burst_power;           /* mean power of all bursts (signal + noise, per sample) */
    double noise_power;           /* noise per sample used for the decisions */
    double threshold;             /* burst when slot power / noise >= this */
    double envelope_ratio;        /* m4/m2^2 - 1 over burst samples; NAN without bursts */
    double envelope_per_ts[8];    /* the same per relative timeslot (NAN where no burst) */
    double t_first_s, t_last_s;   /* first burst start, last burst end; NAN without bursts */
    double slot_origin_s;         /* start of a slot whose relative timeslot is 0 */
    size_t num_intervals;
    double intervals[CS_GSM_MAX_INTERVALS][2]; /* [start, end] of activity, seconds */
    int intervals_truncated;      /* more intervals than fit: the last ones were merged */
} cs_gsm_activity_result;

typedef struct cs_gsm_activity_s *cs_gsm_activity;

/* Defaults: rate 0 (must be set), noise NAN, bandwidth 0, 1 per hour, gap 0.15 s. */
CS_API void cs_gsm_activity_config_init(cs_gsm_activity_config *c);

CS_API int cs_gsm_activity_create(const cs_gsm_activity_config *c, cs_gsm_activity *out);

/* Feed samples; x[0] of the first call is at time 0. */
CS_API int cs_gsm_activity_execute(cs_gsm_activity q, const cs_cf32 *x, size_t n);

/* Skip n samples (a gap in the stream): time moves on, nothing is measured. */
CS_API int cs_gsm_activity_skip(cs_gsm_activity q, uint64_t n);

/* Skip n samples that the caller knows hold no burst (it measured their power some
 * cheaper way): time moves on, the slots wholly in them count as examined, without a
 * burst; the slot grid is neither fitted nor moved there. */
CS_API int cs_gsm_activity_skip_quiet(cs_gsm_activity q, uint64_t n);

/* Change the noise reference (per input sample); NAN to estimate. */
CS_API void cs_gsm_activity_set_noise(cs_gsm_activity q, double noise_power);

/* Classify what is left and fill *res (the detector keeps its state: more input may
 * follow, and results can be taken again). */
CS_API int cs_gsm_activity_results(cs_gsm_activity q, cs_gsm_activity_result *res);

CS_API void cs_gsm_activity_reset(cs_gsm_activity q);
CS_API void cs_gsm_activity_destroy(cs_gsm_activity q);

#ifdef __cplusplus
}
#endif

#endif
