/* Side lobes of the P-SCH correlation as the searcher sees them: RC-shaped chips at 2
 * samples per chip, correlated with the code; the envelope over sub-sample timing (0 and
 * half a sample) and residual frequency (0, +-2.5 kHz, +-5 kHz: up to one default grid step),
 * normalised to its own peak. Computed once. */
#include <complex.h>
#include <math.h>
#include <pthread.h>

#include "cellscan/umts_codes.h"
#include "cellscan/umts_psch_sync.h"
#include "umts_internal.h"

#define REACH 552 /* samples: 256 chips of code plus the RC pulse's tails */
#define PULSE_CHIPS 12

static float envelope[2 * REACH + 1];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    static const int inner[16] = { 1, 1, 1, 1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1 };
    static const int outer[16] = { 1, 1, 1, -1, -1, 1, -1, -1, 1, 1, 1, -1, 1, -1, 1, 1 };
    int8_t c[CS_UMTS_SCH_CHIPS];
    cs_umts_psc_chips(c);
    /* waveform samples n = -N0 .. LEN - N0 - 1 relative to chip 0 */
    enum { N0 = REACH + 2 * PULSE_CHIPS + 32, LEN = 2 * N0 + 2 * CS_UMTS_SCH_CHIPS };
    static double complex w[LEN], u[LEN], rot[5][LEN];
    static double base[LEN], pulse[4 * PULSE_CHIPS + 1];
    const double eps[2] = { 0.0, 0.5 };
    const double freqs[5] = { 0.0, 2500.0, -2500.0, 5000.0, -5000.0 };
    /* the frequency rotations do not depend on the timing: once (cexp dominated the cost) */
    for (int fi = 0; fi < 5; fi++)
        for (int n = 0; n < LEN; n++) rot[fi][n] = cexp(2.0 * M_PI * I * freqs[fi] * (n - N0) / UMTS_FS_HZ);
    for (int e = 0; e < 2; e++) {
        /* chip pulses at half-chip steps, shifted by eps samples */
        for (int k = -2 * PULSE_CHIPS; k <= 2 * PULSE_CHIPS; k++)
            pulse[k + 2 * PULSE_CHIPS] = umts_rc_pulse((k - eps[e]) / 2.0);
        for (int n = 0; n < LEN; n++) {
            /* only the chips whose pulse reaches sample n: k = n - N0 - 2 i in +-2 PULSE_CHIPS
             * (ascending i, the order of the full sum, so the table is the same to the bit) */
            const int i_lo = (n - N0 - 2 * PULSE_CHIPS + 1) / 2 > 0 ? (n - N0 - 2 * PULSE_CHIPS + 1) / 2 : 0;
            double v = 0;
            for (int i = i_lo; i < CS_UMTS_SCH_CHIPS; i++) {
                int k = n - N0 - 2 * i;
                if (k < -2 * PULSE_CHIPS) break;
                if (k <= 2 * PULSE_CHIPS) v += c[i] * pulse[k + 2 * PULSE_CHIPS];
            }
            base[n] = v;
        }
        for (int fi = 0; fi < 5; fi++) {
            for (int n = 0; n < LEN; n++) w[n] = base[n] * rot[fi][n];
            /* hierarchical correlation: inner 16 taps 2 samples apart, outer 16 taps 32 apart */
            for (int n = 0; n + 30 < LEN; n++) {
                double complex v = 0;
                for (int q = 0; q < 16; q++) v += inner[q] * w[n + 2 * q];
                u[n] = v;
            }
            double corr2[2 * REACH + 1], peak = 0;
            for (int d = -REACH; d <= REACH; d++) {
                double complex acc = 0;
                for (int p = 0; p < 16; p++) acc += outer[p] * u[N0 + d + 32 * p];
                corr2[d + REACH] = creal(acc * conj(acc));
                if (corr2[d + REACH] > peak) peak = corr2[d + REACH];
            }
            for (int d = 0; d <= 2 * REACH; d++) {
                float v = (float)(corr2[d] / peak);
                if (v > envelope[d]) envelope[d] = v;
            }
        }
    }
}

double cs_umts_psch_sidelobe(int delta)
{
    if (delta < -REACH || delta > REACH) return 0.0;
    pthread_once(&once, build);
    return envelope[delta + REACH];
}

const float *umts_psch_sidelobe_table(void)
{
    pthread_once(&once, build);
    return envelope + REACH;
}
