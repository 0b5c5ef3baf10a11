/* Status codes of every core function, and the detailed message of the last failure. */
#ifndef CELLSCAN_STATUS_H
#define CELLSCAN_STATUS_H

#include "cellscan/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cs_status {
    CS_OK = 0,
    CS_EINVAL = -1,   /* an argument or parameter is out of range or absurd */
    CS_EIO = -2,      /* a file could not be opened, read or written */
    CS_EFORMAT = -3,  /* a file's content or metadata is malformed */
    CS_ENOMEM = -4,   /* an allocation failed */
    CS_ENOTSUP = -5,  /* valid, but not supported by this build */
    CS_ENOTFOUND = -6 /* nothing matched (no such file, channel, key) */
};

/* Short fixed text for a status code ("invalid argument", ...). */
CS_API const char *cs_strerror(int status);

/* Detailed one-line message of the last failure in the calling thread, e.g.
 * "core:sample_rate must be a positive number (got -5)"; "" when none was set. */
CS_API const char *cs_last_error(void);

/* Record a detailed message for the calling thread and return `status` (for use as
 * `return cs_error(CS_EFORMAT, "...", ...)`). */
CS_API int cs_error(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Forget the last message (call before an operation whose failure you will report). */
CS_API void cs_clear_error(void);

/* Library version string, "MAJOR.MINOR.PATCH". */
CS_API const char *cs_version(void);

#ifdef __cplusplus
}
#endif

#endif
