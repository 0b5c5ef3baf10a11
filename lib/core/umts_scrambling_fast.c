/* CPICH reference chips from tabulated m-sequences. The downlink scrambling code n is
 * z_n(i) = x(i + n) xor y(i) (TS 25.213 §5.2.2) with the Q branch 131072 chips on; with
 * both 2^18 - 1 periodic sequences tabulated once (twice over, so no index wraps), any
 * span of any code is two table look-ups per chip. Packed 16 chips to a word, a primary
 * code (n = 16 psc) and the Q offset (131072 = 16 * 8192) fall on word boundaries, so 16
 * chips of any primary code are one XOR of two table words. umts_scrambling.c remains the
 * reference; the unit tests check that both forms agree with it. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "cellscan/umts_codes.h"
#include "umts_internal.h"

#define PERIOD 262143u
#define Q_OFFSET 131072u

#define WORDS (2 * PERIOD / 16)

static uint8_t seq_x[2 * PERIOD], seq_y[2 * PERIOD];
static uint16_t word_x[WORDS], word_y[WORDS]; /* bit k of word w: chip 16 w + k */
static float bit_values[256][8];               /* bit k of the index as 0 or 1 */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    /* x(0) = 1, x(1..17) = 0, x(i+18) = x(i+7) ^ x(i); y(0..17) = 1,
     * y(i+18) = y(i+10) ^ y(i+7) ^ y(i+5) ^ y(i). */
    for (unsigned i = 0; i < 18; i++) {
        seq_x[i] = i == 0;
        seq_y[i] = 1;
    }
    for (unsigned i = 0; i + 18 < 2 * PERIOD; i++) {
        seq_x[i + 18] = seq_x[i + 7] ^ seq_x[i];
        seq_y[i + 18] = seq_y[i + 10] ^ seq_y[i + 7] ^ seq_y[i + 5] ^ seq_y[i];
    }
    for (unsigned w = 0; w < WORDS; w++) {
        unsigned bx = 0, by = 0;
        for (unsigned k = 0; k < 16; k++) {
            bx |= (unsigned)seq_x[16 * w + k] << k;
            by |= (unsigned)seq_y[16 * w + k] << k;
        }
        word_x[w] = (uint16_t)bx;
        word_y[w] = (uint16_t)by;
    }
    for (unsigned b = 0; b < 256; b++)
        for (unsigned k = 0; k < 8; k++) bit_values[b][k] = (float)((b >> k) & 1);
}

int umts_cpich_code(int psc, size_t first_chip, size_t count, float *cr, float *ci)
{
    if (psc < 0 || psc >= CS_UMTS_NUM_PSC || first_chip > CS_UMTS_FRAME_CHIPS ||
        count > CS_UMTS_FRAME_CHIPS - first_chip)
        return -1;
    pthread_once(&tables_once, build_tables);
    const size_t n = (size_t)cs_umts_psc_code_number(psc);
    const uint8_t *xi = seq_x + n + first_chip, *yi = seq_y + first_chip;
    const uint8_t *xq = seq_x + n + Q_OFFSET + first_chip, *yq = seq_y + Q_OFFSET + first_chip;
    for (size_t i = 0; i < count; i++) {
        const int bi = xi[i] ^ yi[i], bq = xq[i] ^ yq[i];
        /* I = 1 - 2 bi, Q = 1 - 2 bq; conj(S (1+j) / 2) = ((I - Q) - j (I + Q)) / 2 */
        cr[i] = (float)(bq - bi);
        ci[i] = (float)(bi + bq - 1);
    }
    return 0;
}

int umts_code_words(int psc, size_t first_word, size_t n_words, uint16_t *iw, uint16_t *qw)
{
    if (psc < 0 || psc >= CS_UMTS_NUM_PSC || first_word > UMTS_FRAME_WORDS ||
        n_words > UMTS_FRAME_WORDS - first_word)
        return -1;
    pthread_once(&tables_once, build_tables);
    const size_t q = Q_OFFSET / 16;
    const uint16_t *xi = word_x + psc + first_word, *yi = word_y + first_word;
    const uint16_t *xq = word_x + psc + q + first_word, *yq = word_y + q + first_word;
    for (size_t w = 0; w < n_words; w++) {
        iw[w] = (uint16_t)(xi[w] ^ yi[w]);
        qw[w] = (uint16_t)(xq[w] ^ yq[w]);
    }
    return 0;
}

void umts_code_expand(const uint16_t *iw, const uint16_t *qw, size_t n_words, float *cr, float *ci)
{
    pthread_once(&tables_once, build_tables);
    for (size_t h = 0; h < 2 * n_words; h++) { /* 8 chips at a time through the bit table */
        const unsigned sh = 8 * (unsigned)(h & 1);
        const float *bi = bit_values[(iw[h / 2] >> sh) & 0xFFu], *bq = bit_values[(qw[h / 2] >> sh) & 0xFFu];
        float *r = cr + 8 * h, *i = ci + 8 * h;
        for (int k = 0; k < 8; k++) {
            r[k] = bq[k] - bi[k];
            i[k] = bi[k] + bq[k] - 1.0f;
        }
    }
}

const uint16_t *umts_code_word_tables(const uint16_t **y)
{
    pthread_once(&tables_once, build_tables);
    *y = word_y;
    return word_x;
}
