/* Internal to the GMSK modulator (gmsk_modulator.c): the modulation phase of a sample from
 * the signs of the 8 symbols whose pulses overlap it.
 *
 * Sample at symbol time u, v = u - 1/2, window lo = floor(v) - 3 .. lo + 7, f = v - floor(v):
 * symbol lo + m contributes alpha * q(f + 3 - m), q the phase pulse (0 before -4 symbols).
 * q is tabulated at GMSK_TAB_PER_SYM points per symbol with its exact slope (cubic
 * Hermite). All 8 points share the fraction f, hence one set of Hermite weights, and the
 * tables are pre-summed over each half of the window for all 16 sign patterns: a
 * sample's sum is two lookups. Same value as interpolating symbol by symbol, up to double
 * rounding. */
#ifndef CELLSCAN_GMSK_PHASE_H
#define CELLSCAN_GMSK_PHASE_H

#include <stdint.h>

#define GMSK_PULSE_HALF 4     /* q(x) is 0 below -4 symbols and 1 above +4 (error < 1e-15) */
#define GMSK_TAB_PER_SYM 256  /* Hermite table points per symbol (interpolation error ~1e-11) */
#define GMSK_WINDOW_SYM 8     /* symbols whose pulse moves the phase at any instant */

/* gmsk_nib[h][bits][j] = { sum_b alpha_b q(j/256 + 3 - m), sum_b alpha_b q'(...) / 256 }
 * over window symbols m = 4h + b (b = 0..3), alpha_b = -1 where bit b of bits is set. */
extern double gmsk_nib[2][16][GMSK_TAB_PER_SYM + 1][2];

/* Build the tables (once per process; thread safe). */
void gmsk_phase_init(void);

/* The pulse q(x) as the modulator defines it (cs_gmsk_phase_pulse). */
double gmsk_phase_pulse(double x_symbols);

/* Sum over the window of alpha * q, in quarter turns, for fraction f in [0, 1) and the
 * window's sign bits (bit m: symbol lo + m has alpha = -1). */
static inline double gmsk_window_sum(double f, unsigned bits)
{
    const double pos = f * GMSK_TAB_PER_SYM;
    int j = (int)pos;
    if (j > GMSK_TAB_PER_SYM - 1)
        j = GMSK_TAB_PER_SYM - 1;
    const double t = pos - j, t2 = t * t, t3 = t2 * t;
    /* a[0..1] at table point j, a[2..3] at j + 1 */
    const double *a = &gmsk_nib[0][bits & 15][0][0] + 2 * j;
    const double *b = &gmsk_nib[1][(bits >> 4) & 15][0][0] + 2 * j;
    return (2 * t3 - 3 * t2 + 1) * (a[0] + b[0]) + (t3 - 2 * t2 + t) * (a[1] + b[1]) +
           (-2 * t3 + 3 * t2) * (a[2] + b[2]) + (t3 - t2) * (a[3] + b[3]);
}

/* Rational rates: the smallest P <= max_phases such that P samples at fs_hz last exactly
 * a whole number of symbols (*advance_sym); 0 when there is none. */
unsigned gmsk_phase_period(double fs_hz, unsigned max_phases, int64_t *advance_sym);

/* For a rational rate of period P: per phase p (samples k = p mod P) the window start of the
 * first period lo[p] (then + advance_sym per period) and exp(j pi/2 * half sum) for both
 * halves and all 16 sign patterns: e[((p * 2 + h) * 16 + bits) * 2 + {0: re, 1: im}].
 * The phase's symbol time is p * sym_per_sample - delay_sym (as the modulator computes
 * it for k = p). */
void gmsk_phase_tables(unsigned P, double sym_per_sample, double delay_sym, int64_t *lo,
                       double *e);

#endif
