/* Frequency offset with a phase recomputed from the sample index every block: exact
 * frequency and phase after any length (a running float phasor drifts). */
#include <math.h>
#include <stdlib.h>

#include "cellscan/impairments.h"
#include "cellscan/status.h"

#define ANCHOR_EVERY 256

struct cs_rotator_s {
    double cycles_per_sample;
    double phase_rad;
    int64_t k; /* samples rotated since create/reset */
};

int cs_rotator_create(double freq_hz, double fs_hz, double phase_rad, cs_rotator *out)
{
    *out = NULL;
    if (!(fs_hz > 0.0 && isfinite(fs_hz)) || !isfinite(freq_hz) || !isfinite(phase_rad))
        return cs_error(CS_EINVAL, "rotator: frequency, phase and a positive sample rate must be "
                                   "finite (got %g Hz, %g rad, %g Hz)",
                        freq_hz, phase_rad, fs_hz);
    cs_rotator r = calloc(1, sizeof *r);
    if (!r)
        return cs_error(CS_ENOMEM, "rotator: out of memory");
    r->cycles_per_sample = freq_hz / fs_hz;
    r->phase_rad = phase_rad;
    *out = r;
    return CS_OK;
}

void cs_rotator_execute(cs_rotator r, const cs_cf32 *in, cs_cf32 *out, size_t n)
{
    const double w = 2.0 * M_PI * (r->cycles_per_sample - floor(r->cycles_per_sample));
    const double step_re = cos(w), step_im = sin(w);
    size_t i = 0;
    while (i < n) {
        /* anchor: exact phase of sample k from the index (frac of k * f/fs in cycles) */
        const double cyc = (double)r->k * r->cycles_per_sample;
        const double ph = 2.0 * M_PI * (cyc - floor(cyc)) + r->phase_rad;
        double re = cos(ph), im = sin(ph);
        size_t m = ANCHOR_EVERY - (size_t)(r->k % ANCHOR_EVERY);
        if (m > n - i)
            m = n - i;
        for (size_t j = 0; j < m; j++, i++) {
            const float xr = crealf(in[i]), xi = cimagf(in[i]);
            out[i] = (float)(xr * re - xi * im) + I * (float)(xr * im + xi * re);
            const double t = re * step_re - im * step_im;
            im = re * step_im + im * step_re;
            re = t;
        }
        r->k += (int64_t)m;
    }
}

void cs_rotator_reset(cs_rotator r) { r->k = 0; }

void cs_rotator_destroy(cs_rotator r) { free(r); }
