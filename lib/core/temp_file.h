/* Files published all at once: written under a temporary name beside the final one, then
 * renamed over it by the caller, so a failure never leaves a partial file (internal). */
#ifndef CELLSCAN_TEMP_FILE_H
#define CELLSCAN_TEMP_FILE_H

/* Create PATH.tmp-XXXXXX beside path, mode 0644 (like cp's). Returns its descriptor and
 * sets *tmp_path (malloc'd), or returns -1 with cs_last_error() set and *tmp_path NULL. */
int cs_temp_create(const char *path, char **tmp_path);

/* Write text, plus a final newline when it has none, to a new temporary file beside path
 * and fsync it; *tmp_path names it. CS_OK, or an error with nothing left on disk. */
int cs_temp_write_text(const char *path, const char *text, char **tmp_path);

#endif
