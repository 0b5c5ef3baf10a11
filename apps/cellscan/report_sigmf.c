/* SigMF annotations from report records (see report.h): each record with a span becomes
 * one annotation, labelled by the detector, with the whole record under "cellscan:record"
 * so tools can read every measured field back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/sigmf_writer.h"
#include "cellscan/status.h"
#include "cli.h"
#include "report.h"


int report_write_sigmf(const report *rep, const char *file, struct cs_recording_s *rec,
                       const char *meta_out)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++)
        if (rep->r[i].span.valid && !strcmp(rep->r[i].file, file)) n++;
    cs_annotation *a = calloc(n ? n : 1, sizeof *a);
    char **json = calloc(n ? n : 1, sizeof *json);
    int rc = (a && json && !rep->oom) ? 0 : -1;
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < rep->n; i++) {
        const report_record *r = &rep->r[i];
        if (!r->span.valid || strcmp(r->file, file)) continue;
        size_t len = 0;
        FILE *mem = open_memstream(&json[k], &len);
        if (!mem) {
            rc = -1;
            break;
        }
        fputs("{\"cellscan:record\":", mem);
        report_record_json(mem, rep, r);
        fputc('}', mem);
        if (fclose(mem) != 0) rc = -1;
        a[k].sample_start = r->span.sample_start;
        a[k].sample_count = r->span.sample_count;
        a[k].freq_lower_hz = r->span.freq_lower_hz;
        a[k].freq_upper_hz = r->span.freq_upper_hz;
        a[k].label = r->span.label;
        a[k].comment = r->span.comment;
        a[k].json = json[k];
        k++;
    }
    if (rc != 0) cli_error(file, "out of memory writing annotations");
    if (rc == 0) {
        cs_clear_error();
        if (cs_sigmf_write_annotations((cs_recording)rec, meta_out, a, k) != CS_OK) {
            cli_error(file, "%s", cs_last_error());
            rc = -1;
        }
    }
    for (size_t i = 0; i < k; i++) free(json[i]);
    free(json);
    free(a);
    return rc;
}
