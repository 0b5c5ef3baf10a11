/* Test helper for the GSM detector tests: a C0-like carrier (FCCH and SCH on TS0 of the
 * 51-multiframe, random normal bursts everywhere else) from the project's GMSK modulator,
 * with a frequency offset and white noise at a stated Es/N0. The truth (FCCH and SCH
 * start times and frame numbers) comes back in the struct. */
#ifndef TEST_GSM_SCAN_SIGNAL_H
#define TEST_GSM_SCAN_SIGNAL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/gmsk_modulator.h"
#include "cellscan/gsm_coding.h"
#include "cellscan/impairments.h"
#include "cellscan/rng.h"
#include "cellscan/status.h"

#define TS_RS (1625000.0 / 6.0)
#define TS_FRAME_S (1250.0 / TS_RS)

typedef struct ts_signal {
    cs_cf32 *x;
    size_t n;
    double fs;
    size_t n_fcch, n_sch;
    double fcch_t[4096];   /* FCCH burst starts */
    double sch_t[4096];    /* SCH burst starts */
    uint32_t sch_fn[4096];
} ts_signal;

typedef struct ts_params {
    double fs, duration_s, snr_db, offset_hz, delay_s;
    uint32_t first_fn;
    int ncc, bcc;
    uint64_t seed;
    int data_only;          /* 1: no FCCH/SCH (normal bursts in every slot) */
    unsigned slot_mask;     /* bursts only in these timeslots (0: all 8, a C0) */
} ts_params;

/* Build the signal (amplitude 1, power 1 in its slots). Returns 0 or -1. */
static int ts_make(const ts_params *p, ts_signal *s)
{
    memset(s, 0, sizeof *s);
    cs_gmsk_config c;
    cs_gmsk_config_init(&c);
    c.sample_rate_hz = p->fs;
    c.freq_offset_hz = p->offset_hz;
    c.delay_s = p->delay_s;
    cs_gmsk_modulator m;
    if (cs_gmsk_modulator_create(&c, &m) != CS_OK) return -1;
    const size_t cap = (size_t)(p->duration_s * p->fs) + cs_gmsk_modulator_max_samples(m) * 2;
    s->x = calloc(cap, sizeof *s->x);
    cs_cf32 *buf = malloc(cs_gmsk_modulator_max_samples(m) * sizeof *buf);
    cs_rng rng;
    cs_rng_create(p->seed, 1, &rng);
    s->fs = p->fs;
    uint32_t fn = p->first_fn;
    const size_t frames = (size_t)(p->duration_s / TS_FRAME_S);
    for (size_t f = 0; f < frames; f++, fn++) {
        for (int ts = 0; ts < 8; ts++) {
            uint8_t bits[CS_GSM_BURST_BITS];
            const double t = p->delay_s + f * TS_FRAME_S + (ts == 0 ? 0.0 : (157.0 + 156.25 * (ts - 1)) / TS_RS);
            const int t3 = (int)(fn % 51);
            double amp = (p->slot_mask == 0 || (p->slot_mask >> ts & 1)) ? 1.0 : 0.0;
            if (!p->data_only && ts == 0 && t3 % 10 == 0 && t3 <= 40) {
                cs_gsm_fcch_burst(bits);
                if (s->n_fcch < 4096) s->fcch_t[s->n_fcch++] = t;
            } else if (!p->data_only && ts == 0 && t3 % 10 == 1 && t3 <= 41) {
                cs_gsm_sch_burst(p->ncc, p->bcc, fn, bits);
                if (s->n_sch < 4096) {
                    s->sch_t[s->n_sch] = t;
                    s->sch_fn[s->n_sch++] = fn;
                }
            } else {
                uint8_t payload[CS_GSM_NB_PAYLOAD_BITS];
                cs_rng_fill_bits(rng, payload, sizeof payload);
                cs_gsm_normal_burst(payload, p->bcc, 1, 1, bits);
            }
            size_t n;
            cs_gmsk_modulator_push_slot(m, bits, CS_GSM_BURST_BITS, amp, buf,
                                        cs_gmsk_modulator_max_samples(m), &n);
            if (s->n + n > cap) n = cap - s->n;
            memcpy(s->x + s->n, buf, n * sizeof *buf);
            s->n += n;
        }
    }
    size_t n;
    cs_gmsk_modulator_flush(m, buf, cs_gmsk_modulator_max_samples(m), &n);
    if (s->n + n > cap) n = cap - s->n;
    memcpy(s->x + s->n, buf, n * sizeof *buf);
    s->n += n;
    /* Es/N0: N0 = C / (SNR Rs), white over fs */
    if (isfinite(p->snr_db)) {
        const double np = cs_noise_power_for_snr(1.0, p->snr_db, TS_RS, p->fs);
        cs_rng noise;
        cs_rng_create(p->seed, 2, &noise);
        cs_cf32 *w = malloc(s->n * sizeof *w);
        cs_rng_fill_cgauss(noise, w, s->n, np);
        for (size_t i = 0; i < s->n; i++) s->x[i] += w[i];
        free(w);
        cs_rng_destroy(noise);
    }
    free(buf);
    cs_rng_destroy(rng);
    cs_gmsk_modulator_destroy(m);
    return 0;
}

static void ts_free(ts_signal *s)
{
    free(s->x);
    s->x = NULL;
}

#endif
