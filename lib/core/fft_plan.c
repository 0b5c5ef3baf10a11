/* FFTW planning under one process-wide lock (see fft_plan.h).
 *
 * Plans come from FFTW wisdom when it has a measured plan for the problem: the wisdom
 * built in (fft_wisdom_builtin.h, measured by scripts/gen_fftw_wisdom.sh for the sizes
 * cellscan plans; FFTW ignores it where its version or the CPU's instruction set differ),
 * the system's (/etc/fftw/wisdomf) or the file named by CELLSCAN_FFTW_WISDOM; else
 * FFTW_ESTIMATE (no timing runs). With CELLSCAN_FFTW_WISDOM set, sizes no wisdom has are
 * measured (FFTW_MEASURE, or FFTW_PATIENT with CELLSCAN_FFTW_RIGOR=patient: a few to a
 * few hundred milliseconds each, once) and the file is rewritten with them.
 * CELLSCAN_FFTW_BUILTIN=0 leaves the built-in wisdom out (FFTW_ESTIMATE's plans, or
 * measuring afresh). Plans from wisdom transform faster (an 8192-point transform about
 * 1.6x) and agree with FFTW_ESTIMATE's to float rounding. */
#include "fft_plan.h"
#include "fft_wisdom_builtin.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static int wisdom_loaded;
static char *wisdom_path; /* CELLSCAN_FFTW_WISDOM, or NULL */

/* Under the lock. */
static void load_wisdom(void)
{
    if (wisdom_loaded) return;
    wisdom_loaded = 1;
    const char *b = getenv("CELLSCAN_FFTW_BUILTIN");
    if (!b || strcmp(b, "0") != 0) fftwf_import_wisdom_from_string(cs_fft_builtin_wisdom);
    fftwf_import_system_wisdom();
    const char *p = getenv("CELLSCAN_FFTW_WISDOM");
    if (!p || !*p) return;
    wisdom_path = strdup(p);
    if (!wisdom_path) return;
    /* absent or unreadable: start empty (the file is written after the first measurement) */
    fftwf_import_wisdom_from_filename(wisdom_path);
}

/* Under the lock: write the wisdom beside the file and rename it over, so a reader never
 * sees half a file. Failure only costs the next run its measurements. */
static void save_wisdom(void)
{
    const size_t n = strlen(wisdom_path) + 16;
    char *tmp = malloc(n);
    if (!tmp) return;
    snprintf(tmp, n, "%s.%ld", wisdom_path, (long)getpid());
    if (fftwf_export_wisdom_to_filename(tmp)) {
        if (rename(tmp, wisdom_path) != 0) remove(tmp);
    } else {
        remove(tmp);
    }
    free(tmp);
}

fftwf_plan cs_fft_plan_dft_1d(int n, fftwf_complex *in, fftwf_complex *out, int sign)
{
    pthread_mutex_lock(&planner_lock);
    load_wisdom();
    fftwf_plan plan = fftwf_plan_dft_1d(n, in, out, sign, FFTW_MEASURE | FFTW_WISDOM_ONLY);
    if (!plan && wisdom_path) {
        const char *r = getenv("CELLSCAN_FFTW_RIGOR");
        const unsigned rigor = r && !strcmp(r, "patient") ? FFTW_PATIENT : FFTW_MEASURE;
        plan = fftwf_plan_dft_1d(n, in, out, sign, rigor);
        if (plan) save_wisdom();
    }
    if (!plan) plan = fftwf_plan_dft_1d(n, in, out, sign, FFTW_ESTIMATE);
    pthread_mutex_unlock(&planner_lock);
    return plan;
}

void cs_fft_plan_destroy(fftwf_plan plan)
{
    if (!plan) return;
    pthread_mutex_lock(&planner_lock);
    fftwf_destroy_plan(plan);
    pthread_mutex_unlock(&planner_lock);
}
