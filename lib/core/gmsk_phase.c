/* GMSK phase pulse (TS 45.004 §2.4, BT = 0.3) and the modulator's pre-summed phase tables
 * (gmsk_phase.h). */
#include "gmsk_phase.h"

#include <math.h>
#include <pthread.h>

#include "cellscan/gmsk_modulator.h"
#include "fast_sincos.h"

#define BT 0.3
#define TAB_N (2 * GMSK_PULSE_HALF * GMSK_TAB_PER_SYM + 1)

double gmsk_nib[2][16][GMSK_TAB_PER_SYM + 1][2];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

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
double gmsk_phase_pulse(double x)
{
    if (x <= -GMSK_PULSE_HALF)
        return 0.0;
    if (x >= GMSK_PULSE_HALF)
        return 1.0;
    const double q0 = raw_q(-GMSK_PULSE_HALF), q1 = raw_q(GMSK_PULSE_HALF);
    return (raw_q(x) - q0) / (q1 - q0);
}

static void build_tables(void)
{
    static double q_tab[TAB_N], g_tab[TAB_N]; /* pulse and its slope, normalised */
    const double q0 = raw_q(-GMSK_PULSE_HALF), span = raw_q(GMSK_PULSE_HALF) - q0;
    for (int i = 0; i < TAB_N; i++) {
        const double x = -GMSK_PULSE_HALF + (double)i / GMSK_TAB_PER_SYM;
        q_tab[i] = (raw_q(x) - q0) / span;
        g_tab[i] = raw_g(x) / span;
    }
    q_tab[0] = 0.0;
    q_tab[TAB_N - 1] = 1.0;
    const double h = 1.0 / GMSK_TAB_PER_SYM;
    for (int half = 0; half < 2; half++)
        for (int bits = 0; bits < 16; bits++)
            for (int j = 0; j <= GMSK_TAB_PER_SYM; j++) {
                double q = 0.0, g = 0.0;
                for (int b = 0; b < 4; b++) {
                    /* window symbol m sits 3 - m + j/256 symbols after its pulse centre */
                    const int m = 4 * half + b;
                    const int at = j + GMSK_TAB_PER_SYM * (GMSK_WINDOW_SYM - 1 - m);
                    const double alpha = (bits >> b & 1) ? -1.0 : 1.0;
                    q += alpha * q_tab[at];
                    g += alpha * h * g_tab[at];
                }
                gmsk_nib[half][bits][j][0] = q;
                gmsk_nib[half][bits][j][1] = g;
            }
}

void gmsk_phase_init(void) { pthread_once(&tables_once, build_tables); }

unsigned gmsk_phase_period(double fs_hz, unsigned max_phases, int64_t *advance_sym)
{
    /* Rs = 1625000/6 exactly: P samples = A symbols when 6 fs A = 1625000 P; both
     * products are exact in extended precision (53-bit fs times a small integer) */
    for (unsigned p = 1; p <= max_phases; p++) {
        const double a = nearbyint((double)p * CS_GSM_SYMBOL_RATE_HZ / fs_hz);
        if (a >= 1.0 && (long double)fs_hz * 6.0L * a == 1625000.0L * p) {
            *advance_sym = (int64_t)a;
            return p;
        }
    }
    return 0;
}

void gmsk_phase_tables(unsigned P, double sym_per_sample, double delay_sym, int64_t *lo,
                       double *e)
{
    for (unsigned p = 0; p < P; p++) {
        const double v = ((double)p * sym_per_sample - delay_sym) - 0.5, fl = floor(v);
        lo[p] = (int64_t)fl - (GMSK_PULSE_HALF - 1);
        const double pos = (v - fl) * GMSK_TAB_PER_SYM;
        int j = (int)pos;
        if (j > GMSK_TAB_PER_SYM - 1)
            j = GMSK_TAB_PER_SYM - 1;
        const double t = pos - j, t2 = t * t, t3 = t2 * t;
        for (int h = 0; h < 2; h++)
            for (unsigned bits = 0; bits < 16; bits++) {
                const double *a = &gmsk_nib[h][bits][0][0] + 2 * j;
                const double sum = (2 * t3 - 3 * t2 + 1) * a[0] + (t3 - 2 * t2 + t) * a[1] +
                                   (-2 * t3 + 3 * t2) * a[2] + (t3 - t2) * a[3];
                double *out = e + (((size_t)p * 2 + h) * 16 + bits) * 2;
                cs_sincos_quarter(sum, &out[1], &out[0]);
            }
    }
}
