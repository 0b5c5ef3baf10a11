/* Echo paths a CPICH measurement stops measuring (see umts_cpich_meas_internal.h). Most
 * echo candidates of the P-SCH map are noise; each costs as much as the cell's main path,
 * symbol after symbol, although a frame or two shows that it will never be reported. */
#include <math.h>

#include "umts_cpich_meas_internal.h"

#define FIRST_CHECK_PAIRS 75 /* one frame of symbol pairs on the main path */
#define SIGMAS 3.0
#define FIT_GAIN 1.25 /* a path half a sample off the grid: fitted peak over on-time power */

void umts_cpich_meas_set_pruning(cs_umts_cpich_meas m, double floor_rel, double p_false,
                                 size_t expected_symbols)
{
    m->prune_floor = floor_rel;
    m->prune_p_false = p_false;
    m->prune_expected = expected_symbols;
    m->prune_next = FIRST_CHECK_PAIRS;
}

int umts_cpich_meas_dropped(cs_umts_cpich_meas m, size_t i)
{
    return i < m->p.n_paths && m->dropped[i];
}

/* On-time power of a path with the noise bias removed, its standard error (the pair
 * estimator's variance is N0^2 / 2 + P N0 per pair) and its significance. */
static void path_stats(const point *q, double *power, double *sigma, double *z)
{
    const double n = (double)q->pairs, noise = q->pair_noise / q->w_pairs;
    *power = q->pair_power / q->w_pairs - noise / 2.0;
    *sigma = sqrt((noise * noise / 2.0 + fmax(*power, 0.0) * noise) / n);
    *z = q->symbols && noise > 0
             ? (q->energy / q->w_symbols / noise - 1.0) * sqrt((double)q->symbols)
             : 0.0;
}

void umts_cpich_meas_prune(cs_umts_cpich_meas m)
{
    if (!(m->prune_floor > 0) || m->acquiring > 0 || m->p.n_paths < 2) return;
    const point *q0 = &m->pt[0][1];
    if (q0->pairs < m->prune_next) return;
    m->prune_next = q0->pairs + q0->pairs / 2;
    double power[CS_UMTS_MAX_PATHS], sigma[CS_UMTS_MAX_PATHS], z[CS_UMTS_MAX_PATHS], ref = 0.0;
    for (size_t i = 0; i < m->p.n_paths; i++) {
        if (m->dropped[i] || m->pt[i][1].pairs == 0) continue;
        path_stats(&m->pt[i][1], &power[i], &sigma[i], &z[i]);
        ref = fmax(ref, power[i] - SIGMAS * sigma[i]);
    }
    /* significance a path needs at the end */
    double z_final = INFINITY;
    if (m->prune_expected > m->symbols) {
        const double thr = cs_umts_cpich_threshold(m->prune_expected, m->prune_p_false);
        z_final = (thr - 1.0) * sqrt((double)m->prune_expected);
    }
    /* The tests bound what the path's estimates will be at the end, not its true values:
     * given what is in (flat prior on the truth), the final power is normal about the
     * present estimate with the present standard error times sqrt(rest / end), and the
     * final z about z sqrt(end / now) with standard deviation sqrt(rest / now). */
    const double rest = m->prune_expected > m->symbols ? (double)(m->prune_expected - m->symbols) : 0.0;
    for (size_t i = 1; i < m->p.n_paths; i++) {
        const point *q = &m->pt[i][1];
        if (m->dropped[i] || q->pairs == 0) continue;
        const double now = (double)q->symbols, end = now + rest;
        const int weak =
            (power[i] + SIGMAS * sigma[i] * sqrt(rest / end)) * FIT_GAIN < m->prune_floor * ref;
        const int hopeless =
            isfinite(z_final) && z[i] * sqrt(end / now) + SIGMAS * sqrt(rest / now) < z_final;
        if (weak || hopeless) m->dropped[i] = 1;
    }
}
