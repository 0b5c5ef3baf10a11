/* UMTS cell at chip level (synth_umts_cell.c): every channel at its power and place
 * (TS 25.211/25.213): P-SCH and the group's S-SCH sequence with sign a in the first 256
 * chips of each slot, CPICH symbol 1+j on code 0, P-CCPCH on code 1 silent under the SCH,
 * OCNS filling the total to 1; the S-SCH sequence identifies the group and frame timing. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "cs_test.h"
#include "synth_internal.h"

static double db2lin(double db) { return pow(10.0, db / 10.0); }

static void check_cell(int psc, int sign, double cpich_db, double pccpch_db, double sch_db)
{
    cs_synth_scenario *sc;
    cs_synth_scenario_create(&sc);
    cs_synth_umts *u = cs_synth_scenario_add_umts(sc);
    u->psc = psc;
    u->sch_sign = sign;
    u->cpich_db = cpich_db;
    u->pccpch_db = pccpch_db;
    u->psch_db = u->ssch_db = sch_db;
    synth_umts_cell *cell;
    CS_CHECK(synth_umts_cell_create(u, 5, 0, &cell) == CS_OK);
    static cs_cf32 chips[CS_UMTS_SLOT_CHIPS], scr[CS_UMTS_FRAME_CHIPS], psc_c[256], ssc_c[256];
    cs_umts_scrambling_cf32(16 * psc, 0, CS_UMTS_FRAME_CHIPS, scr);
    cs_umts_psc_cf32(psc_c);
    const double g_sch = sqrt(db2lin(sch_db)) * M_SQRT1_2;
    double energy = 0, max_cpich_err = 0, pccpch_pow = 0, silent = 0;
    int ssc_right = 0, sign_right = 0, n_pc = 0;
    uint8_t seq[15];
    /* The SCH is not orthogonal to the scrambled channels: average its correlations
     * coherently over many frames (random data averages out, the SCH does not). */
    enum { FRAMES = 300 };
    static cs_cf32 ssc_acc[15][16], psc_acc[15];
    memset(ssc_acc, 0, sizeof ssc_acc);
    memset(psc_acc, 0, sizeof psc_acc);
    for (int f = 0; f < FRAMES; f++)
        for (int s = 0; s < 15; s++) {
            synth_umts_cell_slot(cell, s, chips);
            /* the CPICH repeats every frame: take its known chips out first */
            static cs_cf32 rest[256];
            const cs_cf32 cp = (float)sqrt(db2lin(cpich_db)) * (1.0f + I) * 0.5f;
            for (int i = 0; i < 256; i++) rest[i] = chips[i] - cp * scr[s * CS_UMTS_SLOT_CHIPS + i];
            cs_cf32 corr[16];
            cs_umts_ssc_correlate(rest, corr);
            for (int k = 0; k < 16; k++) ssc_acc[s][k] += corr[k] / (512.0f * FRAMES);
            for (int i = 0; i < 256; i++) psc_acc[s] += rest[i] * conjf(psc_c[i]) / (512.0f * FRAMES);
            if (f > 0) continue;
            for (int i = 0; i < CS_UMTS_SLOT_CHIPS; i++) energy += crealf(chips[i] * conjf(chips[i]));
            /* CPICH and P-CCPCH on symbols 1..9 (orthogonal codes: exact) */
            for (int sym = 1; sym < 10; sym++) {
                cs_cf32 c0 = 0, c1 = 0;
                for (int i = 0; i < 256; i++) {
                    const int j = sym * 256 + i;
                    const cs_cf32 d = chips[j] * conjf(scr[s * CS_UMTS_SLOT_CHIPS + j]) * (float)M_SQRT1_2;
                    c0 += d;
                    c1 += i < 128 ? d : -d;
                }
                c0 /= 256.0f;
                c1 /= 256.0f;
                const cs_cf32 want = (float)sqrt(db2lin(cpich_db)) * (1.0f + I) * (float)M_SQRT1_2;
                max_cpich_err = fmax(max_cpich_err, cabsf(c0 - want));
                pccpch_pow += crealf(c1 * conjf(c1));
                n_pc++;
            }
            /* P-CCPCH is off in symbol 0: remove the expected SCH, then despread code 1 */
            cs_umts_ssc_cf32(cs_umts_ssc_number(psc / 8, s), ssc_c);
            cs_cf32 c1 = 0;
            for (int i = 0; i < 256; i++) {
                const cs_cf32 sch = (float)(sign * g_sch) * (psc_c[i] + ssc_c[i]);
                const cs_cf32 d = (chips[i] - sch) * conjf(scr[s * CS_UMTS_SLOT_CHIPS + i]) * (float)M_SQRT1_2;
                c1 += i < 128 ? d : -d;
            }
            c1 /= 256.0f;
            silent = fmax(silent, crealf(c1 * conjf(c1)));
        }
    for (int s = 0; s < 15; s++) {
        int best = 0;
        for (int k = 1; k < 16; k++)
            if (cabsf(ssc_acc[s][k]) > cabsf(ssc_acc[s][best])) best = k;
        seq[s] = (uint8_t)(best + 1);
        ssc_right += best + 1 == cs_umts_ssc_number(psc / 8, s);
        sign_right += fabs(crealf(psc_acc[s]) - sign * g_sch) < 0.05 * g_sch &&
                      fabs(crealf(ssc_acc[s][best]) - sign * g_sch) < 0.05 * g_sch;
    }
    cs_umts_group_match m;
    CS_CHECK(cs_umts_ssc_decode_hard(seq, &m) == CS_OK);
    printf("PSC %d a=%+d: frame power %.4f, SSC %d/15, sign %d/15, CPICH error %.2g, P-CCPCH %.4f "
           "(want %.4f), under SCH %.2g, group %d slot %d\n", psc, sign, energy / CS_UMTS_FRAME_CHIPS,
           ssc_right, sign_right, max_cpich_err, pccpch_pow / n_pc, db2lin(pccpch_db), silent, m.group,
           m.first_slot);
    CS_CHECK_NEAR(energy / CS_UMTS_FRAME_CHIPS, 1.0, 0.03); /* random OCNS symbols: ~1% spread */
    CS_CHECK(ssc_right == 15 && sign_right == 15);
    CS_CHECK(max_cpich_err < 1e-5);
    CS_CHECK_NEAR(pccpch_pow / n_pc, db2lin(pccpch_db), 1e-5);
    CS_CHECK(silent < 1e-10);
    CS_CHECK(m.group == psc / 8 && m.first_slot == 0);
    synth_umts_cell_destroy(cell);
    cs_synth_scenario_destroy(sc);
}

int main(void)
{
    check_cell(366, -1, -10, -12, -15);
    check_cell(0, +1, -7, -9, -12);
    check_cell(511, -1, -13, -20, -18);
    /* Power split: OCNS fills what the fixed channels leave (duty of SCH 1/10, P-CCPCH 9/10). */
    cs_synth_umts u = { .psc = 1, .cpich_db = -10, .pccpch_db = -12, .psch_db = -15, .ssch_db = -15,
                        .ocns_codes = 16 };
    double cp, pc, ps, ss, oc;
    CS_CHECK(synth_umts_power_split(&u, &cp, &pc, &ps, &ss, &oc) == CS_OK);
    CS_CHECK_NEAR(oc, 1 - 0.1 - 0.9 * db2lin(-12) - 0.1 * 2 * db2lin(-15), 1e-12);
    u.ocns_codes = 0;
    CS_CHECK(synth_umts_power_split(&u, &cp, &pc, &ps, &ss, &oc) == CS_EINVAL);
    return cs_test_done();
}
