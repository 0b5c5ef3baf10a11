/* Channel power: synthetic GMSK carriers, tones and noise at known offsets and powers ->
 * power within 0.5 dB, SNR, occupied flags; GSM/UMTS/bin rasters with and without the
 * recording centre; parameter errors. */
#include <complex.h>

#include "cellscan/channel_power.h"
#include "cellscan/status.h"
#include "cs_test.h"

static uint64_t rng_state = 0x243F6A8885A308D3ull;

static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
}

static void add_noise(cs_cf32 *x, size_t n, double power)
{
    for (size_t i = 0; i < n; i++) {
        double r = sqrt(-log(uniform() + 1e-300) * power), ph = 2 * M_PI * uniform();
        x[i] += (float)(r * cos(ph)) + I * (float)(r * sin(ph));
    }
}

/* A GMSK (BT 0.3, h 0.5) carrier with random bits: power `power`, at offset_hz. */
static void add_gmsk(cs_cf32 *x, size_t n, double fs, double offset_hz, double power)
{
    const double rs = 1625000.0 / 6.0, sps = fs / rs;
    const double sigma = sqrt(log(2.0)) / (2 * M_PI * 0.3) * sps; /* Gaussian, in samples */
    const int half = (int)ceil(3 * sigma);
    double *g = malloc((2 * half + 1) * sizeof *g), gsum = 0;
    for (int k = -half; k <= half; k++) gsum += g[k + half] = exp(-0.5 * k * k / (sigma * sigma));
    size_t nsym = (size_t)(n / sps) + 2;
    double *nrz = malloc(nsym * sizeof *nrz);
    for (size_t s = 0; s < nsym; s++) nrz[s] = uniform() < 0.5 ? -1.0 : 1.0;
    double phase = 2 * M_PI * uniform(), amp = sqrt(power);
    for (size_t i = 0; i < n; i++) {
        double f = 0; /* Gaussian-filtered NRZ at sample i */
        for (int k = -half; k <= half; k++) {
            long j = (long)i - k;
            size_t s = j < 0 ? 0 : (size_t)(j / sps);
            f += g[k + half] * nrz[s < nsym ? s : nsym - 1];
        }
        phase += (M_PI / 2) * f / gsum / sps + 2 * M_PI * offset_hz / fs;
        x[i] += (float)(amp * cos(phase)) + I * (float)(amp * sin(phase));
    }
    free(g);
    free(nrz);
}

static void add_tone(cs_cf32 *x, size_t n, double fs, double offset_hz, double power)
{
    for (size_t i = 0; i < n; i++)
        x[i] += (cs_cf32)(sqrt(power) * cexp(I * 2 * M_PI * offset_hz / fs * (double)i));
}

static double db(double x) { return 10 * log10(x); }

/* GMSK BT 0.3 power in a 200 kHz window on its own channel (-0.18 dB) and on the next
 * channel (-16.9 dB), from the spectrum of a long random-bit signal. */
#define GMSK_IN_CHANNEL 0.959
#define GMSK_NEIGHBOUR 0.0204

static const cs_channel *find_offset(cs_channel_power cp, double offset_hz, size_t *idx)
{
    const cs_channel *ch = cs_channel_power_channels(cp);
    for (size_t i = 0; i < cs_channel_power_num_channels(cp); i++)
        if (fabs(ch[i].offset_hz - offset_hz) < 1.0) {
            *idx = i;
            return &ch[i];
        }
    return NULL;
}

/* 2 Msps around 941 MHz (ARFCN 30): GMSK carriers at ARFCN 27 and 30, a tone at 33,
 * white noise of -60 dBFS per 200 kHz. */
static void check_gsm_measurement(void)
{
    const double fs = 2e6, noise_200k_dbfs = -60;
    const size_t n = (size_t)(0.1 * fs);
    cs_cf32 *x = calloc(n, sizeof *x);
    add_noise(x, n, pow(10, noise_200k_dbfs / 10) * fs / 200e3);
    add_gmsk(x, n, fs, 0, pow(10, -20.0 / 10));        /* ARFCN 30: SNR 40 dB */
    add_gmsk(x, n, fs, -600e3, pow(10, -45.0 / 10));   /* ARFCN 27: SNR 15 dB */
    add_tone(x, n, fs, 600e3, pow(10, -52.0 / 10));    /* ARFCN 33: SNR 8 dB */

    cs_channel_power_params p;
    cs_channel_power_params_init(&p);
    p.sample_rate_hz = fs;
    p.centre_hz = 941e6;
    cs_channel_power cp;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    /* Centres within ±800 kHz (80%), edges within ±900 kHz (90%): ARFCNs 26..34. */
    CS_CHECK(cs_channel_power_num_channels(cp) == 9);
    cs_channel_result r[9];
    CS_CHECK(cs_channel_power_results(cp, r) == CS_ENOTFOUND); /* nothing seen yet */
    CS_CHECK(cs_channel_power_execute(cp, x, n / 3) == CS_OK);
    CS_CHECK(cs_channel_power_execute(cp, x + n / 3, n - n / 3) == CS_OK);
    CS_CHECK(cs_channel_power_results(cp, r) == CS_OK);

    const cs_channel *ch = cs_channel_power_channels(cp);
    for (size_t i = 0; i < 9; i++) {
        CS_CHECK(ch[i].number == 26 + (int)i);
        CS_CHECK(ch[i].band && !strcmp(ch[i].band, "P-GSM900") && ch[i].uplink == 0);
        CS_CHECK_NEAR(ch[i].freq_hz, 935.2e6 + 0.2e6 * (25 + i), 1e-3);
        CS_CHECK_NEAR(ch[i].offset_hz, -800e3 + 200e3 * i, 1e-3);
        CS_CHECK(ch[i].bandwidth_hz == 200e3);
        CS_CHECK_NEAR(r[i].noise_dbfs, noise_200k_dbfs, 0.5);
        printf("ARFCN %d: power %.2f dBFS noise %.2f SNR %.2f occupied %d\n", ch[i].number,
               r[i].power_dbfs, r[i].noise_dbfs, r[i].snr_db, r[i].occupied);
    }
    /* Power in 200 kHz: GMSK_IN_CHANNEL of a GMSK carrier, all of a tone, plus noise. */
    double noise = pow(10, noise_200k_dbfs / 10);
    CS_CHECK_NEAR(r[4].power_dbfs, db(GMSK_IN_CHANNEL * pow(10, -2.0) + noise), 0.5);
    CS_CHECK_NEAR(r[1].power_dbfs, db(GMSK_IN_CHANNEL * pow(10, -4.5) + noise), 0.5);
    CS_CHECK_NEAR(r[7].power_dbfs, db(pow(10, -5.2) + noise), 0.5);
    CS_CHECK_NEAR(r[4].snr_db, 40 + db(GMSK_IN_CHANNEL), 0.5);
    CS_CHECK_NEAR(r[1].snr_db, 15 + db(GMSK_IN_CHANNEL), 0.5);
    CS_CHECK_NEAR(r[7].snr_db, 8, 0.5);
    CS_CHECK(r[1].occupied && r[4].occupied && r[7].occupied);
    /* ARFCNs 26, 28, 32 and 34: noise (and ARFCN 27's skirt, 15 - 17 dB, on 26 and 28).
     * 29 and 31: ARFCN 30's skirt, 40 - 17 = 23 dB. */
    CS_CHECK(!r[0].occupied && !r[2].occupied && !r[6].occupied && !r[8].occupied);
    CS_CHECK(r[0].snr_db < 3 && r[2].snr_db < 3 && r[6].snr_db < 3 && r[8].snr_db < 3);
    CS_CHECK_NEAR(r[3].snr_db, 40 + db(GMSK_NEIGHBOUR), 0.5);
    CS_CHECK_NEAR(r[5].snr_db, 40 + db(GMSK_NEIGHBOUR), 0.5);

    /* The PSD for plots: bins ordered from -fs/2, DC at nfft/2, calibrated per bin. */
    unsigned nfft = cs_channel_power_nfft(cp);
    CS_CHECK(nfft == 512); /* auto: the power of two giving bins of 5 kHz or less */
    CS_CHECK(cs_channel_power_num_segments(cp) == (n - nfft) / (nfft / 2) + 1);
    float *psd = malloc(nfft * sizeof *psd);
    double *off = malloc(nfft * sizeof *off), total = 0;
    CS_CHECK(cs_channel_power_psd(cp, psd, off) == CS_OK);
    CS_CHECK_NEAR(off[0], -fs / 2, 1e-6);
    CS_CHECK_NEAR(off[nfft / 2], 0, 1e-9);
    for (unsigned k = 0; k < nfft; k++) total += pow(10, psd[k] / 10);
    CS_CHECK_NEAR(db(total), db(pow(10, -2.0) + pow(10, -4.5) + pow(10, -5.2) + noise * 10), 0.1);
    CS_CHECK_NEAR(cs_channel_power_noise_density_dbfs_hz(cp), noise_200k_dbfs - db(200e3), 0.5);
    free(psd);
    free(off);

    /* Reset forgets the spectrum, keeps the channels. */
    cs_channel_power_reset(cp);
    CS_CHECK(cs_channel_power_num_segments(cp) == 0);
    CS_CHECK(cs_channel_power_results(cp, r) == CS_ENOTFOUND);
    CS_CHECK(cs_channel_power_num_channels(cp) == 9);
    cs_channel_power_destroy(cp);

    /* Same samples with the centre unknown: no numbers, same offsets and measurements. */
    p.centre_hz = NAN;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(cs_channel_power_num_channels(cp) == 9);
    CS_CHECK(cs_channel_power_execute(cp, x, n) == CS_OK);
    cs_channel_result r2[9];
    CS_CHECK(cs_channel_power_results(cp, r2) == CS_OK);
    ch = cs_channel_power_channels(cp);
    for (size_t i = 0; i < 9; i++) {
        CS_CHECK(ch[i].number == -1 && ch[i].band == NULL && isnan(ch[i].freq_hz));
        CS_CHECK_NEAR(ch[i].offset_hz, -800e3 + 200e3 * i, 1e-3);
        CS_CHECK_NEAR(r2[i].power_dbfs, r[i].power_dbfs, 1e-9);
        CS_CHECK(r2[i].occupied == r[i].occupied);
    }
    cs_channel_power_destroy(cp);
    free(x);
}

/* Most channels occupied: the floor must still come from the gaps. */
static void check_crowded_band(void)
{
    const double fs = 2e6;
    const size_t n = (size_t)(0.05 * fs);
    cs_cf32 *x = calloc(n, sizeof *x);
    add_noise(x, n, pow(10, -6.0)); /* -60 dBFS in 2 MHz: -70 dBFS per 200 kHz */
    /* Offsets -800..800 kHz: 7 of 9 channels carry GMSK. */
    int on[9] = { 1, 1, 1, 0, 1, 1, 1, 0, 1 };
    double snr_db[9] = { 15, 25, 12, 0, 30, 20, 10, 0, 18 };
    for (int i = 0; i < 9; i++)
        if (on[i]) add_gmsk(x, n, fs, -800e3 + 200e3 * i, pow(10, (snr_db[i] - 70) / 10));
    cs_channel_power_params p;
    cs_channel_power_params_init(&p);
    p.sample_rate_hz = fs;
    cs_channel_power cp;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(cs_channel_power_execute(cp, x, n) == CS_OK);
    CS_CHECK(cs_channel_power_num_channels(cp) == 9);
    cs_channel_result r[9];
    CS_CHECK(cs_channel_power_results(cp, r) == CS_OK);
    for (int i = 0; i < 9; i++) {
        /* Own carrier plus the neighbours' skirts, over noise. */
        double lin = 0;
        for (int j = i - 1; j <= i + 1; j++)
            if (j >= 0 && j < 9 && on[j])
                lin += (j == i ? GMSK_IN_CHANNEL : GMSK_NEIGHBOUR) * pow(10, snr_db[j] / 10);
        printf("crowded %d: SNR %.2f (carrier %.0f dB, expected %.2f)\n", i, r[i].snr_db,
               on[i] ? snr_db[i] : -INFINITY, db(lin));
        /* Few bins reach the floor with 7 of 9 channels carrying GMSK: 1 dB. */
        CS_CHECK_NEAR(r[i].noise_dbfs, -70, 1.0);
        if (db(lin) > 3) CS_CHECK_NEAR(r[i].snr_db, db(lin), 1.0);
        CS_CHECK(r[i].occupied == (db(lin) >= 6));
    }
    cs_channel_power_destroy(cp);
    free(x);
}

/* Few averages: the 2nd percentile of an 8-segment PSD sits ~4 dB under the mean of
 * noise-only bins; the Gamma-quantile correction must remove that bias. Mean of 20 runs. */
static void check_noise_bias(void)
{
    const double fs = 2e6;
    const size_t n = 512 + 7 * 256; /* 8 segments of the automatic 512-point FFT */
    cs_cf32 *x = malloc(n * sizeof *x);
    cs_channel_power_params p;
    cs_channel_power_params_init(&p);
    p.sample_rate_hz = fs;
    double err_sum = 0;
    for (int run = 0; run < 20; run++) {
        memset(x, 0, n * sizeof *x);
        add_noise(x, n, 1e-4); /* -40 dBFS in 2 MHz: -50 dBFS per 200 kHz */
        cs_channel_power cp;
        cs_channel_result r[9];
        CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
        CS_CHECK(cs_channel_power_execute(cp, x, n) == CS_OK);
        CS_CHECK(cs_channel_power_num_segments(cp) == 8);
        CS_CHECK(cs_channel_power_results(cp, r) == CS_OK);
        err_sum += r[0].noise_dbfs + 50;
        cs_channel_power_destroy(cp);
    }
    printf("8 segments: mean noise error %.2f dB\n", err_sum / 20);
    CS_CHECK_NEAR(err_sum / 20, 0.0, 0.5);
    free(x);
}

static void check_rasters(void)
{
    cs_channel_power_params p;
    cs_channel_power cp;
    const cs_channel *ch;
    /* GSM grid is absolute: centre 941.1 MHz puts channels at ±100 kHz offsets. */
    cs_channel_power_params_init(&p);
    p.sample_rate_hz = 2e6;
    p.centre_hz = 941.1e6;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(cs_channel_power_num_channels(cp) == 8);
    ch = cs_channel_power_channels(cp);
    CS_CHECK(ch[0].number == 27 && ch[7].number == 34 && ch[0].offset_hz == -700e3);
    cs_channel_power_destroy(cp);
    /* Uplink: 896 MHz is P-GSM900 uplink ARFCN 30. */
    p.centre_hz = 896e6;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    size_t i;
    ch = find_offset(cp, 0, &i);
    CS_CHECK(ch && ch->number == 30 && ch->uplink == 1 && !strcmp(ch->band, "P-GSM900"));
    cs_channel_power_destroy(cp);
    /* DCS/PCS: 1960 MHz is PCS1900 downlink ARFCN 661 by frequency alone. */
    p.centre_hz = 1960e6;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    ch = find_offset(cp, 0, &i);
    CS_CHECK(ch && ch->number == 661 && ch->uplink == 0 && !strcmp(ch->band, "PCS1900"));
    cs_channel_power_destroy(cp);
    /* A band restricts numbering: 941 MHz is no DCS channel. */
    p.centre_hz = 941e6;
    p.band = "dcs";
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(find_offset(cp, 0, &i) && find_offset(cp, 0, &i)->number == -1);
    cs_channel_power_destroy(cp);
    p.band = "E-GSM900";
    p.centre_hz = 935.2e6; /* ARFCN 1; 0 and 1023 below it are E-GSM only */
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    ch = find_offset(cp, -400e3, &i);
    CS_CHECK(ch && ch->number == 1023 && !strcmp(ch->band, "E-GSM900"));
    cs_channel_power_destroy(cp);

    /* UMTS: 20 Msps at 2140.04 MHz: every band I UARFCN (200 kHz raster) whose centre is
     * within 80% and whose 3.84 MHz stays within 90%: 2132.96 .. 2147.12 MHz. */
    cs_channel_power_params_init(&p);
    p.raster = CS_RASTER_UMTS;
    p.sample_rate_hz = 20e6;
    p.centre_hz = 2140.04e6;
    p.band = "UMTS-I"; /* without it band IV's additional channels (100 kHz off) join in */
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(cs_channel_power_num_channels(cp) == 71);
    ch = cs_channel_power_channels(cp);
    CS_CHECK(ch[0].number == 10665 && ch[70].number == 10735);
    ch = find_offset(cp, -40e3, &i);
    CS_CHECK(ch && ch->number == 10700 && ch->bandwidth_hz == 3.84e6 && !strcmp(ch->band, "UMTS-I"));
    cs_channel_power_destroy(cp);
    /* Band II: the additional channel 412 (1932.5 MHz) sits between the 200 kHz channels;
     * nothing below 9662 (1932.4 MHz), the band's lowest. */
    p.centre_hz = 1932.5e6;
    p.band = "UMTS-II";
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    ch = cs_channel_power_channels(cp);
    CS_CHECK(ch[0].number == 9662 && ch[0].offset_hz < 0);
    ch = find_offset(cp, 0, &i);
    CS_CHECK(ch && ch->number == 412);
    ch = find_offset(cp, 5e6, &i);
    CS_CHECK(ch && ch->number == 437);
    cs_channel_power_destroy(cp);

    /* Bins: 100 kHz bins centred on the centre, centres within ±800 kHz. */
    cs_channel_power_params_init(&p);
    p.raster = CS_RASTER_BINS;
    p.bin_hz = 100e3;
    p.sample_rate_hz = 2e6;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(cs_channel_power_num_channels(cp) == 17);
    ch = cs_channel_power_channels(cp);
    CS_CHECK(ch[0].offset_hz == -800e3 && ch[16].offset_hz == 800e3 && ch[8].number == -1);
    cs_channel_power_destroy(cp);
}

/* A strong 2.5 MHz wide signal (a cluster of GSM carriers, say) fills a 3.84 MHz window well
 * above the noise but is not shaped like a UMTS carrier: nothing occupied on that raster. */
static void check_umts_rejects_narrow(void)
{
    const double fs = 7.68e6;
    const size_t n = 64 * 1024;
    cs_cf32 *x = calloc(n, sizeof *x);
    for (unsigned k = 0; k < 1024; k++) {
        double f = ((double)k - 512) * fs / 1024;
        if (fabs(f) >= 1.25e6) continue;
        double complex z = 0.01 * cexp(I * 2 * M_PI * uniform()), rot = cexp(I * 2 * M_PI * f / fs);
        for (size_t t = 0; t < n; t++) {
            x[t] += (cs_cf32)z;
            z *= rot;
        }
    }
    add_noise(x, n, pow(10, -5.0));
    cs_channel_power_params p;
    cs_channel_power_params_init(&p);
    p.raster = CS_RASTER_UMTS;
    p.sample_rate_hz = fs;
    cs_channel_power cp;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    CS_CHECK(cs_channel_power_execute(cp, x, n) == CS_OK);
    cs_channel_result res[15];
    size_t nch = cs_channel_power_num_channels(cp), occupied = 0;
    CS_CHECK(nch == 15 && cs_channel_power_results(cp, res) == CS_OK);
    for (size_t k = 0; k < nch && k < 15; k++) {
        occupied += res[k].occupied;
        CS_CHECK(res[k].snr_db > 20); /* strong: only the shape rules it out */
    }
    CS_CHECK(occupied == 0);
    cs_channel_power_destroy(cp);
    free(x);
}

/* UMTS-like carrier (flat 3.84 MHz noise) at 7.68 Msps with the centre unknown. */
static void check_umts_measurement(void)
{
    const double fs = 7.68e6;
    const unsigned nfft = 1024;
    const size_t n = 64 * nfft;
    cs_cf32 *x = calloc(n, sizeof *x);
    /* Band-limited carrier: equal tones every fs/1024 = 7.5 kHz inside ±1.92 MHz with random
     * phases (a flat 3.84 MHz spectrum), each a continuous phasor over the whole signal. */
    double carrier = 0;
    for (unsigned k = 0; k < nfft; k++) {
        double f = ((double)k - nfft / 2) * fs / nfft;
        if (fabs(f) >= 1.92e6 - 1) continue;
        double complex z = 0.01 * cexp(I * 2 * M_PI * uniform()), rot = cexp(I * 2 * M_PI * f / fs);
        for (size_t t = 0; t < n; t++) {
            x[t] += (cs_cf32)z;
            z *= rot;
        }
    }
    for (size_t t = 0; t < n; t++) carrier += crealf(x[t] * conjf(x[t]));
    carrier /= (double)n;
    add_noise(x, n, pow(10, -5.0)); /* -50 dBFS in 7.68 MHz */
    cs_channel_power_params p;
    cs_channel_power_params_init(&p);
    p.raster = CS_RASTER_UMTS;
    p.sample_rate_hz = fs;
    cs_channel_power cp;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_OK);
    /* Centre unknown: 200 kHz offsets within +-1.536 MHz, the carrier found at 0 only. */
    CS_CHECK(cs_channel_power_num_channels(cp) == 15);
    CS_CHECK(cs_channel_power_execute(cp, x, n) == CS_OK);
    cs_channel_result res[15], r;
    CS_CHECK(cs_channel_power_results(cp, res) == CS_OK);
    size_t centre = 0, n_occupied = 0;
    find_offset(cp, 0, &centre);
    for (size_t k = 0; k < 15; k++) n_occupied += res[k].occupied;
    CS_CHECK(n_occupied == 1);
    r = res[centre];
    double noise = pow(10, -5.0) * 3.84e6 / fs;
    printf("UMTS: power %.2f noise %.2f SNR %.2f (carrier %.2f dBFS)\n", r.power_dbfs,
           r.noise_dbfs, r.snr_db, db(carrier));
    CS_CHECK_NEAR(r.power_dbfs, db(carrier + noise), 0.5);
    CS_CHECK_NEAR(r.noise_dbfs, db(noise), 0.5);
    CS_CHECK_NEAR(r.snr_db, db(carrier / noise), 0.5);
    CS_CHECK(r.occupied);
    cs_channel_power_destroy(cp);
    free(x);
}

static void check_errors(void)
{
    cs_channel_power_params p;
    cs_channel_power cp = NULL;
    cs_channel_power_params_init(&p);
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL && cp == NULL); /* no rate */
    p.sample_rate_hz = 4e6;
    p.band = "GSM123";
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_ENOTFOUND);
    CS_CHECK(strstr(cs_last_error(), "GSM123") != NULL);
    p.band = "UMTS-I"; /* wrong standard for the GSM raster */
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_ENOTFOUND);
    p.band = NULL;
    p.nfft = 16; /* 250 kHz bins */
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "too coarse") != NULL);
    p.nfft = 1000;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL);
    p.nfft = 0;
    p.sample_rate_hz = 200e3; /* usable 160 kHz: no GSM channel fits */
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_ENOTFOUND);
    p.sample_rate_hz = 4e6;
    p.centre_hz = INFINITY;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL);
    p.centre_hz = NAN;
    p.raster = CS_RASTER_BINS;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL); /* no bin width */
    p.bin_hz = 50e3;
    p.band = "DCS1800";
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL);
    p.band = NULL;
    p.threshold_db = -INFINITY;
    CS_CHECK(cs_channel_power_create(&p, &cp) == CS_EINVAL);
    cs_channel_power_destroy(NULL);
}

int main(void)
{
    check_gsm_measurement();
    check_crowded_band();
    check_noise_bias();
    check_rasters();
    check_umts_measurement();
    check_umts_rejects_narrow();
    check_errors();
    return cs_test_done();
}
