/* Terminal table writer (see report.h): per file, one block per record type that has a
 * registered column layout; other types print as "type: key=value ..." lines. */
#include <math.h>
#include <string.h>

#include "report.h"

#define MAX_LAYOUTS 16

static struct {
    const char *type;
    const report_column *cols;
    size_t n;
    report_row_filter keep;
    const char *what_hidden;
} layouts[MAX_LAYOUTS];
static size_t n_layouts;

void report_table_layout(const char *type, const report_column *cols, size_t n)
{
    for (size_t i = 0; i < n_layouts; i++)
        if (!strcmp(layouts[i].type, type)) {
            layouts[i].cols = cols;
            layouts[i].n = n;
            return;
        }
    if (n_layouts < MAX_LAYOUTS) {
        layouts[n_layouts].type = type;
        layouts[n_layouts].cols = cols;
        layouts[n_layouts].n = n;
        n_layouts++;
    }
}

void report_table_filter(const char *type, report_row_filter keep, const char *what_hidden)
{
    for (size_t i = 0; i < n_layouts; i++)
        if (!strcmp(layouts[i].type, type)) {
            layouts[i].keep = keep;
            layouts[i].what_hidden = what_hidden;
        }
}

static void cell_text(const report_field *f, double add, char *buf, size_t cap)
{
    if (!f) {
        snprintf(buf, cap, "-");
        return;
    }
    switch (f->kind) {
    case RV_NUM: snprintf(buf, cap, "%.*f", f->decimals, f->num + add); break;
    case RV_INT: snprintf(buf, cap, "%lld", f->i); break;
    case RV_BOOL: snprintf(buf, cap, "%s", f->i ? "yes" : "no"); break;
    case RV_STR:
    case RV_JSON: snprintf(buf, cap, "%s", f->text); break;
    default: snprintf(buf, cap, "-");
    }
}

/* Value of a column: key "x_dbm" reads x_dbfs plus the calibration; a record without
 * "x_khz" shows x_hz in kHz (one decimal), in *scaled. */
static const report_field *column_field(const report *rep, const report_record *r, const char *key,
                                        double *add, report_field *scaled)
{
    *add = 0.0;
    const report_field *f = rec_get(r, key);
    size_t n = strlen(key);
    char k[128];
    if (!f && n > 4 && !strcmp(key + n - 4, "_dbm") && isfinite(rep->cal_db)) {
        snprintf(k, sizeof k, "%.*s_dbfs", (int)(n - 4), key);
        f = rec_get(r, k);
        *add = rep->cal_db;
    } else if (!f && n > 4 && !strcmp(key + n - 4, "_khz")) {
        snprintf(k, sizeof k, "%.*s_hz", (int)(n - 4), key);
        const report_field *hz = rec_get(r, k);
        if (hz && hz->kind == RV_NUM) {
            *scaled = *hz;
            scaled->num = hz->num / 1e3;
            scaled->decimals = 1;
            f = scaled;
        }
    }
    return f;
}

static void print_block(FILE *fp, const report *rep, const char *file, size_t li)
{
    int header = 0;
    size_t hidden = 0;
    for (size_t i = 0; i < rep->n; i++) {
        const report_record *r = &rep->r[i];
        if (strcmp(r->file, file) || strcmp(r->type, layouts[li].type)) continue;
        if (layouts[li].keep && !rep->table_all_rows && !layouts[li].keep(rep, r)) {
            hidden++;
            continue;
        }
        if (!header) {
            for (size_t c = 0; c < layouts[li].n; c++) {
                const report_column *col = &layouts[li].cols[c];
                if (strstr(col->key, "_dbm") && !isfinite(rep->cal_db)) continue;
                fprintf(fp, "%s%-*s", c ? " " : "", col->width, col->header);
            }
            fputc('\n', fp);
            header = 1;
        }
        for (size_t c = 0; c < layouts[li].n; c++) {
            const report_column *col = &layouts[li].cols[c];
            if (strstr(col->key, "_dbm") && !isfinite(rep->cal_db)) continue;
            double add = 0.0;
            report_field scaled;
            char buf[512];
            /* column_field sets add: call it before reading add (argument order is unspecified) */
            const report_field *f = column_field(rep, r, col->key, &add, &scaled);
            cell_text(f, add, buf, sizeof buf);
            fprintf(fp, "%s%-*s", c ? " " : "", col->width, buf);
        }
        fputc('\n', fp);
    }
    if (hidden) fprintf(fp, "(%zu more: %s)\n", hidden, layouts[li].what_hidden);
}

int report_write_table(FILE *fp, const report *rep)
{
    if (rep->oom) return -1;
    for (size_t i = 0; i < rep->n; i++) {
        const char *file = rep->r[i].file;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(rep->r[j].file, file);
        if (seen) continue;
        fprintf(fp, "# %s\n", file);
        for (size_t li = 0; li < n_layouts; li++) print_block(fp, rep, file, li);
        for (size_t j = i; j < rep->n; j++) {
            const report_record *r = &rep->r[j];
            if (strcmp(r->file, file)) continue;
            int has_layout = 0;
            for (size_t li = 0; li < n_layouts && !has_layout; li++) has_layout = !strcmp(layouts[li].type, r->type);
            if (has_layout) continue;
            fprintf(fp, "%s:", r->type);
            for (size_t k = 0; k < r->n; k++) {
                char buf[512];
                cell_text(&r->f[k], 0.0, buf, sizeof buf);
                fprintf(fp, " %s=%s", r->f[k].key, buf);
            }
            fputc('\n', fp);
        }
    }
    return ferror(fp) ? -1 : 0;
}
