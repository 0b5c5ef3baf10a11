/* Receiver IQ imbalance (Q mixer gain and LO phase error) and DC offset. */
#include <math.h>

#include "cellscan/impairments.h"
#include "cellscan/status.h"

int cs_iq_impairment_apply(const cs_iq_impairment *p, const cs_cf32 *in, cs_cf32 *out, size_t n)
{
    if (!(fabs(p->gain_db) <= 20.0) || !(fabs(p->phase_deg) <= 45.0) || !isfinite(p->dc_i) ||
        !isfinite(p->dc_q))
        return cs_error(CS_EINVAL, "iq imbalance: need |gain_db| <= 20, |phase_deg| <= 45 and "
                                   "finite DC (got %g dB, %g deg)",
                        p->gain_db, p->phase_deg);
    const double g = pow(10.0, p->gain_db / 20.0), phi = p->phase_deg * M_PI / 180.0;
    const float qq = (float)(g * cos(phi)), qi = (float)(-g * sin(phi));
    const float di = (float)p->dc_i, dq = (float)p->dc_q;
    for (size_t k = 0; k < n; k++) {
        const float xi = crealf(in[k]), xq = cimagf(in[k]);
        out[k] = (xi + di) + I * (qq * xq + qi * xi + dq);
    }
    return CS_OK;
}

double cs_iq_image_rejection_db(double gain_db, double phase_deg)
{
    const double g = pow(10.0, gain_db / 20.0), c = cos(phase_deg * M_PI / 180.0);
    const double image = 1.0 - 2.0 * g * c + g * g;
    if (image <= 0.0)
        return INFINITY;
    return 10.0 * log10((1.0 + 2.0 * g * c + g * g) / image);
}
