/* Status codes and the per-thread message of the last failure. */
#include "cellscan/status.h"

#include <stdarg.h>
#include <stdio.h>

#ifndef CELLSCAN_VERSION
#define CELLSCAN_VERSION "0.0.0"
#endif

static _Thread_local char last_message[512];

const char *cs_strerror(int status)
{
    switch (status) {
    case CS_OK: return "success";
    case CS_EINVAL: return "invalid argument";
    case CS_EIO: return "input/output error";
    case CS_EFORMAT: return "malformed data";
    case CS_ENOMEM: return "out of memory";
    case CS_ENOTSUP: return "not supported";
    case CS_ENOTFOUND: return "not found";
    default: return "unknown error";
    }
}

const char *cs_last_error(void) { return last_message; }

void cs_clear_error(void) { last_message[0] = '\0'; }

int cs_error(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return status;
}

const char *cs_version(void) { return CELLSCAN_VERSION; }
