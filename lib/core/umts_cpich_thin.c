/* Thinning of a CPICH measurement (see umts_cpich_meas_internal.h). A strong cell's RSCP is
 * known to a few hundredths of a dB long before the input ends, yet every symbol of every
 * path cost the same despreading as a weak cell's: measuring every thin-th pair from then
 * on keeps the whole input's average (fading, interference) at a fraction of the cost. */
#include <math.h>

#include "umts_cpich_meas_internal.h"

#define DB_PER_REL 4.342944819 /* 10 / ln 10: dB per relative power error, small errors */

void umts_cpich_meas_set_thinning(cs_umts_cpich_meas m, double target_db, double echo_z)
{
    m->thin_target_db = target_db;
    m->thin_echo_z = echo_z;
}

/* Relative standard error of the main path's RSCP after `pairs` pairs (the pair
 * estimator's variance is N0^2 / 2 + P N0 per pair), and its significance per symbol
 * count: z / sqrt(symbols). Both from the on-time point so far; 0 when nothing is there. */
static void main_stats(const point *q, double *rel_per_pair, double *z_per_root)
{
    *rel_per_pair = *z_per_root = 0.0;
    if (q->pairs == 0 || q->symbols == 0) return;
    const double noise = q->pair_noise / q->w_pairs, power = q->pair_power / q->w_pairs - noise / 2.0;
    if (!(power > 0 && noise > 0)) return;
    *rel_per_pair = sqrt(noise * noise / 2.0 + power * noise) / power;
    *z_per_root = q->energy / q->w_symbols / noise - 1.0;
}

/* Effective pairs of the weighted mean at the end: n pairs in at weight 1, and the rest of
 * r pairs' time in r / w pairs at weight w: (sum w)^2 / sum w^2. */
static double effective_pairs(double n, double r, int thin)
{
    return (n + r) * (n + r) / (n + umts_cpich_meas_thin_weight(thin) * r);
}

void umts_cpich_meas_thin_decide(cs_umts_cpich_meas m)
{
    if (!(m->thin_target_db > 0) || m->thin_decided || m->acquiring > 0 || m->symbols < HALF_SYMBOLS ||
        m->half_symbols < HALF_SYMBOLS || m->prune_expected <= m->symbols)
        return;
    /* thinning late saves little and adds spread where the RSCP is least sure: from half
     * way on, the cell is measured on every symbol to the end */
    if (2 * m->symbols > m->prune_expected) {
        m->thin_decided = 1;
        return;
    }
    double rel, z_root; /* not yet: looked at again at the next frame */
    main_stats(&m->pt[0][1], &rel, &z_root);
    if (!(rel > 0)) return;
    const double rest = (double)(m->prune_expected - m->symbols); /* symbols */
    int echoes = 0;
    for (size_t i = 1; i < m->p.n_paths; i++) echoes += !m->dropped[i];
    int thin = THIN_MAX;
    for (; thin >= 2; thin--) {
        if (DB_PER_REL * rel / sqrt(effective_pairs((double)m->pt[0][1].pairs, rest / 2.0, thin)) >
            m->thin_target_db)
            continue;
        /* echoes still measured: one at the floor must stay clearly significant (its z is
         * the main path's scaled by its power) */
        const double symbols = (double)m->pt[0][1].symbols + rest / umts_cpich_meas_thin_weight(thin);
        if (echoes && (!(m->prune_floor > 0) || z_root * sqrt(symbols) * m->prune_floor < m->thin_echo_z))
            continue;
        break;
    }
    if (thin < 2) return;
    m->thin_decided = 1;
    m->thin = thin;
    m->thin_freq_hz = umts_cpich_meas_freq_hz(m);
    m->prune_expected = m->symbols + (size_t)(rest / umts_cpich_meas_thin_weight(thin));
    /* the thinned pairs are whole pairs of the kept symbols: no half pair carried over */
    for (size_t i = 0; i < m->p.n_paths; i++)
        for (int d = 0; d < 3; d++) m->pt[i][d].in_pair = 0;
}
