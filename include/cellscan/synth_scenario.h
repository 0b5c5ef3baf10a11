/* Scenario of the recording generator (`cellscan synth`): what is on the air, how strong,
 * and how the receiver sees it. Built from a JSON or YAML file and/or the command line,
 * then resolved (defaults drawn from the seed, channel frequencies, absolute powers).
 *
 * Power semantics (all powers are mean powers at the recording, in dBFS of the datatype):
 * - GSM snr_db: carrier power (during its bursts) over the noise power in 270.833 kHz.
 * - UMTS ecio_db: CPICH Ec/Io, Io = total received power in 3.84 MHz (noise bandwidth of
 *   the RRC matched filter) of every cell on that carrier plus the noise. The cells'
 *   powers and the noise level are solved jointly; a request whose sum of
 *   (Ec/Io) / (CPICH share) reaches 1 is infeasible and rejected.
 * - The noise density then follows from power_dbfs (mean power of the whole recording,
 *   bursts counted as if always on) or, when given, from noise_dbfs (noise power in the
 *   whole recording bandwidth).
 *
 *   cs_synth_scenario *sc;
 *   cs_synth_scenario_create(&sc);
 *   cs_synth_scenario_load(sc, "scene.json");        // optional
 *   cs_synth_scenario_add_gsm_spec(sc, "30:4:0:20"); // ARFCN:NCC:BCC:SNR_DB
 *   cs_synth_scenario_resolve(sc);                   // CS_EINVAL with a message if infeasible
 *   ... cs_synth_write(sc, "out") (synth.h) ...
 *   cs_synth_scenario_destroy(sc);
 */
#ifndef CELLSCAN_SYNTH_SCENARIO_H
#define CELLSCAN_SYNTH_SCENARIO_H

#include "cellscan/datatype.h"
#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_SYNTH_NAME_CHARS 32
#define CS_SYNTH_MAX_INTERVALS 32
#define CS_SYNTH_MAX_OCNS 16
#define CS_SYNTH_MAX_ELEMENTS 16
#define CS_GSM_NOISE_BW_HZ (1625000.0 / 6.0) /* SNR reference bandwidth: 270.833 kHz */
#define CS_UMTS_NOISE_BW_HZ 3.84e6             /* Io reference bandwidth */

/* What the generator writes: everything, the emitters alone, or the noise alone (the
 * same numbers as in the full file: references for measurements). */
typedef enum cs_synth_content {
    CS_SYNTH_ALL = 0,
    CS_SYNTH_SIGNAL_ONLY,
    CS_SYNTH_NOISE_ONLY
} cs_synth_content;

/* Parameters every emitter has. */
typedef struct cs_synth_common {
    double freq_error_hz;              /* transmitter offset from the nominal frequency */
    char fading[CS_SYNTH_NAME_CHARS];  /* propagation profile name, "" or "none" = one path */
    double doppler_hz;                 /* maximum Doppler of the fading paths, >= 0; NAN =
                                          the profile's test speed at this carrier */
    double bearing_deg;                /* arrays, direction finding: compass bearing of the
                                          emitter seen from the receiver (0..360) */
    double elevation_deg;              /* above the horizon, -90..90 */
    double lat_deg, lon_deg;           /* emitter position (WGS84), NAN = none; with a receiver
                                          position it sets the bearing (and path loss) */
    /* resolved */
    double freq_hz;                    /* nominal RF frequency of the channel */
    double offset_hz;                  /* where it appears in the recording: nominal + error
                                          + receiver errors - centre, as seen in the file */
    double power_dbfs;                 /* mean power (during bursts) at the recording */
    double bandwidth_hz;               /* occupied bandwidth used for the annotation edges */
} cs_synth_common;

/* GSM BCCH carrier (C0): FCCH, SCH, BCCH (SI3 ...), CCCH, dummy bursts. */
typedef struct cs_synth_gsm {
    int arfcn;
    char band[CS_SYNTH_NAME_CHARS];    /* "" = scenario band, else first band with the ARFCN */
    int ncc, bcc;                      /* BSIC */
    double snr_db;
    int64_t first_fn;                  /* FN of the first frame starting at t >= 0; -1 = seed */
    double first_frame_s;              /* when that frame starts, [0, 60/13 ms); NAN = seed */
    int combined_ccch;                 /* 1: CCCH + SDCCH/4 on TS0 (CCCH_CONF 1) */
    int mcc, mnc, mnc_digits, lac, ci; /* SI3/SI4 cell identity */
    char *bursts_file;                 /* real bursts (vf_call6 format) to modulate, or NULL */
    cs_synth_common c;
} cs_synth_gsm;

/* GSM bursts on one carrier in chosen timeslots: downlink traffic on a non-C0 carrier, or
 * a handset's uplink (on Fu(n), 3 timeslots after the downlink frame). TCH/F pattern:
 * bursts in every frame except FN mod 26 = 25. */
typedef struct cs_synth_gsm_bursts {
    int uplink;
    int arfcn;
    char band[CS_SYNTH_NAME_CHARS];
    unsigned timeslot_mask;            /* bit t = timeslot t active */
    int tsc;                           /* training sequence code; -1 = the cell's BCC */
    double snr_db;                     /* burst power over noise in 270.833 kHz */
    int cell;                          /* index of the C0 whose frame timing it follows; -1 =
                                          the first C0 when there is one, else its own */
    size_t num_intervals;              /* 0 = on for the whole recording */
    double intervals_s[CS_SYNTH_MAX_INTERVALS][2];
    /* resolved */
    int64_t first_fn;
    double first_frame_s;              /* downlink frame timing it is aligned to */
    cs_synth_common c;
} cs_synth_gsm_bursts;

/* UMTS FDD downlink cell. Channel powers relative to the cell's total power. */
typedef struct cs_synth_umts {
    int psc;                           /* primary scrambling code index 0..511 */
    double ecio_db;                    /* CPICH Ec/Io */
    int uarfcn;                        /* -1: at the recording centre */
    char band[CS_SYNTH_NAME_CHARS];
    double frame_offset_chips;         /* frame start after t = 0, [0, 38400); NAN = seed */
    double cpich_db, pccpch_db, psch_db, ssch_db; /* defaults -10, -12, -15, -15 */
    int sch_sign;                      /* a of TS 25.213: -1 (default, no STTD) or +1 */
    int ocns_codes;                    /* OCNS SF128 codes filling the rest, 0..16 (16) */
    /* resolved */
    double cpich_dbfs;                 /* RSCP */
    double io_dbfs;                    /* carrier RSSI: all cells on the carrier + noise */
    double ocns_db;                    /* total OCNS share */
    cs_synth_common c;
} cs_synth_umts;

/* Receiver: reference error (sample clock and LO), extra frequency offset, front-end. */
typedef struct cs_synth_receiver {
    double ppm;                        /* reference error: sample clock and LO run ppm fast */
    double cfo_hz;                     /* extra LO offset (moves every emitter by -cfo_hz) */
    double dc_dbfs;                    /* DC offset power, -inf = none */
    double dc_phase_deg;
    double iq_gain_db;                 /* IQ amplitude imbalance */
    double iq_phase_deg;               /* IQ phase (quadrature) error */
} cs_synth_receiver;

/* Coherent receiver array (DF.md): body frame +x boresight, +y left, +z up, metres.
 * Steering a_m = exp(+j 2 pi (r_m . u) / lambda) at each emitter's own wavelength, u the
 * unit vector towards the emitter: azimuth (clockwise from boresight) = bearing - heading. */
typedef struct cs_synth_array {
    unsigned num_elements;             /* 0 = one ordinary receiver (no array) */
    char geometry[CS_SYNTH_NAME_CHARS];/* "ula" (along y, element 0 at +y), "uca" (element 0
                                          on +x, then clockwise seen from above), "custom" */
    double spacing_m;                  /* ULA; NAN = half a wavelength at the centre */
    double radius_m;                   /* UCA; NAN = half-wavelength neighbour spacing */
    double positions_m[CS_SYNTH_MAX_ELEMENTS][3]; /* custom (given) or resolved */
    double heading_deg;                /* compass azimuth of the boresight */
    double gain_db[CS_SYNTH_MAX_ELEMENTS];   /* per-channel receiver errors */
    double phase_deg[CS_SYNTH_MAX_ELEMENTS];
    double delay_ns[CS_SYNTH_MAX_ELEMENTS];  /* >= 0, 0 .. 100 000 ns */
    double calibration_s;              /* common noise source on every channel at the start */
    double calibration_dbfs;           /* its power per channel (before the channel errors);
                                          NAN = power_dbfs, the recording's mean level */
    char output[CS_SYNTH_NAME_CHARS];  /* "collection" (default), "interleaved", "iqf" */
    unsigned iqf_frame_samples;        /* samples per channel per KrakenSDR frame */
} cs_synth_array;

#define CS_SYNTH_MAX_TRACK 512

/* A moving receiver and a hand-turned directional antenna. Track points are linearly
 * interpolated in time (held before the first and after the last); headings likewise
 * (unwrapped degrees: 0 -> 720 is two turns). */
typedef struct cs_synth_motion {
    size_t num_track;
    double track[CS_SYNTH_MAX_TRACK][4];   /* t_s, lat_deg, lon_deg, alt_m */
    size_t num_heading;
    double heading[CS_SYNTH_MAX_TRACK][2]; /* t_s, heading_deg of the antenna / array boresight */
    double capture_interval_s;             /* captures with core:geolocation (default 0.1) */
    char antenna[CS_SYNTH_NAME_CHARS];     /* "" (omnidirectional) or "raised-cosine" */
    double beamwidth_deg;                  /* its 3 dB beamwidth (default 60) */
    double front_back_db;                  /* its floor below the peak (default 20) */
    double path_loss_exponent;             /* power ~ distance^-n relative to t = 0 (default 0) */
} cs_synth_motion;

typedef struct cs_synth_scenario {
    double sample_rate_hz;             /* NAN = from the emitters */
    double centre_freq_hz;             /* NAN = from the emitters */
    double duration_s;                 /* default 0.1 */
    uint64_t seed;                     /* default 1 */
    cs_datatype datatype;              /* default cf32_le */
    double power_dbfs;                 /* mean power of the recording, default -15 */
    double noise_dbfs;                 /* NAN, or the noise power in the whole band */
    char band[CS_SYNTH_NAME_CHARS];    /* default GSM band for ARFCNs, "" = by number */
    cs_synth_content content;
    cs_synth_receiver rx;
    cs_synth_array array;
    cs_synth_motion motion;
    size_t num_gsm, num_bursts, num_umts;
    cs_synth_gsm *gsm;
    cs_synth_gsm_bursts *bursts;
    cs_synth_umts *umts;
    /* resolved */
    int resolved;
    double n0_dbfs_per_hz;             /* noise density */
    double noise_power_dbfs;           /* noise power in the whole band */
    uint64_t num_samples;
    char *source_path;                 /* scenario file it came from, or NULL */
} cs_synth_scenario;

/* Empty scenario with every default set. CS_ENOMEM. */
CS_API int cs_synth_scenario_create(cs_synth_scenario **out);
CS_API void cs_synth_scenario_destroy(cs_synth_scenario *sc);

/* Append emitters with their defaults; returns a pointer to fill in (valid until the next
 * add) or NULL when out of memory. */
CS_API cs_synth_gsm *cs_synth_scenario_add_gsm(cs_synth_scenario *sc);
CS_API cs_synth_gsm_bursts *cs_synth_scenario_add_bursts(cs_synth_scenario *sc, int uplink);
CS_API cs_synth_umts *cs_synth_scenario_add_umts(cs_synth_scenario *sc);

/* Command-line forms:
 *   gsm      ARFCN:NCC:BCC:SNR_DB
 *   umts     PSC:ECIO_DB[:UARFCN]
 *   traffic  ARFCN:TS[,TS...]:SNR_DB          (downlink bursts on a non-C0 carrier)
 *   uplink   ARFCN:TS:T0-T1[,T0-T1...]:SNR_DB  (T in seconds; "all" = whole recording)
 * CS_EINVAL with a message naming the field. */
CS_API int cs_synth_scenario_add_gsm_spec(cs_synth_scenario *sc, const char *spec);
CS_API int cs_synth_scenario_add_umts_spec(cs_synth_scenario *sc, const char *spec);
CS_API int cs_synth_scenario_add_traffic_spec(cs_synth_scenario *sc, const char *spec);
CS_API int cs_synth_scenario_add_uplink_spec(cs_synth_scenario *sc, const char *spec);

/* Receiver array from the command line: "ula:M[:SPACING_M]" or "uca:M[:RADIUS_M]"
 * (default: half-wavelength element spacing at the centre frequency). */
CS_API int cs_synth_scenario_set_array_spec(cs_synth_scenario *sc, const char *spec);

/* Receiver at (lat, lon, alt) at t = 0 moving at speed_mps along course_deg (great circle)
 * for the scenario's duration (set the duration first); speed 0 = a fixed position. */
CS_API int cs_synth_scenario_set_track_linear(cs_synth_scenario *sc, double lat_deg, double lon_deg,
                                              double alt_m, double speed_mps, double course_deg);
/* Antenna (or array) boresight turning from start_deg at rate_dps over the duration. */
CS_API int cs_synth_scenario_set_turn(cs_synth_scenario *sc, double start_deg, double rate_dps);

/* Read a scenario file (JSON; YAML when the name ends in .yaml/.yml) into sc: top-level
 * fields replace the current ones, emitter lists are appended. Unknown keys are errors.
 * CS_EIO / CS_EFORMAT / CS_EINVAL with "PATH: problem" in cs_last_error(). */
CS_API int cs_synth_scenario_load(cs_synth_scenario *sc, const char *path);

/* Same from JSON text (what the truth file's "scenario" holds). */
CS_API int cs_synth_scenario_load_json(cs_synth_scenario *sc, const char *json_text,
                                       const char *what);

/* Validate, draw the defaults from the seed, compute frequencies, offsets and powers.
 * Idempotent. CS_EINVAL with a message on any inconsistency (emitter outside the band,
 * infeasible Ec/Io, unknown ARFCN ...). */
CS_API int cs_synth_scenario_resolve(cs_synth_scenario *sc);

/* The resolved scenario as JSON text (malloc'd, caller frees): the same schema as a
 * scenario file, every default written out, so loading it reproduces the recording. */
CS_API char *cs_synth_scenario_to_json(const cs_synth_scenario *sc);

/* Annotation label of an emitter ("GSM 30 BSIC 4-0", "UMTS PSC 366", ...). */
CS_API void cs_synth_gsm_label(const cs_synth_gsm *g, char *buf, size_t n);
CS_API void cs_synth_bursts_label(const cs_synth_gsm_bursts *b, char *buf, size_t n);
CS_API void cs_synth_umts_label(const cs_synth_umts *u, char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
