/* Noise levels for a target SNR or Ec/Io, and the AWGN source. */
#include <math.h>
#include <stdlib.h>

#include "cellscan/impairments.h"
#include "cellscan/rrc_filter.h"
#include "cellscan/status.h"

double cs_noise_power_for_snr(double signal_power, double snr_db, double ref_bw_hz, double fs_hz)
{
    /* noise density N0 = C / (SNR * B); white noise fills the whole sample-rate band */
    return signal_power / (pow(10.0, snr_db / 10.0) * ref_bw_hz) * fs_hz;
}

int cs_umts_noise_power_for_ecio(double total, double cpich, double ecio_db, double fs_hz,
                                 double *noise_power)
{
    *noise_power = 0.0;
    if (!(total > 0.0 && isfinite(total)) || !(cpich > 0.0 && cpich <= total))
        return cs_error(CS_EINVAL,
                        "ecio: need 0 < cpich_power <= total_signal_power (got %g and %g)", cpich,
                        total);
    if (!isfinite(ecio_db) || !(fs_hz > 0.0 && isfinite(fs_hz)))
        return cs_error(CS_EINVAL, "ecio: Ec/Io and sample rate must be finite (rate > 0)");
    const double io = cpich / pow(10.0, ecio_db / 10.0); /* = total + N0 * Rc */
    const double noise_in_chip_band = io - total;
    if (noise_in_chip_band < 0.0)
        return cs_error(CS_EINVAL,
                        "ecio: %.2f dB is above what the cell reaches without noise (%.2f dB: "
                        "CPICH / total signal power)",
                        ecio_db, 10.0 * log10(cpich / total));
    *noise_power = noise_in_chip_band * fs_hz / CS_UMTS_CHIP_RATE_HZ;
    return CS_OK;
}

double cs_umts_ecio_db(double cpich, double total, double noise_power, double fs_hz)
{
    return 10.0 * log10(cpich / (total + noise_power * CS_UMTS_CHIP_RATE_HZ / fs_hz));
}

struct cs_awgn_s {
    cs_rng rng;
    double power;
};

int cs_awgn_create(double noise_power, uint64_t seed, uint64_t stream, cs_awgn *out)
{
    *out = NULL;
    if (!(noise_power >= 0.0 && isfinite(noise_power)))
        return cs_error(CS_EINVAL, "awgn: noise power must be finite and >= 0 (got %g)", noise_power);
    cs_awgn a = calloc(1, sizeof *a);
    if (!a)
        return cs_error(CS_ENOMEM, "awgn: out of memory");
    int rc = cs_rng_create(seed, stream, &a->rng);
    if (rc != CS_OK) {
        free(a);
        return rc;
    }
    a->power = noise_power;
    *out = a;
    return CS_OK;
}

int cs_awgn_set_power(cs_awgn a, double noise_power)
{
    if (!(noise_power >= 0.0 && isfinite(noise_power)))
        return cs_error(CS_EINVAL, "awgn: noise power must be finite and >= 0 (got %g)", noise_power);
    a->power = noise_power;
    return CS_OK;
}

void cs_awgn_execute(cs_awgn a, const cs_cf32 *in, cs_cf32 *out, size_t n)
{
    enum { BLOCK = 1024 };
    cs_cf32 noise[BLOCK];
    for (size_t done = 0; done < n;) {
        const size_t m = n - done < BLOCK ? n - done : BLOCK;
        /* draw even at zero power so the sequence does not depend on the level history */
        cs_rng_fill_cgauss(a->rng, noise, m, a->power);
        for (size_t i = 0; i < m; i++)
            out[done + i] = (in ? in[done + i] : 0.0f) + noise[i];
        done += m;
    }
}

void cs_awgn_reset(cs_awgn a) { cs_rng_reset(a->rng); }

void cs_awgn_destroy(cs_awgn a)
{
    if (!a)
        return;
    cs_rng_destroy(a->rng);
    free(a);
}
