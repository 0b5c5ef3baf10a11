/* Streaming signal statistics: power of known signals, DC, clipping at each datatype's
 * limits, NaN/Inf counting, per-channel results, and block-size independence. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cellscan/signal_stats.h"
#include "cellscan/status.h"
#include "cs_test.h"

static cs_signal_stats_result run(cs_datatype dt, unsigned ch, const cs_cf32 *x, size_t frames,
                                  size_t block, int channel)
{
    cs_signal_stats st;
    cs_signal_stats_result r = { 0 };
    if (cs_signal_stats_create(dt, ch, &st) != CS_OK) return r;
    for (size_t i = 0; i < frames; i += block)
        cs_signal_stats_execute(st, x + i * ch, frames - i < block ? frames - i : block);
    cs_signal_stats_get(st, channel, &r);
    cs_signal_stats_destroy(st);
    return r;
}

static void test_tone_and_dc(void)
{
    enum { n = 4000 };
    static cs_cf32 x[n];
    for (int k = 0; k < n; k++) x[k] = 0.5f * cexpf(I * (float)(2 * M_PI * k / 40.0)); /* 100 cycles */
    cs_signal_stats_result r = run(CS_DT_CF32_LE, 1, x, n, n, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK(r.samples == n && r.nonfinite_samples == 0 && r.clipped_components == 0);
    CS_CHECK_NEAR(r.mean_power_dbfs, 20 * log10(0.5), 1e-4);
    CS_CHECK_NEAR(r.peak_power_dbfs, 20 * log10(0.5), 1e-4);
    CS_CHECK_NEAR(r.dc_i, 0.0, 1e-6);
    CS_CHECK_NEAR(r.dc_q, 0.0, 1e-6);
    CS_CHECK(r.dc_power_dbfs < -100.0);

    for (int k = 0; k < n; k++) x[k] = CMPLXF(0.25f, -0.125f) + (k % 2 ? 0.1f : -0.1f);
    r = run(CS_DT_CF32_LE, 1, x, n, 333, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK_NEAR(r.dc_i, 0.25, 1e-7);
    CS_CHECK_NEAR(r.dc_q, -0.125, 1e-7);
    CS_CHECK_NEAR(r.dc_power_dbfs, 10 * log10(0.25 * 0.25 + 0.125 * 0.125), 1e-5);
    CS_CHECK_NEAR(r.peak_power_dbfs, 10 * log10(0.35 * 0.35 + 0.125 * 0.125), 1e-5);
}

/* Components of the integer codes lo..hi (converted by the library) and how many clip. */
static void test_integer_clipping(void)
{
    int16_t codes[8] = { -32768, 32767, 0, 100, -32767, 32766, 5, -5 };
    cs_cf32 x[4];
    cs_convert_to_cf32(CS_DT_CI16_LE, codes, x, 4);
    cs_signal_stats_result r = run(CS_DT_CI16_LE, 1, x, 4, 4, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK(r.clipped_components == 2);
    CS_CHECK_NEAR(r.clipped_fraction, 0.25, 0);
    CS_CHECK_NEAR(r.peak_power_dbfs, 10 * log10(1.0 + pow(32767 / 32768.0, 2)), 1e-5);

    uint8_t u8[6] = { 0, 255, 1, 254, 128, 127 };
    cs_cf32 y[3];
    cs_convert_to_cf32(CS_DT_CU8, u8, y, 3);
    r = run(CS_DT_CU8, 1, y, 3, 3, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK(r.clipped_components == 2);

    int8_t i8[4] = { -128, 127, -127, 126 };
    cs_convert_to_cf32(CS_DT_CI8, i8, y, 2);
    r = run(CS_DT_CI8, 1, y, 2, 2, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK(r.clipped_components == 2);

    cs_cf32 f[3] = { CMPLXF(1.0f, 0.999f), CMPLXF(-1.5f, 0.0f), CMPLXF(0.5f, -1.0f) };
    r = run(CS_DT_CF64_LE, 1, f, 3, 1, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK(r.clipped_components == 3);
    CS_CHECK_NEAR(r.clipped_fraction, 0.5, 0);
}

static void test_nonfinite_and_channels(void)
{
    /* 2 channels: channel 0 at 0.1, channel 1 at 0.01 with one NaN and one Inf frame */
    enum { n = 1000 };
    static cs_cf32 x[2 * n];
    for (int k = 0; k < n; k++) {
        x[2 * k] = CMPLXF(0.1f, 0.0f);
        x[2 * k + 1] = CMPLXF(0.0f, 0.01f);
    }
    x[2 * 10 + 1] = CMPLXF(NAN, 0.0f);
    x[2 * 20 + 1] = CMPLXF(0.0f, INFINITY);
    cs_signal_stats_result all = run(CS_DT_CF32_LE, 2, x, n, 64, CS_SIGNAL_STATS_ALL_CHANNELS);
    cs_signal_stats_result c0 = run(CS_DT_CF32_LE, 2, x, n, 64, 0);
    cs_signal_stats_result c1 = run(CS_DT_CF32_LE, 2, x, n, 64, 1);
    CS_CHECK(all.nonfinite_samples == 2 && c0.nonfinite_samples == 0 && c1.nonfinite_samples == 2);
    CS_CHECK(all.samples == 2 * n - 2 && c1.samples == n - 2);
    CS_CHECK_NEAR(c0.mean_power_dbfs, -20.0, 1e-4);
    CS_CHECK_NEAR(c1.mean_power_dbfs, -40.0, 1e-4); /* the bad samples do not count */
    CS_CHECK_NEAR(all.mean_power_dbfs, 10 * log10((n * 0.01 + (n - 2) * 1e-4) / (2 * n - 2)), 1e-4);
    CS_CHECK(isfinite(all.peak_power_dbfs));

    cs_signal_stats st;
    CS_CHECK(cs_signal_stats_create(CS_DT_CF32_LE, 2, &st) == CS_OK);
    cs_signal_stats_result r;
    CS_CHECK(cs_signal_stats_get(st, 2, &r) == CS_EINVAL);
    cs_signal_stats_execute(st, x, n);
    cs_signal_stats_reset(st);
    CS_CHECK(cs_signal_stats_get(st, CS_SIGNAL_STATS_ALL_CHANNELS, &r) == CS_OK);
    CS_CHECK(r.samples == 0 && isinf(r.mean_power_dbfs) && r.clipped_fraction == 0.0);
    cs_signal_stats_destroy(st);
    CS_CHECK(cs_signal_stats_create(CS_DT_CF32_LE, 0, &st) == CS_EINVAL);
    CS_CHECK(cs_signal_stats_create(CS_DT_UNKNOWN, 1, &st) == CS_EINVAL);
}

static void test_block_independence(void)
{
    enum { n = 10007 };
    static cs_cf32 x[n];
    uint32_t s = 1;
    for (int k = 0; k < n; k++) {
        s = s * 1664525u + 1013904223u;
        x[k] = CMPLXF((float)(s >> 8) / 16777216.0f - 0.5f, (float)(s & 0xffff) / 65536.0f - 0.5f);
    }
    cs_signal_stats_result a = run(CS_DT_CI16_LE, 1, x, n, n, CS_SIGNAL_STATS_ALL_CHANNELS);
    cs_signal_stats_result b = run(CS_DT_CI16_LE, 1, x, n, 7, CS_SIGNAL_STATS_ALL_CHANNELS);
    CS_CHECK_NEAR(a.mean_power_dbfs, b.mean_power_dbfs, 1e-9);
    CS_CHECK(a.peak_power_dbfs == b.peak_power_dbfs && a.samples == b.samples);
    CS_CHECK_NEAR(a.dc_i, b.dc_i, 1e-12);
}

int main(void)
{
    test_tone_and_dc();
    test_integer_clipping();
    test_nonfinite_and_channels();
    test_block_independence();
    return cs_test_done();
}
