/* The files behind a recording (see recording_files.h). */
#include "recording_files.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/status.h"

int cs_open_regular(const char *path, const char *what, int *fd, uint64_t *size_bytes)
{
    *fd = -1;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; we refuse it just below. */
    int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (f < 0) return cs_error(CS_EIO, "cannot open %s %s: %s", what, path, strerror(errno));
    struct stat st;
    if (fstat(f, &st) != 0) {
        int e = errno;
        close(f);
        return cs_error(CS_EIO, "cannot examine %s %s: %s", what, path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(f);
        return cs_error(CS_EIO, "%s %s is a directory, not a file", what, path);
    }
    if (!S_ISREG(st.st_mode)) {
        close(f);
        return cs_error(CS_EIO, "%s %s is not a regular file", what, path);
    }
    int flags = fcntl(f, F_GETFL);
    if (flags >= 0) fcntl(f, F_SETFL, flags & ~O_NONBLOCK);
    *fd = f;
    *size_bytes = (uint64_t)st.st_size;
    return CS_OK;
}

int cs_read_small_file(const char *path, const char *what, size_t max_bytes, char **text,
                       size_t *len)
{
    *text = NULL;
    *len = 0;
    int fd;
    uint64_t size;
    int rc = cs_open_regular(path, what, &fd, &size);
    if (rc) return rc;
    if (size == 0) {
        close(fd);
        return cs_error(CS_EFORMAT, "%s %s is empty", what, path);
    }
    if (size > max_bytes) {
        close(fd);
        return cs_error(CS_EFORMAT, "%s %s is %" PRIu64 " bytes, more than the %zu MiB limit", what,
                        path, size, max_bytes >> 20);
    }
    char *buf = malloc((size_t)size + 1);
    if (!buf) {
        close(fd);
        return cs_error(CS_ENOMEM, "out of memory reading %s %s", what, path);
    }
    size_t got = 0;
    while (got < size) {
        ssize_t k = read(fd, buf + got, (size_t)size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return cs_error(CS_EIO, "cannot read %s %s: %s", what, path, strerror(e));
        }
        if (k == 0) break; /* shrank meanwhile: parse what is there */
        got += (size_t)k;
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return CS_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* malloc'ed concatenation of the first n bytes of a and all of b. */
static char *join(const char *a, size_t n, const char *b)
{
    size_t lb = strlen(b);
    char *s = malloc(n + lb + 1);
    if (s) {
        memcpy(s, a, n);
        memcpy(s + n, b, lb + 1);
    }
    return s;
}

int cs_sigmf_meta_path(const char *path, char **meta_path)
{
    size_t n = strlen(path);
    if (ends_with(path, ".sigmf"))
        return cs_error(CS_ENOTSUP,
                        "SigMF archives (.sigmf) are not supported: extract it with 'tar xf' and "
                        "give the .sigmf-meta");
    if (ends_with(path, ".sigmf-collection"))
        return cs_error(CS_ENOTSUP,
                        "a SigMF collection groups several recordings: give one of its "
                        ".sigmf-meta files");
    if (ends_with(path, ".sigmf-meta")) *meta_path = strdup(path);
    else if (ends_with(path, ".sigmf-data"))
        *meta_path = join(path, n - strlen(".sigmf-data"), ".sigmf-meta");
    else *meta_path = join(path, n, ".sigmf-meta");
    return *meta_path ? CS_OK : cs_error(CS_ENOMEM, "out of memory");
}

const char *cs_base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int cs_sigmf_data_path(const char *meta_path, const char *dataset, char **data_path)
{
    if (dataset) {
        size_t dir_len = (size_t)(cs_base_name(meta_path) - meta_path);
        *data_path = join(meta_path, dir_len, dataset);
    } else {
        *data_path = join(meta_path, strlen(meta_path) - strlen(".sigmf-meta"), ".sigmf-data");
    }
    return *data_path ? CS_OK : cs_error(CS_ENOMEM, "out of memory");
}
