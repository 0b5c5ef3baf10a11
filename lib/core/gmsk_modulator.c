/* GSM GMSK modulator: phase = pi/2 * sum(alpha_n * q(u - n - 0.5)), evaluated at each
 * output sample's exact symbol time u. See gmsk_modulator.h for the conventions.
 *
 * Speed: the window sum comes from pre-summed tables (gmsk_phase.h). At a rational rate
 * with a short period (2 MS/s: 96 samples = 13 symbols) each phase of the period has
 * exp(j pi/2 * sum) tabulated per half window and sign pattern, so a sample is two table
 * products and the carrier a recursive rotation re-anchored every ROT_ANCHOR samples;
 * otherwise the phase is summed per sample and turned into cos/sin (fast_sincos.h) in a
 * second pass over a chunk. Both agree with the direct formula to ~1e-15 rad. */
#include "cellscan/gmsk_modulator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "fast_sincos.h"
#include "gmsk_phase.h"

#define PULSE_HALF GMSK_PULSE_HALF
#define LATENCY_SYM 8       /* >= pulse half-length and ramp length */
#define ALPHA_RING 1024     /* symbols kept (power of two, well above a slot plus latency) */
#define SLOT_RING 8
#define MAX_RAMP_SYM 4.0
#define EMIT_CHUNK 256      /* samples per phase pass / sincos pass */
#define MAX_PHASES 512      /* polyphase tables up to 512 * 512 bytes */
#define ROT_ANCHOR 256      /* carrier rotation recomputed exactly every ROT_ANCHOR samples */

typedef struct slot_rec {
    int64_t start;   /* first symbol */
    int64_t useful_end; /* symbol after the burst's last bit (= start for an idle slot) */
    int64_t end;     /* first symbol of the next slot */
    double amp;
} slot_rec;

struct cs_gmsk_modulator_s {
    cs_gmsk_config cfg;
    double sym_per_sample;  /* Rs / fs */
    double delay_sym;       /* delay_s * Rs */
    double cycles_per_sample; /* freq_offset / fs */
    size_t max_samples;
    double phase_qt;        /* phase_rad in quarter turns, reduced to 0..4 */

    int8_t alpha[ALPHA_RING];
    uint64_t dhat[ALPHA_RING / 64]; /* bit n: alpha_n = -1 (same ring positions) */
    int64_t n_sym;          /* symbols pushed so far */
    uint8_t last_bit;       /* previous d for the differential encoder */
    slot_rec slots[SLOT_RING];
    int64_t n_slots;
    unsigned next_tn;
    double first_amp;       /* envelope before the first slot */

    int64_t k_next;         /* next output sample index */
    int64_t cum_idx;        /* symbols below cum_idx are summed into cum_mod4 */
    unsigned cum_mod4;      /* sum of their alpha, mod 4 (exact quarter turns) */
    int const_amp;          /* every slot so far had first_amp: a flat envelope */
    int started, flushed;

    /* rational rate (n_phase > 0): see gmsk_phase_tables() */
    unsigned n_phase;
    int64_t advance_sym;    /* symbols per period */
    int64_t *phase_lo;
    double *phase_exp;
    unsigned phase;         /* k_next mod n_phase */
    int64_t period_sym;     /* (k_next div n_phase) * advance_sym */
    double rot_step[2];     /* carrier turn per sample */
    double rot[2];          /* carrier phasor of sample k_next */
};

/* Normalised so the truncated pulse goes exactly from 0 to 1. */
double cs_gmsk_phase_pulse(double x) { return gmsk_phase_pulse(x); }

static inline int alpha_at(const cs_gmsk_modulator m, int64_t n)
{
    return n < 0 ? 1 : m->alpha[n & (ALPHA_RING - 1)]; /* before the stream: dummy bits */
}

/* floor() for |x| < 2^62 without a library call. */
static inline double floor_fast(double x)
{
    const double t = (double)(int64_t)x;
    return t > x ? t - 1.0 : t;
}

/* Sign bits (1: alpha = -1) of symbols lo .. lo + 7, bit i for symbol lo + i. Symbols
 * before the stream are dummy (+1); symbols not pushed yet are only read when their
 * pulse weight is exactly zero. */
static inline unsigned window_bits(const cs_gmsk_modulator m, int64_t lo)
{
    if (lo < 0) {
        unsigned bits = 0;
        for (int i = 0; i < GMSK_WINDOW_SYM; i++)
            if (lo + i >= 0)
                bits |= (unsigned)(alpha_at(m, lo + i) < 0) << i;
        return bits;
    }
    const unsigned pos = (unsigned)(lo & (ALPHA_RING - 1)), w = pos >> 6, sh = pos & 63;
    uint64_t v = m->dhat[w] >> sh;
    if (sh > 64 - GMSK_WINDOW_SYM)
        v |= m->dhat[(w + 1) & (ALPHA_RING / 64 - 1)] << (64 - sh);
    return (unsigned)(v & 0xff);
}

/* First symbol whose pulse still moves the phase at time u (centre > u - PULSE_HALF). */
static inline int64_t window_lo(double u) { return (int64_t)floor(u - PULSE_HALF - 0.5) + 1; }

static void advance_cum(cs_gmsk_modulator m, int64_t target)
{
    if (m->cum_idx < 0 && target > m->cum_idx) { /* dummy symbols before 0: alpha = +1 */
        const int64_t stop = target < 0 ? target : 0;
        m->cum_mod4 = (m->cum_mod4 + (unsigned)((stop - m->cum_idx) & 3)) & 3u;
        m->cum_idx = stop;
    }
    while (m->cum_idx < target) {
        m->cum_mod4 = (m->cum_mod4 + (unsigned)(alpha_at(m, m->cum_idx) & 3)) & 3u;
        m->cum_idx++;
    }
}

void cs_gmsk_config_init(cs_gmsk_config *c)
{
    memset(c, 0, sizeof *c);
    c->sample_rate_hz = 1e6;
    c->ramp_symbols = 3.0;
}

void cs_gmsk_modulator_reset(cs_gmsk_modulator m)
{
    memset(m->alpha, 0, sizeof m->alpha);
    memset(m->dhat, 0, sizeof m->dhat);
    m->const_amp = 1;
    m->n_sym = 0;
    m->last_bit = 1; /* TS 45.004 §2.2: dummy bits d = 1 precede the first burst */
    m->n_slots = 0;
    m->next_tn = m->cfg.first_timeslot;
    m->first_amp = 0.0;
    m->k_next = 0;
    /* Phase reference: symbols before the stream are dummy (+1) and the phase at a time
     * u before every pulse window is (pi/2) * (lowest index still in the window). */
    const int64_t lo = window_lo(-m->delay_sym);
    m->cum_idx = lo < 0 ? lo : 0;
    m->cum_mod4 = (unsigned)(((m->cum_idx % 4) + 4) % 4);
    m->started = 0;
    m->flushed = 0;
    m->phase = 0;
    m->period_sym = 0;
}

int cs_gmsk_modulator_create(const cs_gmsk_config *cfg, cs_gmsk_modulator *out)
{
    *out = NULL;
    if (!cfg)
        return cs_error(CS_EINVAL, "gmsk modulator: no configuration given");
    const double fs = cfg->sample_rate_hz;
    if (!(fs >= 10e3 && fs <= 1e9))
        return cs_error(CS_EINVAL, "gmsk modulator: sample_rate_hz must be 10e3..1e9 (got %g)", fs);
    if (!(fabs(cfg->freq_offset_hz) < fs / 2))
        return cs_error(CS_EINVAL, "gmsk modulator: freq_offset_hz must be within +-rate/2 (got %g)",
                        cfg->freq_offset_hz);
    if (!isfinite(cfg->phase_rad))
        return cs_error(CS_EINVAL, "gmsk modulator: phase_rad must be finite");
    if (!(cfg->delay_s >= -10.0 && cfg->delay_s <= 1e-3))
        return cs_error(CS_EINVAL, "gmsk modulator: delay_s must be -10..0.001 s (got %g)",
                        cfg->delay_s);
    if (!(cfg->ramp_symbols >= 0.0 && cfg->ramp_symbols <= MAX_RAMP_SYM))
        return cs_error(CS_EINVAL, "gmsk modulator: ramp_symbols must be 0..4 (got %g)",
                        cfg->ramp_symbols);
    if (cfg->first_timeslot > 7)
        return cs_error(CS_EINVAL, "gmsk modulator: first_timeslot must be 0..7 (got %u)",
                        cfg->first_timeslot);
    cs_gmsk_modulator m = calloc(1, sizeof *m);
    if (!m)
        return cs_error(CS_ENOMEM, "gmsk modulator: out of memory");
    m->cfg = *cfg;
    m->sym_per_sample = CS_GSM_SYMBOL_RATE_HZ / fs;
    m->delay_sym = cfg->delay_s * CS_GSM_SYMBOL_RATE_HZ;
    m->cycles_per_sample = cfg->freq_offset_hz / fs;
    const double qt = cfg->phase_rad / (0.5 * M_PI);
    m->phase_qt = qt - 4.0 * floor(qt / 4.0);
    /* One call covers at most two slots (a burst end to the next slot's end) plus the
     * start-up window of a positive delay. */
    const double span_sym = 2 * 157 + LATENCY_SYM + (m->delay_sym > 0 ? m->delay_sym : 0);
    m->max_samples = (size_t)ceil(span_sym / m->sym_per_sample) + 2;
    gmsk_phase_init();
    const double step = m->cycles_per_sample - floor(m->cycles_per_sample);
    cs_sincos_quarter(4.0 * step, &m->rot_step[1], &m->rot_step[0]);
    m->n_phase = gmsk_phase_period(fs, MAX_PHASES, &m->advance_sym);
    if (m->n_phase) {
        m->phase_lo = malloc(m->n_phase * sizeof *m->phase_lo);
        m->phase_exp = malloc((size_t)m->n_phase * 64 * sizeof *m->phase_exp);
        if (!m->phase_lo || !m->phase_exp) {
            cs_gmsk_modulator_destroy(m);
            return cs_error(CS_ENOMEM, "gmsk modulator: out of memory");
        }
        gmsk_phase_tables(m->n_phase, m->sym_per_sample, m->delay_sym, m->phase_lo, m->phase_exp);
    }
    cs_gmsk_modulator_reset(m);
    *out = m;
    return CS_OK;
}

void cs_gmsk_modulator_destroy(cs_gmsk_modulator m)
{
    if (!m)
        return;
    free(m->phase_lo);
    free(m->phase_exp);
    free(m);
}

size_t cs_gmsk_modulator_max_samples(cs_gmsk_modulator m) { return m->max_samples; }

void cs_gmsk_modulator_position(cs_gmsk_modulator m, unsigned *timeslot, double *slot_start_s)
{
    if (timeslot)
        *timeslot = m->next_tn;
    if (slot_start_s)
        *slot_start_s = (double)m->n_sym / CS_GSM_SYMBOL_RATE_HZ + m->cfg.delay_s;
}

static inline double ramp_down(double x, double len)
{
    return x >= len ? 0.0 : 0.5 + 0.5 * cos(M_PI * x / len);
}

/* Envelope at symbol time u (only called where every needed amplitude is known). */
static double envelope(const cs_gmsk_modulator m, double u)
{
    const int64_t newest = m->n_slots - 1;
    int64_t j = newest;
    while (j >= 0 && j > newest - SLOT_RING && (double)m->slots[j % SLOT_RING].start > u)
        j--;
    if (j < 0 || j <= newest - SLOT_RING)
        return m->first_amp;
    const slot_rec *s = &m->slots[j % SLOT_RING];
    if (u < (double)s->useful_end)
        return s->amp;
    const double next = j < newest ? m->slots[(j + 1) % SLOT_RING].amp : s->amp;
    if (next == s->amp)
        return s->amp;
    const double len = m->cfg.ramp_symbols;
    if (len <= 0.0)
        return 0.0;
    return s->amp * ramp_down(u - (double)s->useful_end, len) +
           next * ramp_down((double)s->end - u, len);
}

/* Carrier offset and phase of sample k in quarter turns, exactly from the index. */
static inline double carrier_qt(const cs_gmsk_modulator m, int64_t k)
{
    const double cyc = (double)k * m->cycles_per_sample;
    return 4.0 * (cyc - floor_fast(cyc)) + m->phase_qt;
}

/* Phase in quarter turns (pulses, carrier offset and phase) of the sample at symbol time
 * u, index k. */
static inline double sample_phase_qt(cs_gmsk_modulator m, double u, int64_t k)
{
    const double v = u - 0.5, fl = floor_fast(v);
    const int64_t lo = (int64_t)fl - (PULSE_HALF - 1); /* window_lo(u) */
    advance_cum(m, lo);
    const double frac = gmsk_window_sum(v - fl, window_bits(m, lo));
    return ((double)m->cum_mod4 + frac) + carrier_qt(m, k);
}

/* Rational rate: the sample k_next from the phase tables and the carrier rotation,
 * times amplitude a. */
static inline cs_cf32 sample_polyphase(cs_gmsk_modulator m, double a)
{
    const int64_t lo = m->period_sym + m->phase_lo[m->phase];
    advance_cum(m, lo);
    const unsigned bits = window_bits(m, lo);
    const double *e = m->phase_exp + (size_t)m->phase * 64;
    const double *x = e + 2 * (bits & 15), *y = e + 32 + 2 * (bits >> 4);
    const double re = x[0] * y[0] - x[1] * y[1], im = x[0] * y[1] + x[1] * y[0];
    if ((m->k_next & (ROT_ANCHOR - 1)) == 0)
        cs_sincos_quarter(carrier_qt(m, m->k_next), &m->rot[1], &m->rot[0]);
    double cr = re * m->rot[0] - im * m->rot[1], ci = re * m->rot[1] + im * m->rot[0];
    const double t = m->rot[0] * m->rot_step[0] - m->rot[1] * m->rot_step[1];
    m->rot[1] = m->rot[0] * m->rot_step[1] + m->rot[1] * m->rot_step[0];
    m->rot[0] = t;
    switch (m->cum_mod4) { /* exact quarter turns of the symbols before the window */
    case 1: { const double r = cr; cr = -ci; ci = r; break; }
    case 2: cr = -cr; ci = -ci; break;
    case 3: { const double r = cr; cr = ci; ci = -r; break; }
    default: break;
    }
    if (++m->phase == m->n_phase) {
        m->phase = 0;
        m->period_sym += m->advance_sym;
    }
    return CMPLXF(a * cr, a * ci);
}

/* Emit every not yet emitted sample whose symbol time is below u_limit. Samples within a
 * few ulp of the limit count as at the limit, so rational rates split exactly. Per chunk
 * (other rates): phases and envelope sample by sample, then cos/sin over the chunk. */
static int emit(cs_gmsk_modulator m, double u_limit, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    const double tol = 1e-9 + fabs(u_limit) * 0x1.0p-46;
    double qt[EMIT_CHUNK], amp[EMIT_CHUNK];
    size_t n = 0;
    int full = 0, more = 1;
    while (more) {
        size_t c = 0;
        while (c < EMIT_CHUNK) {
            const double u = (double)m->k_next * m->sym_per_sample - m->delay_sym;
            if (!(u < u_limit - tol)) {
                more = 0;
                break;
            }
            if (n + c >= out_cap) {
                full = 1;
                more = 0;
                break;
            }
            const double a = m->const_amp ? m->first_amp : envelope(m, u);
            if (m->n_phase) {
                out[n + c] = sample_polyphase(m, a);
            } else {
                qt[c] = sample_phase_qt(m, u, m->k_next);
                amp[c] = a;
            }
            c++;
            m->k_next++;
        }
        for (size_t i = 0; !m->n_phase && i < c; i++) {
            double sn, cs;
            cs_sincos_quarter(qt[i], &sn, &cs);
            out[n + i] = CMPLXF(amp[i] * cs, amp[i] * sn);
        }
        n += c;
    }
    *n_out = n;
    if (full)
        return cs_error(CS_EINVAL, "gmsk modulator: output buffer too small (%zu samples)", out_cap);
    return CS_OK;
}

static void append_symbol(cs_gmsk_modulator m, uint8_t bit)
{
    const uint8_t d_hat = bit ^ m->last_bit;
    const unsigned pos = (unsigned)(m->n_sym & (ALPHA_RING - 1));
    m->alpha[pos] = (int8_t)(1 - 2 * d_hat);
    m->dhat[pos >> 6] = (m->dhat[pos >> 6] & ~(1ull << (pos & 63))) | (uint64_t)d_hat << (pos & 63);
    m->last_bit = bit;
    m->n_sym++;
}

int cs_gmsk_modulator_push_slot(cs_gmsk_modulator m, const uint8_t *bits, size_t n_bits,
                                double amplitude, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (m->flushed)
        return cs_error(CS_EINVAL, "gmsk modulator: push after flush (reset it first)");
    if (n_bits > CS_GSM_BURST_BITS || (n_bits > 0 && !bits) || (!bits && n_bits != 0))
        return cs_error(CS_EINVAL, "gmsk modulator: a burst has 1..148 bits (got %zu%s)", n_bits,
                        bits ? "" : " without a bit array");
    if (!out || out_cap < m->max_samples)
        return cs_error(CS_EINVAL, "gmsk modulator: output capacity %zu is below max_samples %zu",
                        out_cap, m->max_samples);
    if (!(amplitude >= 0.0 && isfinite(amplitude)))
        return cs_error(CS_EINVAL, "gmsk modulator: amplitude must be finite and >= 0 (got %g)",
                        amplitude);
    for (size_t i = 0; i < n_bits; i++)
        if (bits[i] > 1)
            return cs_error(CS_EINVAL, "gmsk modulator: bit %zu is %u, not 0 or 1", i, bits[i]);

    /* Fold symbols the remaining output no longer needs individually before the ring
     * reuses their places (matters only when a negative delay skips many symbols). */
    const double u_next = (double)m->k_next * m->sym_per_sample - m->delay_sym;
    const int64_t lo = window_lo(u_next);
    advance_cum(m, lo < m->n_sym ? lo : m->n_sym);

    const unsigned len = (m->next_tn % 4 == 0) ? 157 : 156;
    slot_rec *s = &m->slots[m->n_slots % SLOT_RING];
    s->start = m->n_sym;
    s->useful_end = m->n_sym + (int64_t)n_bits;
    s->end = m->n_sym + len;
    s->amp = amplitude;
    if (m->n_slots == 0)
        m->first_amp = amplitude;
    if (amplitude != m->first_amp)
        m->const_amp = 0;
    m->n_slots++;
    m->next_tn = (m->next_tn + 1) % 8;
    for (size_t i = 0; i < n_bits; i++)
        append_symbol(m, bits[i]);
    for (size_t i = n_bits; i < len; i++)
        append_symbol(m, 1); /* guard period / idle slot: dummy bits */

    /* The ramp after this burst depends on the next slot's amplitude: stop at the burst
     * end; the pulse window needs LATENCY_SYM symbols of look-ahead. */
    double limit = (double)(s->end - LATENCY_SYM);
    if ((double)s->useful_end < limit)
        limit = (double)s->useful_end;
    return emit(m, limit, out, out_cap, n_out);
}

int cs_gmsk_modulator_flush(cs_gmsk_modulator m, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (m->flushed)
        return CS_OK;
    if (!out || out_cap < m->max_samples)
        return cs_error(CS_EINVAL, "gmsk modulator: output capacity %zu is below max_samples %zu",
                        out_cap, m->max_samples);
    const int64_t end = m->n_sym;
    /* Dummy bits after the end only complete the pulses of the last symbols. */
    const uint8_t saved = m->last_bit;
    for (int i = 0; i < LATENCY_SYM + PULSE_HALF; i++)
        append_symbol(m, 1);
    m->n_sym = end;
    m->last_bit = saved;
    m->flushed = 1;
    return emit(m, (double)end, out, out_cap, n_out);
}
