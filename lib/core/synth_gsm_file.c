/* Demodulated GSM bursts to re-modulate (the vf_call6 format of data/README.md): records of
 * 174 bytes = a 10-byte serialized PMT header (pair of null and a u8vector of 164), a
 * 16-byte GSMTAP header (version 2, type 3 "UM burst", timeslot at byte 3, FN big-endian
 * at bytes 8..11, burst sub-type at byte 12) and 148 bits, one per byte. Plain or
 * bzip2-compressed (name ending in .bz2, decompressed through `bzip2 -dc`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

#define RECORD_BYTES 174
#define TAP_OFFSET 10
#define BITS_OFFSET 26
#define MAX_RECORDS 2000000 /* about 2 hours of one C0: bounds memory (300 MB) */
#define SUBTYPE_SCH 3

typedef struct rec {
    uint32_t fn;
    uint8_t ts;
    uint8_t subtype; /* GSMTAP burst type */
    uint8_t bits[CS_GSM_BURST_BITS];
} rec;

struct synth_burst_file {
    rec *r;
    size_t n;
    synth_burst_file_info info;
};

static const uint8_t pmt_header[8] = { 0x07, 0x06, 0x0a, 0x00, 0x00, 0x00, 0x00, 0xa4 };

static int cmp_rec(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->fn != y->fn) return x->fn < y->fn ? -1 : 1;
    return (int)x->ts - (int)y->ts;
}

static FILE *open_stream(const char *path, int *is_pipe)
{
    size_t n = strlen(path);
    *is_pipe = n > 4 && !strcmp(path + n - 4, ".bz2");
    if (!*is_pipe) return fopen(path, "rb");
    FILE *probe = fopen(path, "rb");
    if (!probe) return NULL;
    fclose(probe);
    /* Quote the path for the shell: ' becomes '\'' */
    size_t cap = 4 * n + 64;
    char *cmd = malloc(cap), *p = cmd;
    if (!cmd) return NULL;
    p += sprintf(p, "bzip2 -dc -- '");
    for (const char *s = path; *s; s++) {
        if (*s == '\'') p += sprintf(p, "'\\''");
        else *p++ = *s;
    }
    sprintf(p, "' 2>/dev/null");
    FILE *fp = popen(cmd, "r");
    free(cmd);
    return fp;
}

/* BSIC from the first SCH burst that decodes, cell identity from the first SI3 (a BCCH
 * block at FN mod 51 = 2..5 of timeslot 0). */
static void find_identity(synth_burst_file *f)
{
    f->info.ncc = f->info.bcc = -1;
    float soft[4][CS_GSM_BURST_BITS];
    for (size_t i = 0; i < f->n && f->info.ncc < 0; i++) {
        if (f->r[i].subtype != SUBTYPE_SCH) continue;
        cs_gsm_sch_result r;
        cs_gsm_bits_to_soft(f->r[i].bits, CS_GSM_BURST_BITS, soft[0]);
        if (cs_gsm_sch_decode_burst(soft[0], &r) == CS_OK && r.valid) {
            f->info.ncc = r.ncc;
            f->info.bcc = r.bcc;
        }
    }
    for (uint32_t fn = f->info.fn_first; fn + 5 <= f->info.fn_last && !f->info.have_cell_id; fn++) {
        if (fn % 51 != 2) continue;
        float payload[4][CS_GSM_NB_PAYLOAD_BITS];
        int k;
        for (k = 0; k < 4; k++) {
            const uint8_t *b = synth_burst_file_burst(f, fn + (uint32_t)k, 0);
            if (!b) break;
            cs_gsm_bits_to_soft(b, CS_GSM_BURST_BITS, soft[k]);
            cs_gsm_normal_burst_payload(soft[k], payload[k], NULL);
        }
        uint8_t l2[CS_GSM_L2_OCTETS];
        cs_gsm_xcch_result xr;
        if (k == 4 && cs_gsm_xcch_decode((const float(*)[CS_GSM_NB_PAYLOAD_BITS])payload, l2, &xr) == CS_OK &&
            xr.fire_ok && cs_gsm_si3_parse(l2, &f->info.cell_id) == CS_OK)
            f->info.have_cell_id = 1;
    }
}

int synth_burst_file_load(const char *path, synth_burst_file **out)
{
    int is_pipe;
    FILE *fp = open_stream(path, &is_pipe);
    if (!fp) return cs_error(CS_EIO, "%s: cannot open bursts file", path);
    synth_burst_file *f = calloc(1, sizeof *f);
    size_t cap = 0;
    uint8_t buf[RECORD_BYTES];
    size_t got;
    int rc = f ? CS_OK : cs_error(CS_ENOMEM, "out of memory");
    while (rc == CS_OK && (got = fread(buf, 1, sizeof buf, fp)) > 0) {
        const uint8_t *tap = buf + TAP_OFFSET;
        if (got != RECORD_BYTES) {
            rc = cs_error(CS_EFORMAT, "%s: truncated record %zu (%zu of 174 bytes)", path, f->n, got);
        } else if (memcmp(buf, pmt_header, sizeof pmt_header) || tap[0] != 2 || tap[2] != 3 ||
                   tap[3] > 7) {
            rc = cs_error(CS_EFORMAT, "%s: record %zu is not a GSMTAP burst record (PMT pair + "
                          "GSMTAP v2 type 3 + 148 bits)", path, f->n);
        } else if (f->n == MAX_RECORDS) {
            rc = cs_error(CS_EFORMAT, "%s: more than %d bursts", path, MAX_RECORDS);
        } else {
            if (f->n == cap) {
                cap = cap ? 2 * cap : 4096;
                rec *r = realloc(f->r, cap * sizeof *r);
                if (r) f->r = r;
                else rc = cs_error(CS_ENOMEM, "out of memory");
            }
            if (rc == CS_OK) {
                rec *r = &f->r[f->n];
                r->fn = (uint32_t)tap[8] << 24 | (uint32_t)tap[9] << 16 | (uint32_t)tap[10] << 8 | tap[11];
                r->ts = tap[3];
                r->subtype = tap[12];
                for (int i = 0; i < CS_GSM_BURST_BITS; i++) {
                    uint8_t b = buf[BITS_OFFSET + i];
                    if (b > 1) {
                        rc = cs_error(CS_EFORMAT, "%s: record %zu holds a bit value %u", path, f->n, b);
                        break;
                    }
                    r->bits[i] = b;
                }
                if (r->fn >= CS_GSM_HYPERFRAME)
                    rc = cs_error(CS_EFORMAT, "%s: record %zu has frame number %u beyond the hyperframe",
                                  path, f->n, r->fn);
                f->n++;
            }
        }
    }
    int status = is_pipe ? pclose(fp) : fclose(fp);
    if (rc == CS_OK && status != 0)
        rc = cs_error(CS_EFORMAT, "%s: %s", path, is_pipe ? "not a bzip2 file, or bzip2 failed" : "read error");
    if (rc == CS_OK && f->n == 0) rc = cs_error(CS_EFORMAT, "%s: no bursts", path);
    if (rc == CS_OK) {
        qsort(f->r, f->n, sizeof *f->r, cmp_rec);
        f->info.fn_first = f->r[0].fn;
        f->info.fn_last = f->r[f->n - 1].fn;
        f->info.bursts = f->n;
        find_identity(f);
    }
    if (rc != CS_OK) {
        synth_burst_file_free(f);
        return rc;
    }
    *out = f;
    return CS_OK;
}

const synth_burst_file_info *synth_burst_file_get_info(const synth_burst_file *f) { return &f->info; }

const uint8_t *synth_burst_file_burst(const synth_burst_file *f, uint32_t fn, int ts)
{
    if (fn < f->info.fn_first || fn > f->info.fn_last) return NULL;
    size_t lo = 0, hi = f->n; /* first record >= (fn, ts) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const rec *r = &f->r[mid];
        if (r->fn < fn || (r->fn == fn && r->ts < ts)) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->n && f->r[lo].fn == fn && f->r[lo].ts == ts ? f->r[lo].bits : NULL;
}

void synth_burst_file_free(synth_burst_file *f)
{
    if (!f) return;
    free(f->r);
    free(f);
}
