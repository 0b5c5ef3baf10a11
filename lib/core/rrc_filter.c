/* Root-raised-cosine pulse, matched-filter taps and a streaming FIR for them. */
#include "cellscan/rrc_filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

#define CHUNK 4096

double cs_rrc_impulse(double t, double b)
{
    const double at = fabs(t);
    if (at < 1e-9)
        return 1.0 - b + 4.0 * b / M_PI;
    if (fabs(at - 1.0 / (4.0 * b)) < 1e-9) /* removable singularity of the general form */
        return b / M_SQRT2 *
               ((1.0 + 2.0 / M_PI) * sin(M_PI / (4.0 * b)) + (1.0 - 2.0 / M_PI) * cos(M_PI / (4.0 * b)));
    const double x = 4.0 * b * t;
    return (sin(M_PI * t * (1.0 - b)) + 4.0 * b * t * cos(M_PI * t * (1.0 + b))) /
           (M_PI * t * (1.0 - x * x));
}

size_t cs_rrc_num_taps(double sps, unsigned span)
{
    return 2 * (size_t)floor(span * sps) + 1;
}

static int check_params(double rolloff, double sps, unsigned span)
{
    if (!(rolloff > 0.0 && rolloff <= 1.0))
        return cs_error(CS_EINVAL, "rrc filter: rolloff must be in (0, 1] (got %g)", rolloff);
    if (!(sps >= 1.5 && sps <= 1024.0))
        return cs_error(CS_EINVAL, "rrc filter: samples_per_symbol must be 1.5..1024 (got %g)", sps);
    if (span < 2 || span > 64)
        return cs_error(CS_EINVAL, "rrc filter: span_symbols must be 2..64 (got %u)", span);
    return CS_OK;
}

int cs_rrc_taps(double rolloff, double sps, unsigned span, float *taps, size_t n_taps)
{
    int rc = check_params(rolloff, sps, span);
    if (rc != CS_OK)
        return rc;
    const size_t n = cs_rrc_num_taps(sps, span);
    if (n_taps != n)
        return cs_error(CS_EINVAL, "rrc filter: %zu taps given, %zu needed", n_taps, n);
    const long half = (long)(n - 1) / 2;
    for (long i = -half; i <= half; i++)
        taps[i + half] = (float)(cs_rrc_impulse((double)i / sps, rolloff) / sps);
    return CS_OK;
}

struct cs_rrc_filter_s {
    size_t n_taps;
    float *taps;
    cs_cf32 *work; /* (n_taps - 1) past samples followed by the current chunk */
};

int cs_rrc_filter_create(double rolloff, double sps, unsigned span, cs_rrc_filter *out)
{
    *out = NULL;
    int rc = check_params(rolloff, sps, span);
    if (rc != CS_OK)
        return rc;
    cs_rrc_filter f = calloc(1, sizeof *f);
    if (!f)
        return cs_error(CS_ENOMEM, "rrc filter: out of memory");
    f->n_taps = cs_rrc_num_taps(sps, span);
    f->taps = malloc(f->n_taps * sizeof *f->taps);
    f->work = calloc(f->n_taps - 1 + CHUNK, sizeof *f->work);
    if (!f->taps || !f->work) {
        cs_rrc_filter_destroy(f);
        return cs_error(CS_ENOMEM, "rrc filter: out of memory");
    }
    cs_rrc_taps(rolloff, sps, span, f->taps, f->n_taps);
    *out = f;
    return CS_OK;
}

void cs_rrc_filter_execute(cs_rrc_filter f, const cs_cf32 *in, cs_cf32 *out, size_t n)
{
    const size_t hist = f->n_taps - 1;
    while (n > 0) {
        const size_t m = n < CHUNK ? n : CHUNK;
        memcpy(f->work + hist, in, m * sizeof *in);
        for (size_t k = 0; k < m; k++) {
            /* taps are symmetric, so correlation and convolution agree */
            const cs_cf32 *x = f->work + k;
            float re = 0.0f, im = 0.0f;
            for (size_t j = 0; j < f->n_taps; j++) {
                re += f->taps[j] * crealf(x[j]);
                im += f->taps[j] * cimagf(x[j]);
            }
            out[k] = re + I * im;
        }
        memmove(f->work, f->work + m, hist * sizeof *f->work);
        in += m;
        out += m;
        n -= m;
    }
}

size_t cs_rrc_filter_delay(cs_rrc_filter f) { return (f->n_taps - 1) / 2; }

void cs_rrc_filter_reset(cs_rrc_filter f)
{
    memset(f->work, 0, (f->n_taps - 1 + CHUNK) * sizeof *f->work);
}

void cs_rrc_filter_destroy(cs_rrc_filter f)
{
    if (!f)
        return;
    free(f->taps);
    free(f->work);
    free(f);
}
