/* Receiver reference error: one oscillator drives the LO and the sample clock, so a
 * receiver e = ppm * 1e-6 fast samples at fs (1 + e) and tunes f_c (1 + e). In nominal
 * units its recording is the ideal one resampled by 1 + e and shifted by -f_c e/(1+e);
 * a carrier at RF f then appears -f e/(1+e) from where it belongs. */
#include <math.h>
#include <stdlib.h>

#include "cellscan/impairments.h"
#include "cellscan/resampler.h"
#include "cellscan/status.h"

struct cs_ref_error_s {
    cs_resampler resampler;
    cs_rotator rotator;
};

double cs_ref_error_offset_hz(double ppm, double rf_hz)
{
    const double e = ppm * 1e-6;
    return -rf_hz * e / (1.0 + e);
}

int cs_ref_error_create(double ppm, double centre_hz, double fs_hz, cs_ref_error *out)
{
    *out = NULL;
    if (!(fabs(ppm) <= 1000.0))
        return cs_error(CS_EINVAL, "reference error: |ppm| must be <= 1000 (got %g)", ppm);
    if (!isfinite(centre_hz) || !(fs_hz > 0.0 && isfinite(fs_hz)))
        return cs_error(CS_EINVAL, "reference error: centre and sample rate must be finite "
                                   "(rate > 0)");
    cs_ref_error q = calloc(1, sizeof *q);
    if (!q)
        return cs_error(CS_ENOMEM, "reference error: out of memory");
    int rc = cs_resampler_create(1.0 + ppm * 1e-6, &q->resampler);
    if (rc == CS_OK)
        rc = cs_rotator_create(cs_ref_error_offset_hz(ppm, centre_hz), fs_hz, 0.0, &q->rotator);
    if (rc != CS_OK) {
        cs_ref_error_destroy(q);
        return rc;
    }
    *out = q;
    return CS_OK;
}

int cs_ref_error_execute(cs_ref_error q, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                         size_t out_cap, size_t *n_out)
{
    int rc = cs_resampler_execute(q->resampler, in, n_in, out, out_cap, n_out);
    cs_rotator_execute(q->rotator, out, out, *n_out);
    return rc;
}

int cs_ref_error_flush(cs_ref_error q, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    int rc = cs_resampler_flush(q->resampler, out, out_cap, n_out);
    cs_rotator_execute(q->rotator, out, out, *n_out);
    return rc;
}

size_t cs_ref_error_max_output(cs_ref_error q, size_t n_in)
{
    return cs_resampler_max_output(q->resampler, n_in);
}

void cs_ref_error_reset(cs_ref_error q)
{
    cs_resampler_reset(q->resampler);
    cs_rotator_reset(q->rotator);
}

void cs_ref_error_destroy(cs_ref_error q)
{
    if (!q)
        return;
    cs_resampler_destroy(q->resampler);
    cs_rotator_destroy(q->rotator);
    free(q);
}
