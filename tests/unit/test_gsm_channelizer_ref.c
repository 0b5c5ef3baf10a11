/* The GSM channelizer fed without a copy (push_ref / release, as the scanner feeds it):
 * every block's spectrum is bit for bit what the copying push gives, whatever the chunk
 * sizes (smaller than a block, blocks straddling two chunks, many blocks in one) and
 * whether or not the chunks share the FFT plan's alignment (else the input is copied);
 * the caller's buffer may be overwritten after release. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cs_test.h"
#include "gsm_channelizer.h"

#define FS 2e6
#define NFFT 512
#define DEPTH 4
#define LEN 40000

static void make_signal(cs_cf32 *x, size_t n)
{
    uint32_t r = 777;
    for (size_t i = 0; i < n; i++) {
        r = r * 1664525u + 1013904223u;
        const float u = (float)(r >> 8) / 16777216.0f - 0.5f;
        r = r * 1664525u + 1013904223u;
        const float v = (float)(r >> 8) / 16777216.0f - 0.5f;
        const double a = 2.0 * M_PI * 123e3 * (double)i / FS;
        x[i] = (float)(cos(a) + 0.2 * u) + I * (float)(sin(a) + 0.2 * v);
    }
}

/* All block spectra (NFFT each) and first samples of x fed in the given chunk sizes
 * (cycled), by copy or by reference; chunks are copied first into a scratch buffer at
 * `shift` samples into it (an odd shift breaks the plan's alignment), which is scribbled
 * over after each release. Returns the number of blocks. */
static size_t run(const cs_cf32 *x, const size_t *chunks, size_t nchunks, int by_ref,
                  size_t shift, cs_cf32 *spectra, int64_t *starts, size_t max_blocks)
{
    cs_gsm_channelizer q;
    if (cs_gsm_channelizer_create(FS, NFFT, DEPTH, &q) != CS_OK) return 0;
    cs_cf32 *scratch = malloc((LEN + 16) * sizeof *scratch);
    size_t blocks = 0, off = 0, c = 0;
    int ok = scratch != NULL;
    while (ok && off <= LEN) {
        int ready;
        if (off == LEN) {
            ready = cs_gsm_channelizer_finish(q);
            off++;
        } else {
            size_t m = chunks[c++ % nchunks];
            if (m > LEN - off) m = LEN - off;
            memcpy(scratch + shift, x + off, m * sizeof *x);
            ready = by_ref ? cs_gsm_channelizer_push_ref(q, scratch + shift, m)
                           : cs_gsm_channelizer_push(q, scratch + shift, m);
            off += m;
        }
        ok = ready >= 0;
        while (ok && cs_gsm_channelizer_next_block(q)) {
            if (blocks == max_blocks) {
                ok = 0;
                break;
            }
            int64_t st;
            const cs_cf32 *sp = cs_gsm_channelizer_spectrum_at(q, blocks, &st);
            memcpy(spectra + blocks * NFFT, sp, NFFT * sizeof *sp);
            starts[blocks++] = st;
        }
        if (ok && by_ref) ok = cs_gsm_channelizer_release(q) == CS_OK;
        /* the channelizer must not read the caller's samples after release */
        for (size_t i = 0; i < LEN + 16; i++) scratch[i] = NAN;
    }
    free(scratch);
    cs_gsm_channelizer_destroy(q);
    return ok ? blocks : 0;
}

int main(void)
{
    cs_cf32 *x = malloc(LEN * sizeof *x);
    const size_t max_blocks = LEN / (NFFT / 2) + 8;
    cs_cf32 *ref = malloc(max_blocks * NFFT * sizeof *ref), *got = malloc(max_blocks * NFFT * sizeof *got);
    int64_t *ref_st = malloc(max_blocks * sizeof *ref_st), *got_st = malloc(max_blocks * sizeof *got_st);
    CS_CHECK(x && ref && got && ref_st && got_st);
    if (!x || !ref || !got || !ref_st || !got_st) return cs_test_done();
    make_signal(x, LEN);
    const size_t whole[] = {LEN};
    const size_t nref = run(x, whole, 1, 0, 0, ref, ref_st, max_blocks);
    /* hop 384: blocks end 512 samples after they start */
    CS_CHECK(nref == (LEN + NFFT) / (3 * NFFT / 4));
    const size_t sizes[][4] = {
        {4096, 4096, 4096, 4096}, /* many blocks a chunk, blocks straddling chunks */
        {100, 37, 700, 1},        /* chunks smaller than a block */
        {384, 384, 384, 384},     /* exactly a hop */
        {1000, 9000, 513, 511},
    };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        for (size_t shift = 0; shift < 2; shift++) {
            const size_t n = run(x, sizes[k], 4, 1, shift, got, got_st, max_blocks);
            CS_CHECK_MSG(n == nref, "sizes %zu shift %zu: %zu blocks, expected %zu", k, shift,
                         n, nref);
            if (n != nref) continue;
            CS_CHECK_MSG(memcmp(got_st, ref_st, n * sizeof *got_st) == 0,
                         "sizes %zu shift %zu: block starts differ", k, shift);
            CS_CHECK_MSG(memcmp(got, ref, n * NFFT * sizeof *got) == 0,
                         "sizes %zu shift %zu: spectra differ", k, shift);
        }
    free(x);
    free(ref);
    free(got);
    free(ref_st);
    free(got_st);
    return cs_test_done();
}
