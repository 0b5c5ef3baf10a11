/* Impairments, measured: GSM SNR in 270.833 kHz and UMTS CPICH Ec/Io within 0.2 dB,
 * frequency offset within 1 Hz (phase exact over 10 s), receiver reference error (LO and
 * clock) within 0.05 ppm, IQ image rejection against theory, DC, determinism. */
#include "cellscan/impairments.h"

#include "cellscan/gmsk_modulator.h"
#include "cellscan/pulse_shaper.h"
#include "cellscan/rrc_filter.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "dsp_measure.h"

/* A continuous GSM C0-like carrier of unit power: random bursts in every slot. */
static cs_cf32 *gsm_signal(double fs, int frames, size_t *n_out)
{
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    c.sample_rate_hz = fs;
    cs_gmsk_modulator m = NULL;
    cs_gmsk_modulator_create(&c, &m);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    cs_cf32 *x = malloc(((size_t)frames * 8 + 1) * cap * sizeof *x);
    size_t total = 0, n = 0;
    cs_rng rng = NULL;
    cs_rng_create(31, 0, &rng);
    uint8_t bits[148];
    for (int s = 0; s < frames * 8; s++) {
        cs_rng_fill_bits(rng, bits, 148);
        cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, x + total, cap, &n);
        total += n;
    }
    cs_gmsk_modulator_flush(m, x + total, cap, &n);
    *n_out = total + n;
    cs_rng_destroy(rng);
    cs_gmsk_modulator_destroy(m);
    return x;
}

static void test_gsm_snr(double snr_db)
{
    const double fs = 1e6;
    size_t n = 0;
    cs_cf32 *x = gsm_signal(fs, 433, &n); /* 2 s */
    const double p_sig = mean_power(x, n);
    const double np = cs_noise_power_for_snr(p_sig, snr_db, CS_GSM_SNR_BANDWIDTH_HZ, fs);
    cs_awgn a = NULL;
    CS_CHECK(cs_awgn_create(np, 1234, 5, &a) == CS_OK);
    cs_cf32 *y = malloc(n * sizeof *y), *noise = malloc(n * sizeof *noise);
    cs_awgn_execute(a, x, y, n);
    double complex pseudo = 0.0;
    double pi = 0.0, pq = 0.0;
    for (size_t k = 0; k < n; k++) {
        noise[k] = y[k] - x[k];
        pseudo += (double complex)noise[k] * noise[k];
        pi += crealf(noise[k]) * crealf(noise[k]);
        pq += cimagf(noise[k]) * cimagf(noise[k]);
    }
    const size_t nfft = 4096;
    double *psd = malloc(nfft * sizeof *psd);
    meas_psd(noise, n, nfft, psd);
    const double half = CS_GSM_SNR_BANDWIDTH_HZ / 2;
    const double n_inband = psd_band_power(psd, nfft, fs, -half, half);
    const double n_out = psd_band_power(psd, nfft, fs, 300e3, 480e3) / (180e3 / fs);
    const double measured = db10(p_sig / n_inband);
    /* blind, from the noisy signal alone: noise density outside the GSM spectrum */
    meas_psd(y, n, nfft, psd);
    const double n0 = psd_band_power(psd, nfft, fs, 300e3, 480e3) / (180e3 / fs) / fs;
    const double blind = db10((mean_power(y, n) - n0 * fs) / (n0 * CS_GSM_SNR_BANDWIDTH_HZ));
    printf("GSM SNR %+.1f dB: noise %.4f (asked %.4f), measured in 270.833 kHz %+.3f dB, blind "
           "%+.3f dB; in/out-of-band density %.3f dB, I/Q %.4f, |E n^2|/E|n|^2 %.4f\n",
           snr_db, mean_power(noise, n), np, measured, blind,
           db10(n_inband / (2 * half / fs) / n_out), pi / pq, cabs(pseudo) / (pi + pq));
    CS_CHECK_NEAR(measured, snr_db, 0.2);
    if (snr_db > 0)
        CS_CHECK_NEAR(blind, snr_db, 0.2);
    CS_CHECK_NEAR(mean_power(noise, n) / np, 1.0, 0.01);
    CS_CHECK(fabs(db10(n_inband / (2 * half / fs) / n_out)) < 0.1); /* white */
    CS_CHECK_NEAR(pi / pq, 1.0, 0.01);
    CS_CHECK(cabs(pseudo) / (pi + pq) < 0.01); /* circular */
    cs_awgn_destroy(a);
    free(x);
    free(y);
    free(noise);
    free(psd);
}

/* One UMTS cell: CPICH (known chips, power 0.1) plus other channels (0.9), RRC-shaped at
 * 7.68 MS/s, noise for a target Ec/Io; RSCP by despreading after the matched filter, Io as
 * the power density of the flat part of the spectrum times 3.84 MHz. */
static void test_umts_ecio(double ecio_db)
{
    /* 260 ms: the RSCP estimate's own scatter is about 0.05 dB at -15 dB, 0.07 dB at -18 dB */
    const size_t n = 1000000;
    const double fs = 7.68e6, pc = 0.1, ptot = 1.0;
    cs_rng rng = NULL;
    cs_rng_create(41, 0, &rng);
    cs_cf32 *cp = malloc(n * sizeof *cp), *chips = malloc(n * sizeof *chips);
    const float ac = (float)sqrt(pc / 2), ao = (float)sqrt((ptot - pc) / 2);
    for (size_t i = 0; i < n; i++) {
        const uint64_t v = cs_rng_u64(rng);
        cp[i] = ((v & 1) ? ac : -ac) + I * ((v & 2) ? ac : -ac);
        chips[i] = cp[i] + ((v & 4) ? ao : -ao) + I * ((v & 8) ? ao : -ao);
    }
    cs_pulse_shaper_config c;
    cs_pulse_shaper_config_init(&c);
    cs_pulse_shaper s = NULL;
    cs_pulse_shaper_create(&c, &s);
    const size_t cap = cs_pulse_shaper_max_output(s, n) + cs_pulse_shaper_max_output(s, 0);
    cs_cf32 *y = malloc(cap * sizeof *y);
    size_t ny = 0, m = 0;
    cs_pulse_shaper_push(s, chips, n, y, cap, &ny);
    cs_pulse_shaper_flush(s, y + ny, cap - ny, &m);
    ny += m;
    double np = 0.0;
    CS_CHECK(cs_umts_noise_power_for_ecio(ptot, pc, ecio_db, fs, &np) == CS_OK);
    CS_CHECK_NEAR(cs_umts_ecio_db(pc, ptot, np, fs), ecio_db, 1e-9);
    cs_awgn a = NULL;
    cs_awgn_create(np, 77, 1, &a);
    cs_awgn_execute(a, y, y, ny);

    const size_t nfft = 8192;
    double *psd = malloc(nfft * sizeof *psd);
    meas_psd(y, ny, nfft, psd);
    const double io = psd_band_power(psd, nfft, fs, -1.4e6, 1.4e6) / (2.8e6 / fs) / fs * 3.84e6;

    cs_rrc_filter f = NULL;
    cs_rrc_filter_create(0.22, 2.0, 16, &f);
    const size_t d = cs_rrc_filter_delay(f);
    cs_cf32 *z = malloc(ny * sizeof *z);
    cs_rrc_filter_execute(f, y, z, ny);
    double complex corr = 0.0;
    double ref = 0.0;
    for (size_t i = 100; i + 100 < n; i++) {
        corr += (double complex)z[2 * i + d] * conj((double complex)cp[i]);
        ref += (double)crealf(cp[i]) * crealf(cp[i]) + (double)cimagf(cp[i]) * cimagf(cp[i]);
    }
    const double rscp = pow(cabs(corr / ref), 2) * pc;
    const double rssi_rrc = mean_power(z + 1000, ny - 2000);
    const double measured = db10(rscp / io);
    const double rssi_theory = ptot * (1.0 - 0.22 / 4) + np * 3.84e6 / fs;
    printf("UMTS Ec/Io %.1f dB: noise %.4f, RSCP %.4f, Io %.4f -> measured %.3f dB; RSSI after "
           "RRC %.4f (theory %.4f, %.3f dB)\n",
           ecio_db, np, rscp, io, measured, rssi_rrc, rssi_theory, db10(rssi_rrc / rssi_theory));
    CS_CHECK_NEAR(measured, ecio_db, 0.2);
    CS_CHECK(fabs(db10(rssi_rrc / rssi_theory)) < 0.05);
    cs_rrc_filter_destroy(f);
    cs_awgn_destroy(a);
    cs_pulse_shaper_destroy(s);
    cs_rng_destroy(rng);
    free(cp);
    free(chips);
    free(y);
    free(z);
    free(psd);
}

static void test_noise_level_errors(void)
{
    double np = 1.0;
    /* CPICH is -10 dB of the total: -5 dB Ec/Io is out of reach */
    CS_CHECK(cs_umts_noise_power_for_ecio(1.0, 0.1, -5.0, 7.68e6, &np) == CS_EINVAL && np == 0.0);
    CS_CHECK(strstr(cs_last_error(), "-10.00 dB") != NULL);
    CS_CHECK(cs_umts_noise_power_for_ecio(1.0, 2.0, -15.0, 7.68e6, &np) == CS_EINVAL);
    /* exactly reachable without noise */
    CS_CHECK(cs_umts_noise_power_for_ecio(1.0, 0.1, -10.0, 7.68e6, &np) == CS_OK);
    CS_CHECK(np < 1e-12);
    CS_CHECK_NEAR(cs_noise_power_for_snr(2.0, 10.0, 270833.0, 1e6), 2.0 / 10.0 / 270833.0 * 1e6, 1e-12);
    cs_awgn a = NULL;
    CS_CHECK(cs_awgn_create(-1.0, 1, 1, &a) == CS_EINVAL && !a);
    CS_CHECK(cs_awgn_create(1.0, 1, 1, &a) == CS_OK);
    CS_CHECK(cs_awgn_set_power(a, NAN) == CS_EINVAL);
    cs_awgn_destroy(a);
}

/* Same (seed, stream): identical noise, in any chunking; another seed or stream: different. */
static void test_determinism(void)
{
    const size_t n = 50000;
    cs_cf32 *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    cs_awgn w1 = NULL, w2 = NULL, w3 = NULL, w4 = NULL;
    cs_awgn_create(0.5, 99, 3, &w1);
    cs_awgn_create(0.5, 99, 3, &w2);
    cs_awgn_create(0.5, 100, 3, &w3);
    cs_awgn_create(0.5, 99, 4, &w4);
    cs_awgn_execute(w1, NULL, a, n);
    for (size_t pos = 0, step = 1; pos < n; pos += step, step = step * 5 % 3001 + 1)
        cs_awgn_execute(w2, NULL, b + pos, pos + step > n ? n - pos : step);
    CS_CHECK(memcmp(a, b, n * sizeof *a) == 0);
    cs_awgn_execute(w3, NULL, c, n);
    CS_CHECK(memcmp(a, c, n * sizeof *a) != 0);
    cs_awgn_execute(w4, NULL, c, n);
    CS_CHECK(memcmp(a, c, n * sizeof *a) != 0);
    cs_awgn_reset(w1);
    cs_awgn_execute(w1, NULL, c, n);
    CS_CHECK(memcmp(a, c, n * sizeof *a) == 0);
    cs_awgn_destroy(w1);
    cs_awgn_destroy(w2);
    cs_awgn_destroy(w3);
    cs_awgn_destroy(w4);
    free(a);
    free(b);
    free(c);
}

/* Rotator: frequency within 1 Hz and phase exact (1e-5 rad) after 10 s, streamed. */
static void test_rotator(double f_hz, double fs, double seconds)
{
    cs_rotator r = NULL;
    CS_CHECK(cs_rotator_create(f_hz, fs, 0.7, &r) == CS_OK);
    enum { CHUNK = 7777 };
    cs_cf32 in[CHUNK], out[CHUNK];
    for (int i = 0; i < CHUNK; i++)
        in[i] = 0.6f - 0.8f * I; /* unit magnitude, phase -0.927 */
    const int64_t total = (int64_t)(seconds * fs);
    double worst = 0.0, freq = 0.0;
    for (int64_t k = 0; k < total; k += CHUNK) {
        const size_t m = (size_t)(total - k < CHUNK ? total - k : CHUNK);
        cs_rotator_execute(r, in, out, m);
        if (k == 0)
            freq = meas_tone_freq_hz(out, m, fs);
        for (size_t i = 0; i < m; i += 13) {
            const double cyc = (double)(k + (int64_t)i) * f_hz / fs;
            const double want = 2 * M_PI * (cyc - floor(cyc)) + 0.7 + carg((double complex)in[i]);
            const double e = fabs(remainder(carg((double complex)out[i]) - want, 2 * M_PI));
            worst = fmax(worst, e);
        }
    }
    printf("rotator %+.3f Hz at %.2f MS/s: measured %+.6f Hz, max phase error over %.0f s %.1e rad\n",
           f_hz, fs / 1e6, freq, seconds, worst);
    CS_CHECK_NEAR(freq, f_hz, 1.0);
    CS_CHECK(worst < 1e-5);
    cs_rotator_destroy(r);
}

/* Receiver 2.5 ppm fast at 941 MHz: tones at +-300 kHz give the clock error from their
 * spacing (600 kHz/(1+e)) and the LO error from their shift. */
static void test_reference_error(double ppm)
{
    const double fs = 1e6, fc = 941e6;
    const size_t n = 1000000;
    double f_meas[2];
    const double f_bb[2] = { 300e3, -300e3 };
    for (int t = 0; t < 2; t++) {
        cs_cf32 *x = malloc(n * sizeof *x);
        for (size_t k = 0; k < n; k++) {
            const double a = 2 * M_PI * fmod(f_bb[t] * k / fs, 1.0);
            x[k] = (float)cos(a) + I * (float)sin(a);
        }
        cs_ref_error q = NULL;
        CS_CHECK(cs_ref_error_create(ppm, fc, fs, &q) == CS_OK);
        const size_t cap = cs_ref_error_max_output(q, n) + cs_ref_error_max_output(q, 0);
        cs_cf32 *y = malloc(cap * sizeof *y);
        size_t a = 0, b = 0;
        CS_CHECK(cs_ref_error_execute(q, x, n, y, cap, &a) == CS_OK);
        CS_CHECK(cs_ref_error_flush(q, y + a, cap - a, &b) == CS_OK);
        CS_CHECK(a + b == (size_t)ceil(n * (1 + ppm * 1e-6) - 1e-6));
        f_meas[t] = meas_tone_freq_hz(y + 1000, a + b - 2000, fs);
        cs_ref_error_destroy(q);
        free(x);
        free(y);
    }
    const double g = 600e3 / (f_meas[0] - f_meas[1]) - 1.0;              /* clock */
    const double e = (f_bb[0] - f_meas[0]) / (fc + f_meas[0]);           /* LO, from f = (f_bb - fc e)/(1+e) */
    const double rf_shift = f_meas[0] - f_bb[0];
    printf("reference %+.2f ppm at 941 MHz: tones %+.3f / %+.3f Hz; clock %+.4f ppm, LO %+.4f ppm; "
           "carrier at 941.3 MHz moved %.2f Hz (model %.2f)\n",
           ppm, f_meas[0], f_meas[1], g * 1e6, e * 1e6, rf_shift,
           cs_ref_error_offset_hz(ppm, fc + 300e3));
    CS_CHECK_NEAR(g * 1e6, ppm, 0.05);
    CS_CHECK_NEAR(e * 1e6, ppm, 0.05);
    /* a carrier at RF f appears -f e/(1+e) off */
    CS_CHECK_NEAR(rf_shift, cs_ref_error_offset_hz(ppm, fc + 300e3), 0.1);
}

static void test_iq(double gain_db, double phase_deg)
{
    const double fs = 1e6, f = 100e3;
    const size_t n = 100000; /* whole periods of the tone: its DC is zero */
    cs_cf32 *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (size_t k = 0; k < n; k++) {
        const double a = 2 * M_PI * fmod(f * k / fs, 1.0);
        x[k] = (float)cos(a) + I * (float)sin(a);
    }
    const cs_iq_impairment p = { gain_db, phase_deg, 0.01, -0.02 };
    CS_CHECK(cs_iq_impairment_apply(&p, x, y, n) == CS_OK);
    const double wanted = meas_tone_power(y, n, f, fs), image = meas_tone_power(y, n, -f, fs);
    const double g = pow(10, gain_db / 20), c = cos(phase_deg * M_PI / 180);
    const double theory = db10((1 + 2 * g * c + g * g) / (1 - 2 * g * c + g * g));
    double complex dc = 0.0;
    for (size_t k = 0; k < n; k++)
        dc += y[k];
    dc /= n;
    printf("IQ %.2f dB / %.1f deg: image rejection %.3f dB (theory %.3f, library %.3f), DC %.5f%+.5fj\n",
           gain_db, phase_deg, db10(wanted / image), theory,
           cs_iq_image_rejection_db(gain_db, phase_deg), creal(dc), cimag(dc));
    CS_CHECK_NEAR(db10(wanted / image), theory, 0.05);
    CS_CHECK_NEAR(cs_iq_image_rejection_db(gain_db, phase_deg), theory, 1e-9);
    CS_CHECK_NEAR(creal(dc), 0.01, 1e-5);
    CS_CHECK_NEAR(cimag(dc), -0.02, 1e-5);
    free(x);
    free(y);
}

static void test_iq_errors(void)
{
    cs_cf32 v = 1.0f;
    const cs_iq_impairment bad = { 0.0, 60.0, 0.0, 0.0 };
    CS_CHECK(cs_iq_impairment_apply(&bad, &v, &v, 1) == CS_EINVAL);
    CS_CHECK(isinf(cs_iq_image_rejection_db(0.0, 0.0)));
    /* no imbalance and no DC: unchanged */
    const cs_iq_impairment none = { 0.0, 0.0, 0.0, 0.0 };
    cs_cf32 w = 0.3f - 0.4f * I;
    CS_CHECK(cs_iq_impairment_apply(&none, &w, &v, 1) == CS_OK && v == w);
    cs_rotator r = NULL;
    CS_CHECK(cs_rotator_create(1e3, 0.0, 0.0, &r) == CS_EINVAL && !r);
    cs_ref_error q = NULL;
    CS_CHECK(cs_ref_error_create(5000.0, 941e6, 1e6, &q) == CS_EINVAL && !q);
}

int main(void)
{
    test_gsm_snr(5.0);
    test_gsm_snr(-10.0);
    test_umts_ecio(-15.0);
    test_umts_ecio(-18.0);
    test_noise_level_errors();
    test_determinism();
    test_rotator(1234.5, 1e6, 10.0);
    test_rotator(-37312.25, 7.68e6, 2.0);
    test_reference_error(2.5);
    test_reference_error(-0.8);
    test_iq(0.5, 3.0);
    test_iq(-1.0, -5.0);
    test_iq(0.1, 0.5);
    test_iq_errors();
    return cs_test_done();
}
