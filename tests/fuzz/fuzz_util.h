/* Helpers shared by the fuzz targets: in-memory scratch files and property checks.
 * A failed FUZZ_REQUIRE aborts, which libFuzzer reports as a crash with the input saved. */
#ifndef CS_FUZZ_UTIL_H
#define CS_FUZZ_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_REQUIRE(cond, ...)                                                        \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: property violated: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                              \
            fputc('\n', stderr);                                                       \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* Setup failures are the harness's, not the reader's: say so and stop. */
#define FUZZ_SETUP_FAIL(...)                                                           \
    do {                                                                               \
        fprintf(stderr, "fuzz setup: ");                                               \
        fprintf(stderr, __VA_ARGS__);                                                  \
        fprintf(stderr, " (%s)\n", strerror(errno));                                   \
        exit(2);                                                                       \
    } while (0)

/* Replace the whole content of an open file descriptor with data[0..size). */
static inline void fuzz_fd_set_content(int fd, const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0)
        FUZZ_SETUP_FAIL("ftruncate");
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        if (n <= 0)
            FUZZ_SETUP_FAIL("pwrite");
        done += (size_t)n;
    }
}

/* An anonymous in-memory file; *path receives "/proc/self/fd/N" for code that wants a name. */
static inline int fuzz_memfd(const char *name, char *path, size_t path_size)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        FUZZ_SETUP_FAIL("memfd_create");
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}

/* A private scratch directory, on tmpfs (/dev/shm) when there is one so that the fuzzer
 * does not churn the disk; $TMPDIR or /tmp otherwise. */
static inline void fuzz_scratch_dir(char *dir, size_t dir_size)
{
    const char *bases[] = { "/dev/shm", getenv("TMPDIR"), "/tmp" };
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        if (bases[i] == NULL || access(bases[i], W_OK) != 0)
            continue;
        snprintf(dir, dir_size, "%s/cs-fuzz-XXXXXX", bases[i]);
        if (mkdtemp(dir) != NULL)
            return;
    }
    FUZZ_SETUP_FAIL("no writable scratch directory");
}

/* Write a whole file by path. */
static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        FUZZ_SETUP_FAIL("open %s", path);
    fuzz_fd_set_content(fd, data, size);
    close(fd);
}

/* Consume strings so that every byte the reader handed out is actually read (ASan checks
 * reads, not pointers). */
static volatile size_t fuzz_sink;
static inline void fuzz_touch(const char *s)
{
    if (s != NULL)
        fuzz_sink += strlen(s);
}

#endif
