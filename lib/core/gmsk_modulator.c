/* GSM GMSK modulator: phase = pi/2 * sum(alpha_n * q(u - n - 0.5)), evaluated at each
 * output sample's exact symbol time u. See gmsk_modulator.h for the conventions. */
#include "cellscan/gmsk_modulator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

#define PULSE_HALF 4        /* q(x) is 0 below -4 symbols and 1 above +4 (error < 1e-15) */
#define TAB_PER_SYM 256     /* Hermite table points per symbol (interpolation error ~1e-11) */
#define TAB_N (2 * PULSE_HALF * TAB_PER_SYM + 1)
#define LATENCY_SYM 8       /* >= pulse half-length and ramp length */
#define ALPHA_RING 1024     /* symbols kept (power of two, well above a slot plus latency) */
#define SLOT_RING 8
#define MAX_RAMP_SYM 4.0
#define BT 0.3

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
    double q_tab[TAB_N], g_tab[TAB_N]; /* phase pulse and its derivative (frequency pulse) */

    int8_t alpha[ALPHA_RING];
    int64_t n_sym;          /* symbols pushed so far */
    uint8_t last_bit;       /* previous d for the differential encoder */
    slot_rec slots[SLOT_RING];
    int64_t n_slots;
    unsigned next_tn;
    double first_amp;       /* envelope before the first slot */

    int64_t k_next;         /* next output sample index */
    int64_t cum_idx;        /* symbols below cum_idx are summed into cum_mod4 */
    unsigned cum_mod4;      /* sum of their alpha, mod 4 (exact quarter turns) */
    int started, flushed;
};

static double std_normal_cdf(double z) { return 0.5 * erfc(-z / M_SQRT2); }

/* Closed form of the phase pulse for a rectangular symbol smoothed by a Gaussian of
 * deviation sigma (TS 45.004 §2.4): q(x) = F(x + 1/2) - F(x - 1/2) with
 * F(s) = s Phi(s/sigma) + sigma phi(s/sigma), the antiderivative of Phi(s/sigma). */
static double gaussian_sigma(void) { return sqrt(log(2.0)) / (2.0 * M_PI * BT); }

static double raw_q(double x)
{
    const double s = gaussian_sigma();
    const double a = x + 0.5, b = x - 0.5;
    const double fa = a * std_normal_cdf(a / s) + s * exp(-0.5 * (a / s) * (a / s)) / sqrt(2 * M_PI);
    const double fb = b * std_normal_cdf(b / s) + s * exp(-0.5 * (b / s) * (b / s)) / sqrt(2 * M_PI);
    return fa - fb;
}

static double raw_g(double x)
{
    const double s = gaussian_sigma();
    return std_normal_cdf((x + 0.5) / s) - std_normal_cdf((x - 0.5) / s);
}

/* Normalised so the truncated pulse goes exactly from 0 to 1. */
double cs_gmsk_phase_pulse(double x)
{
    if (x <= -PULSE_HALF)
        return 0.0;
    if (x >= PULSE_HALF)
        return 1.0;
    const double q0 = raw_q(-PULSE_HALF), q1 = raw_q(PULSE_HALF);
    return (raw_q(x) - q0) / (q1 - q0);
}

static void build_tables(cs_gmsk_modulator m)
{
    const double q0 = raw_q(-PULSE_HALF), span = raw_q(PULSE_HALF) - q0;
    for (int i = 0; i < TAB_N; i++) {
        const double x = -PULSE_HALF + (double)i / TAB_PER_SYM;
        m->q_tab[i] = (raw_q(x) - q0) / span;
        m->g_tab[i] = raw_g(x) / span;
    }
    m->q_tab[0] = 0.0;
    m->q_tab[TAB_N - 1] = 1.0;
}

/* q(x) for -PULSE_HALF < x < PULSE_HALF by cubic Hermite interpolation (slopes exact). */
static inline double pulse_q(const cs_gmsk_modulator m, double x)
{
    const double pos = (x + PULSE_HALF) * TAB_PER_SYM;
    int i = (int)pos;
    if (i > TAB_N - 2)
        i = TAB_N - 2;
    const double t = pos - i, t2 = t * t, t3 = t2 * t;
    const double h = 1.0 / TAB_PER_SYM;
    return (2 * t3 - 3 * t2 + 1) * m->q_tab[i] + (t3 - 2 * t2 + t) * h * m->g_tab[i] +
           (-2 * t3 + 3 * t2) * m->q_tab[i + 1] + (t3 - t2) * h * m->g_tab[i + 1];
}

static inline int alpha_at(const cs_gmsk_modulator m, int64_t n)
{
    return n < 0 ? 1 : m->alpha[n & (ALPHA_RING - 1)]; /* before the stream: dummy bits */
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
    /* One call covers at most two slots (a burst end to the next slot's end) plus the
     * start-up window of a positive delay. */
    const double span_sym = 2 * 157 + LATENCY_SYM + (m->delay_sym > 0 ? m->delay_sym : 0);
    m->max_samples = (size_t)ceil(span_sym / m->sym_per_sample) + 2;
    build_tables(m);
    cs_gmsk_modulator_reset(m);
    *out = m;
    return CS_OK;
}

void cs_gmsk_modulator_destroy(cs_gmsk_modulator m) { free(m); }

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

/* Emit every not yet emitted sample whose symbol time is below u_limit. Samples within a
 * few ulp of the limit count as at the limit, so rational rates split exactly. */
static int emit(cs_gmsk_modulator m, double u_limit, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    const double tol = 1e-9 + fabs(u_limit) * 0x1.0p-46;
    const double half_pi = 0.5 * M_PI;
    size_t n = 0;
    for (;;) {
        const double u = (double)m->k_next * m->sym_per_sample - m->delay_sym;
        if (!(u < u_limit - tol))
            break;
        if (n >= out_cap) {
            *n_out = n;
            return cs_error(CS_EINVAL, "gmsk modulator: output buffer too small (%zu samples)",
                            out_cap);
        }
        const int64_t lo = window_lo(u);
        advance_cum(m, lo);
        const int64_t hi = (int64_t)ceil(u + PULSE_HALF - 0.5) - 1;
        double frac = 0.0;
        for (int64_t i = lo; i <= hi; i++)
            frac += alpha_at(m, i) * pulse_q(m, u - ((double)i + 0.5));
        const double cyc = (double)m->k_next * m->cycles_per_sample;
        const double phase = half_pi * ((double)m->cum_mod4 + frac) +
                             2.0 * M_PI * (cyc - floor(cyc)) + m->cfg.phase_rad;
        const double a = envelope(m, u);
        out[n++] = (float)(a * cos(phase)) + I * (float)(a * sin(phase));
        m->k_next++;
    }
    *n_out = n;
    return CS_OK;
}

static void append_symbol(cs_gmsk_modulator m, uint8_t bit)
{
    const uint8_t d_hat = bit ^ m->last_bit;
    m->alpha[m->n_sym & (ALPHA_RING - 1)] = (int8_t)(1 - 2 * d_hat);
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
