/* Generator throughput: complex samples per second that cs_synth_generate produces for a
 * few standard scenarios (no file writing), best of R runs, in wall and CPU time (the
 * generator is single-threaded, so CPU time gives samples/s per core).
 *
 *   bench_synth [-d SECONDS] [-r R] [-c TEXT]
 *     SECONDS  signal length per run (default 2)
 *     R        runs per scenario (default 3)
 *     TEXT     only the scenarios whose name contains TEXT (for profiling one of them)
 *
 * Output: one Markdown table row per scenario. Exit status 1 when a run fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cellscan/status.h"
#include "cellscan/synth.h"

#define BLOCK 65536

static double now_s(int clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct bench_case {
    const char *name;
    const char *json; /* scenario (duration added) */
} bench_case;

static const bench_case cases[] = {
    { "UMTS: 1 cell (5 MHz carrier), 7.68 MS/s",
      "{\"umts\": [{\"psc\": 366, \"ecio_db\": -12}]" },
    { "UMTS: 3 cells on one carrier, 7.68 MS/s",
      "{\"umts\": [{\"psc\": 366, \"ecio_db\": -13}, {\"psc\": 364, \"ecio_db\": -16}, "
      "{\"psc\": 30, \"ecio_db\": -18}]" },
    { "UMTS: 1 cell, 10 MS/s (125 pulse phases)",
      "{\"sample_rate_hz\": 10e6, \"umts\": [{\"psc\": 366, \"ecio_db\": -12}]" },
    { "UMTS: 1 cell, 7.680768 MS/s (interpolated pulse)",
      "{\"sample_rate_hz\": 7680768, \"umts\": [{\"psc\": 366, \"ecio_db\": -12}]" },
    { "GSM: 1 C0, 2 MS/s",
      "{\"sample_rate_hz\": 2e6, \"gsm\": [{\"arfcn\": 30}]" },
    { "GSM: 1 C0, 7.68 MS/s (no short rate period)",
      "{\"sample_rate_hz\": 7.68e6, \"gsm\": [{\"arfcn\": 30}]" },
    { "GSM: 5 C0 + 2 traffic carriers, 2 MS/s",
      "{\"sample_rate_hz\": 2e6, \"centre_freq_hz\": 941e6, \"gsm\": [{\"arfcn\": 27}, "
      "{\"arfcn\": 28}, {\"arfcn\": 30}, {\"arfcn\": 32}, {\"arfcn\": 33}], \"gsm_bursts\": "
      "[{\"link\": \"downlink\", \"arfcn\": 29, \"timeslots\": [1, 2, 3]}, {\"link\": "
      "\"downlink\", \"arfcn\": 31, \"timeslots\": [4, 5]}]" },
    { "GSM: 1 C0, TU fading 100 Hz, 0.5 ppm, 2 MS/s",
      "{\"sample_rate_hz\": 2e6, \"receiver\": {\"ppm\": 0.5}, \"gsm\": [{\"arfcn\": 30, "
      "\"fading\": \"TU\", \"doppler_hz\": 100}]" },
};

static int run(const bench_case *c, double seconds, double *wall, double *cpu, double *rate_hz)
{
    char json[1024];
    snprintf(json, sizeof json, "%s, \"duration_s\": %g}", c->json, seconds);
    cs_synth_scenario *sc;
    if (cs_synth_scenario_create(&sc)) return -1;
    cs_synth g = NULL;
    int rc = cs_synth_scenario_load_json(sc, json, "bench");
    if (rc == CS_OK) rc = cs_synth_create(sc, &g);
    cs_cf32 *buf = malloc(BLOCK * sizeof *buf);
    const double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    for (uint64_t done = 0; rc == CS_OK && done < sc->num_samples; done += BLOCK) {
        size_t n = sc->num_samples - done < BLOCK ? (size_t)(sc->num_samples - done) : BLOCK;
        rc = cs_synth_generate(g, buf, n);
    }
    *wall = now_s(CLOCK_MONOTONIC) - w0;
    *cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    *rate_hz = sc->sample_rate_hz;
    if (rc) fprintf(stderr, "bench_synth: %s: %s\n", c->name, cs_last_error());
    free(buf);
    cs_synth_destroy(g);
    cs_synth_scenario_destroy(sc);
    return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    int runs = 3, opt;
    const char *only = NULL;
    while ((opt = getopt(argc, argv, "d:r:c:")) != -1) {
        if (opt == 'd') seconds = atof(optarg);
        else if (opt == 'r') runs = atoi(optarg);
        else if (opt == 'c') only = optarg;
        else {
            fprintf(stderr, "usage: bench_synth [-d SECONDS] [-r RUNS] [-c TEXT]\n");
            return 2;
        }
    }
    if (!(seconds > 0) || runs < 1) {
        fprintf(stderr, "bench_synth: -d must be > 0 and -r >= 1\n");
        return 2;
    }
    printf("| scenario | rate | signal s | best wall s | best CPU s | samples/s (wall) | "
           "samples/s per core | x real time |\n|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (only && !strstr(cases[i].name, only)) continue;
        double best_w = 1e30, best_c = 1e30, rate = 0;
        for (int r = 0; r < runs; r++) {
            double w, c;
            if (run(&cases[i], seconds, &w, &c, &rate)) return 1;
            if (w < best_w) best_w = w;
            if (c < best_c) best_c = c;
        }
        const double n = rate * seconds;
        printf("| %s | %.4g MS/s | %g | %.3f | %.3f | %.3g | %.3g | %.1f |\n", cases[i].name,
               rate * 1e-6, seconds, best_w, best_c, n / best_w, n / best_c, seconds / best_w);
        fflush(stdout);
    }
    return 0;
}
