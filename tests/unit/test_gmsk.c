/* GSM GMSK modulator against an independent phase-trajectory reference: FCCH tone, constant
 * envelope, phase steps and bit recovery at the symbol instants, spectrum, exact frame
 * timing at many rates over 10 s, power ramps, bad arguments. */
#include "cellscan/gmsk_modulator.h"

#include "cellscan/rng.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "dsp_measure.h"

#define RS (1625000.0 / 6.0)

/* ---- independent reference: q(x) by Simpson integration of the frequency pulse ---------- */
#define REF_HALF 5
#define REF_PER_SYM 4096
static double ref_tab[2 * REF_HALF * REF_PER_SYM + 1];

static double ref_g(double x)
{
    const double s = sqrt(log(2.0)) / (2.0 * M_PI * 0.3); /* TS 45.004: BT = 0.3 */
    return 0.5 * (erf((x + 0.5) / (s * M_SQRT2)) - erf((x - 0.5) / (s * M_SQRT2)));
}

static void ref_init(void)
{
    const double h = 1.0 / REF_PER_SYM;
    ref_tab[0] = 0.0;
    for (int i = 1; i <= 2 * REF_HALF * REF_PER_SYM; i++) {
        const double a = -REF_HALF + (i - 1) * h, b = a + h;
        ref_tab[i] = ref_tab[i - 1] + h / 6.0 * (ref_g(a) + 4.0 * ref_g(0.5 * (a + b)) + ref_g(b));
    }
}

static double ref_q(double x)
{
    if (x <= -REF_HALF)
        return 0.0;
    if (x >= REF_HALF)
        return 1.0;
    const double pos = (x + REF_HALF) * REF_PER_SYM;
    const int i = (int)pos;
    return ref_tab[i] + (pos - i) * (ref_tab[i + 1] - ref_tab[i]);
}

/* The whole transmitted symbol stream as the test sees it: differential encoding of the
 * burst bits and the dummy guard bits (d = 1), alpha = 1 - 2 (b_n XOR b_(n-1)). */
typedef struct ref_stream {
    int8_t *alpha;
    int64_t *cum; /* cum[n] = sum of alpha[0..n-1] */
    int64_t n, cap;
    uint8_t last;
} ref_stream;

static void ref_push(ref_stream *r, const uint8_t *bits, size_t n_bits, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        const uint8_t b = i < n_bits ? bits[i] : 1;
        if (r->n + 1 >= r->cap) {
            r->cap = r->cap ? 2 * r->cap : 4096;
            r->alpha = realloc(r->alpha, (size_t)r->cap);
            r->cum = realloc(r->cum, (size_t)(r->cap + 1) * sizeof *r->cum);
            if (r->n == 0)
                r->cum[0] = 0;
        }
        r->alpha[r->n] = (int8_t)(1 - 2 * (b ^ r->last));
        r->cum[r->n + 1] = r->cum[r->n] + r->alpha[r->n];
        r->last = b;
        r->n++;
    }
}

/* Reference phase at symbol time u: (pi/2)[sum_{n>=0} alpha_n q(u - n - 1/2)
 *                                        - sum_{n<0} (1 - q(u - n - 1/2))]. */
static double ref_phase(const ref_stream *r, double u)
{
    const int64_t lo = (int64_t)floor(u - REF_HALF - 0.5) + 1;
    const int64_t hi = (int64_t)ceil(u + REF_HALF - 0.5) - 1;
    double acc = lo <= 0 ? (double)lo : (double)r->cum[lo];
    for (int64_t n = lo; n <= hi; n++)
        acc += (n < 0 ? 1 : r->alpha[n]) * ref_q(u - (double)n - 0.5);
    return 0.5 * M_PI * acc;
}

static double wrap(double a) { return a - 2.0 * M_PI * floor((a + M_PI) / (2.0 * M_PI)); }

static cs_gmsk_modulator make(double fs, double foff, double phase, double delay)
{
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    c.sample_rate_hz = fs;
    c.freq_offset_hz = foff;
    c.phase_rad = phase;
    c.delay_s = delay;
    cs_gmsk_modulator m = NULL;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_OK);
    return m;
}

/* ---- timing and phase trajectory at several rates ---------------------------------------- */
typedef struct rate_case {
    int64_t num, den; /* sample rate = num/den Hz */
    int frames;
    double foff, phase, delay_s;
} rate_case;

static void run_rate(const rate_case *rc, cs_rng rng)
{
    const double fs = (double)rc->num / (double)rc->den;
    cs_gmsk_modulator m = make(fs, rc->foff, rc->phase, rc->delay_s);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    cs_cf32 *buf = malloc(cap * sizeof *buf);
    ref_stream ref = { 0 };
    ref.last = 1;
    const double r = RS / fs, dsym = rc->delay_s * RS;
    int64_t k = 0;
    double max_err = 0.0, max_env_err = 0.0;
    uint8_t bits[148];
    for (int f = 0; f < rc->frames; f++) {
        for (int ts = 0; ts <= 8; ts++) {
            size_t n = 0;
            if (ts < 8) {
                cs_rng_fill_bits(rng, bits, 148);
                if (ts == 0 && f % 10 == 0)
                    memset(bits, 0, sizeof bits); /* an FCCH now and then */
                CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, cap, &n) == CS_OK);
                ref_push(&ref, bits, 148, ts % 4 == 0 ? 157 : 156);
            } else if (f == rc->frames - 1) {
                ref_push(&ref, NULL, 0, 16); /* after the end: dummy bits complete the pulses */
                CS_CHECK(cs_gmsk_modulator_flush(m, buf, cap, &n) == CS_OK);
            }
            for (size_t i = 0; i < n; i++, k++) {
                const double u = (double)k * r - dsym;
                const double cyc = (double)k * rc->foff / fs;
                const double want = ref_phase(&ref, u) + 2.0 * M_PI * (cyc - floor(cyc)) + rc->phase;
                const double err = fabs(wrap(carg((double complex)buf[i]) - want));
                max_err = err > max_err ? err : max_err;
                const double env = fabs(cabsf(buf[i]) - 1.0);
                max_env_err = env > max_env_err ? env : max_env_err;
            }
        }
    }
    /* samples at t < delay + S/Rs: k*r - dsym < S */
    const int64_t s_total = (int64_t)rc->frames * CS_GSM_FRAME_SYMBOLS;
    int64_t expect;
    if (rc->delay_s == 0.0) /* exact rational: ceil(S * 6 num / (1625000 den)) */
        expect = (s_total * 6 * rc->num + 1625000 * rc->den - 1) / (1625000 * rc->den);
    else
        expect = (int64_t)ceill(((long double)s_total + dsym) / (long double)r);
    printf("rate %.6f Hz, %d frames (%.4f s): %lld samples (expected %lld), max phase error "
           "%.2e rad, max |envelope-1| %.2e\n",
           fs, rc->frames, rc->frames * 1250.0 / RS, (long long)k, (long long)expect, max_err,
           max_env_err);
    CS_CHECK(k == expect);
    CS_CHECK(max_err < 1e-6); /* float output: ~6e-8 */
    CS_CHECK(max_env_err < 1e-5);
    cs_gmsk_modulator_destroy(m);
    free(buf);
    free(ref.alpha);
    free(ref.cum);
}

static void test_rates_and_timing(void)
{
    cs_rng rng = NULL;
    cs_rng_create(2024, 1, &rng);
    const rate_case cases[] = {
        { 1000000, 1, 2167, 0.0, 0.0, 0.0 },          /* 10.0015 s */
        { 13000000, 12, 2167, 0.0, 0.0, 0.0 },        /* 4 samples per symbol, 10 s */
        { 1234500, 1, 433, -12345.6, 0.3, 3.7e-6 },   /* odd rate, offset, delay, 2 s */
        { 500000, 1, 217, 100e3, 0.0, 0.0 },
        { 2000000, 1, 217, 0.0, -1.0, -0.5e-3 },      /* negative delay: starts mid-stream */
        { 4000000, 1, 217, 0.0, 0.0, 0.0 },
        { 13000000, 12, 1, 0.0, 0.0, 0.0 },           /* one frame = 5000 samples = 60/13 ms */
        { 1000000, 1, 1, 0.0, 0.0, 0.0 },             /* one frame: 4616 samples at t < 4.615 ms */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_rate(&cases[i], rng);
    cs_rng_destroy(rng);
}

/* ---- FCCH tone --------------------------------------------------------------------------- */
static void test_fcch_tone(double fs, double foff)
{
    cs_gmsk_modulator m = make(fs, foff, 0.0, 0.0);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    cs_cf32 *all = malloc(8 * cap * sizeof *all);
    size_t total = 0, n = 0;
    uint8_t zeros[148] = { 0 }, bits[148];
    cs_rng rng = NULL;
    cs_rng_create(1, 2, &rng);
    for (int ts = 0; ts < 4; ts++) {
        cs_rng_fill_bits(rng, bits, 148);
        CS_CHECK(cs_gmsk_modulator_push_slot(m, ts == 1 ? zeros : bits, 148, 1.0, all + total, cap,
                                             &n) == CS_OK);
        total += n;
    }
    /* FCCH in slot 1 (starts at symbol 157): use its symbols 10..138 */
    const double r = RS / fs;
    const size_t k0 = (size_t)ceil((157 + 10) / r), k1 = (size_t)floor((157 + 138) / r);
    CS_CHECK(k1 < total);
    const double f = meas_tone_freq_hz(all + k0, k1 - k0, fs);
    printf("FCCH at %.0f Hz, offset %.1f Hz: tone %.6f Hz (expected %.6f)\n", fs, foff, f,
           RS / 4 + foff);
    CS_CHECK_NEAR(f, RS / 4.0 + foff, 1.0);
    cs_rng_destroy(rng);
    cs_gmsk_modulator_destroy(m);
    free(all);
}

/* ---- phase steps at the symbol instants; differential decoding gives the bits back ------- */
static void test_symbol_instants(void)
{
    const double fs = 13e6 / 12; /* 4 samples per symbol: t = n/Rs is sample 4n */
    cs_gmsk_modulator m = make(fs, 0.0, 0.0, 0.0);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    const int slots = 64;
    cs_cf32 *all = malloc((size_t)(slots + 1) * cap * sizeof *all);
    uint8_t *sent = malloc((size_t)slots * 157);
    size_t total = 0, n = 0, n_sym = 0;
    cs_rng rng = NULL;
    cs_rng_create(77, 0, &rng);
    for (int s = 0; s < slots; s++) {
        const unsigned len = s % 4 == 0 ? 157 : 156;
        cs_rng_fill_bits(rng, sent + n_sym, 148);
        if (s % 5 == 3)
            memset(sent + n_sym + 20, 1, 30); /* long runs of equal symbols too */
        CS_CHECK(cs_gmsk_modulator_push_slot(m, sent + n_sym, 148, 1.0, all + total, cap, &n) == CS_OK);
        memset(sent + n_sym + 148, 1, len - 148); /* guard: dummy bits */
        total += n;
        n_sym += len;
    }
    CS_CHECK(cs_gmsk_modulator_flush(m, all + total, cap, &n) == CS_OK);
    total += n;
    /* ISI bound: weights of a symbol's pulse over its own and its neighbours' periods */
    double w[5];
    for (int i = 0; i < 5; i++)
        w[i] = cs_gmsk_phase_pulse(i + 0.5) - cs_gmsk_phase_pulse(i - 0.5);
    const double min_step = 0.5 * M_PI * (w[0] - 2 * (w[1] + w[2] + w[3] + w[4]));
    int bit_errors = 0, bound_violations = 0, run_checks = 0, run_errors = 0;
    uint8_t prev = 1;
    for (size_t s = 0; s + 1 < n_sym; s++) {
        const double step = carg((double complex)all[4 * (s + 1)] * conj((double complex)all[4 * s]));
        const uint8_t b = (uint8_t)((step < 0) ^ prev);
        bit_errors += b != sent[s];
        prev = sent[s];
        const double mag = fabs(step);
        bound_violations += mag < min_step - 1e-6 || mag > 0.5 * M_PI + 1e-6;
        /* 9 equal modulating symbols centred on s: the step is exactly +-pi/2 */
        if (s >= 5 && s + 5 < n_sym) {
            int equal = 1;
            for (size_t j = s - 4; j <= s + 4; j++)
                equal &= (sent[j] ^ sent[j - 1]) == (sent[s] ^ sent[s - 1]);
            if (equal) {
                run_checks++;
                run_errors += fabs(mag - 0.5 * M_PI) > 1e-5;
            }
        }
    }
    printf("symbol instants: %zu symbols, %d bit errors after differential decoding, steps in "
           "[%.4f, %.4f] rad: %d outside, %d runs at exactly pi/2 (%d off)\n",
           n_sym, bit_errors, min_step, 0.5 * M_PI, bound_violations, run_checks, run_errors);
    CS_CHECK(bit_errors == 0);
    CS_CHECK(bound_violations == 0);
    CS_CHECK(run_checks > 100 && run_errors == 0);
    CS_CHECK(min_step > 0.25 * 0.5 * M_PI); /* worst-case ISI still leaves the sign (eye open) */
    cs_rng_destroy(rng);
    cs_gmsk_modulator_destroy(m);
    free(all);
    free(sent);
}

/* ---- spectrum: occupied bandwidth and the TS 45.005 §4.2.1 modulation mask ---------------- */
static void test_spectrum(void)
{
    const double fs = 2e6;
    cs_gmsk_modulator m = make(fs, 0.0, 0.0, 0.0);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    const int frames = 108; /* 0.5 s */
    cs_cf32 *all = malloc((size_t)(frames * 8 + 1) * cap * sizeof *all);
    size_t total = 0, n = 0;
    uint8_t bits[148];
    cs_rng rng = NULL;
    cs_rng_create(3, 3, &rng);
    for (int s = 0; s < frames * 8; s++) {
        cs_rng_fill_bits(rng, bits, 148);
        cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, all + total, cap, &n);
        total += n;
    }
    const size_t nfft = 4096;
    double *psd = malloc(nfft * sizeof *psd);
    meas_psd(all, total, nfft, psd);
    const double ref = psd_band_power(psd, nfft, fs, -15e3, 15e3);
    const double p200 = db10(psd_band_power(psd, nfft, fs, 185e3, 215e3) / ref);
    const double m200 = db10(psd_band_power(psd, nfft, fs, -215e3, -185e3) / ref);
    const double p250 = db10(psd_band_power(psd, nfft, fs, 235e3, 265e3) / ref);
    const double p400 = db10(psd_band_power(psd, nfft, fs, 385e3, 415e3) / ref);
    const double m400 = db10(psd_band_power(psd, nfft, fs, -415e3, -385e3) / ref);
    /* 99% occupied bandwidth: smallest symmetric band holding 99% of the power */
    const double tot = psd_band_power(psd, nfft, fs, -fs, fs);
    double bw99 = 0.0;
    for (double b = 1e3; b < fs / 2; b += 500.0)
        if (psd_band_power(psd, nfft, fs, -b, b) >= 0.99 * tot) {
            bw99 = 2 * b;
            break;
        }
    printf("spectrum (30 kHz bands re. centre): 200 kHz %.1f/%.1f dB, 250 kHz %.1f dB, 400 kHz "
           "%.1f/%.1f dB; 99%% bandwidth %.1f kHz\n",
           p200, m200, p250, p400, m400, bw99 / 1e3);
    CS_CHECK(p200 < -30.0 && m200 < -30.0); /* mask: -30 dB at 200 kHz */
    CS_CHECK(p250 < -33.0);                 /* -33 dB at 250 kHz */
    CS_CHECK(p400 < -60.0 && m400 < -60.0); /* -60 dB at 400 kHz */
    CS_CHECK_NEAR(p200, -37.8, 1.5);        /* ideal GMSK BT 0.3 (numerical reference) */
    CS_CHECK_NEAR(p200, m200, 0.5);         /* symmetric */
    CS_CHECK(bw99 > 235e3 && bw99 < 255e3); /* 0.9 Rs for BT 0.3 */
    cs_rng_destroy(rng);
    cs_gmsk_modulator_destroy(m);
    free(all);
    free(psd);
}

/* ---- power ramps between slots of different amplitude ------------------------------------ */
static void test_ramps(void)
{
    const double fs = 13e6 / 12; /* 4 samples per symbol: sample 4u is symbol time u */
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    c.sample_rate_hz = fs;
    c.ramp_symbols = 3.0;
    cs_gmsk_modulator m = NULL;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_OK);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    cs_cf32 *all = malloc(10 * cap * sizeof *all);
    size_t total = 0, n = 0;
    uint8_t bits[148];
    memset(bits, 0, sizeof bits);
    for (int i = 0; i < 148; i += 3)
        bits[i] = 1;
    /* slot: 0 on 1.0 | 1 idle off | 2 on 0.5 | 3 on 0.5 | 4 access burst 1.0 | 5 off */
    const struct { const uint8_t *b; size_t n; double a; } plan[] = {
        { bits, 148, 1.0 }, { NULL, 0, 0.0 }, { bits, 148, 0.5 },
        { bits, 148, 0.5 }, { bits, 88, 1.0 }, { NULL, 0, 0.0 },
    };
    for (int s = 0; s < 6; s++) {
        CS_CHECK(cs_gmsk_modulator_push_slot(m, plan[s].b, plan[s].n, plan[s].a, all + total, cap, &n) == CS_OK);
        total += n;
    }
    CS_CHECK(cs_gmsk_modulator_flush(m, all + total, cap, &n) == CS_OK);
    total += n;
    const int start[7] = { 0, 157, 313, 469, 625, 782, 938 };
    CS_CHECK(total == 4 * 938);
#define ENV(u) ((double)cabsf(all[(size_t)lround(4 * (u))]))
    double e_on0 = 0, e_off = 0, e_half = 0, e_gap = 0;
    for (double u = 0; u < 148; u += 0.25)
        e_on0 = fmax(e_on0, fabs(ENV(u) - 1.0));
    for (double u = 151; u < start[2] - 3; u += 0.25)
        e_off = fmax(e_off, ENV(u));
    for (double u = start[2]; u < start[3] + 148; u += 0.25) /* 2 and 3: no ramp between */
        e_half = fmax(e_half, fabs(ENV(u) - 0.5));
    for (double u = start[4] + 91; u < start[6]; u += 0.25)
        e_gap = fmax(e_gap, ENV(u));
    int monotone = 1;
    for (double u = start[2] - 3; u < start[2]; u += 0.25)
        monotone &= ENV(u + 0.25) >= ENV(u) - 1e-6;
    printf("ramps: |env-1| on %.1e, off %.1e, |env-0.5| %.1e, after access burst %.1e; "
           "mid-ramp %.3f (0.5 expected), dip between 0.5 and 1.0 bursts %.3f\n",
           e_on0, e_off, e_half, e_gap, ENV(148 + 1.5), ENV(start[3] + 148 + 4));
    CS_CHECK(e_on0 < 1e-5 && e_off < 1e-6 && e_half < 1e-5 && e_gap < 1e-6 && monotone);
    CS_CHECK_NEAR(ENV(148 + 1.5), 0.5, 1e-4);             /* raised cosine halfway down */
    CS_CHECK_NEAR(ENV(start[2] - 1.5), 0.25, 1e-4);       /* halfway up to 0.5 */
    CS_CHECK(ENV(start[3] + 148 + 4) < 1e-6);             /* down from 0.5, then up to 1.0 */
    CS_CHECK_NEAR(ENV(start[4] + 87.75), 1.0, 1e-5);      /* access burst: 88 bits at full power */
    CS_CHECK_NEAR(ENV(start[4] + 88 + 1.5), 0.5, 1e-4);
#undef ENV
    unsigned tn = 9;
    double t0 = -1;
    cs_gmsk_modulator_position(m, &tn, &t0);
    CS_CHECK(tn == 6);
    CS_CHECK_NEAR(t0, 938 / RS, 1e-12);
    cs_gmsk_modulator_destroy(m);
    free(all);
}

static void test_bad_arguments(void)
{
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    cs_gmsk_modulator m = NULL;
    c.sample_rate_hz = 0.0;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_EINVAL && m == NULL);
    CS_CHECK(strstr(cs_last_error(), "sample_rate_hz") != NULL);
    cs_gmsk_config_init(&c);
    c.ramp_symbols = 5.0;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_EINVAL);
    cs_gmsk_config_init(&c);
    c.first_timeslot = 8;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_EINVAL);
    cs_gmsk_config_init(&c);
    c.freq_offset_hz = 600e3;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_EINVAL);
    cs_gmsk_config_init(&c);
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_OK);
    cs_cf32 buf[8192];
    size_t n = 99;
    uint8_t bits[149] = { 0 };
    CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 149, 1.0, buf, 8192, &n) == CS_EINVAL && n == 0);
    bits[7] = 2;
    CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, 8192, &n) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "bit 7") != NULL);
    bits[7] = 0;
    CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 148, -1.0, buf, 8192, &n) == CS_EINVAL);
    CS_CHECK(cs_gmsk_modulator_push_slot(m, NULL, 10, 1.0, buf, 8192, &n) == CS_EINVAL);
    CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, 10, &n) == CS_EINVAL);
    cs_gmsk_modulator_reset(m);
    CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, 8192, &n) == CS_OK);
    CS_CHECK(n <= cs_gmsk_modulator_max_samples(m));
    CS_CHECK(cs_gmsk_modulator_flush(m, buf, 8192, &n) == CS_OK);
    CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, 148, 1.0, buf, 8192, &n) == CS_EINVAL);
    cs_gmsk_modulator_destroy(m);
}

int main(void)
{
    ref_init();
    test_fcch_tone(1e6, 0.0);
    test_fcch_tone(13e6 / 12, 25e3);
    test_fcch_tone(500e3, -100e3);
    test_symbol_instants();
    test_ramps();
    test_spectrum();
    test_rates_and_timing();
    test_bad_arguments();
    return cs_test_done();
}
