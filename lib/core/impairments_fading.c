/* Rayleigh/Rice fading by a sum of sinusoids (Zheng and Xiao 2003): with random arrival
 * angles alpha_n = (2 pi n - pi + theta) / (4 M) and phases, the I and Q parts are sums of
 * M cosines at f_d cos(alpha_n) and f_d sin(alpha_n); their statistics approach Clarke's
 * model (Rayleigh envelope, J0 autocorrelation, U-shaped spectrum within +-f_d). */
#include <math.h>
#include <stdlib.h>

#include "cellscan/impairments.h"
#include "cellscan/status.h"

#define N_SIN 20

struct cs_fading_s {
    cs_fading_kind kind;
    double diffuse_amp, los_amp, los_freq_hz, los_phase;
    double f_i[N_SIN], f_q[N_SIN];   /* Hz */
    double ph_i[N_SIN], ph_q[N_SIN]; /* rad */
};

static double uniform_phase(cs_rng rng) { return M_PI * (2.0 * cs_rng_uniform(rng) - 1.0); }

int cs_fading_create(cs_fading_kind kind, double fd, double rice_k_db, double los_ratio,
                     cs_rng rng, cs_fading *out)
{
    *out = NULL;
    if (kind != CS_FADING_STATIC && kind != CS_FADING_RAYLEIGH && kind != CS_FADING_RICE)
        return cs_error(CS_EINVAL, "fading: unknown kind %d", (int)kind);
    if (!(fd >= 0.0 && fd <= 5000.0))
        return cs_error(CS_EINVAL, "fading: Doppler must be 0..5000 Hz (got %g)", fd);
    if (kind == CS_FADING_RICE && (!(fabs(rice_k_db) <= 40.0) || !(fabs(los_ratio) <= 1.0)))
        return cs_error(CS_EINVAL, "fading: Rice K must be -40..40 dB and the direct path's "
                                   "Doppler ratio -1..1 (got %g dB, %g)",
                        rice_k_db, los_ratio);
    if (kind != CS_FADING_STATIC && !rng)
        return cs_error(CS_EINVAL, "fading: a random generator is needed");
    cs_fading f = calloc(1, sizeof *f);
    if (!f)
        return cs_error(CS_ENOMEM, "fading: out of memory");
    f->kind = kind;
    if (kind != CS_FADING_STATIC) {
        const double theta = uniform_phase(rng);
        for (int n = 0; n < N_SIN; n++) {
            const double a = (2.0 * M_PI * (n + 1) - M_PI + theta) / (4.0 * N_SIN);
            f->f_i[n] = fd * cos(a);
            f->f_q[n] = fd * sin(a);
            f->ph_i[n] = uniform_phase(rng);
            f->ph_q[n] = uniform_phase(rng);
        }
        const double k = kind == CS_FADING_RICE ? pow(10.0, rice_k_db / 10.0) : 0.0;
        /* each cosine has mean power 1/2: sum of 2M of them over M has power 1 */
        f->diffuse_amp = sqrt(1.0 / (k + 1.0)) / sqrt((double)N_SIN);
        f->los_amp = sqrt(k / (k + 1.0));
        f->los_freq_hz = los_ratio * fd;
        f->los_phase = kind == CS_FADING_RICE ? uniform_phase(rng) : 0.0;
    }
    *out = f;
    return CS_OK;
}

cs_cf32 cs_fading_gain(cs_fading f, double t)
{
    if (f->kind == CS_FADING_STATIC)
        return 1.0f;
    double re = 0.0, im = 0.0;
    for (int n = 0; n < N_SIN; n++) {
        re += cos(2.0 * M_PI * f->f_i[n] * t + f->ph_i[n]);
        im += cos(2.0 * M_PI * f->f_q[n] * t + f->ph_q[n]);
    }
    re *= f->diffuse_amp;
    im *= f->diffuse_amp;
    if (f->los_amp > 0.0) {
        const double p = 2.0 * M_PI * f->los_freq_hz * t + f->los_phase;
        re += f->los_amp * cos(p);
        im += f->los_amp * sin(p);
    }
    return (float)re + I * (float)im;
}

void cs_fading_destroy(cs_fading f) { free(f); }
