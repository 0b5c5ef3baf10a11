/* Report writers for JSON Lines and CSV (see report.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

static int is_dbfs(const char *key)
{
    size_t n = strlen(key);
    return n > 5 && !strcmp(key + n - 5, "_dbfs");
}

/* "<key without _dbfs>_dbm" */
static void dbm_key(const char *key, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s_dbm", (int)(strlen(key) - 5), key);
}

static void json_value(FILE *fp, const report_field *f, double add)
{
    switch (f->kind) {
    case RV_NUM: cli_json_number(fp, f->num + add, f->decimals); break;
    case RV_INT: fprintf(fp, "%lld", f->i); break;
    case RV_BOOL: fputs(f->i ? "true" : "false", fp); break;
    case RV_STR: cli_json_string(fp, f->text); break;
    case RV_JSON: fputs(f->text, fp); break;
    default: fputs("null", fp);
    }
}

/* {"type":..., "file":..., fields...} without a newline. */
void report_record_json(FILE *fp, const report *rep, const report_record *r)
{
    fputs("{\"type\":", fp);
    cli_json_string(fp, r->type);
    fputs(",\"file\":", fp);
    cli_json_string(fp, r->file);
    const int cal = isfinite(rep->cal_db);
    for (size_t i = 0; i < r->n; i++) {
        const report_field *f = &r->f[i];
        fputc(',', fp);
        cli_json_string(fp, f->key);
        fputc(':', fp);
        json_value(fp, f, 0.0);
        if (cal && is_dbfs(f->key) && (f->kind == RV_NUM || f->kind == RV_NULL)) {
            char k[128];
            dbm_key(f->key, k, sizeof k);
            fputc(',', fp);
            cli_json_string(fp, k);
            fputc(':', fp);
            json_value(fp, f, rep->cal_db);
        }
    }
    fputc('}', fp);
}

int report_write_jsonl(FILE *fp, const report *rep)
{
    if (rep->oom) return -1;
    for (size_t i = 0; i < rep->n; i++) {
        report_record_json(fp, rep, &rep->r[i]);
        fputc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

static void csv_text(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"') fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void csv_value(FILE *fp, const report_field *f, double add)
{
    switch (f->kind) {
    case RV_NUM: fprintf(fp, "%.*f", f->decimals, f->num + add); break;
    case RV_INT: fprintf(fp, "%lld", f->i); break;
    case RV_BOOL: fputs(f->i ? "true" : "false", fp); break;
    case RV_STR:
    case RV_JSON: csv_text(fp, f->text); break;
    default: break; /* null: empty cell */
    }
}

/* Column keys of one record type: the union of its records' keys, in order. */
typedef struct columns {
    const char **key;
    size_t n, cap;
} columns;

static int columns_add(columns *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->key[i], key)) return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        const char **k = realloc(c->key, cap * sizeof *k);
        if (!k) return -1;
        c->key = k;
        c->cap = cap;
    }
    c->key[c->n++] = key;
    return 0;
}

int report_write_csv(FILE *fp, const report *rep)
{
    if (rep->oom) return -1;
    const int cal = isfinite(rep->cal_db);
    int first_section = 1;
    for (size_t i = 0; i < rep->n; i++) {
        const char *type = rep->r[i].type;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(rep->r[j].type, type);
        if (seen) continue;
        columns c = { 0 };
        for (size_t j = i; j < rep->n; j++)
            if (!strcmp(rep->r[j].type, type))
                for (size_t k = 0; k < rep->r[j].n; k++)
                    if (columns_add(&c, rep->r[j].f[k].key)) {
                        free(c.key);
                        return -1;
                    }
        if (!first_section) fputc('\n', fp);
        first_section = 0;
        fputs("type,file", fp);
        for (size_t k = 0; k < c.n; k++) {
            fputc(',', fp);
            csv_text(fp, c.key[k]);
            if (cal && is_dbfs(c.key[k])) {
                char dk[128];
                dbm_key(c.key[k], dk, sizeof dk);
                fprintf(fp, ",%s", dk);
            }
        }
        fputc('\n', fp);
        for (size_t j = i; j < rep->n; j++) {
            const report_record *r = &rep->r[j];
            if (strcmp(r->type, type)) continue;
            csv_text(fp, r->type);
            fputc(',', fp);
            csv_text(fp, r->file);
            for (size_t k = 0; k < c.n; k++) {
                const report_field *f = rec_get(r, c.key[k]);
                fputc(',', fp);
                if (f) csv_value(fp, f, 0.0);
                if (cal && is_dbfs(c.key[k])) {
                    fputc(',', fp);
                    if (f) csv_value(fp, f, rep->cal_db);
                }
            }
            fputc('\n', fp);
        }
        free(c.key);
    }
    return ferror(fp) ? -1 : 0;
}
