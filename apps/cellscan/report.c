/* Scan result records (see report.h). */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void report_init(report *rep, double cal_db)
{
    memset(rep, 0, sizeof *rep);
    rep->cal_db = cal_db;
}

static void free_record(report_record *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->f[i].key);
        free(r->f[i].text);
    }
    free(r->f);
    free(r->type);
    free(r->file);
    free(r->span.label);
    free(r->span.comment);
}

void report_free(report *rep)
{
    for (size_t i = 0; i < rep->n; i++) free_record(&rep->r[i]);
    free(rep->r);
    memset(rep, 0, sizeof *rep);
}

void report_truncate(report *rep, size_t from)
{
    while (rep->n > from) free_record(&rep->r[--rep->n]);
}

report_record *report_add(report *rep, const char *type, const char *file)
{
    if (rep->n == rep->cap) {
        size_t cap = rep->cap ? 2 * rep->cap : 16;
        report_record *r = realloc(rep->r, cap * sizeof *r);
        if (!r) {
            rep->oom = 1;
            return NULL;
        }
        rep->r = r;
        rep->cap = cap;
    }
    report_record *r = &rep->r[rep->n];
    memset(r, 0, sizeof *r);
    r->type = strdup(type);
    r->file = strdup(file);
    if (!r->type || !r->file) {
        free(r->type);
        free(r->file);
        rep->oom = 1;
        return NULL;
    }
    rep->n++;
    return r;
}

static report_field *add_field(report *rep, report_record *r, const char *key)
{
    if (!r) return NULL;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        report_field *f = realloc(r->f, cap * sizeof *f);
        if (!f) {
            rep->oom = 1;
            return NULL;
        }
        r->f = f;
        r->cap = cap;
    }
    report_field *f = &r->f[r->n];
    memset(f, 0, sizeof *f);
    if (!(f->key = strdup(key))) {
        rep->oom = 1;
        return NULL;
    }
    r->n++;
    return f;
}

void rec_num(report *rep, report_record *r, const char *key, double v, int decimals)
{
    report_field *f = add_field(rep, r, key);
    if (!f) return;
    f->kind = isfinite(v) ? RV_NUM : RV_NULL;
    f->num = v;
    f->decimals = decimals;
}

void rec_int(report *rep, report_record *r, const char *key, long long v)
{
    report_field *f = add_field(rep, r, key);
    if (!f) return;
    f->kind = RV_INT;
    f->i = v;
}

void rec_bool(report *rep, report_record *r, const char *key, int v)
{
    report_field *f = add_field(rep, r, key);
    if (!f) return;
    f->kind = RV_BOOL;
    f->i = v != 0;
}

void rec_null(report *rep, report_record *r, const char *key)
{
    report_field *f = add_field(rep, r, key);
    if (f) f->kind = RV_NULL;
}

static void set_text(report *rep, report_field *f, report_kind kind, const char *s)
{
    if (!f) return;
    if (!s) {
        f->kind = RV_NULL;
        return;
    }
    f->kind = kind;
    if (!(f->text = strdup(s))) {
        rep->oom = 1;
        f->kind = RV_NULL;
    }
}

void rec_str(report *rep, report_record *r, const char *key, const char *s)
{
    set_text(rep, add_field(rep, r, key), RV_STR, s);
}

void rec_json(report *rep, report_record *r, const char *key, const char *json_value)
{
    set_text(rep, add_field(rep, r, key), RV_JSON, json_value);
}

void rec_span(report *rep, report_record *r, uint64_t start, uint64_t count, double f_lo,
              double f_hi, const char *label, const char *comment)
{
    if (!r) return;
    r->span.valid = 1;
    r->span.sample_start = start;
    r->span.sample_count = count;
    r->span.freq_lower_hz = f_lo;
    r->span.freq_upper_hz = f_hi;
    r->span.label = label ? strdup(label) : NULL;
    r->span.comment = comment ? strdup(comment) : NULL;
    if ((label && !r->span.label) || (comment && !r->span.comment)) rep->oom = 1;
}

const report_field *rec_get(const report_record *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->f[i].key, key)) return &r->f[i];
    return NULL;
}

char *report_json_number(double v, int decimals)
{
    char buf[64];
    if (isfinite(v)) snprintf(buf, sizeof buf, "%.*f", decimals, v);
    else snprintf(buf, sizeof buf, "null");
    return strdup(buf);
}
