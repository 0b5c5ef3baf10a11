/* Internal state of the GSM scanner (gsm_scanner.c, gsm_scan_channel.c, gsm_scan_psd.c,
 * gsm_scan_results.c, gsm_scan_stream.c). */
#ifndef CELLSCAN_GSM_SCAN_INTERNAL_H
#define CELLSCAN_GSM_SCAN_INTERNAL_H

#include <stdint.h>

#include "cellscan/bands.h"
#include "cellscan/gsm_activity.h"
#include "cellscan/gsm_fcch.h"
#include "cellscan/gsm_scanner.h"
#include "cellscan/gsm_sch_sync.h"
#include "gsm_channelizer.h"
#include "gsm_fcch_gate.h"

#define SCAN_FRAME_SYMBOLS 1250.0
#define SCAN_MAX_PENDING 16

typedef cs_gsm_fcch_event scan_fcch;
typedef cs_gsm_sch_event scan_sch;

/* A carrier's frame timing: TS0 of frame ref_fn starts at ref_t. */
typedef struct carrier_timing {
    int known;
    uint32_t ref_fn;
    double ref_t;
    double frame_s;   /* frame period in recording time */
    int ncc, bcc;
} carrier_timing;

/* Inverse-variance sums of FCCH frequency errors. */
typedef struct freq_sums {
    double sw, swx, sw2; /* sum of 1/sigma^2, of x/sigma^2, of x^2/sigma^2 */
    unsigned n;
} freq_sums;

#define SCAN_RECENT_SCH 8 /* decoded SCH times kept against decoding one twice */

/* A channel's detections past the first max_events of either kind (memory stays bounded):
 * checked on arrival against the carrier the stored ones establish and folded into sums
 * (gsm_scan_stream.c). */
typedef struct scan_stream {
    int active;              /* the stored lists are full and final */
    carrier_timing timing;   /* from the stored SCHs, moved to every consistent SCH since */
    scan_sch sch_anchor;     /* latest consistent SCH (timing.known) */
    int have_fcch_anchor;
    scan_fcch fcch_anchor;   /* without timing: latest FCCH of the agreeing group */
    unsigned fcch_total;     /* FCCHs folded */
    unsigned fcch_valid;     /* ... consistent with the carrier */
    freq_sums freq;          /* ... and within 4 sigma of the running mean */
    double freq_mean_hz;     /* running mean over the stored and folded ones */
    double freq_w;           /* its weight; 0: none yet */
    double tone_power;       /* summed over the consistent ones */
    double fcch_t0_s, fcch_t1_s; /* first and last consistent (NAN: none) */
    int have_max;
    scan_fcch max_fcch;      /* the strongest folded FCCH */
    unsigned sch_total;      /* SCHs decoded and folded */
    unsigned sch_consistent; /* ... with the carrier's BSIC and timing */
    double sch_t1_s;         /* start of the last consistent one (NAN: none) */
} scan_stream;

typedef struct scan_pending {
    double t_expected_s; /* SCH start expected */
    double search_s;
    double offset_hz;
    int predicted;       /* from the frame timing (no FCCH seen for it) */
} scan_pending;

typedef struct scan_channel {
    int arfcn;
    const cs_band *band;
    int uplink;
    double freq_hz, offset_hz;
    int out_tone, out_act, out_chan; /* channelizer outputs; -1 when none */
    cs_gsm_fcch_detector fcch;       /* downlink only */
    cs_gsm_fcch_gate gate;           /* ... and its pre-detector on the block spectra */
    int tone_gated;          /* the tone stream is computed only around the gate's blocks */
    uint64_t tone_next;      /* next tone-stream block the detector has not been fed */
    uint64_t tone_until;     /* ... and the last block the gate's spans still need */
    double tone_residual_hz; /* nominal tone minus the tone stream's 0 Hz (a tone there reads +this) */
    double chan_residual_hz; /* ... and the SCH stream's below the channel centre */
    cs_gsm_activity act;
    double act_rate;
    double act_gain;         /* share of a GMSK carrier's power the activity stream passes */
    double act_leak[2];      /* ... of a carrier 200 kHz below [0] / above [1] the channel */
    double act_envelope;     /* GMSK's own envelope ratio (m4/m2^2 - 1) in that stream */
    double act_noise;        /* noise per activity-stream sample (0: not known yet) */
    double act_quiet_ratio;  /* a block under act_noise times this is quiet (0: never) */
    uint64_t act_next;       /* next block the detector has neither taken nor skipped */
    uint64_t act_awake_until; /* blocks up to this are fed whatever their power */
    uint64_t act_hold_blocks; /* ... this many after a loud one */
    uint64_t act_back_blocks; /* a waking channel is fed from this many blocks back */
    size_t act_block_samples; /* activity-stream samples per block */
    uint64_t act_decim;      /* input samples per activity-stream sample */
    uint64_t act_blocks;     /* blocks fed (the others were quiet) */
    int act_nb[2];           /* channels 200 kHz below [0] / above [1] (-1: none) */
    /* channel stream for the SCH: ring of samples [ring_first, ring_first + ring_len) */
    cs_cf32 *ring;
    size_t ring_len, ring_cap;
    uint64_t ring_first;
    double chan_rate;
    scan_pending pending[SCAN_MAX_PENDING];
    size_t num_pending;
    /* detections: the first max_events of each kind stored, the rest folded */
    scan_fcch *fcch_list;
    size_t num_fcch, cap_fcch;
    scan_sch *sch_list;
    size_t num_sch, cap_sch;
    scan_stream stream;
    double recent_sch_t[SCAN_RECENT_SCH]; /* starts of the latest decoded SCHs */
    unsigned num_recent_sch;              /* decoded so far (the ring holds the last ones) */
    unsigned sch_attempts;
    /* frame timing from the latest decoded SCH: TS0 of frame ref_fn starts at ref_t */
    int have_timing;
    uint32_t ref_fn;
    double ref_t;
    unsigned misses;         /* predicted SCHs that failed in a row */
    unsigned sch_run;        /* SCHs in a row consistent with the timing before them (BSIC,
                              * FN and start); from TIMED_AFTER_SCH on, with no miss since,
                              * the timing is trusted (gsm_scan_channel.c) */
    int ref_ncc, ref_bcc;    /* BSIC of the latest decoded SCH */
    double offset_est_hz;    /* running carrier offset estimate for the SCH */
    double offset_w;         /* its total weight */
} scan_channel;

struct cs_gsm_scanner_s {
    cs_gsm_scanner_config cfg;
    double rate;
    double max_offset_hz;
    cs_gsm_channelizer chz;
    unsigned nfft;
    unsigned batch;            /* blocks each channel takes in a row */
    unsigned tone_pre, tone_post; /* tone-stream blocks before / after a gated block */
    scan_channel *ch;
    size_t nch;
    cs_gsm_sch_sync sch;       /* shared by all channels (same stream rate) */
    double chan_noise_bw;      /* noise bandwidth of the SCH stream */
    uint64_t nin;
    uint64_t blocks;
    uint64_t chan_block;       /* first block the channels have not taken yet */
    /* averaged Hann spectrum of every PSD_EVERY-th block: the sum in double, plus the last
     * few blocks' sums in float (psd_recent: real and imaginary parts' squares apart,
     * psd_pending blocks; readers add both) */
    double *psd;
    float *psd_recent;
    unsigned psd_pending;
    uint64_t psd_blocks;
    double fcch_threshold;
    size_t max_events;         /* FCCH and SCH detections stored per channel */
    int finished;
    /* results */
    cs_gsm_scan_results res;
    cs_gsm_carrier *carriers;
    cs_gsm_activity_record *acts;
    cs_gsm_activity_result *act_res; /* one per channel */
    cs_gsm_channel_power *powers;
    uint32_t **fn_lists;
    /* activity gate: band power of each channel's activity stream in the held blocks
     * (block b at (b % depth) * nch + channel), computed once, and the block it is of + 1 */
    double *act_bp;
    uint64_t *act_bp_block;
};

/* gsm_scan_channel.c: feed the outputs of block number `block` of channel c. */
int cs_gsm_scan_channel_block(cs_gsm_scanner s, scan_channel *c, uint64_t block);
/* Decode what is still pending at the end. */
void cs_gsm_scan_channel_flush(cs_gsm_scanner s, scan_channel *c);
void cs_gsm_scan_channel_free(scan_channel *c);

/* Store at most max_events (>= 1) FCCHs and SCHs per channel (default CS_GSM_MAX_EVENTS);
 * before the first execute. Tests use it to pass the cap in a short recording. */
int cs_gsm_scanner_set_max_events(cs_gsm_scanner s, size_t max_events);

/* gsm_scan_stream.c: the stored lists are full: fix the carrier they establish. */
void cs_gsm_scan_stream_start(scan_channel *c);
/* Fold one FCCH / SCH past the cap. */
void cs_gsm_scan_stream_fcch(scan_channel *c, const scan_fcch *f);
void cs_gsm_scan_stream_sch(scan_channel *c, const scan_sch *h);

/* gsm_scan_psd.c */
int cs_gsm_scan_psd_alloc(cs_gsm_scanner s);
void cs_gsm_scan_psd_add(cs_gsm_scanner s, const cs_cf32 *spectrum);
/* Noise density (power per Hz, full scale 1) from the averaged spectrum. */
double cs_gsm_scan_noise_density(const cs_gsm_scanner s);
/* Power in [offset - half_bw, offset + half_bw] and the largest share one bin holds. */
double cs_gsm_scan_band_power(const cs_gsm_scanner s, double offset_hz, double half_bw_hz,
                              double *peak_share);

/* 1 when the averaged spectrum around offset_hz has a GMSK carrier's shape: its edges
 * (75..100 kHz out) well below its centre, unless a much stronger neighbour lifts one. */
int cs_gsm_scan_gmsk_shape(const cs_gsm_scanner s, double offset_hz, double n0);

/* gsm_scan_bursts.c: a channel's own bursts, net of what its neighbours leak into it */
typedef struct burst_summary {
    unsigned mask;    /* relative timeslots that are the channel's own */
    uint64_t bursts;  /* bursts in them */
    double power;     /* their mean carrier power, noise and leakage removed (the
                         activity filter's loss undone) */
    double snr;       /* their power over the noise in the activity stream */
    double leak;      /* leakage estimate, per sample of the activity stream */
    double envelope;  /* mean per-slot envelope ratio over them */
    double envelope_gmsk; /* what GMSK alone gives through the activity filter */
} burst_summary;
void cs_gsm_scan_summarise_bursts(const cs_gsm_scanner s, size_t ci, burst_summary *b);
/* 1 when the bursts' envelope is GMSK's (constant) rather than noise-like. */
int cs_gsm_scan_gmsk_envelope(const burst_summary *b);
/* Activity record of channel ci (1) or none (0). */
/* gsm_scan_activity.c: the activity detector's gated feed */
void cs_gsm_scan_activity_init(cs_gsm_scanner s, scan_channel *c);
int cs_gsm_scan_activity_alloc(cs_gsm_scanner s); /* after every channel's init */
int cs_gsm_scan_activity_block(cs_gsm_scanner s, scan_channel *c, uint64_t block);
int cs_gsm_scan_activity_flush(cs_gsm_scanner s, scan_channel *c);
int cs_gsm_scan_make_activity(cs_gsm_scanner s, size_t ci, cs_gsm_activity_record *r, double n0);

/* gsm_scan_results.c */
/* GSM evidence without FCCH or SCH: the bursts' envelope or the spectrum's shape. */
int cs_gsm_scan_gsm_like(const cs_gsm_scanner s, const scan_channel *c, const burst_summary *b,
                         double n0);
int cs_gsm_scan_combine(cs_gsm_scanner s);
void cs_gsm_scan_results_free(cs_gsm_scanner s);

#endif
