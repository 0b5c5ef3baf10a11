/* UMTS front end: mixer, resampler chain to 7.68 MS/s, RRC matched filter (see
 * umts_frontend.h). */
#include "cellscan/umts_frontend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/resampler.h"
#include "cellscan/rrc_filter.h"
#include "cellscan/status.h"
#include "umts_kernels.h"

#define CHUNK 8192        /* input samples per internal step */
#define MIX_BLOCK 1024    /* samples per mixer phasor block */
#define RRC_SPAN_CHIPS 8  /* matched filter truncated at +-8 chips: 33 taps */
#define MAX_STAGES 8
#define CARRIER_CORE_HZ 1.92e6 /* half the chip rate: the part of the carrier that must fit
                                  (its roll-off beyond may alias at rates below 4.68 MS/s) */

struct cs_umts_frontend_s {
    double fs_in, offset_hz;
    /* mixer */
    int mix;
    uint64_t mix_index;            /* input samples mixed since reset */
    cs_cf32 mix_step[MIX_BLOCK];   /* exp(-j 2 pi f k / fs), k < MIX_BLOCK */
    cs_cf32 mix_phasor[MIX_BLOCK];
    cs_cf32 *mix_buf;
    /* resampler chain */
    size_t n_stages;
    cs_resampler stage[MAX_STAGES];
    cs_cf32 *stage_buf[MAX_STAGES];
    size_t stage_cap[MAX_STAGES];
    /* matched filter */
    size_t n_taps, delay, to_drop;
    float *taps;
    cs_cf32 *rrc_work; /* n_taps - 1 past samples, then room for as many new ones */
    cs_cf32 *rrc_zeros; /* the filter's delay in zeros: the flush's input */
    int flushed;
    uint64_t blanked;  /* impulsive input samples set to zero */
    cs_cf32 *blank_buf;
    const umts_kernels *k;
};

/* Impulse blanking: a sample whose power exceeds the mean power of its chunk (itself
 * included) by this factor (30 dB) is set to zero. Noise or a UMTS/GSM signal never does
 * (their peaks are within about 12 dB of the mean); a corrupt or clipped-glitch sample of
 * a few hundred times the signal's amplitude does, and would otherwise dominate the
 * P-SCH correlation and the RSSI. */
#define BLANK_FACTOR 1000.0f

static const cs_cf32 *blank(cs_umts_frontend f, const cs_cf32 *in, size_t m)
{
    const float mean = (float)(f->k->energy((const float *)in, 2 * m) / (double)m);
    const float limit = BLANK_FACTOR * mean;
    const float *v = (const float *)in;
    /* the peak first (a vector kernel): almost always there is nothing to blank */
    if (!(f->k->peak_power(v, m) > limit) || !(mean > 0)) return in;
    size_t first = 0;
    while (!(v[2 * first] * v[2 * first] + v[2 * first + 1] * v[2 * first + 1] > limit)) first++;
    memcpy(f->blank_buf, in, m * sizeof *in);
    for (size_t i = first; i < m; i++)
        if (v[2 * i] * v[2 * i] + v[2 * i + 1] * v[2 * i + 1] > limit) {
            f->blank_buf[i] = 0.0f;
            f->blanked++;
        }
    return f->blank_buf;
}

static void build_mixer(cs_umts_frontend f)
{
    f->mix = f->offset_hz != 0.0;
    const double w = -2.0 * M_PI * f->offset_hz / f->fs_in;
    for (size_t j = 0; j < MIX_BLOCK; j++) f->mix_step[j] = (float)cos(w * j) + I * (float)sin(w * j);
}

void cs_umts_frontend_reset(cs_umts_frontend f)
{
    f->mix_index = 0;
    for (size_t s = 0; s < f->n_stages; s++) cs_resampler_reset(f->stage[s]);
    memset(f->rrc_work, 0, (f->n_taps - 1) * sizeof *f->rrc_work);
    f->to_drop = f->delay;
    f->flushed = 0;
    f->blanked = 0;
}

uint64_t cs_umts_frontend_blanked(cs_umts_frontend f) { return f->blanked; }

int cs_umts_frontend_set_offset(cs_umts_frontend f, double offset_hz)
{
    if (!isfinite(offset_hz) || fabs(offset_hz) + CARRIER_CORE_HZ > f->fs_in / 2.0 * (1.0 + 1e-9))
        return cs_error(CS_EINVAL, "umts front end: a carrier at %.0f Hz does not fit in a "
                        "recording of %.0f samples/s", offset_hz, f->fs_in);
    f->offset_hz = offset_hz;
    build_mixer(f);
    cs_umts_frontend_reset(f);
    return CS_OK;
}

double cs_umts_frontend_offset(cs_umts_frontend f) { return f->offset_hz; }

int cs_umts_frontend_create(double fs_in, double offset_hz, cs_umts_frontend *out)
{
    *out = NULL;
    if (!(fs_in >= CS_UMTS_WORK_RATE_HZ / 2.0 * (1.0 - 1e-9) && fs_in <= 1e9))
        return cs_error(CS_EINVAL, "umts front end: sample rate %.0f Hz is outside 3.84 MHz .. "
                        "1 GHz (UMTS needs at least the chip rate)", fs_in);
    cs_umts_frontend f = calloc(1, sizeof *f);
    if (!f) return cs_error(CS_ENOMEM, "umts front end: out of memory");
    f->fs_in = fs_in;
    f->k = umts_kernels_get();
    int rc = CS_OK;
    /* Stages of 1/2 until the rest is within the resampler's 0.5 .. 2. */
    double rest = CS_UMTS_WORK_RATE_HZ / fs_in;
    size_t cap = CHUNK;
    f->mix_buf = malloc(CHUNK * sizeof *f->mix_buf);
    f->blank_buf = malloc(CHUNK * sizeof *f->blank_buf);
    if (!f->mix_buf || !f->blank_buf) rc = CS_ENOMEM;
    while (rc == CS_OK && fabs(rest - 1.0) > 1e-12) {
        double r = rest < 0.5 ? 0.5 : rest;
        if (f->n_stages == MAX_STAGES) {
            rc = cs_error(CS_EINVAL, "umts front end: rate %.0f Hz needs too many stages", fs_in);
            break;
        }
        if ((rc = cs_resampler_create(r, &f->stage[f->n_stages])) != CS_OK) break;
        cap = cs_resampler_max_output(f->stage[f->n_stages], cap);
        size_t flush_cap = cs_resampler_max_output(f->stage[f->n_stages], 0);
        if (flush_cap > cap) cap = flush_cap;
        f->stage_cap[f->n_stages] = cap;
        f->stage_buf[f->n_stages] = malloc(cap * sizeof(cs_cf32));
        if (!f->stage_buf[f->n_stages]) rc = CS_ENOMEM;
        f->n_stages++;
        rest /= r;
    }
    if (rc == CS_OK) {
        f->n_taps = cs_rrc_num_taps(2.0, RRC_SPAN_CHIPS);
        f->delay = (f->n_taps - 1) / 2;
        f->taps = malloc(f->n_taps * sizeof *f->taps);
        f->rrc_work = calloc(2 * (f->n_taps - 1), sizeof *f->rrc_work);
        f->rrc_zeros = calloc(f->delay, sizeof *f->rrc_zeros);
        if (!f->taps || !f->rrc_work || !f->rrc_zeros) rc = CS_ENOMEM;
        else rc = cs_rrc_taps(0.22, 2.0, RRC_SPAN_CHIPS, f->taps, f->n_taps);
    }
    if (rc == CS_OK) {
        f->offset_hz = 0.0;
        build_mixer(f);
        cs_umts_frontend_reset(f);
        rc = cs_umts_frontend_set_offset(f, offset_hz);
    }
    if (rc != CS_OK) {
        cs_umts_frontend_destroy(f);
        return rc == CS_ENOMEM ? cs_error(CS_ENOMEM, "umts front end: out of memory") : rc;
    }
    *out = f;
    return CS_OK;
}

size_t cs_umts_frontend_max_output(cs_umts_frontend f, size_t n_in)
{
    /* Per CHUNK of input at most one pass through the chain, plus the flush tail. */
    double ratio = CS_UMTS_WORK_RATE_HZ / f->fs_in;
    size_t chunks = n_in / CHUNK + 1;
    return (size_t)ceil((double)n_in * ratio) + chunks * 64 + f->delay + 256;
}

/* Filter n new samples x (following the history held in rrc_work) into out; returns the
 * outputs kept after the filter delay. Only the first outputs, which reach back into the
 * history, are computed from the work buffer; the rest straight from x (no copy). */
static size_t rrc_run(cs_umts_frontend f, const cs_cf32 *x, size_t n, cs_cf32 *out)
{
    if (n == 0) return 0;
    const size_t hist = f->n_taps - 1, head = n < hist ? n : hist;
    memcpy(f->rrc_work + hist, x, head * sizeof *x);
    f->k->fir((const float *)f->rrc_work, (float *)out, 2 * head, f->taps, f->n_taps, 2);
    if (n > head) f->k->fir((const float *)x, (float *)(out + head), 2 * (n - head), f->taps, f->n_taps, 2);
    if (n >= hist) memcpy(f->rrc_work, x + n - hist, hist * sizeof *x);
    else memmove(f->rrc_work, f->rrc_work + n, hist * sizeof *f->rrc_work);
    size_t drop = f->to_drop < n ? f->to_drop : n;
    if (drop) {
        memmove(out, out + drop, (n - drop) * sizeof *out);
        f->to_drop -= drop;
    }
    return n - drop;
}

/* Run samples through resampler stages from `s` on, then the filter. */
static int chain(cs_umts_frontend f, size_t s, const cs_cf32 *x, size_t n, cs_cf32 *out,
                 size_t *produced)
{
    for (; s < f->n_stages; s++) {
        size_t m = 0;
        int rc = cs_resampler_execute(f->stage[s], x, n, f->stage_buf[s], f->stage_cap[s], &m);
        if (rc != CS_OK) return rc;
        x = f->stage_buf[s];
        n = m;
    }
    *produced += rrc_run(f, x, n, out + *produced);
    return CS_OK;
}

int cs_umts_frontend_execute(cs_umts_frontend f, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                             size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (f->flushed) return cs_error(CS_EINVAL, "umts front end: execute after flush (reset first)");
    if (out_cap < cs_umts_frontend_max_output(f, n_in))
        return cs_error(CS_EINVAL, "umts front end: output capacity %zu is below %zu", out_cap,
                        cs_umts_frontend_max_output(f, n_in));
    size_t produced = 0;
    while (n_in > 0) {
        size_t m = n_in < CHUNK ? n_in : CHUNK;
        const cs_cf32 *x = blank(f, in, m);
        if (f->mix) {
            /* exp(-j w (i0 + j)) = exp(-j w i0) * step[j], the base phase in double */
            for (size_t b = 0; b < m; b += MIX_BLOCK) {
                size_t len = m - b < MIX_BLOCK ? m - b : MIX_BLOCK;
                double cyc = fmod(f->offset_hz * (double)(f->mix_index + b) / f->fs_in, 1.0);
                cs_cf32 base = (float)cos(-2.0 * M_PI * cyc) + I * (float)sin(-2.0 * M_PI * cyc);
                for (size_t j = 0; j < len; j++) f->mix_phasor[j] = base * f->mix_step[j];
                f->k->cmul((const float *)(x + b), (const float *)f->mix_phasor,
                           (float *)(f->mix_buf + b), len);
            }
            f->mix_index += m;
            x = f->mix_buf;
        }
        int rc = chain(f, 0, x, m, out, &produced);
        if (rc != CS_OK) return rc;
        in += m;
        n_in -= m;
    }
    *n_out = produced;
    return CS_OK;
}

int cs_umts_frontend_flush(cs_umts_frontend f, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (f->flushed) return CS_OK;
    if (out_cap < cs_umts_frontend_max_output(f, 0))
        return cs_error(CS_EINVAL, "umts front end: flush needs %zu outputs of room",
                        cs_umts_frontend_max_output(f, 0));
    f->flushed = 1;
    size_t produced = 0;
    for (size_t s = 0; s < f->n_stages; s++) {
        size_t m = 0;
        int rc = cs_resampler_flush(f->stage[s], f->stage_buf[s], f->stage_cap[s], &m);
        if (rc != CS_OK) return rc;
        if ((rc = chain(f, s + 1, f->stage_buf[s], m, out, &produced)) != CS_OK) return rc;
    }
    /* The filter's tail: as many zeros as its delay. */
    produced += rrc_run(f, f->rrc_zeros, f->delay, out + produced);
    *n_out = produced;
    return CS_OK;
}

void cs_umts_frontend_destroy(cs_umts_frontend f)
{
    if (!f) return;
    for (size_t s = 0; s < f->n_stages; s++) {
        cs_resampler_destroy(f->stage[s]);
        free(f->stage_buf[s]);
    }
    free(f->mix_buf);
    free(f->blank_buf);
    free(f->taps);
    free(f->rrc_work);
    free(f->rrc_zeros);
    free(f);
}
