/* Streaming signal statistics (see cellscan/signal_stats.h). Sums are kept in double per
 * channel: even 1e10 samples of full-scale power stay far inside double's exact range. */
#include "cellscan/signal_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

#define CS_STATS_MAX_CHANNELS 64

typedef struct {
    uint64_t samples, nonfinite, clipped;
    double sum_power, peak_power, sum_i, sum_q;
} channel_acc;

struct cs_signal_stats_s {
    unsigned channels;
    float clip_lo, clip_hi;   /* a component <= clip_lo or >= clip_hi is clipped */
    channel_acc acc[];
};

/* The cf32 values of a datatype's extreme codes: saturate +-2.0 into the type, convert back.
 * Exact whatever the conversion kernels compute, since they define what the reader sees. */
static void clip_levels(cs_datatype dt, float *lo, float *hi)
{
    if (dt == CS_DT_CF32_LE || dt == CS_DT_CF32_BE || dt == CS_DT_CF64_LE || dt == CS_DT_CF64_BE) {
        *lo = -1.0f;
        *hi = 1.0f;
        return;
    }
    cs_cf32 x = CMPLXF(2.0f, -2.0f), y;
    unsigned char raw[16];
    cs_convert_from_cf32(dt, &x, raw, 1);
    cs_convert_to_cf32(dt, raw, &y, 1);
    *hi = crealf(y);
    *lo = cimagf(y);
}

int cs_signal_stats_create(cs_datatype dt, unsigned num_channels, cs_signal_stats *out)
{
    *out = NULL;
    if (cs_datatype_sample_bytes(dt) == 0)
        return cs_error(CS_EINVAL, "signal statistics need a known datatype");
    if (num_channels < 1 || num_channels > CS_STATS_MAX_CHANNELS)
        return cs_error(CS_EINVAL, "signal statistics: channels must be 1 to %d (got %u)",
                        CS_STATS_MAX_CHANNELS, num_channels);
    cs_signal_stats s = calloc(1, sizeof *s + num_channels * sizeof s->acc[0]);
    if (!s) return cs_error(CS_ENOMEM, "out of memory");
    s->channels = num_channels;
    clip_levels(dt, &s->clip_lo, &s->clip_hi);
    *out = s;
    return CS_OK;
}

void cs_signal_stats_execute(cs_signal_stats s, const cs_cf32 *frames, size_t n_frames)
{
    const float *x = (const float *)frames;
    const float lo = s->clip_lo, hi = s->clip_hi;
    for (unsigned c = 0; c < s->channels; c++) {
        channel_acc *a = &s->acc[c];
        double sp = 0.0, si = 0.0, sq = 0.0, peak = a->peak_power;
        uint64_t n = 0, bad = 0, clipped = 0;
        for (size_t k = 0; k < n_frames; k++) {
            float i = x[2 * (k * s->channels + c)], q = x[2 * (k * s->channels + c) + 1];
            if (!isfinite(i) || !isfinite(q)) {
                bad++;
                continue;
            }
            double p = (double)i * i + (double)q * q;
            sp += p;
            si += i;
            sq += q;
            if (p > peak) peak = p;
            clipped += (i <= lo || i >= hi) + (q <= lo || q >= hi);
            n++;
        }
        a->samples += n;
        a->nonfinite += bad;
        a->clipped += clipped;
        a->sum_power += sp;
        a->sum_i += si;
        a->sum_q += sq;
        a->peak_power = peak;
    }
}

static double db(double p) { return p > 0.0 ? 10.0 * log10(p) : -INFINITY; }

int cs_signal_stats_get(cs_signal_stats s, int channel, cs_signal_stats_result *out)
{
    memset(out, 0, sizeof *out);
    if (channel != CS_SIGNAL_STATS_ALL_CHANNELS && (channel < 0 || (unsigned)channel >= s->channels))
        return cs_error(CS_EINVAL, "no channel %d (the statistics have %u)", channel, s->channels);
    channel_acc t = { 0 };
    for (unsigned c = 0; c < s->channels; c++) {
        if (channel != CS_SIGNAL_STATS_ALL_CHANNELS && (unsigned)channel != c) continue;
        const channel_acc *a = &s->acc[c];
        t.samples += a->samples;
        t.nonfinite += a->nonfinite;
        t.clipped += a->clipped;
        t.sum_power += a->sum_power;
        t.sum_i += a->sum_i;
        t.sum_q += a->sum_q;
        if (a->peak_power > t.peak_power) t.peak_power = a->peak_power;
    }
    out->samples = t.samples;
    out->nonfinite_samples = t.nonfinite;
    out->clipped_components = t.clipped;
    double n = (double)t.samples;
    out->mean_power_dbfs = t.samples ? db(t.sum_power / n) : -INFINITY;
    out->peak_power_dbfs = db(t.peak_power);
    out->clipped_fraction = t.samples ? (double)t.clipped / (2.0 * n) : 0.0;
    out->dc_i = t.samples ? t.sum_i / n : 0.0;
    out->dc_q = t.samples ? t.sum_q / n : 0.0;
    out->dc_power_dbfs = db(out->dc_i * out->dc_i + out->dc_q * out->dc_q);
    return CS_OK;
}

void cs_signal_stats_reset(cs_signal_stats s)
{
    memset(s->acc, 0, s->channels * sizeof s->acc[0]);
}

void cs_signal_stats_destroy(cs_signal_stats s) { free(s); }
