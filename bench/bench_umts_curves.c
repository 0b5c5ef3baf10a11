/* Detection and measurement curves of the UMTS cell search on generated recordings.
 *
 *   bench_umts_curves [--trials N] [--duration S[,S...]] [--ecio A:B:STEP] [--fading NAME]
 *                     [--doppler HZ] [--cfo-max HZ] [--noise-only] [--seed N]
 *
 * Each trial: one cell with a random PSC, random frame timing, CPICH at the given Ec/Io,
 * P-SCH 5 dB below the CPICH (generator defaults: CPICH -10 dB, P-SCH/S-SCH -15 dB of the
 * cell's power), a random receiver frequency offset within +-cfo-max (10 kHz), optional
 * fading; the rest of Io is white noise. One searcher with default parameters per trial.
 * Per point it prints the rate of trials that reported the cell's PSC, the false cells
 * per trial, and for the detections the Ec/Io error (measured minus the truth by the
 * TS 25.215 definition, RSSI after the RRC filter) mean and standard deviation and the
 * frequency error's RMS. --noise-only runs trials with noise alone (false cells). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_scenario.h"
#include "cellscan/umts_searcher.h"

typedef struct trial_out {
    int found, false_cells;
    double ecio_err, freq_err;
} trial_out;

static int run_trial(double ecio_db, double dur, const char *fading, double doppler, double cfo,
                     int noise_only, uint64_t seed, int psc, trial_out *t)
{
    cs_synth_scenario *sc;
    if (cs_synth_scenario_create(&sc) != CS_OK) return -1;
    sc->duration_s = dur;
    sc->seed = seed;
    sc->rx.cfo_hz = cfo;
    char spec[64];
    snprintf(spec, sizeof spec, "%d:%.2f", psc, noise_only ? -20.0 : ecio_db);
    cs_synth_umts *u = NULL;
    if (cs_synth_scenario_add_umts_spec(sc, spec) != CS_OK) goto fail;
    u = &sc->umts[0];
    if (fading) {
        snprintf(u->c.fading, sizeof u->c.fading, "%s", fading);
        u->c.doppler_hz = doppler;
    }
    if (noise_only) sc->content = CS_SYNTH_NOISE_ONLY;
    if (cs_synth_scenario_resolve(sc) != CS_OK) goto fail;
    /* truth by the TS 25.215 definition: RSSI after the RRC filter sees (1 - 0.22/4) of
     * the signal power and all of the noise in 3.84 MHz */
    const double cp = pow(10, u->cpich_dbfs / 10), io = pow(10, u->io_dbfs / 10);
    const double noise = pow(10, sc->n0_dbfs_per_hz / 10) * 3.84e6;
    const double truth_db = 10 * log10(cp / ((1 - 0.22 / 4) * (io - noise) + noise));
    cs_synth g;
    if (cs_synth_create(sc, &g) != CS_OK) goto fail;
    size_t n = (size_t)sc->num_samples;
    cs_cf32 *x = malloc(n * sizeof *x);
    int rc = x ? cs_synth_generate(g, x, n) : CS_ENOMEM;
    cs_synth_destroy(g);
    cs_umts_searcher_params p;
    cs_umts_searcher_params_init(&p);
    p.input_rate_hz = sc->sample_rate_hz;
    p.expected_input_samples = n;
    cs_umts_searcher s = NULL;
    if (rc == CS_OK) rc = cs_umts_searcher_create(&p, &s);
    while (rc == CS_OK) {
        for (size_t a = 0; a < n && rc == CS_OK; a += 65536)
            rc = cs_umts_searcher_execute(s, x + a, n - a < 65536 ? n - a : 65536);
        int e = rc == CS_OK ? cs_umts_searcher_end_pass(s) : rc;
        if (e < 0) rc = e;
        if (e != 1) break;
    }
    memset(t, 0, sizeof *t);
    for (size_t i = 0; rc == CS_OK && i < cs_umts_searcher_num_cells(s); i++) {
        const cs_umts_cell *c = cs_umts_searcher_cell(s, i);
        if (!noise_only && c->psc == psc && !t->found) {
            t->found = 1;
            t->ecio_err = 10 * log10(c->rscp / c->rssi) - truth_db;
            t->freq_err = c->freq_error_hz - (-cfo);
        } else {
            t->false_cells++;
        }
    }
    cs_umts_searcher_destroy(s);
    free(x);
    cs_synth_scenario_destroy(sc);
    return rc == CS_OK ? 0 : -1;
fail:
    fprintf(stderr, "bench_umts_curves: %s\n", cs_last_error());
    cs_synth_scenario_destroy(sc);
    return -1;
}

int main(int argc, char **argv)
{
    int trials = 200, noise_only = 0;
    double durs[4] = { 0.1, 0.2 }, e0 = -26, e1 = -14, es = 2, doppler = 0, cfo_max = 10e3;
    size_t n_dur = 2;
    const char *fading = NULL;
    uint64_t seed = 1000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--trials") && i + 1 < argc) trials = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
            n_dur = 0;
            for (char *t = strtok(argv[++i], ","); t && n_dur < 4; t = strtok(NULL, ",")) durs[n_dur++] = atof(t);
        } else if (!strcmp(argv[i], "--ecio") && i + 1 < argc) {
            if (sscanf(argv[++i], "%lf:%lf:%lf", &e0, &e1, &es) != 3 || es <= 0) {
                fprintf(stderr, "bench_umts_curves: --ecio A:B:STEP\n");
                return 2;
            }
        } else if (!strcmp(argv[i], "--fading") && i + 1 < argc) fading = argv[++i];
        else if (!strcmp(argv[i], "--doppler") && i + 1 < argc) doppler = atof(argv[++i]);
        else if (!strcmp(argv[i], "--cfo-max") && i + 1 < argc) cfo_max = atof(argv[++i]);
        else if (!strcmp(argv[i], "--noise-only")) noise_only = 1;
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_umts_curves [--trials N] [--duration S,S] [--ecio A:B:STEP] "
                            "[--fading NAME] [--doppler HZ] [--cfo-max HZ] [--noise-only] [--seed N]\n");
            return 2;
        }
    }
    cs_rng rng;
    cs_rng_create(seed, 99, &rng);
    printf("# %d trials per point, frequency offset uniform in +-%.0f Hz, fading %s%s\n", trials,
           cfo_max, fading ? fading : "none", noise_only ? ", noise only" : "");
    printf("%-8s %-6s %-9s %-12s %-12s %-10s %-10s %-10s\n", "ecio_dB", "dur_s", "trials",
           "found_rate", "false/trial", "ecio_bias", "ecio_std", "ferr_rms");
    for (size_t d = 0; d < n_dur; d++) {
        for (double e = e0; e <= e1 + 1e-9; e += es) {
            int found = 0, falses = 0, done = 0;
            double s1 = 0, s2 = 0, f2 = 0;
            for (int k = 0; k < trials; k++) {
                int psc = (int)cs_rng_below(rng, 512);
                double cfo = (2 * cs_rng_uniform(rng) - 1) * cfo_max;
                trial_out t;
                if (run_trial(e, durs[d], fading, doppler, cfo, noise_only, seed + 7919 * (uint64_t)k + (uint64_t)(1000 * -e) + (uint64_t)(1e4 * durs[d]), psc, &t) != 0)
                    continue;
                done++;
                falses += t.false_cells;
                if (t.found) {
                    found++;
                    s1 += t.ecio_err;
                    s2 += t.ecio_err * t.ecio_err;
                    f2 += t.freq_err * t.freq_err;
                }
            }
            double mean = found ? s1 / found : NAN, sd = found > 1 ? sqrt((s2 - found * mean * mean) / (found - 1)) : NAN;
            printf("%-8.1f %-6.2f %-9d %-12.3f %-12.4f %-10.3f %-10.3f %-10.1f\n", noise_only ? NAN : e, durs[d],
                   done, done ? (double)found / done : NAN, done ? (double)falses / done : NAN, mean, sd,
                   found ? sqrt(f2 / found) : NAN);
            fflush(stdout);
            if (noise_only) break;
        }
    }
    cs_rng_destroy(rng);
    return 0;
}
