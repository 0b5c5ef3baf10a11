/* Sub-chip timing and peak power of a path from three CPICH powers half a chip apart:
 * the despread amplitude follows the raised-cosine pulse, so the powers are
 * P(d) = A^2 rc(d/2 - tau)^2 at d = -1, 0, +1 samples. A grid search over tau with A^2
 * solved in closed form (least squares) is exact enough and never fails. */
#include <math.h>
#include <pthread.h>

#include "cellscan/umts_cpich.h"
#include "umts_internal.h"

#define GRID 200 /* steps over -0.5 .. 0.5 chip */

static double model[GRID + 1][3]; /* rc(d/2 - tau)^2 on the grid */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    for (int g = 0; g <= GRID; g++)
        for (int d = 0; d < 3; d++) {
            const double r = umts_rc_pulse((d - 1) / 2.0 - (-0.5 + (double)g / GRID));
            model[g][d] = r * r;
        }
}

void cs_umts_rc_fit(double pe, double p0, double pl, double *offset_chips, double *peak_power)
{
    pthread_once(&once, build);
    const double y[3] = { pe, p0, pl };
    double best_err = INFINITY, best_tau = 0.0, best_a = p0 > 0 ? p0 : 0.0;
    for (int g = 0; g <= GRID; g++) {
        const double tau = -0.5 + (double)g / GRID;
        const double *m = model[g];
        double sxy = 0.0, sxx = 0.0;
        for (int d = 0; d < 3; d++) {
            sxy += m[d] * y[d];
            sxx += m[d] * m[d];
        }
        const double a = sxx > 0 ? sxy / sxx : 0.0;
        double err = 0.0;
        for (int d = 0; d < 3; d++) err += (y[d] - a * m[d]) * (y[d] - a * m[d]);
        if (err < best_err) {
            best_err = err;
            best_tau = tau;
            best_a = a;
        }
    }
    *offset_chips = best_tau;
    *peak_power = best_a > 0 ? best_a : 0.0;
}
