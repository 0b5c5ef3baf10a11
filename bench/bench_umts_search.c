/* Speed of the UMTS cell search: a whole 100 ms single-carrier search (front end, P-SCH,
 * S-SCH, CPICH identification and measurement, cancellation round) on a recording at
 * 2 samples per chip, repeated; CPU time of this thread, so other load on the machine
 * does not count.
 *
 *   bench_umts_search [RECORDING.sigmf-meta | -] [repeats] [--psch-z Z] [--max-candidates N]
 * Without a recording it generates one (cellscan synth's generator): two cells at -11 and
 * -17 dB Ec/Io, 100 ms, 7.68 MS/s. Prints CPU ms per search, input samples per second per
 * core and the real-time factor, and the cells found. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellscan/recording.h"
#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cellscan/synth_scenario.h"
#include "cellscan/umts_searcher.h"

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static cs_cf32 *load(const char *path, size_t *n, double *fs)
{
    cs_recording rec;
    if (cs_recording_open(path, &rec) != CS_OK) {
        fprintf(stderr, "bench_umts_search: %s: %s\n", path, cs_last_error());
        return NULL;
    }
    const cs_recording_info *in = cs_recording_get_info(rec);
    *n = (size_t)in->num_samples;
    *fs = in->sample_rate_hz;
    cs_cf32 *x = malloc(*n * sizeof *x);
    size_t got = 0;
    if (!x || cs_recording_read(rec, x, *n, &got) != CS_OK || got != *n) {
        fprintf(stderr, "bench_umts_search: %s: cannot read the samples\n", path);
        free(x);
        x = NULL;
    }
    cs_recording_destroy(rec);
    return x;
}

static cs_cf32 *generate(size_t *n, double *fs)
{
    cs_synth_scenario *sc;
    cs_synth g;
    if (cs_synth_scenario_create(&sc) != CS_OK) return NULL;
    sc->duration_s = 0.1;
    sc->seed = 11;
    if (cs_synth_scenario_add_umts_spec(sc, "100:-11") != CS_OK ||
        cs_synth_scenario_add_umts_spec(sc, "211:-17") != CS_OK || cs_synth_scenario_resolve(sc) != CS_OK ||
        cs_synth_create(sc, &g) != CS_OK) {
        fprintf(stderr, "bench_umts_search: cannot generate: %s\n", cs_last_error());
        cs_synth_scenario_destroy(sc);
        return NULL;
    }
    *n = (size_t)sc->num_samples;
    *fs = sc->sample_rate_hz;
    cs_cf32 *x = malloc(*n * sizeof *x);
    if (x && cs_synth_generate(g, x, *n) != CS_OK) {
        free(x);
        x = NULL;
    }
    cs_synth_destroy(g);
    cs_synth_scenario_destroy(sc);
    return x;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    double fs = 0;
    const char *path = argc > 1 && strcmp(argv[1], "-") ? argv[1] : NULL;
    cs_cf32 *x = path ? load(path, &n, &fs) : generate(&n, &fs);
    if (!x) return 1;
    const int reps = argc > 2 ? atoi(argv[2]) : 20;
    cs_umts_searcher_params p;
    cs_umts_searcher_params_init(&p);
    p.input_rate_hz = fs;
    p.expected_input_samples = n;
    for (int i = 3; i + 1 < argc; i += 2) { /* searcher parameters other than the defaults */
        if (!strcmp(argv[i], "--psch-z")) p.psch_threshold_z = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-candidates")) p.max_candidates = (unsigned)atoi(argv[i + 1]);
        else {
            fprintf(stderr, "bench_umts_search: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    double best = INFINITY, total = 0;
    cs_umts_searcher s = NULL;
    for (int r = 0; r < reps + 1; r++) { /* the first run builds the one-time tables */
        cs_umts_searcher_destroy(s);
        double t0 = cpu_s();
        if (cs_umts_searcher_create(&p, &s) != CS_OK) {
            fprintf(stderr, "bench_umts_search: %s\n", cs_last_error());
            return 1;
        }
        int rc;
        do {
            for (size_t a = 0; a < n; a += 65536)
                cs_umts_searcher_execute(s, x + a, n - a < 65536 ? n - a : 65536);
            rc = cs_umts_searcher_end_pass(s);
        } while (rc == 1);
        double dt = cpu_s() - t0;
        if (rc < 0) {
            fprintf(stderr, "bench_umts_search: %s\n", cs_last_error());
            return 1;
        }
        if (r > 0) {
            total += dt;
            if (dt < best) best = dt;
        }
    }
    const double mean = total / reps, dur = (double)n / fs;
    printf("recording: %s, %.3f s at %.3f MS/s\n", path ? path : "generated (PSC 100 at -11 dB, 211 at -17 dB)",
           dur, fs / 1e6);
    printf("search: %.2f ms CPU mean, %.2f ms best over %d runs (one core)\n", mean * 1e3, best * 1e3, reps);
    printf("throughput: %.1f Msamples/s per core, %.1fx real time (mean), %.1fx (best)\n",
           (double)n / mean / 1e6, dur / mean, dur / best);
    for (size_t i = 0; i < cs_umts_searcher_num_cells(s); i++) {
        const cs_umts_cell *c = cs_umts_searcher_cell(s, i);
        printf("  PSC %3d  Ec/Io %6.2f dB  freq %7.1f Hz  frame %8.2f chips\n", c->psc,
               10 * log10(c->rscp / c->rssi), c->freq_error_hz, c->frame_offset_chips);
    }
    cs_umts_searcher_destroy(s);
    free(x);
    return 0;
}
