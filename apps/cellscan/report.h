/* Scan results as records, and the writers that render them (table, JSON Lines, CSV,
 * SigMF annotations). Detectors (scan_umts.c, scan_gsm.c, ...) add records with typed
 * fields in the order the report contract lists them (docs: DESIGN.md, "The report
 * contract"); every writer renders every record type, so a new detector adds records and,
 * for the terminal table, one column layout (report_table_layout) and nothing else.
 *
 * Conventions: a NAN number or a NULL string is written as null (absent knowledge is
 * never made up); with a calibration (report_set_cal_db) every field whose key ends in
 * _dbfs gains a _dbm twin right after it (value + cal_db) in JSON and CSV. */
#ifndef CELLSCAN_REPORT_H
#define CELLSCAN_REPORT_H

#include <stdint.h>
#include <stdio.h>

typedef enum report_kind { RV_NULL, RV_NUM, RV_INT, RV_STR, RV_BOOL, RV_JSON } report_kind;

typedef struct report_field {
    char *key;
    report_kind kind;
    double num;      /* RV_NUM */
    int decimals;    /* RV_NUM: digits after the point */
    long long i;     /* RV_INT, RV_BOOL */
    char *text;      /* RV_STR, RV_JSON (a JSON value: list or object) */
} report_field;

/* Where a record sits in its recording, for SigMF annotations. */
typedef struct report_span {
    int valid;
    uint64_t sample_start, sample_count;
    double freq_lower_hz, freq_upper_hz; /* absolute when the centre is known, else NAN */
    char *label, *comment;
} report_span;

typedef struct report_record {
    char *type;      /* "umts_cell", "summary", ... */
    char *file;
    size_t n, cap;
    report_field *f;
    report_span span;
} report_record;

typedef struct report {
    size_t n, cap;
    report_record *r;
    double cal_db;   /* NAN: no calibration */
    int table_all_rows; /* the table shows the rows its filters would hide (--all-channels) */
    int oom;         /* an allocation failed: writers refuse */
} report;

void report_init(report *rep, double cal_db);
void report_free(report *rep);

/* Records of one file: start a record, then add its fields in order. */
report_record *report_add(report *rep, const char *type, const char *file);
void rec_num(report *rep, report_record *r, const char *key, double v, int decimals);
void rec_int(report *rep, report_record *r, const char *key, long long v);
void rec_str(report *rep, report_record *r, const char *key, const char *s);
void rec_bool(report *rep, report_record *r, const char *key, int v);
void rec_null(report *rep, report_record *r, const char *key);
void rec_json(report *rep, report_record *r, const char *key, const char *json_value);
void rec_span(report *rep, report_record *r, uint64_t start, uint64_t count, double f_lo,
              double f_hi, const char *label, const char *comment);

/* Drop the records of one file added since index `from` (a file that failed half way). */
void report_truncate(report *rep, size_t from);

const report_field *rec_get(const report_record *r, const char *key);

/* Writers: 0 or -1 (write error or out of memory). */
/* One record as a JSON object (no newline). */
void report_record_json(FILE *fp, const report *rep, const report_record *r);
int report_write_jsonl(FILE *fp, const report *rep);
/* One section per record type (in order of first appearance): a header row naming the
 * columns (the union of that type's keys), the rows, a blank line between sections. */
int report_write_csv(FILE *fp, const report *rep);

/* Terminal table: one block per file and record type with a layout registered for it. */
typedef struct report_column {
    const char *header;
    const char *key;
    int width;
} report_column;
void report_table_layout(const char *type, const report_column *cols, size_t n);
/* The table shows only the rows of `type` that keep() accepts (unless table_all_rows),
 * and then one line "(N more: what_hidden)" saying what it left out. JSON Lines and CSV
 * always carry every record. keep() may look at the report's other records. */
typedef int (*report_row_filter)(const report *rep, const report_record *r);
void report_table_filter(const char *type, report_row_filter keep, const char *what_hidden);
int report_write_table(FILE *fp, const report *rep);

/* The records of `file` that carry a span, as SigMF annotations added to a copy of the
 * recording's metadata written to meta_out (see cs_sigmf_write_annotations). Returns 0
 * or -1 after printing "cellscan: FILE: problem". */
struct cs_recording_s;
int report_write_sigmf(const report *rep, const char *file, struct cs_recording_s *rec,
                       const char *meta_out);

/* JSON text helpers for RV_JSON values (malloc'ed strings). */
char *report_json_number(double v, int decimals);

#endif
