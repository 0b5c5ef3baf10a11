/* The FCCH pre-detector on the channelizer's block spectra (gsm_fcch_gate.h): on noise it
 * opens for few blocks; an FCCH-like tone at -5 dB Es/N0 opens the blocks it lies in;
 * strong traffic bursts (GMSK, 2 slots of 8), which lift the tone band far over its
 * usual level, do not open it, because the flagged bins hold only a small share of the
 * channel's power; with look = 0 it
 * never opens but its background still follows the input. 1 MS/s, 512-point blocks, as
 * the scanner runs a narrowband recording. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cellscan/gmsk_modulator.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "cs_test_rand.h"
#include "gsm_channelizer.h"
#include "gsm_fcch_gate.h"

#define FS 1e6
#define NFFT 512
#define SECONDS 2.0
#define RS (1625000.0 / 6.0)
#define TONE_HZ (RS / 4.0) /* the FCCH's tone above the carrier */
#define BURST_S (148.0 / RS)
#define PERIOD_S 0.046      /* a tone burst this often (about every 10 frames) */

typedef enum { NOISE, TONES, TRAFFIC } content;

/* GMSK bursts of random bits in timeslots 2 and 5 of every frame (a traffic carrier), at
 * Es/N0 = snr_db, added to x. */
static void add_traffic(cs_cf32 *x, size_t n, double snr_db)
{
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    c.sample_rate_hz = FS;
    cs_gmsk_modulator m;
    CS_CHECK(cs_gmsk_modulator_create(&c, &m) == CS_OK);
    const size_t cap = cs_gmsk_modulator_max_samples(m);
    cs_cf32 *buf = malloc(cap * sizeof *buf);
    const double amp = sqrt(pow(10.0, snr_db / 10.0) * RS / FS); /* noise: unit power over FS */
    size_t at = 0, got = 0;
    for (unsigned slot = 0; at < n; slot++) {
        uint8_t bits[CS_GSM_BURST_BITS];
        for (int i = 0; i < CS_GSM_BURST_BITS; i++) bits[i] = (uint8_t)(rnd() & 1u);
        const int on = slot % 8 == 2 || slot % 8 == 5;
        CS_CHECK(cs_gmsk_modulator_push_slot(m, bits, CS_GSM_BURST_BITS, on ? amp : 0.0, buf, cap,
                                             &got) == CS_OK);
        for (size_t i = 0; i < got && at < n; i++) x[at++] += buf[i];
    }
    free(buf);
    cs_gmsk_modulator_destroy(m);
}

/* Unit-variance complex noise plus the content: tone bursts at Es/N0 = snr_db (power over
 * the noise in 270.833 kHz), starting at k * PERIOD_S + 0.013 s, or traffic bursts at
 * snr_db. */
static cs_cf32 *make(content what, double snr_db, size_t n)
{
    cs_cf32 *x = malloc(n * sizeof *x);
    if (!x) return NULL;
    const double amp_tone = sqrt(pow(10.0, snr_db / 10.0) * RS / FS);
    for (size_t i = 0; i < n; i++) {
        const double t = (double)i / FS;
        cs_cf32 v = (float)(gauss() * M_SQRT1_2) + I * (float)(gauss() * M_SQRT1_2);
        if (what == TONES) {
            const double u = fmod(t - 0.013, PERIOD_S);
            if (t >= 0.013 && u < BURST_S) {
                const double ph = 2.0 * M_PI * TONE_HZ * t;
                v += (float)(amp_tone * cos(ph)) + I * (float)(amp_tone * sin(ph));
            }
        }
        x[i] = v;
    }
    if (what == TRAFFIC) add_traffic(x, n, snr_db);
    return x;
}

typedef struct gate_run {
    unsigned blocks, opened, opened_on_tone, tone_bursts, tones_flagged;
    uint64_t over; /* blocks over the level threshold (before the share test) */
} gate_run;

/* Run the gate over the signal block by block (look as given); count opened blocks, and
 * of the tone bursts how many lie in an opened block or its successor. */
static gate_run run(const cs_cf32 *x, size_t n, int look, cs_gsm_fcch_gate *g_out)
{
    gate_run r = {0};
    cs_gsm_channelizer q;
    CS_CHECK(cs_gsm_channelizer_create(FS, NFFT, 2, &q) == CS_OK);
    const double bin = FS / NFFT;
    cs_gsm_fcch_gate g;
    CS_CHECK(cs_gsm_fcch_gate_init(&g, NFFT, (int)lround(TONE_HZ / bin), bin, 25e3, 0, 100e3) == CS_OK);
    CS_CHECK(cs_gsm_channelizer_push(q, x, n) >= 0);
    const unsigned nb = (unsigned)(SECONDS / PERIOD_S) + 2;
    unsigned *hit = calloc(nb, sizeof *hit);
    while (cs_gsm_channelizer_next_block(q)) {
        const uint64_t b = cs_gsm_channelizer_blocks(q) - 1;
        int64_t start;
        const cs_cf32 *spec = cs_gsm_channelizer_spectrum_at(q, b, &start);
        const cs_cf32 *prev = b ? cs_gsm_channelizer_spectrum_at(q, b - 1, NULL) : NULL;
        const int open = cs_gsm_fcch_gate_block(&g, spec, prev, look);
        if (b < 16) continue; /* levels settling */
        r.blocks++;
        if (!open) continue;
        r.opened++;
        /* the block (and the previous one) span these input samples */
        const double t0 = (double)(start - NFFT * 3 / 4) / FS, t1 = (double)(start + NFFT) / FS;
        for (unsigned k = 0; k < nb; k++) {
            const double a = 0.013 + k * PERIOD_S;
            if (a < t1 && a + BURST_S > t0) {
                hit[k] = 1;
                r.opened_on_tone++;
            }
        }
    }
    for (unsigned k = 0; k < nb; k++) {
        const double a = 0.013 + k * PERIOD_S;
        if (a < 16.0 * NFFT * 0.75 / FS + 0.002 || a + BURST_S > SECONDS - 0.002) continue;
        r.tone_bursts++;
        r.tones_flagged += hit[k];
    }
    free(hit);
    r.over = g.passed;
    if (g_out) *g_out = g;
    else cs_gsm_fcch_gate_free(&g);
    cs_gsm_channelizer_destroy(q);
    return r;
}

int main(void)
{
    const size_t n = (size_t)(SECONDS * FS);

    cs_cf32 *x = make(NOISE, 0.0, n);
    CS_CHECK(x != NULL);
    gate_run r = run(x, n, 1, NULL);
    printf("noise: %u of %u blocks opened\n", r.opened, r.blocks);
    CS_CHECK(r.blocks > 2000);
    CS_CHECK(r.opened * 100 <= r.blocks); /* at most 1 % */
    free(x);

    x = make(TONES, -5.0, n);
    r = run(x, n, 1, NULL);
    printf("tones at -5 dB: %u of %u bursts flagged; %u of %u blocks opened\n", r.tones_flagged,
           r.tone_bursts, r.opened, r.blocks);
    CS_CHECK(r.tone_bursts >= 40);
    CS_CHECK(r.tones_flagged * 100 >= 95 * r.tone_bursts);
    CS_CHECK(r.opened <= 4 * r.tone_bursts + r.blocks / 100);

    /* look = 0: never open, the background still learns (the same levels as looking) */
    cs_gsm_fcch_gate quiet, looking;
    gate_run q0 = run(x, n, 0, &quiet);
    run(x, n, 1, &looking);
    CS_CHECK(q0.opened == 0);
    double worst = 0.0;
    for (unsigned j = 0; j < quiet.nb; j++) {
        const double d = fabs(log(quiet.bg[j] / looking.bg[j]));
        worst = d > worst ? d : worst;
    }
    printf("look = 0: background within %.2g (log ratio) of the looking gate's\n", worst);
    CS_CHECK(worst < 1e-6);
    cs_gsm_fcch_gate_free(&quiet);
    cs_gsm_fcch_gate_free(&looking);
    free(x);

    x = make(TRAFFIC, 20.0, n);
    r = run(x, n, 1, NULL);
    printf("traffic bursts at 20 dB: %u of %u blocks over the level, %u opened\n",
           (unsigned)r.over, r.blocks, r.opened);
    CS_CHECK(r.over * 10 >= r.blocks);   /* they lift the tone band in a tenth of the blocks */
    /* the share test shuts it for 19 in 20 of those, and for all but 3 % of the blocks */
    CS_CHECK(r.opened * 20 <= r.over);
    CS_CHECK(r.opened * 100 <= 3 * r.blocks);
    free(x);
    return cs_test_done();
}
