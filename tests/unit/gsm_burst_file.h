/* Test helper: load the demodulated bursts of vf_call6 (shared data, see its README):
 * bzip2-compressed records of 174 bytes = 10-byte serialized PMT header, 16-byte GSMTAP
 * header (timeslot at byte 3, FN big-endian at bytes 8..11, burst sub-type at byte 12),
 * 148 burst bits one per byte. When the file is absent vf_load returns 0 and
 * vf_finish() turns a run without failures into a skip (exit 77) naming the file. */
#ifndef GSM_BURST_FILE_H
#define GSM_BURST_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs_test.h"

#define VF_RECORD_BYTES 174
#define VF_GSMTAP_OFFSET 10
#define VF_BITS_OFFSET 26

enum vf_subtype { VF_FCCH = 1, VF_SCH = 3, VF_NORMAL = 6, VF_DUMMY = 7 };

typedef struct vf_burst {
    int timeslot;
    uint32_t fn;
    int subtype; /* GSMTAP burst type */
    uint8_t bits[148];
} vf_burst;

static char vf_missing[4200];

/* Read every record; returns the count and sets *out (malloc'd), or 0 when the file is
 * absent. Fails the process on a malformed file (the data is known: a test failure). */
static size_t vf_load(vf_burst **out)
{
    const char *shared = getenv("CS_SHARED_DATA");
    if (!shared || !*shared)
        shared = CS_SHARED_DATA;
    char path[4096], cmd[4200];
    snprintf(path, sizeof path, "%s/gsm/vf_call6_arfcn725_bursts.bz2", shared);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        snprintf(vf_missing, sizeof vf_missing, "%s absent (shared test data not installed)", path);
        printf("note: %s\n", vf_missing);
        return 0;
    }
    fclose(probe);
    snprintf(cmd, sizeof cmd, "bzip2 -dc '%s'", path);
    FILE *p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "cannot run bzip2 on %s\n", path);
        exit(1);
    }
    size_t cap = 20000, n = 0;
    vf_burst *b = malloc(cap * sizeof *b);
    uint8_t rec[VF_RECORD_BYTES];
    size_t got;
    while ((got = fread(rec, 1, sizeof rec, p)) == sizeof rec) {
        if (n == cap) {
            cap *= 2;
            b = realloc(b, cap * sizeof *b);
        }
        if (!b) {
            fprintf(stderr, "out of memory reading %s\n", path);
            exit(1);
        }
        const uint8_t *tap = rec + VF_GSMTAP_OFFSET;
        b[n].timeslot = tap[3];
        b[n].fn = (uint32_t)tap[8] << 24 | (uint32_t)tap[9] << 16 | (uint32_t)tap[10] << 8 | tap[11];
        b[n].subtype = tap[12];
        memcpy(b[n].bits, rec + VF_BITS_OFFSET, 148);
        n++;
    }
    int status = pclose(p);
    if (got != 0 || status != 0) {
        fprintf(stderr, "%s: truncated record or bzip2 failure (status %d)\n", path, status);
        exit(1);
    }
    *out = b;
    return n;
}

/* End of main: failures fail; otherwise a missing file makes the run a skip. */
static int vf_finish(void)
{
    if (cs_test_failures == 0 && vf_missing[0])
        CS_SKIP("%s", vf_missing);
    return cs_test_done();
}

#endif
