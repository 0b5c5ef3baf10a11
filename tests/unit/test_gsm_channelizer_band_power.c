/* The GSM channelizer's band power (what the activity gate reads instead of computing an
 * output): the weighted bin powers of a block, exactly (against a direct double sum), for
 * outputs whose band is one run of bins, has zero weights at its edges, or wraps around
 * the spectrum's end; on noise it averages to what the output's samples average to
 * (the noise per sample times beta over the decimation); blocks no longer held give -1.
 * The power-only outputs' samples (64 bins: gsm_ifft64.c, the bins taken as they lie)
 * have the powers of the same outputs with phase (CHZ_BLOCK), sample by sample. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cellscan/status.h"
#include "cs_test.h"
#include "gsm_channelizer.h"

#define FS 2e6
#define NFFT 1024
#define DEPTH 4

static double gauss(uint32_t *r)
{
    double s = 0.0; /* Irwin-Hall: sum of 12 uniforms, variance 1 */
    for (int i = 0; i < 12; i++) {
        *r = *r * 1664525u + 1013904223u;
        s += (double)(*r >> 8) / 16777216.0;
    }
    return s - 6.0;
}

/* Direct double sum of |X W|^2 / N^2 over the output's bins. */
static double direct(cs_gsm_channelizer q, int o, uint64_t block)
{
    double f[256], w2[256];
    const unsigned k = cs_gsm_channelizer_response(q, o, f, w2);
    const cs_cf32 *x = cs_gsm_channelizer_spectrum_at(q, block, NULL);
    const int c = cs_gsm_channelizer_centre_bin(q, o);
    double s = 0.0;
    for (unsigned i = 0; i < k; i++) {
        const int kk = i < k / 2 ? (int)i : (int)i - (int)k;
        const int b = ((c + kk) % NFFT + NFFT) % NFFT;
        const double p = (double)crealf(x[b]) * crealf(x[b]) + (double)cimagf(x[b]) * cimagf(x[b]);
        s += p * w2[i];
    }
    return s / ((double)NFFT * NFFT);
}

int main(void)
{
    cs_gsm_channelizer q;
    CS_CHECK(cs_gsm_channelizer_create(FS, NFFT, DEPTH, &q) == CS_OK);
    const int o[3] = {
        cs_gsm_channelizer_add(q, 100e3, 64, 40e3, 70e3, CHZ_POWER),   /* every weight > 0 */
        cs_gsm_channelizer_add(q, -300e3, 64, 20e3, 30e3, CHZ_POWER),  /* zeros at the edges */
        cs_gsm_channelizer_add(q, 990e3, 64, 40e3, 70e3, CHZ_POWER),   /* ... and wraps at fs/2 */
    };
    const int twin[3] = {
        cs_gsm_channelizer_add(q, 100e3, 64, 40e3, 70e3, CHZ_BLOCK),
        cs_gsm_channelizer_add(q, -300e3, 64, 20e3, 30e3, CHZ_BLOCK),
        cs_gsm_channelizer_add(q, 990e3, 64, 40e3, 70e3, CHZ_BLOCK),
    };
    for (int i = 0; i < 3; i++) {
        CS_CHECK(o[i] >= 0 && twin[i] >= 0);
        cs_gsm_channelizer_enable(q, o[i], 1);
        cs_gsm_channelizer_enable(q, twin[i], 1);
    }
    double worst_twin = 0.0;
    const size_t n = 200 * cs_gsm_channelizer_hop(q);
    cs_cf32 *x = malloc(n * sizeof *x);
    uint32_t r = 777;
    const double noise = 0.5; /* per sample */
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(gauss(&r) * sqrt(noise / 2)) + I * (float)(gauss(&r) * sqrt(noise / 2));
    CS_CHECK(cs_gsm_channelizer_push(q, x, n) > 0);
    double worst = 0.0, sum_bp[3] = {0}, sum_out[3] = {0};
    unsigned blocks = 0;
    while (cs_gsm_channelizer_next_block(q)) {
        const uint64_t b = cs_gsm_channelizer_blocks(q) - 1;
        blocks++;
        for (int i = 0; i < 3; i++) {
            const double bp = cs_gsm_channelizer_band_power(q, o[i], b), d = direct(q, o[i], b);
            const double e = fabs(bp - d) / d;
            if (e > worst) worst = e;
            sum_bp[i] += bp;
            size_t m;
            uint64_t first;
            const cs_cf32 *y = cs_gsm_channelizer_output(q, o[i], &m, &first);
            double p = 0.0;
            float pw[64];
            for (size_t j = 0; j < m && j < 64; j++) {
                pw[j] = crealf(y[j] * conjf(y[j]));
                p += pw[j];
            }
            sum_out[i] += p / (double)m;
            size_t mt;
            const cs_cf32 *yt = cs_gsm_channelizer_output(q, twin[i], &mt, &first);
            CS_CHECK(mt == m);
            for (size_t j = 0; j < m && j < 64; j++) {
                const double e = fabs(crealf(yt[j] * conjf(yt[j])) - pw[j]) / (p / (double)m);
                if (e > worst_twin) worst_twin = e;
            }
        }
    }
    printf("band power vs direct sum: worst relative error %.2g over %u blocks\n", worst, blocks);
    CS_CHECK(worst < 1e-5);
    printf("power-only samples vs the same output with phase: worst %.2g of the mean power\n",
           worst_twin);
    CS_CHECK(worst_twin < 1e-4);
    for (int i = 0; i < 3; i++) {
        /* density noise / FS: noise * rate / FS * beta per output sample */
        const double expect = noise / cs_gsm_channelizer_decimation(q, o[i]) *
                              cs_gsm_channelizer_noise_fraction(q, o[i]);
        printf("output %d: band power %.4f, output samples %.4f, noise x beta / decimation %.4f\n", i,
               sum_bp[i] / blocks, sum_out[i] / blocks, expect);
        CS_CHECK_NEAR(sum_bp[i] / blocks / expect, 1.0, 0.05);
        CS_CHECK_NEAR(sum_out[i] / sum_bp[i], 1.0, 0.05);
    }
    /* held: the last DEPTH blocks only */
    const uint64_t last = cs_gsm_channelizer_blocks(q) - 1;
    CS_CHECK(cs_gsm_channelizer_band_power(q, o[0], last) >= 0.0);
    CS_CHECK(cs_gsm_channelizer_band_power(q, o[0], last - DEPTH) == -1.0);
    CS_CHECK(cs_gsm_channelizer_band_power(q, o[0], last + 1) == -1.0);
    free(x);
    cs_gsm_channelizer_destroy(q);
    return cs_test_done();
}
