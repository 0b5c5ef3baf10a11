/* The activity streams' 64-point inverse DFT (gsm_ifft64.c) against a direct double sum:
 * random inputs, single tones on every bin (each output sample must carry the bin's
 * phase ramp: a wrong twiddle or transpose lands a tone on the wrong bin), and within
 * float rounding of FFTW's backward plan, which it replaces; the weighted form equals
 * weighting first. */
#include <complex.h>
#include <fftw3.h>
#include <math.h>
#include <stdio.h>

#include "cs_test.h"
#include "gsm_ifft64.h"

static double direct_error(const cs_cf32 *in, const cs_cf32 *out, double *scale)
{
    double err = 0.0, norm = 0.0;
    for (int k = 0; k < 64; k++) {
        double complex s = 0.0;
        for (int n = 0; n < 64; n++) s += in[n] * cexp(I * 2.0 * M_PI * (double)(n * k % 64) / 64.0);
        err = fmax(err, cabs(s - out[k]));
        norm = fmax(norm, cabs(s));
    }
    *scale = norm;
    return err;
}

int main(void)
{
    if (!cs_gsm_ifft64_available())
        CS_SKIP("the 64-point inverse DFT needs AVX2 (and VOLK_GENERIC unset); FFTW serves instead");
    cs_cf32 in[64], out[64];
    fftwf_complex *fi = fftwf_malloc(sizeof(fftwf_complex) * 64), *fo = fftwf_malloc(sizeof(fftwf_complex) * 64);
    fftwf_plan p = fftwf_plan_dft_1d(64, fi, fo, FFTW_BACKWARD, FFTW_ESTIMATE);
    uint32_t r = 12345;
    double worst = 0.0, worst_fftw = 0.0;
    for (int trial = 0; trial < 50; trial++) {
        for (int n = 0; n < 64; n++) {
            r = r * 1664525u + 1013904223u;
            const float a = (float)(r >> 8) / 16777216.0f - 0.5f;
            r = r * 1664525u + 1013904223u;
            const float b = (float)(r >> 8) / 16777216.0f - 0.5f;
            in[n] = a + I * b;
            fi[n] = in[n]; /* <complex.h> first: fftwf_complex is float complex */
        }
        cs_gsm_ifft64(in, out);
        double scale;
        const double e = direct_error(in, out, &scale);
        worst = fmax(worst, e / scale);
        fftwf_execute(p);
        for (int k = 0; k < 64; k++)
            worst_fftw = fmax(worst_fftw, cabs(out[k] - fo[k]) / scale);
    }
    printf("random inputs: largest error %.2e of the largest output (FFTW: %.2e apart)\n", worst,
           worst_fftw);
    CS_CHECK(worst < 2e-6);
    CS_CHECK(worst_fftw < 2e-6);
    /* a unit impulse on bin m: out[k] = e^{j 2 pi m k / 64} */
    int tones_ok = 1;
    for (int m = 0; m < 64; m++) {
        for (int n = 0; n < 64; n++) in[n] = n == m ? 1.0f : 0.0f;
        cs_gsm_ifft64(in, out);
        for (int k = 0; k < 64; k++) {
            const double complex want = cexp(I * 2.0 * M_PI * (double)(m * k % 64) / 64.0);
            if (cabs(out[k] - want) > 1e-6) tones_ok = 0;
        }
    }
    CS_CHECK_MSG(tones_ok, "an impulse on some bin did not give its phase ramp");
    /* the weighted form: the same as weighting first */
    float w2[128];
    cs_cf32 wi[64], ref[64];
    for (int n = 0; n < 64; n++) {
        in[n] = (float)(n % 7) - 3.0f + I * (float)(n % 5);
        w2[2 * n] = w2[2 * n + 1] = 0.5f + 0.01f * (float)n;
        wi[n] = in[n] * w2[2 * n];
    }
    cs_gsm_ifft64(wi, ref);
    cs_gsm_ifft64_weighted(in, w2, out);
    int same = 1;
    for (int k = 0; k < 64; k++) same &= out[k] == ref[k];
    CS_CHECK_MSG(same, "the weighted transform differs from weighting, then transforming");
    fftwf_destroy_plan(p);
    fftwf_free(fi);
    fftwf_free(fo);
    return cs_test_done();
}
