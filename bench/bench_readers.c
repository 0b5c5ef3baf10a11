/* Reader throughput against `cat`: for each datatype, write a file of pseudo-random samples
 * (finite values for float types), page-cache it with one `cat FILE > /dev/null`, then time
 * reading it through cs_recording_open_raw + cs_recording_read in 65536-sample blocks and
 * time `cat FILE > /dev/null` again. Each figure is the best of R runs (reader and cat
 * alternate). The file is deleted afterwards (unless -k).
 *
 *   bench_readers [-d DIR] [-s MIB] [-r R] [-k] [DATATYPE...]
 *     DIR  where the files go (default /tmp/cellscan-bench; created if missing)
 *     MIB  file size in MiB (default 1024)
 *     R    timed runs per measurement (default 3)
 *
 * Output: one Markdown table row per datatype: the least wall-clock and the least CPU
 * (user + system) seconds over the runs of each side; rates in complex samples per second of
 * wall time and per CPU second (both sides are single-threaded, so the latter is samples/s
 * per core, and it does not suffer when other processes share the machine); and the
 * reader/cat ratios of both.
 * Exit status 1 when a run fails. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cellscan/recording.h"
#include "cellscan/status.h"

extern char **environ;

#define BLOCK_SAMPLES 65536
#define WRITE_CHUNK ((size_t)4 << 20)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Fill `chunk` with samples of datatype dt: random bits for integer types; for float types
 * finite values in [-1, 1) in the file's byte order. */
static void fill_chunk(cs_datatype dt, uint8_t *chunk, size_t bytes)
{
    for (size_t i = 0; i + 8 <= bytes; i += 8) {
        uint64_t r = next64(), v = r;
        if (dt == CS_DT_CF32_LE || dt == CS_DT_CF32_BE) {
            float f[2] = { (float)(int32_t)r * 0x1p-31f, (float)(int32_t)(r >> 32) * 0x1p-31f };
            memcpy(&v, f, 8);
            if (dt == CS_DT_CF32_BE) {
                uint32_t w[2];
                memcpy(w, &v, 8);
                w[0] = __builtin_bswap32(w[0]);
                w[1] = __builtin_bswap32(w[1]);
                memcpy(&v, w, 8);
            }
        } else if (dt == CS_DT_CF64_LE || dt == CS_DT_CF64_BE) {
            double d = (double)(int64_t)r * 0x1p-63;
            memcpy(&v, &d, 8);
            if (dt == CS_DT_CF64_BE) v = __builtin_bswap64(v);
        }
        memcpy(chunk + i, &v, 8);
    }
}

static int create_file(const char *path, cs_datatype dt, uint64_t bytes)
{
    FILE *f = fopen(path, "wb");
    uint8_t *chunk = malloc(WRITE_CHUNK);
    if (!f || !chunk) {
        fprintf(stderr, "bench_readers: cannot create %s: %s\n", path, strerror(errno));
        if (f) fclose(f);
        free(chunk);
        return -1;
    }
    int ok = 1;
    for (uint64_t done = 0; ok && done < bytes; done += WRITE_CHUNK) {
        size_t n = bytes - done < WRITE_CHUNK ? (size_t)(bytes - done) : WRITE_CHUNK;
        fill_chunk(dt, chunk, n);
        ok = fwrite(chunk, 1, n, f) == n;
    }
    /* Flush to disk now so that writeback does not run during the timed reads. */
    ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = (fclose(f) == 0) && ok;
    free(chunk);
    if (!ok) {
        fprintf(stderr, "bench_readers: cannot write %s: %s\n", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

/* `cat path > /dev/null`: wall seconds, child CPU seconds. */
static int time_cat(const char *path, double *wall, double *cpu)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char *argv[] = { "cat", (char *)path, NULL };
    pid_t pid;
    double t0 = now_s();
    int rc = posix_spawnp(&pid, "cat", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "bench_readers: cannot run cat: %s\n", strerror(rc));
        return -1;
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_readers: cat %s failed\n", path);
        return -1;
    }
    *wall = now_s() - t0;
    *cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    return 0;
}

/* Read the whole file through the public API: wall and CPU seconds, samples read. */
static int time_reader(const char *path, cs_datatype dt, cs_cf32 *buf, double *wall,
                       double *cpu, uint64_t *samples, double *checksum)
{
    cs_raw_params p = { .datatype = dt, .sample_rate_hz = 1e6, .frequency_hz = NAN,
                        .num_channels = 1 };
    cs_recording rec;
    double t0 = now_s(), c0 = cpu_s();
    if (cs_recording_open_raw(path, &p, &rec) != CS_OK) {
        fprintf(stderr, "bench_readers: %s: %s\n", path, cs_last_error());
        return -1;
    }
    uint64_t total = 0;
    size_t n;
    int rc;
    double sum = 0.0;
    while ((rc = cs_recording_read(rec, buf, BLOCK_SAMPLES, &n)) == CS_OK && n > 0) {
        total += n;
        sum += crealf(buf[n - 1]); /* keeps the conversion observable */
    }
    cs_recording_destroy(rec);
    *wall = now_s() - t0;
    *cpu = cpu_s() - c0;
    if (rc != CS_OK) {
        fprintf(stderr, "bench_readers: %s: %s\n", path, cs_last_error());
        return -1;
    }
    *samples = total;
    *checksum += sum;
    return 0;
}

static int bench_one(const char *dir, cs_datatype dt, uint64_t bytes, int runs, int keep)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_%s.raw", dir, cs_datatype_name(dt));
    size_t sb = cs_datatype_sample_bytes(dt);
    bytes -= bytes % sb;
    if (create_file(path, dt, bytes) != 0) return -1;
    double w, c, cat_w = INFINITY, cat_c = INFINITY, rd_w = INFINITY, rd_c = INFINITY;
    double checksum = 0;
    uint64_t samples = 0;
    int rc = time_cat(path, &w, &c); /* page-cache it */
    cs_cf32 *buf = aligned_alloc(64, BLOCK_SAMPLES * sizeof(cs_cf32));
    for (int r = 0; rc == 0 && r < runs; r++) {
        if ((rc = time_reader(path, dt, buf, &w, &c, &samples, &checksum)) != 0) break;
        rd_w = fmin(rd_w, w);
        rd_c = fmin(rd_c, c);
        if ((rc = time_cat(path, &w, &c)) != 0) break;
        cat_w = fmin(cat_w, w);
        cat_c = fmin(cat_c, c);
    }
    free(buf);
    if (!keep) unlink(path);
    if (rc != 0) return -1;
    if (samples != bytes / sb) {
        fprintf(stderr, "bench_readers: %s: read %llu samples, expected %llu\n", path,
                (unsigned long long)samples, (unsigned long long)(bytes / sb));
        return -1;
    }
    double cat_rate = (double)samples / cat_w, rd_rate = (double)samples / rd_w;
    double cat_core = (double)samples / cat_c, rd_core = (double)samples / rd_c;
    printf("| %-8s | %5.2f | %6.3f | %6.3f | %7.0f | %7.0f | %6.3f | %6.3f | %7.0f | %7.0f | "
           "%4.2f | %4.2f |\n",
           cs_datatype_name(dt), (double)bytes / 1e9, cat_w, cat_c, cat_rate / 1e6,
           cat_core / 1e6, rd_w, rd_c, rd_rate / 1e6, rd_core / 1e6, rd_rate / cat_rate,
           rd_core / cat_core);
    fflush(stdout);
    if (!isfinite(checksum)) fprintf(stderr, "bench_readers: checksum not finite\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = "/tmp/cellscan-bench";
    long mib = 1024;
    int runs = 3, keep = 0, opt;
    while ((opt = getopt(argc, argv, "d:s:r:k")) != -1) {
        switch (opt) {
        case 'd': dir = optarg; break;
        case 's': mib = strtol(optarg, NULL, 10); break;
        case 'r': runs = atoi(optarg); break;
        case 'k': keep = 1; break;
        default:
            fprintf(stderr,
                    "usage: bench_readers [-d DIR] [-s MIB] [-r RUNS] [-k] [DATATYPE...]\n");
            return 2;
        }
    }
    if (mib < 1 || runs < 1) {
        fprintf(stderr, "bench_readers: -s and -r must be positive\n");
        return 2;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "bench_readers: cannot create %s: %s\n", dir, strerror(errno));
        return 1;
    }
    cs_datatype list[CS_DT_COUNT];
    int count = 0;
    if (optind < argc) {
        for (int i = optind; i < argc; i++)
            if (cs_datatype_parse(argv[i], &list[count]) != CS_OK) {
                fprintf(stderr, "bench_readers: %s\n", cs_last_error());
                return 2;
            } else if (count < CS_DT_COUNT - 1) {
                count++;
            }
    } else {
        for (int dt = 1; dt < CS_DT_COUNT; dt++) list[count++] = (cs_datatype)dt;
    }
    printf("# bench_readers: %ld MiB files in %s, %d-sample reads, best of %d runs\n", mib, dir,
           BLOCK_SAMPLES, runs);
    printf("| datatype | GB | cat wall s | cat cpu s | cat Ms/s | cat Ms/cpu-s | reader wall s | "
           "reader cpu s | reader Ms/s | reader Ms/cpu-s | ratio wall | ratio per core |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    int failed = 0;
    for (int i = 0; i < count; i++)
        failed |= bench_one(dir, list[i], (uint64_t)mib << 20, runs, keep) != 0;
    return failed;
}
