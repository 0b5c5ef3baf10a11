/* GSM scanner: every carrier and every burst in a recording, narrow (one channel) or
 * wide (hundreds of ARFCNs).
 *
 * Pipeline (one pass, bounded memory):
 *   input -> overlap-save FFT channelizer -> per ARFCN:
 *     - a narrow stream around the FCCH tone (+67.7 kHz): FCCH detector (gsm_fcch.h);
 *     - a 200 kHz stream: burst activity per timeslot (gsm_activity.h) and power;
 *     - once an FCCH was seen, a wider stream kept in a short ring buffer: the SCH one
 *       frame after every FCCH, and at every SCH position the decoded frame timing
 *       predicts, is decoded (gsm_sch_sync.h);
 *   the block spectra, Hann-windowed and averaged: noise floor and power per channel.
 * At the end the detections are combined per carrier (FCCHs validated against each
 * other and the SCH frame timing, frequency error weighted by each FCCH's Cramer-Rao
 * bound, BSIC by majority of parity-checked SCHs whose frame numbers agree with their
 * timing) and over carriers (the receiver's own frequency error in ppm).
 *
 * Memory stays bounded however long the input: the first CS_GSM_MAX_EVENTS FCCHs and SCHs
 * of each channel are stored (about 3 minutes of a C0) and combined as above; once either
 * list is full, the carrier they establish is fixed and each later detection is checked
 * against it on arrival (FCCHs against the frame timing or the FCCH group, SCHs against
 * the BSIC and the latest consistent SCH's timing) and folded into the counts, the
 * frequency error and the first/last times instead of being stored. The event and frame
 * number lists then hold the first ones only (events_truncated says so).
 *
 * A downlink channel is reported as a carrier when two SCHs (or one SCH after a strong
 * FCCH) decode with agreeing frame timing, two FCCHs agree, one FCCH is strong (design
 * false-alarm rate 1e-3 per channel-hour), one FCCH above the 0.1-per-hour threshold
 * measures the receiver's frequency error found on the other carriers, or its bursts
 * stand at least min_snr_db above the noise with a GMSK (constant) envelope or a GMSK
 * spectrum and no single spectral line. Neighbours' leakage (about -25 dB into the next
 * channel's activity band, from GMSK's spectrum) is taken off each channel's burst power first, so a strong carrier's skirt is
 * not a carrier. Activity records cover every channel, uplink included, whose own
 * timeslots held bursts with GSM evidence, except carriers found to be a C0; timeslots
 * are numbered from a decoded C0 whose frame timing the channel's slots line up with
 * (when that is unambiguous), else relative.
 *
 *   cs_gsm_scanner_config c; cs_gsm_scanner_config_init(&c);
 *   c.sample_rate_hz = 4e6; c.centre_hz = 941e6;
 *   cs_gsm_scanner s; cs_gsm_scanner_create(&c, &s);
 *   while (more) cs_gsm_scanner_execute(s, buf, n);
 *   const cs_gsm_scan_results *r; cs_gsm_scanner_finish(s, &r);
 *   for (size_t i = 0; i < r->num_carriers; i++) ... r->carriers[i] ...
 *   cs_gsm_scanner_destroy(s);
 */
#ifndef CELLSCAN_GSM_SCANNER_H
#define CELLSCAN_GSM_SCANNER_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* FCCH and SCH detections stored per channel; later ones are counted and folded in. */
#define CS_GSM_MAX_EVENTS 4096

typedef struct cs_gsm_scanner_config {
    double sample_rate_hz;      /* >= 400 kHz */
    double centre_hz;           /* RF centre; NAN: unknown, channels by offset only */
    const char *band;           /* GSM band name (bands.h) or NULL: by frequency, the first
                                   band in table order (DCS before PCS: pass "PCS1900") */
    double max_offset_hz;       /* FCCH search +-; 0: max(25 kHz, 20 ppm of the band) */
    double fcch_false_alarms_per_hour; /* per channel-hour of noise; 0: 6 */
    double min_snr_db;          /* carrier by power alone: Es/N0 at least this; NAN: 6 dB */
    int uplink;                 /* 1: also channels of uplink bands (activity only);
                                   0: downlink only; -1 (default): both */
} cs_gsm_scanner_config;

/* One FCCH detection of a channel (gsm_fcch.h), and whether it fits the carrier. */
typedef struct cs_gsm_fcch_event {
    double t_start_s;        /* burst start */
    double offset_hz;        /* carrier frequency error it measured */
    double sigma_hz;         /* its Cramer-Rao standard deviation */
    double snr_db;           /* Es/N0 of the burst */
    double power;            /* tone power (the carrier's, full scale 1) */
    double statistic;        /* detection statistic */
    int valid;               /* consistent with the carrier's frame timing (or the other FCCHs) */
} cs_gsm_fcch_event;

/* One decoded SCH (parity checked), and whether it agrees with the carrier's majority. */
typedef struct cs_gsm_sch_event {
    double t_start_s;        /* burst start from the training sequence */
    uint32_t fn;
    int ncc, bcc;
    double snr_db;           /* from the channel estimate's residual */
    double quality;          /* Viterbi path correlation with the soft bits (1: all agree) */
    int consistent;          /* same BSIC and frame timing as the carrier's largest group */
} cs_gsm_sch_event;

/* One GSM downlink carrier. */
typedef struct cs_gsm_carrier {
    int arfcn;                  /* -1 when the centre frequency is unknown */
    const char *band;           /* canonical band name, NULL when unknown */
    double freq_hz;             /* nominal channel frequency; NAN when unknown */
    double offset_hz;           /* channel centre relative to the recording centre */
    double freq_error_hz;       /* measured carrier minus nominal (FCCH); NAN without */
    double freq_error_sigma_hz; /* its standard deviation */
    double power_dbfs;          /* carrier power while present, noise removed */
    double snr_db;              /* carrier over noise in 270.833 kHz (Es/N0) */
    double noise_dbfs;          /* noise power in 270.833 kHz */
    unsigned fcch_count;        /* FCCHs consistent with the carrier's timing (all of them,
                                   stored or folded) */
    unsigned fcch_detections;   /* all FCCH detections on the channel */
    int ncc, bcc;               /* BSIC; -1 when no SCH decoded */
    unsigned sch_count;         /* SCHs decoded with that BSIC and consistent timing (all) */
    unsigned sch_attempts;      /* SCH positions tried */
    const uint32_t *frame_numbers; /* FNs of the consistent SCHs, in time order: of the first
                                   CS_GSM_MAX_EVENTS SCHs decoded (sch_count counts all) */
    size_t num_frame_numbers;
    double first_fn_time_s;     /* start of TS0 of frame_numbers[0]; NAN without SCH */
    double t_first_s, t_last_s; /* first and last evidence (bursts, FCCH, SCH) */
    double envelope_ratio;      /* m4/m2^2 - 1 of its bursts (0: constant envelope) */
    const char *evidence;       /* "sch", "fcch", or "power" */
    const cs_gsm_fcch_event *fcch; /* the channel's FCCH detections, in time order: all, or
                                      the first CS_GSM_MAX_EVENTS when events_truncated */
    size_t num_fcch;
    const cs_gsm_sch_event *sch;   /* the SCHs decoded on the channel, in time order: likewise */
    size_t num_sch;
    int events_truncated;          /* 1: more detections than stored (counts include them) */
} cs_gsm_carrier;

/* Burst activity on one channel (non-C0 downlink or uplink). */
typedef struct cs_gsm_activity_record {
    int arfcn;                  /* -1 when unknown */
    const char *band;
    int uplink;
    double freq_hz, offset_hz;
    unsigned timeslot_mask;     /* bit t: bursts in timeslot t */
    int timeslot_reference;     /* 1: numbered from a decoded C0's frame timing;
                                   0: relative (slot count mod 8 from the first slot) */
    uint64_t bursts;
    uint64_t bursts_per_ts[8];
    double power_dbfs;          /* mean burst power, noise removed */
    double snr_db;              /* burst power over noise in 270.833 kHz */
    double duty_cycle;          /* bursts / slots examined */
    double envelope_ratio;
    size_t num_intervals;
    const double (*intervals)[2]; /* [start, end] s */
} cs_gsm_activity_record;

/* Power of one channel (every channel scanned), from the averaged spectrum, in the 200 kHz
 * channel like channel_power.h (a strong carrier's skirt lights its neighbours). */
typedef struct cs_gsm_channel_power {
    int arfcn;
    const char *band;
    int uplink;
    double freq_hz, offset_hz;
    double power_dbfs;          /* total power in the 200 kHz channel */
    double noise_dbfs;          /* noise floor in 200 kHz */
    double snr_db;              /* (P - N) / N; -inf when P <= N */
    int carrier;                /* 1 when a carrier record covers the channel */
    const cs_gsm_fcch_event *fcch; /* the channel's FCCH detections (carrier or not): all, or
                                      the first CS_GSM_MAX_EVENTS when events_truncated */
    size_t num_fcch;
    const cs_gsm_sch_event *sch;   /* the SCHs decoded on the channel: likewise */
    size_t num_sch;
    int events_truncated;          /* 1: more detections than the lists hold */
} cs_gsm_channel_power;

typedef struct cs_gsm_scan_results {
    size_t num_carriers;
    const cs_gsm_carrier *carriers;           /* ordered by frequency */
    size_t num_activities;
    const cs_gsm_activity_record *activities; /* ordered by link, then frequency */
    size_t num_channels;
    const cs_gsm_channel_power *channels;     /* every channel scanned */
    double receiver_ppm;        /* carriers' mean apparent error (measured - nominal) /
                                   nominal * 1e6: > 0 when they appear high, i.e. the
                                   receiver's reference runs slow; NAN when unknown */
    double receiver_ppm_sigma;  /* 1-sigma uncertainty (incl. 0.05 ppm base stations) */
    unsigned receiver_ppm_carriers;
    double noise_dbfs_hz;       /* noise floor density */
    double duration_s;
    uint64_t samples;
    double max_offset_hz;       /* FCCH search range used */
    double fcch_threshold;      /* FCCH statistic threshold used */
} cs_gsm_scan_results;

typedef struct cs_gsm_scanner_s *cs_gsm_scanner;

/* Defaults: rate 0 (must be set), centre NAN, band NULL, search 0 (auto), 6 false alarms
 * per channel-hour, min_snr_db NAN (6 dB), uplink -1. */
CS_API void cs_gsm_scanner_config_init(cs_gsm_scanner_config *c);

/* CS_EINVAL with a message naming the problem (rate below 400 kHz, unknown band, no GSM
 * channel in the recording's band), CS_ENOMEM. */
CS_API int cs_gsm_scanner_create(const cs_gsm_scanner_config *c, cs_gsm_scanner *out);

/* Feed n samples (full scale 1.0); any block size. */
CS_API int cs_gsm_scanner_execute(cs_gsm_scanner s, const cs_cf32 *x, size_t n);

/* End of input: flush, combine, and point *out at the results (valid until destroy). */
CS_API int cs_gsm_scanner_finish(cs_gsm_scanner s, const cs_gsm_scan_results **out);

/* Channels scanned (downlink and uplink). */
CS_API size_t cs_gsm_scanner_num_channels(cs_gsm_scanner s);

CS_API void cs_gsm_scanner_destroy(cs_gsm_scanner s);

#ifdef __cplusplus
}
#endif

#endif
