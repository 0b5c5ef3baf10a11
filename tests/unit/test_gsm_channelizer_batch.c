/* The GSM channelizer read in batches: a consumer that takes every output of several
 * blocks in a row (cs_gsm_channelizer_output_at over the last `depth` blocks) gets exactly
 * what it gets block by block, an output opened from a later block (enable_from) starts
 * there, and blocks no longer held give nothing. */
#include <math.h>
#include <stdio.h>

#include "cellscan/status.h"
#include "cs_test.h"
#include "gsm_channelizer.h"

#define FS 2e6
#define NFFT 512
#define DEPTH 5

/* A noisy two-tone signal (deterministic). */
static void make_signal(cs_cf32 *x, size_t n)
{
    uint32_t r = 12345;
    for (size_t i = 0; i < n; i++) {
        r = r * 1664525u + 1013904223u;
        const float u = (float)(r >> 8) / 16777216.0f - 0.5f;
        r = r * 1664525u + 1013904223u;
        const float v = (float)(r >> 8) / 16777216.0f - 0.5f;
        const double a = 2.0 * M_PI * 301e3 * (double)i / FS;
        const double b = 2.0 * M_PI * -455e3 * (double)i / FS;
        x[i] = (float)(cos(a) + 0.5 * cos(b) + 0.1 * u) +
               I * (float)(sin(a) + 0.5 * sin(b) + 0.1 * v);
    }
}

/* Outputs: one per phase mode, each at its own centre. */
static void add_outputs(cs_gsm_channelizer q, int *o)
{
    o[0] = cs_gsm_channelizer_add(q, 300e3, 64, 80e3, 120e3, CHZ_EXACT);
    o[1] = cs_gsm_channelizer_add(q, -450e3, 32, 30e3, 60e3, CHZ_BLOCK);
    o[2] = cs_gsm_channelizer_add(q, 0.0, 128, 90e3, 130e3, CHZ_POWER);
}

int main(void)
{
    const size_t n = 60000;
    cs_cf32 *x = malloc(n * sizeof *x);
    make_signal(x, n);
    cs_gsm_channelizer one, many;
    CS_CHECK(cs_gsm_channelizer_create(FS, NFFT, 1, &one) == CS_OK);
    CS_CHECK(cs_gsm_channelizer_create(FS, NFFT, DEPTH, &many) == CS_OK);
    CS_CHECK(cs_gsm_channelizer_depth(many) == DEPTH);
    cs_gsm_channelizer bad;
    CS_CHECK(cs_gsm_channelizer_create(FS, NFFT, 0, &bad) == CS_EINVAL);
    int o1[3], om[3];
    add_outputs(one, o1);
    add_outputs(many, om);
    for (int i = 0; i < 3; i++) {
        CS_CHECK(o1[i] >= 0 && om[i] >= 0);
        cs_gsm_channelizer_enable(one, o1[i], 1);
        cs_gsm_channelizer_enable(many, om[i], 1);
    }
    /* block by block: every output of every block, in order, concatenated */
    size_t cap = 3 * n, len1 = 0;
    cs_cf32 *ref = malloc(cap * sizeof *ref);
    uint64_t nblocks = 0;
    cs_gsm_channelizer_push(one, x, n);
    cs_gsm_channelizer_finish(one);
    while (cs_gsm_channelizer_next_block(one)) {
        for (int i = 0; i < 3; i++) {
            size_t k;
            uint64_t first;
            const cs_cf32 *y = cs_gsm_channelizer_output(one, o1[i], &k, &first);
            memcpy(ref + len1, y, k * sizeof *y);
            len1 += k;
        }
        nblocks++;
    }
    /* in batches of DEPTH blocks, output by output (as the scanner takes channels) */
    size_t lenm = 0, mismatches = 0;
    uint64_t done = 0;
    cs_gsm_channelizer_push(many, x, n);
    cs_gsm_channelizer_finish(many);
    cs_cf32 *got = malloc(cap * sizeof *got);
    for (;;) {
        const int more = cs_gsm_channelizer_next_block(many);
        const uint64_t have = cs_gsm_channelizer_blocks(many);
        if (more && have - done < DEPTH) continue;
        /* blocks [done, have): place each block's outputs where block-by-block put them */
        for (uint64_t b = done; b < have; b++) {
            size_t pos = lenm;
            for (int i = 0; i < 3; i++) {
                size_t k;
                uint64_t first;
                const cs_cf32 *y = cs_gsm_channelizer_output_at(many, om[i], b, &k, &first);
                memcpy(got + pos, y, k * sizeof *y);
                pos += k;
            }
            lenm = pos;
        }
        done = have;
        if (!more) break;
    }
    CS_CHECK(cs_gsm_channelizer_blocks(many) == nblocks);
    CS_CHECK_MSG(len1 == lenm && len1 > 0, "%zu and %zu samples", len1, lenm);
    for (size_t j = 0; j < len1 && j < lenm; j++)
        if (memcmp(&ref[j], &got[j], sizeof ref[j]) != 0) mismatches++;
    printf("%llu blocks, %zu samples, %zu differ\n", (unsigned long long)nblocks, len1, mismatches);
    CS_CHECK(mismatches == 0);
    /* blocks no longer held (or not yet made) give no samples */
    size_t k = 1;
    cs_gsm_channelizer_output_at(many, om[0], nblocks - DEPTH - 1, &k, NULL);
    CS_CHECK(k == 0);
    k = 1;
    cs_gsm_channelizer_output_at(many, om[0], nblocks, &k, NULL);
    CS_CHECK(k == 0);
    k = 0;
    cs_gsm_channelizer_output_at(many, om[0], nblocks - DEPTH, &k, NULL);
    CS_CHECK(k > 0);
    /* an output opened from a later block has nothing before it, everything from it */
    const int late = cs_gsm_channelizer_add(many, 300e3, 64, 80e3, 120e3, CHZ_BLOCK);
    cs_gsm_channelizer_enable_from(many, late, 1, nblocks - 2);
    CS_CHECK(cs_gsm_channelizer_enabled(many, late));
    k = 1;
    cs_gsm_channelizer_output_at(many, late, nblocks - 3, &k, NULL);
    CS_CHECK(k == 0);
    k = 0;
    cs_gsm_channelizer_output_at(many, late, nblocks - 2, &k, NULL);
    CS_CHECK(k > 0);
    cs_gsm_channelizer_destroy(one);
    cs_gsm_channelizer_destroy(many);
    free(x);
    free(ref);
    free(got);
    return cs_test_done();
}
