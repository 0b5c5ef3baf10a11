/* CPICH reference chips from tabulated m-sequences. The downlink scrambling code n is
 * z_n(i) = x(i + n) xor y(i) (TS 25.213 §5.2.2) with the Q branch 131072 chips on; with
 * both 2^18 - 1 periodic sequences tabulated once (twice over, so no index wraps), any
 * span of any code is two table look-ups per chip. umts_scrambling.c remains the
 * reference; the unit test checks the two agree. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "cellscan/umts_codes.h"
#include "umts_internal.h"

#define PERIOD 262143u
#define Q_OFFSET 131072u

static uint8_t seq_x[2 * PERIOD], seq_y[2 * PERIOD];
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
