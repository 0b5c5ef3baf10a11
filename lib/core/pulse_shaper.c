/* RRC pulse shaping of a chip stream at an arbitrary output rate: each output sample is
 * the sum of the chips within +-span weighted by the pulse at its exact time offset.
 *
 * Speed: the taps of a sample depend only on where it falls between two chips. When the
 * output rate is a small rational multiple of the chip rate (7.68 MS/s: 2 phases, 10 MS/s:
 * 125) every phase's taps are computed once; otherwise each sample interpolates its taps
 * from a table laid out so that all of them share one interpolation weight. Either way a
 * sample is one short dot product over a contiguous run of chips, with the taps the
 * original per-tap interpolation gives; the sum runs in a fixed order (16 partial sums), so
 * the output depends neither on block sizes nor on the machine (SSE2 or AVX2). */
#include "cellscan/pulse_shaper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/rrc_filter.h"
#include "cellscan/status.h"
#include "kernels/convert_kernels.h"
#include "kernels/simd_x86.h"

#define TAB_PER_CHIP 1024 /* linear interpolation error < 2e-6 of the peak */
#define PUSH_CHUNK 4096
#define MAX_PHASES 1024   /* polyphase tables up to 1024 * 2 * span floats */
#define TIE_CHIPS 1e-9    /* a phase this close to a chip instant is on it */

struct cs_pulse_shaper_s {
    cs_pulse_shaper_config cfg;
    double chips_per_sample;
    double delay_chips;
    unsigned n_taps;      /* 2 * span rounded up to a multiple of 8: the dot product's
                             length; the taps past a sample's window are zero */
    /* rational rate: P samples advance exactly `advance` chips */
    unsigned n_phase;     /* P, or 0 for the interpolating path */
    int64_t advance;
    float *phase_taps;    /* P x n_taps x 2 (each tap twice: real and imaginary lane) */
    int64_t *phase_lo;    /* first chip of phase p's window, for the first period */
    unsigned *phase_used; /* chips of that window with a tap (2 span or 2 span - 1) */
    unsigned phase;       /* k_next mod P */
    int64_t period_chips; /* (k_next div P) * advance */
    /* interpolating path: row j holds the taps at offset j/TAB_PER_CHIP, and the steps to
     * the next row, for all n_taps chips of the window */
    float *row_tab, *row_step;
    /* chips [base, n_chips) (the ones a later sample can still need) */
    cs_cf32 *chips;
    size_t chips_cap;
    int64_t base;
    int64_t n_chips; /* chips pushed */
    int64_t k_next;  /* next output sample */
    int flushed;
    int avx2;        /* run the AVX2 copy of emit() (same results, fewer instructions) */
};

void cs_pulse_shaper_config_init(cs_pulse_shaper_config *c)
{
    memset(c, 0, sizeof *c);
    c->sample_rate_hz = 2 * CS_UMTS_CHIP_RATE_HZ;
    c->chip_rate_hz = CS_UMTS_CHIP_RATE_HZ;
    c->rolloff = CS_UMTS_RRC_ROLLOFF;
    c->span_chips = 16;
}

void cs_pulse_shaper_reset(cs_pulse_shaper s)
{
    s->base = 0;
    s->n_chips = 0;
    s->k_next = 0;
    s->phase = 0;
    s->period_chips = 0;
    s->flushed = 0;
}

/* Pulse value at table position pos (chips * TAB_PER_CHIP from -span): the interpolation
 * the shaper has always used, in float. */
static float tab_interp(const float *tab, double pos)
{
    const int j = (int)pos;
    const float t = (float)(pos - j);
    return tab[j] + t * (tab[j + 1] - tab[j]);
}

/* Smallest P <= MAX_PHASES such that P samples last exactly a whole number of chips:
 * P * rc = advance * fs for the two doubles as given (checked in extended precision,
 * where both products are exact); 0 when there is none. */
static unsigned find_period(double rc, double fs, int64_t *advance)
{
    for (unsigned p = 1; p <= MAX_PHASES; p++) {
        const double a = nearbyint((double)p * rc / fs);
        if (a >= 1.0 && (long double)rc * p == (long double)fs * a) {
            *advance = (int64_t)a;
            return p;
        }
    }
    return 0;
}

/* Taps of one sample at chip time u into taps[0 .. 2 n_taps) (each twice), as the
 * original code computed them tap by tap; *lo the window's first chip, *used its length. */
static void taps_at(const cs_pulse_shaper s, const float *tab, double u, float *taps,
                    int64_t *lo, unsigned *used)
{
    const int span = (int)s->cfg.span_chips;
    const int64_t first = (int64_t)floor(u - span) + 1, hi = (int64_t)ceil(u + span) - 1;
    for (unsigned m = 0; m < s->n_taps; m++) {
        const int64_t i = first + m;
        const float p = i <= hi ? tab_interp(tab, (u - (double)i + span) * TAB_PER_CHIP) : 0.0f;
        taps[2 * m] = taps[2 * m + 1] = p;
    }
    *lo = first;
    *used = (unsigned)(hi - first + 1);
}

static int build_phases(cs_pulse_shaper s, const float *tab)
{
    const unsigned P = s->n_phase, L = s->n_taps;
    s->phase_taps = malloc((size_t)P * 2 * L * sizeof *s->phase_taps);
    s->phase_lo = malloc((size_t)P * sizeof *s->phase_lo);
    s->phase_used = malloc((size_t)P * sizeof *s->phase_used);
    if (!s->phase_taps || !s->phase_lo || !s->phase_used)
        return cs_error(CS_ENOMEM, "pulse shaper: out of memory");
    for (unsigned p = 0; p < P; p++) {
        double u = (double)p * s->chips_per_sample - s->delay_chips;
        /* on a chip instant up to rounding: take it as exact, so the window is the same
         * in every period (rounding would otherwise add one edge tap or the other) */
        if (fabs(u - nearbyint(u)) < TIE_CHIPS)
            u = nearbyint(u);
        taps_at(s, tab, u, s->phase_taps + (size_t)p * 2 * L, &s->phase_lo[p], &s->phase_used[p]);
    }
    return CS_OK;
}

static int build_rows(cs_pulse_shaper s, const float *tab)
{
    const unsigned L = s->n_taps, span2 = 2 * s->cfg.span_chips;
    s->row_tab = malloc((size_t)TAB_PER_CHIP * L * sizeof *s->row_tab);
    s->row_step = malloc((size_t)TAB_PER_CHIP * L * sizeof *s->row_step);
    if (!s->row_tab || !s->row_step)
        return cs_error(CS_ENOMEM, "pulse shaper: out of memory");
    /* tap m of a window starting (2 span - 1) + j / TAB_PER_CHIP chips before the sample
     * sits at table index j + (2 span - 1 - m) * TAB_PER_CHIP */
    for (unsigned j = 0; j < TAB_PER_CHIP; j++)
        for (unsigned m = 0; m < L; m++) {
            const size_t at = j + (size_t)(span2 - 1 - m) * TAB_PER_CHIP;
            s->row_tab[(size_t)j * L + m] = m < span2 ? tab[at] : 0.0f;
            s->row_step[(size_t)j * L + m] = m < span2 ? tab[at + 1] - tab[at] : 0.0f;
        }
    return CS_OK;
}

int cs_pulse_shaper_create(const cs_pulse_shaper_config *cfg, cs_pulse_shaper *out)
{
    *out = NULL;
    if (!cfg)
        return cs_error(CS_EINVAL, "pulse shaper: no configuration given");
    const double rc = cfg->chip_rate_hz, fs = cfg->sample_rate_hz;
    if (!(cfg->rolloff > 0.0 && cfg->rolloff <= 1.0))
        return cs_error(CS_EINVAL, "pulse shaper: rolloff must be in (0, 1] (got %g)", cfg->rolloff);
    if (!(rc >= 1.0 && rc <= 1e9))
        return cs_error(CS_EINVAL, "pulse shaper: chip_rate_hz must be 1..1e9 (got %g)", rc);
    if (!(fs >= rc * (1.0 + cfg->rolloff) && fs <= 64.0 * rc))
        return cs_error(CS_EINVAL,
                        "pulse shaper: sample_rate_hz must be (1 + rolloff)..64 times the chip "
                        "rate, %g..%g Hz (got %g)",
                        rc * (1.0 + cfg->rolloff), 64.0 * rc, fs);
    if (cfg->span_chips < 2 || cfg->span_chips > 64)
        return cs_error(CS_EINVAL, "pulse shaper: span_chips must be 2..64 (got %u)", cfg->span_chips);
    if (!(cfg->delay_s >= -10.0 && cfg->delay_s <= 1e-3))
        return cs_error(CS_EINVAL, "pulse shaper: delay_s must be -10..0.001 s (got %g)", cfg->delay_s);
    cs_pulse_shaper s = calloc(1, sizeof *s);
    if (!s)
        return cs_error(CS_ENOMEM, "pulse shaper: out of memory");
    s->cfg = *cfg;
    s->chips_per_sample = rc / fs;
    s->delay_chips = cfg->delay_s * rc;
    s->n_taps = (2 * cfg->span_chips + 7) / 8 * 8;
    s->n_phase = find_period(rc, fs, &s->advance);
#if CS_HAVE_X86_SIMD
    s->avx2 = cs_cpu_use_avx2();
#endif
    /* the newest sample's window reaches 2 span + 1 chips back, a push adds PUSH_CHUNK */
    s->chips_cap = PUSH_CHUNK + 2 * (size_t)cfg->span_chips + 8;
    s->chips = malloc(s->chips_cap * sizeof *s->chips);

    /* p(x) for x = -span .. +span, TAB_PER_CHIP points per chip */
    const size_t n_tab = 2 * (size_t)cfg->span_chips * TAB_PER_CHIP + 2;
    float *tab = malloc(n_tab * sizeof *tab);
    int rc_build = (tab && s->chips) ? CS_OK : cs_error(CS_ENOMEM, "pulse shaper: out of memory");
    if (rc_build == CS_OK) {
        for (size_t i = 0; i < n_tab; i++)
            tab[i] = (float)cs_rrc_impulse((double)i / TAB_PER_CHIP - cfg->span_chips, cfg->rolloff);
        rc_build = s->n_phase ? build_phases(s, tab) : build_rows(s, tab);
    }
    free(tab);
    if (rc_build != CS_OK) {
        cs_pulse_shaper_destroy(s);
        return rc_build;
    }
    cs_pulse_shaper_reset(s);
    *out = s;
    return CS_OK;
}

void cs_pulse_shaper_destroy(cs_pulse_shaper s)
{
    if (!s)
        return;
    free(s->phase_taps);
    free(s->phase_lo);
    free(s->phase_used);
    free(s->row_tab);
    free(s->row_step);
    free(s->chips);
    free(s);
}

size_t cs_pulse_shaper_max_output(cs_pulse_shaper s, size_t n_chips)
{
    double chips = (double)n_chips + 2.0 * s->cfg.span_chips + 2.0;
    if (s->delay_chips > 0)
        chips += s->delay_chips;
    return (size_t)ceil(chips / s->chips_per_sample) + 2;
}

/* sum_m taps[m] * x[m] over n floats (n/2 complex chips, taps doubled), a multiple of 16,
 * in two 8-float partial sums (GCC/Clang vector types: element-wise IEEE operations)
 * added in a fixed order. The baseline build runs each 8-float operation as two SSE2
 * ones, the AVX2 copy of emit() as one: the same operations, so the same bits. */
typedef float v8f __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) cs_cf32 dot(const float *taps, const float *x,
                                                         unsigned n_floats)
{
    v8f a = { 0 }, b = { 0 }, t0, t1, x0, x1;
    for (unsigned i = 0; i < n_floats; i += 16) {
        memcpy(&t0, taps + i, sizeof t0);
        memcpy(&x0, x + i, sizeof x0);
        memcpy(&t1, taps + i + 8, sizeof t1);
        memcpy(&x1, x + i + 8, sizeof x1);
        a += t0 * x0;
        b += t1 * x1;
    }
    const v8f s8 = a + b;
    const v4f lo = { s8[0], s8[1], s8[2], s8[3] }, hi = { s8[4], s8[5], s8[6], s8[7] };
    const v4f s4 = lo + hi; /* lanes: re, im, re, im */
    return CMPLXF(s4[0] + s4[2], s4[1] + s4[3]);
}

/* The n_taps chips from lo on: straight from the buffer, or (at the stream's ends) copied
 * with zeros before chip 0 and after the last chip pushed. */
static inline const float *window(const cs_pulse_shaper s, int64_t lo, cs_cf32 *tmp)
{
    const int64_t hi = lo + s->n_taps;
    if (lo >= s->base && hi <= s->n_chips)
        return (const float *)(s->chips + (lo - s->base));
    for (unsigned m = 0; m < s->n_taps; m++) {
        const int64_t i = lo + m;
        tmp[m] = (i >= s->base && i < s->n_chips) ? s->chips[i - s->base] : 0.0f;
    }
    return (const float *)tmp;
}

/* Emit samples while their chip time u satisfies u < limit (strict) or u <= limit; before
 * the flush only while their whole window has been pushed. */
static inline __attribute__((always_inline)) int emit_body(cs_pulse_shaper s, double limit,
                                                           int strict, cs_cf32 *out, size_t cap,
                                                           size_t *n)
{
    const unsigned L = s->n_taps;
    cs_cf32 tmp[128];
    float taps[256];
    for (;;) {
        const double u = (double)s->k_next * s->chips_per_sample - s->delay_chips;
        if (strict ? !(u < limit) : !(u <= limit))
            return CS_OK;
        if (*n >= cap)
            return cs_error(CS_EINVAL, "pulse shaper: output buffer too small (%zu samples)", cap);
        int64_t lo, used;
        const float *t;
        if (s->n_phase) {
            lo = s->period_chips + s->phase_lo[s->phase];
            used = s->phase_used[s->phase];
            t = s->phase_taps + (size_t)s->phase * 2 * L;
        } else {
            lo = (int64_t)floor(u - s->cfg.span_chips) + 1;
            const int64_t hi = (int64_t)ceil(u + s->cfg.span_chips) - 1;
            const double g = (u - (double)lo - (double)s->cfg.span_chips + 1.0) * TAB_PER_CHIP;
            int j = (int)g;
            if (j > TAB_PER_CHIP - 1)
                j = TAB_PER_CHIP - 1;
            const float w = (float)(g - j);
            const float *r = s->row_tab + (size_t)j * L, *d = s->row_step + (size_t)j * L;
            for (unsigned m = 0; m < L; m++)
                taps[2 * m] = taps[2 * m + 1] = r[m] + w * d[m];
            used = hi - lo + 1;
            for (int64_t m = used; m < 2 * s->cfg.span_chips; m++) /* on a chip instant */
                taps[2 * m] = taps[2 * m + 1] = 0.0f;
            t = taps;
        }
        if (!s->flushed && lo + used > s->n_chips)
            return CS_OK; /* rounding of u over a very long stream: wait for the chip */
        out[(*n)++] = dot(t, window(s, lo, tmp), 2 * L);
        s->k_next++;
        if (s->n_phase && ++s->phase == s->n_phase) {
            s->phase = 0;
            s->period_chips += s->advance;
        }
    }
}

static int emit_generic(cs_pulse_shaper s, double limit, int strict, cs_cf32 *out, size_t cap,
                        size_t *n)
{
    return emit_body(s, limit, strict, out, cap, n);
}

#if CS_HAVE_X86_SIMD
CS_AVX2 static int emit_avx2(cs_pulse_shaper s, double limit, int strict, cs_cf32 *out,
                             size_t cap, size_t *n)
{
    return emit_body(s, limit, strict, out, cap, n);
}
#endif

static int emit(cs_pulse_shaper s, double limit, int strict, cs_cf32 *out, size_t cap, size_t *n)
{
#if CS_HAVE_X86_SIMD
    if (s->avx2)
        return emit_avx2(s, limit, strict, out, cap, n);
#endif
    return emit_generic(s, limit, strict, out, cap, n);
}

/* Drop the chips no later sample needs (below the next sample's window). */
static void drop_old_chips(cs_pulse_shaper s)
{
    const double u = (double)s->k_next * s->chips_per_sample - s->delay_chips;
    int64_t lo = s->n_phase ? s->period_chips + s->phase_lo[s->phase]
                            : (int64_t)floor(u - s->cfg.span_chips) + 1;
    lo -= 1; /* margin for the rounding of u on the interpolating path */
    if (lo > s->n_chips)
        lo = s->n_chips;
    if (lo <= s->base)
        return;
    memmove(s->chips, s->chips + (lo - s->base), (size_t)(s->n_chips - lo) * sizeof *s->chips);
    s->base = lo;
}

int cs_pulse_shaper_push(cs_pulse_shaper s, const cs_cf32 *chips, size_t n_chips, cs_cf32 *out,
                         size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (s->flushed)
        return cs_error(CS_EINVAL, "pulse shaper: push after flush (reset it first)");
    if (n_chips > 0 && !chips)
        return cs_error(CS_EINVAL, "pulse shaper: no chip array given");
    if (!out || out_cap < cs_pulse_shaper_max_output(s, n_chips))
        return cs_error(CS_EINVAL, "pulse shaper: output capacity %zu is below %zu for %zu chips",
                        out_cap, cs_pulse_shaper_max_output(s, n_chips), n_chips);
    while (n_chips > 0) {
        drop_old_chips(s);
        const size_t held = (size_t)(s->n_chips - s->base);
        size_t m = n_chips < PUSH_CHUNK ? n_chips : PUSH_CHUNK;
        if (m > s->chips_cap - held)
            m = s->chips_cap - held;
        memcpy(s->chips + held, chips, m * sizeof *chips);
        s->n_chips += (int64_t)m;
        chips += m;
        n_chips -= m;
        /* a sample at u needs chips up to ceil(u + span) - 1 */
        int rc = emit(s, (double)s->n_chips - s->cfg.span_chips, 0, out, out_cap, n_out);
        if (rc != CS_OK)
            return rc;
    }
    return CS_OK;
}

int cs_pulse_shaper_flush(cs_pulse_shaper s, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (s->flushed)
        return CS_OK;
    if (!out || out_cap < cs_pulse_shaper_max_output(s, 0))
        return cs_error(CS_EINVAL, "pulse shaper: flush needs room for %zu samples (got %zu)",
                        cs_pulse_shaper_max_output(s, 0), out_cap);
    s->flushed = 1;
    const double end = (double)s->n_chips;
    return emit(s, end - (1e-9 + fabs(end) * 0x1.0p-46), 1, out, out_cap, n_out);
}
