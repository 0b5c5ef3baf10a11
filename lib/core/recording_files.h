/* Internal: the files behind a recording. Opening only regular files (never blocking on a
 * FIFO or device), reading a bounded metadata file, and the SigMF pair's names. */
#ifndef CELLSCAN_RECORDING_FILES_H
#define CELLSCAN_RECORDING_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Open path read-only; it must be a regular file. `what` ("data file") names it in errors. */
int cs_open_regular(const char *path, const char *what, int *fd, uint64_t *size_bytes);

/* Read a whole regular file of at most max_bytes into a malloc'ed buffer (NUL-terminated). */
int cs_read_small_file(const char *path, const char *what, size_t max_bytes, char **text,
                       size_t *len);

/* The .sigmf-meta named by path: either file of the pair, or the basename. Archives
 * (.sigmf) and collections (.sigmf-collection) are refused with CS_ENOTSUP. */
int cs_sigmf_meta_path(const char *path, char **meta_path);

/* The data file of a metadata file: BASE.sigmf-data, or core:dataset (when not NULL) in the
 * metadata's directory. */
int cs_sigmf_data_path(const char *meta_path, const char *dataset, char **data_path);

/* The last component of path (a pointer into it). */
const char *cs_base_name(const char *path);

#endif
