/* GSM GMSK modulator (3GPP TS 45.004 §2): burst bits in, complex baseband out at any
 * sample rate, one timeslot per call, phase-continuous across bursts and slots.
 *
 * Modulation: d^_i = d_i XOR d_(i-1), alpha_i = 1 - 2 d^_i, Gaussian frequency pulse with
 * BT = 0.3, modulation index 0.5 (alpha_i moves the phase by alpha_i * pi/2), output
 * amplitude * exp(j(phi(t) + 2 pi f_offset t + phase)). All-zero bits (FCCH) therefore
 * give a tone at +Rs/4 = +67 708.3 Hz.
 * Timing: Rs = 1625000/6 symbol/s exactly. Slots are 157, 156, 156, 156, 157, 156, 156,
 * 156 symbols (timeslots 0..7), so a TDMA frame is 1250 symbols = 60/13 ms. A burst's bit
 * 0 starts its slot; the symbols after the burst (the guard period, and the whole slot
 * of an idle slot) carry TS 45.004 §2.2 dummy bits d = 1, which keeps the phase going.
 * Symbol n of the stream (counted from the first slot's start) has its frequency pulse
 * centred at t = (n + 0.5)/Rs + delay_s; its phase step is complete, within the
 * Gaussian's ISI, at t = (n + 1)/Rs + delay_s.
 * Power: each slot has an amplitude (0 = off). Between slots of different amplitude the
 * envelope follows a raised-cosine ramp of `ramp_symbols` inside the guard period: down
 * after the burst's last bit, up before the next burst's bit 0. Equal amplitudes (a C0
 * carrier) give a constant envelope.
 * Streaming: output sample k is at t = k / sample_rate_hz. A sample is emitted by the
 * first call that knows every symbol and amplitude it depends on, so each push_slot
 * returns the samples up to 8 symbols before the end of the slot just pushed and flush()
 * returns the rest. The concatenated outputs after flush() are exactly the samples with
 * t < delay_s + (symbols pushed)/Rs, whatever the rate: no drift, ever.
 *
 *   cs_gmsk_config c; cs_gmsk_config_init(&c); c.sample_rate_hz = 1e6;
 *   cs_gmsk_modulator m; cs_gmsk_modulator_create(&c, &m);
 *   cs_cf32 *buf = malloc(cs_gmsk_modulator_max_samples(m) * sizeof *buf);
 *   for each slot: cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, cap, &n); write n;
 *   cs_gmsk_modulator_flush(m, buf, cap, &n); write n;
 */
#ifndef CELLSCAN_GMSK_MODULATOR_H
#define CELLSCAN_GMSK_MODULATOR_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CS_GSM_SYMBOL_RATE_HZ (1625000.0 / 6.0) /* 270 833.33 symbol/s */
#define CS_GSM_BURST_BITS 148                   /* bits of a normal/FCCH/SCH/dummy burst */
#define CS_GSM_ACCESS_BURST_BITS 88
#define CS_GSM_FRAME_SYMBOLS 1250 /* 8 slots, 4.615 ms */

typedef struct cs_gmsk_config {
    double sample_rate_hz;   /* output rate, > 0 (any value: 500e3, 13e6/12, 7.68e6 ...) */
    double freq_offset_hz;   /* carrier relative to 0 Hz of the output, |f| < rate/2 */
    double phase_rad;        /* carrier phase at t = 0 */
    double delay_s;          /* time of the first slot's start; < 0 starts mid-stream
                                (the earlier symbols then only fill the pulse memory) */
    double ramp_symbols;     /* power ramp length, 0..4 symbols (default 3, about 11 us) */
    unsigned first_timeslot; /* timeslot number of the first slot pushed, 0..7 */
} cs_gmsk_config;

typedef struct cs_gmsk_modulator_s *cs_gmsk_modulator;

/* Defaults: 1 MHz, no offset, phase 0, delay 0, ramp 3 symbols, timeslot 0. */
CS_API void cs_gmsk_config_init(cs_gmsk_config *cfg);

/* Returns CS_OK, CS_EINVAL (a parameter out of range: the message names it) or CS_ENOMEM. */
CS_API int cs_gmsk_modulator_create(const cs_gmsk_config *cfg, cs_gmsk_modulator *out);

/* Modulate the next timeslot. bits: n_bits values 0/1 (b_0 first), 1 <= n_bits <= 148
 * (148 for normal, FCCH, SCH and dummy bursts, 88 for access bursts); bits = NULL with
 * n_bits = 0 is an idle slot of dummy bits (give amplitude 0 to switch it off).
 * amplitude: linear, >= 0 (power = amplitude^2). Writes the samples now complete to
 * out (capacity out_cap >= cs_gmsk_modulator_max_samples()) and their count to *n_out.
 * CS_EINVAL for a bad argument (nothing is consumed then). */
CS_API int cs_gmsk_modulator_push_slot(cs_gmsk_modulator m, const uint8_t *bits, size_t n_bits,
                                       double amplitude, cs_cf32 *out, size_t out_cap,
                                       size_t *n_out);

/* Emit the samples left after the last slot (the stream ends at the end of that slot).
 * After a flush only cs_gmsk_modulator_reset() makes the modulator usable again. */
CS_API int cs_gmsk_modulator_flush(cs_gmsk_modulator m, cs_cf32 *out, size_t out_cap,
                                   size_t *n_out);

/* Largest number of samples one push_slot or flush call can return. */
CS_API size_t cs_gmsk_modulator_max_samples(cs_gmsk_modulator m);

/* Timeslot number (0..7) and start time in seconds of the next slot to be pushed. */
CS_API void cs_gmsk_modulator_position(cs_gmsk_modulator m, unsigned *timeslot,
                                       double *slot_start_s);

/* Back to the state right after create. */
CS_API void cs_gmsk_modulator_reset(cs_gmsk_modulator m);

CS_API void cs_gmsk_modulator_destroy(cs_gmsk_modulator m);

/* The GMSK phase pulse q(x): the fraction of one symbol's pi/2 phase step accumulated x
 * symbol periods after its pulse centre (0 for x <= -4, 1/2 at 0, 1 for x >= 4). */
CS_API double cs_gmsk_phase_pulse(double x_symbols);

#ifdef __cplusplus
}
#endif

#endif
