/* Temporary files beside their final names (see temp_file.h). */
#include "temp_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellscan/status.h"

int cs_temp_create(const char *path, char **tmp_path)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    *tmp_path = NULL;
    if (!tmp) return cs_error(CS_ENOMEM, "out of memory"), -1;
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cs_error(CS_EIO, "cannot create %s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    fchmod(fd, 0644); /* mkstemp makes 0600; published files are world-readable */
    *tmp_path = tmp;
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int cs_temp_write_text(const char *path, const char *text, char **tmp_path)
{
    int fd = cs_temp_create(path, tmp_path);
    if (fd < 0) return CS_EIO;
    size_t len = strlen(text);
    int failed = write_all(fd, text, len) != 0 ||
                 ((len == 0 || text[len - 1] != '\n') && write_all(fd, "\n", 1) != 0) ||
                 fsync(fd) != 0;
    int e = errno;
    if (close(fd) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (failed) {
        unlink(*tmp_path);
        free(*tmp_path);
        *tmp_path = NULL;
        return cs_error(CS_EIO, "cannot write %s: %s", path, strerror(e));
    }
    return CS_OK;
}
