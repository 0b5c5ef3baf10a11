/* Polyphase windowed-sinc resampler with positions computed from the output index. */
#include "cellscan/resampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

#define HALF_LEN 24     /* taps on each side for ratio >= 1 */
#define KAISER_BETA 8.0 /* about 80 dB side lobes */
#define PHASES 512
#define CHUNK 4096

/* Modified Bessel function I0 by its power series (converges for the betas used here). */
static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = x * x / 4.0;
    for (int k = 1; k < 200; k++) {
        term *= q / ((double)k * k);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

/* cutoff * sinc(cutoff * t) * kaiser(t / half): a low-pass interpolation kernel with
 * cut-off at `cutoff` times half the input rate, zero for |t| >= half. */
static double kernel(double t, double cutoff, double half, double beta)
{
    if (fabs(t) >= half)
        return 0.0;
    const double r = t / half;
    const double w = bessel_i0(beta * sqrt(1.0 - r * r)) / bessel_i0(beta);
    const double x = M_PI * cutoff * t;
    return cutoff * (fabs(x) < 1e-12 ? 1.0 : sin(x) / x) * w;
}

int cs_fractional_delay_taps(double frac, unsigned h, double beta, float *taps)
{
    if (!(frac >= 0.0 && frac < 1.0))
        return cs_error(CS_EINVAL, "fractional delay: frac must be in [0, 1) (got %g)", frac);
    if (h < 2 || h > 64)
        return cs_error(CS_EINVAL, "fractional delay: half_len must be 2..64 (got %u)", h);
    if (!(beta >= 0.0 && beta <= 20.0))
        return cs_error(CS_EINVAL, "fractional delay: kaiser_beta must be 0..20 (got %g)", beta);
    for (unsigned j = 0; j < 2 * h; j++)
        taps[j] = (float)kernel((double)j - (double)h + 1.0 - frac, 1.0, (double)h, beta);
    return CS_OK;
}

struct cs_resampler_s {
    double ratio;
    int half;            /* taps each side, in input samples */
    int n_taps;          /* 2 * half */
    float *poly;         /* (PHASES + 1) rows of n_taps: row p is the kernel at f = p/PHASES */
    cs_cf32 *buf;        /* input history: buf[i - buf_start] is input i */
    size_t buf_cap;
    int64_t buf_start;
    int64_t n_in;        /* inputs received */
    int64_t m_next;      /* next output index */
    int flushed;
};

void cs_resampler_reset(cs_resampler r)
{
    memset(r->buf, 0, r->buf_cap * sizeof *r->buf);
    r->buf_start = -r->half; /* zeros before the first input */
    r->n_in = 0;
    r->m_next = 0;
    r->flushed = 0;
}

int cs_resampler_create(double ratio, cs_resampler *out)
{
    *out = NULL;
    if (!(ratio >= 0.5 && ratio <= 2.0))
        return cs_error(CS_EINVAL, "resampler: ratio must be 0.5..2 (got %g)", ratio);
    cs_resampler r = calloc(1, sizeof *r);
    if (!r)
        return cs_error(CS_ENOMEM, "resampler: out of memory");
    const double cutoff = ratio < 1.0 ? ratio : 1.0;
    r->ratio = ratio;
    r->half = (int)ceil(HALF_LEN / cutoff);
    r->n_taps = 2 * r->half;
    r->poly = malloc((size_t)(PHASES + 1) * r->n_taps * sizeof *r->poly);
    r->buf_cap = CHUNK + (size_t)r->n_taps + 2;
    r->buf = malloc(r->buf_cap * sizeof *r->buf);
    if (!r->poly || !r->buf) {
        cs_resampler_destroy(r);
        return cs_error(CS_ENOMEM, "resampler: out of memory");
    }
    /* tap j multiplies input i0 + half - j; its offset from the position is f - half + j */
    for (int p = 0; p <= PHASES; p++)
        for (int j = 0; j < r->n_taps; j++)
            r->poly[(size_t)p * r->n_taps + j] =
                (float)kernel((double)p / PHASES - r->half + j, cutoff, r->half, KAISER_BETA);
    cs_resampler_reset(r);
    *out = r;
    return CS_OK;
}

void cs_resampler_destroy(cs_resampler r)
{
    if (!r)
        return;
    free(r->poly);
    free(r->buf);
    free(r);
}

size_t cs_resampler_max_output(cs_resampler r, size_t n_in)
{
    return (size_t)ceil(((double)n_in + r->n_taps + 2.0) * r->ratio) + 2;
}

/* Emit outputs whose position tau satisfies floor(tau) + half < avail (all taps present)
 * and tau < end (end = +inf while streaming). */
static int emit(cs_resampler r, int64_t avail, double end, cs_cf32 *out, size_t cap, size_t *n)
{
    for (;;) {
        const double tau = (double)r->m_next / r->ratio;
        if (!(tau < end))
            return CS_OK;
        const int64_t i0 = (int64_t)floor(tau);
        if (i0 + r->half >= avail)
            return CS_OK;
        if (*n >= cap)
            return cs_error(CS_EINVAL, "resampler: output buffer too small (%zu samples)", cap);
        const double fp = (tau - (double)i0) * PHASES;
        int p = (int)fp;
        if (p >= PHASES)
            p = PHASES - 1;
        const float t = (float)(fp - p);
        const float *a = r->poly + (size_t)p * r->n_taps, *b = a + r->n_taps;
        const cs_cf32 *x = r->buf + (i0 + r->half - r->buf_start); /* tap 0's input */
        float re = 0.0f, im = 0.0f;
        for (int j = 0; j < r->n_taps; j++) {
            const float w = a[j] + t * (b[j] - a[j]);
            re += w * crealf(x[-j]);
            im += w * cimagf(x[-j]);
        }
        out[(*n)++] = re + I * im;
        r->m_next++;
    }
}

/* Drop history the next output no longer needs (its first tap is i0 - half + 1). */
static void trim(cs_resampler r)
{
    const int64_t need = (int64_t)floor((double)r->m_next / r->ratio) - r->half + 1;
    const int64_t have = r->n_in - r->buf_start;
    int64_t drop = need - r->buf_start;
    if (drop <= 0)
        return;
    if (drop > have)
        drop = have;
    memmove(r->buf, r->buf + drop, (size_t)(have - drop) * sizeof *r->buf);
    r->buf_start += drop;
}

static int feed(cs_resampler r, const cs_cf32 *in, size_t n_in, double end, cs_cf32 *out,
                size_t cap, size_t *n_out)
{
    while (n_in > 0) {
        trim(r);
        const size_t used = (size_t)(r->n_in - r->buf_start);
        size_t m = r->buf_cap - used;
        if (m > n_in)
            m = n_in;
        if (in)
            memcpy(r->buf + used, in, m * sizeof *in);
        else
            memset(r->buf + used, 0, m * sizeof *r->buf);
        r->n_in += (int64_t)m;
        if (in)
            in += m;
        n_in -= m;
        int rc = emit(r, r->n_in, end, out, cap, n_out);
        if (rc != CS_OK)
            return rc;
    }
    return CS_OK;
}

int cs_resampler_execute(cs_resampler r, const cs_cf32 *in, size_t n_in, cs_cf32 *out,
                         size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (r->flushed)
        return cs_error(CS_EINVAL, "resampler: execute after flush (reset it first)");
    if (n_in > 0 && !in)
        return cs_error(CS_EINVAL, "resampler: no input array given");
    if (!out || out_cap < cs_resampler_max_output(r, n_in))
        return cs_error(CS_EINVAL, "resampler: output capacity %zu is below %zu for %zu inputs",
                        out_cap, cs_resampler_max_output(r, n_in), n_in);
    return feed(r, in, n_in, INFINITY, out, out_cap, n_out);
}

int cs_resampler_flush(cs_resampler r, cs_cf32 *out, size_t out_cap, size_t *n_out)
{
    *n_out = 0;
    if (r->flushed)
        return CS_OK;
    if (!out || out_cap < cs_resampler_max_output(r, 0))
        return cs_error(CS_EINVAL, "resampler: flush needs room for %zu samples (got %zu)",
                        cs_resampler_max_output(r, 0), out_cap);
    r->flushed = 1;
    const double end = (double)r->n_in;
    /* zeros after the end let the last positions see all their taps */
    return feed(r, NULL, (size_t)r->half + 2, end - (1e-9 + end * 0x1.0p-46), out, out_cap, n_out);
}
