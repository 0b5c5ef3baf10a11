/* FFT plans and FFTW wisdom: the built-in wisdom is valid wisdom for the FFTW linked;
 * with CELLSCAN_FFTW_WISDOM naming a file (and the built-in left out), the first plan of
 * a size is measured and saved there (the file then plans the size on its own), and the
 * transforms agree with FFTW_ESTIMATE's to float rounding. */
#include <complex.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cellscan/types.h"
#include "cs_test.h"
#include "fft_plan.h"
#include "fft_wisdom_builtin.h"

#define N 1024

/* (fftwf_complex is float[2] or float _Complex depending on <complex.h>: use floats) */
static void fill(fftwf_complex *in)
{
    float *f = (float *)in;
    for (int i = 0; i < N; i++) {
        f[2 * i] = (float)cos(0.37 * i) + 0.01f * (float)(i % 7);
        f[2 * i + 1] = (float)sin(0.11 * i * i);
    }
}

static void copy_out(const fftwf_complex *y, cs_cf32 *out)
{
    const float *f = (const float *)y;
    for (int i = 0; i < N; i++) out[i] = f[2 * i] + I * f[2 * i + 1];
}

/* Transform the fixed signal with a plan from cs_fft_plan_dft_1d (planning may overwrite
 * the arrays, so the input is written after it). */
static void transform(cs_cf32 *out)
{
    fftwf_complex *in = fftwf_malloc(N * sizeof *in), *y = fftwf_malloc(N * sizeof *y);
    fftwf_plan p = cs_fft_plan_dft_1d(N, in, y, FFTW_FORWARD);
    CS_CHECK(p != NULL);
    fill(in);
    fftwf_execute(p);
    copy_out(y, out);
    cs_fft_plan_destroy(p);
    fftwf_free(in);
    fftwf_free(y);
}

static double max_diff(const cs_cf32 *a, const cs_cf32 *b)
{
    double m = 0.0;
    for (int i = 0; i < N; i++)
        if (cabsf(a[i] - b[i]) > m) m = cabsf(a[i] - b[i]);
    return m;
}

int main(void)
{
    char path[] = "/tmp/cs_wisdom_XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) CS_SKIP("no temporary file");
    close(fd);
    remove(path); /* absent at first: the scanner starts without wisdom */
    /* the built-in wisdom parses (FFTW rejects wisdom of another version or build) */
    CS_CHECK_MSG(fftwf_import_wisdom_from_string(cs_fft_builtin_wisdom),
                 "built-in wisdom rejected by %s: run scripts/gen_fftw_wisdom.sh", fftwf_version);
    fftwf_forget_wisdom();
    setenv("CELLSCAN_FFTW_BUILTIN", "0", 1); /* else its sizes would not be measured */
    setenv("CELLSCAN_FFTW_WISDOM", path, 1);
    /* reference: FFTW_ESTIMATE straight from FFTW */
    fftwf_complex *in = fftwf_malloc(N * sizeof *in), *y = fftwf_malloc(N * sizeof *y);
    fftwf_plan p = fftwf_plan_dft_1d(N, in, y, FFTW_FORWARD, FFTW_ESTIMATE);
    fill(in);
    fftwf_execute(p);
    cs_cf32 ref[N], a[N], b[N];
    copy_out(y, ref);
    fftwf_destroy_plan(p);
    transform(a); /* measured, saved */
    FILE *f = fopen(path, "r");
    CS_CHECK_MSG(f != NULL, "no wisdom file %s", path);
    if (f) {
        char head[8] = {0};
        CS_CHECK(fread(head, 1, 6, f) == 6 && !strncmp(head, "(fftw-", 6));
        fclose(f);
    }
    transform(b); /* from the wisdom */
    CS_CHECK_MSG(max_diff(a, ref) < 1e-3, "measured plan differs by %g", max_diff(a, ref));
    CS_CHECK_MSG(max_diff(b, a) == 0.0, "wisdom plan differs by %g", max_diff(b, a));
    /* the file alone plans the size */
    fftwf_forget_wisdom();
    CS_CHECK(fftwf_import_wisdom_from_filename(path));
    p = fftwf_plan_dft_1d(N, in, y, FFTW_FORWARD, FFTW_MEASURE | FFTW_WISDOM_ONLY);
    CS_CHECK(p != NULL);
    if (p) fftwf_destroy_plan(p);
    fftwf_free(in);
    fftwf_free(y);
    remove(path);
    return cs_test_done();
}
