/* Internal pieces of the recording generator shared by the lib/core/synth_*.c files. */
#ifndef CELLSCAN_SYNTH_INTERNAL_H
#define CELLSCAN_SYNTH_INTERNAL_H

#include <jansson.h>

#include "cellscan/gmsk_modulator.h"
#include "cellscan/gsm_coding.h"
#include "cellscan/impairments.h"
#include "cellscan/rng.h"
#include "cellscan/synth_scenario.h"

#define CS_GSM_FRAME_S (CS_GSM_FRAME_SYMBOLS / CS_GSM_SYMBOL_RATE_HZ) /* 60/13 ms */
#define CS_GSM_HYPERFRAME_FRAMES ((long long)CS_GSM_HYPERFRAME)
#define CS_GSM_UPLINK_DELAY_SYMBOLS 468.75 /* uplink frame = downlink frame + 3 timeslots */
#define CS_SYNTH_GSM_HALF_BW_HZ 135e3      /* GMSK 99% power within +-125 kHz, plus margin */
#define CS_SYNTH_UMTS_ROLLOFF 0.22                    /* TS 25.104 pulse shape */
#define CS_SYNTH_UMTS_HALF_BW_HZ (0.5 * 1.22 * 3.84e6) /* RRC 0.22 occupied band */
#define CS_SYNTH_UMTS_MIN_RATE_HZ (1.22 * 3.84e6)      /* pulse shaper: whole spectrum */

/* ---- scenario internals -------------------------------------------------------------- */

int cs_synth_scenario_from_json_value(cs_synth_scenario *sc, json_t *root, const char *what);
json_t *cs_synth_scenario_to_json_value(const cs_synth_scenario *sc);
/* json_dumps (indented) with every real in its shortest exact spelling; malloc'd. */
char *synth_json_dumps(json_t *o);

/* YAML file → the equivalent JSON value (plain scalars become numbers, booleans or null
 * where they read as such). CS_ENOTSUP when built without libyaml. */
int cs_synth_yaml_load(const char *path, json_t **out);

/* Random streams: every emitter draws its defaults, payload and fading from its own
 * stream, so adding an emitter never changes what another one sees. */
enum synth_stream_kind {
    SYNTH_STREAM_DEFAULTS = 1,
    SYNTH_STREAM_PAYLOAD = 2,
    SYNTH_STREAM_FADING = 3,
    SYNTH_STREAM_NOISE = 4,
    SYNTH_STREAM_ARRAY = 5,
    SYNTH_STREAM_PHASE = 6
};
enum synth_emitter_class { SYNTH_CLASS_GSM = 1, SYNTH_CLASS_BURSTS = 2, SYNTH_CLASS_UMTS = 3,
                           SYNTH_CLASS_RECEIVER = 4 };
static inline uint64_t synth_stream(int kind, int cls, size_t index)
{
    return (uint64_t)kind << 48 | (uint64_t)cls << 40 | (uint64_t)index;
}

/* ---- receiver arrays (synth_array.c) -------------------------------------------------- */

void synth_array_init(cs_synth_array *a);
int synth_array_resolve(cs_synth_scenario *sc);              /* after the centre is known */
int synth_array_from_json(cs_synth_scenario *sc, json_t *root, const char *what);
json_t *synth_array_to_json(const cs_synth_scenario *sc);    /* null without an array */
/* Array-frame azimuth (clockwise from boresight, 0..360) of a compass bearing. */
double synth_array_azimuth_deg(const cs_synth_scenario *sc, double bearing_deg);
/* Steering vector a[0..M) of a plane wave from (bearing, elevation) at freq_hz. */
void synth_array_steering(const cs_synth_scenario *sc, double freq_hz, double bearing_deg,
                          double elevation_deg, cs_cf32 *a);
/* Same for a boresight at heading_deg (a turning platform). */
void synth_array_steering_at(const cs_synth_scenario *sc, double freq_hz, double bearing_deg,
                             double elevation_deg, double heading_deg, cs_cf32 *a);
/* Complex gain error of receiver channel m. */
cs_cf32 synth_array_channel_gain(const cs_synth_scenario *sc, unsigned m);

/* ---- moving receiver, turned antenna (synth_motion.c) ------------------------------------ */

void synth_motion_init(cs_synth_motion *m);
int synth_motion_active(const cs_synth_scenario *sc);      /* anything varies with time */
int synth_motion_resolve(cs_synth_scenario *sc);
int synth_motion_from_json(cs_synth_scenario *sc, json_t *root, const char *what);
void synth_motion_to_json(const cs_synth_scenario *sc, json_t *o); /* adds its two keys */
/* Receiver position (lat, lon, alt) at t (true seconds); 0 when there is no track. */
int synth_motion_position(const cs_synth_scenario *sc, double t_s, double pos[3]);
/* Antenna / array boresight heading at t (the array's heading_deg without a heading table). */
double synth_motion_heading_deg(const cs_synth_scenario *sc, double t_s);
/* Compass bearing of an emitter at t: from its location when both positions are known,
 * else its bearing_deg; *dist_m (may be NULL) the distance or NAN. */
double synth_motion_bearing_deg(const cs_synth_scenario *sc, const cs_synth_common *c, double t_s,
                                double *dist_m);
/* Power gain (linear) of an emitter at t: antenna pattern and path loss. */
double synth_motion_power_gain(const cs_synth_scenario *sc, const cs_synth_common *c, double t_s);

/* ---- sample FIFO -------------------------------------------------------------------- */

typedef struct synth_fifo {
    cs_cf32 *buf;
    size_t cap, head, len; /* valid samples buf[head .. head+len) */
} synth_fifo;

/* Room for `extra` more samples at synth_fifo_tail(); CS_ENOMEM. */
int synth_fifo_reserve(synth_fifo *f, size_t extra);
static inline cs_cf32 *synth_fifo_tail(synth_fifo *f) { return f->buf + f->head + f->len; }
static inline void synth_fifo_commit(synth_fifo *f, size_t n) { f->len += n; }
/* Move n (<= len) samples to out (NULL: drop them). */
void synth_fifo_pop(synth_fifo *f, cs_cf32 *out, size_t n);
void synth_fifo_free(synth_fifo *f);

/* ---- GSM burst file (vf_call6 format, data/README.md) --------------------------------- */

typedef struct synth_burst_file synth_burst_file;

typedef struct synth_burst_file_info {
    uint32_t fn_first, fn_last; /* frames covered */
    size_t bursts;              /* records read */
    int ncc, bcc;               /* from its first SCH that decodes; -1 when none */
    int have_cell_id;           /* an SI3 decoded */
    cs_gsm_cell_id cell_id;
} synth_burst_file_info;

int synth_burst_file_load(const char *path, synth_burst_file **out);
const synth_burst_file_info *synth_burst_file_get_info(const synth_burst_file *f);
/* The 148 bits of (fn, ts), or NULL when the file has no burst there. */
const uint8_t *synth_burst_file_burst(const synth_burst_file *f, uint32_t fn, int ts);
void synth_burst_file_free(synth_burst_file *f);

/* ---- GSM C0 content (51-multiframe) ---------------------------------------------------- */

typedef struct synth_gsm_c0 synth_gsm_c0;

/* file may be NULL; it is borrowed (must outlive the scheduler). */
int synth_gsm_c0_create(const cs_synth_gsm *g, const synth_burst_file *file, synth_gsm_c0 **out);
/* The 148 bits timeslot ts of frame fn carries. */
void synth_gsm_c0_slot(synth_gsm_c0 *c, uint32_t fn, int ts, uint8_t bits[CS_GSM_BURST_BITS]);
void synth_gsm_c0_destroy(synth_gsm_c0 *c);

/* System Information Type 4 (TS 44.018 §9.1.36) with the same cell identity fields as
 * SI3 (gsm_coding.h offers SI3 only). */
int synth_gsm_si4_encode(const cs_gsm_cell_id *id, uint8_t l2[CS_GSM_L2_OCTETS]);

/* ---- emitters: one signal at the ideal recording rate and centre ------------------------ */

typedef struct synth_emitter synth_emitter;
struct synth_emitter {
    /* Append the next piece of the signal (unit power during bursts, at its offset) to
     * fifo; called until enough samples are there. */
    int (*produce)(synth_emitter *e);
    void (*destroy)(synth_emitter *e);
    void *impl;
    synth_fifo fifo;      /* produced, after the channel */
    cs_multipath channel; /* NULL: direct path only */
    synth_fifo raw;       /* produced before the channel (when there is one) */
    double amplitude;     /* sqrt of the linear power at the recording */
    double freq_hz;       /* RF of the carrier: steering vectors use its wavelength */
    const cs_synth_common *common;
};

/* Next n samples of e (scaled by its amplitude) into out. */
int synth_emitter_pull(synth_emitter *e, cs_cf32 *out, size_t n);
void synth_emitter_destroy(synth_emitter *e);
/* Attach the scenario's propagation model (fading profile) to e. */
int synth_emitter_attach_channel(synth_emitter *e, const cs_synth_scenario *sc, int cls,
                                 size_t index);

int synth_gsm_c0_emitter_create(const cs_synth_scenario *sc, size_t index, synth_emitter **out);
int synth_gsm_bursts_emitter_create(const cs_synth_scenario *sc, size_t index,
                                    synth_emitter **out);
int synth_umts_emitter_create(const cs_synth_scenario *sc, size_t index, synth_emitter **out);

/* ---- UMTS chip generator ----------------------------------------------------------- */

typedef struct synth_umts_cell synth_umts_cell;

/* Chips of a cell with unit total power (average over a frame), per the scenario's
 * channel split. */
int synth_umts_cell_create(const cs_synth_umts *u, uint64_t seed, size_t index,
                           synth_umts_cell **out);
/* The 2560 chips of slot `slot` (0..14) of the next frame in sequence; random data are
 * drawn per call, so call once per slot in time order. */
void synth_umts_cell_slot(synth_umts_cell *c, int slot, cs_cf32 chips[2560]);
void synth_umts_cell_destroy(synth_umts_cell *c);

/* Fraction of a frame's power each channel of u gets (linear), and the OCNS share that
 * fills the total to 1; CS_EINVAL when the fixed channels already exceed it. */
int synth_umts_power_split(const cs_synth_umts *u, double *cpich, double *pccpch, double *psch,
                           double *ssch, double *ocns_total);

#endif
