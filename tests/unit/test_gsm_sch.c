/* GSM frame numbers, SCH coding and burst layouts, against the standard and against the
 * real demodulated bursts of vf_call6 (BSIC 6/0): every real SCH burst must be reproduced
 * bit for bit by the encoder and decoded back to BSIC and frame number. */
#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "gsm_burst_file.h"

#define CS_TEST_RAND_SEED 0x13198A2E03707344ull
#include "cs_test_rand.h"

static void test_frame_numbers(void)
{
    int t1, t2, t3;
    CS_CHECK(cs_gsm_fn_to_t123(860911, &t1, &t2, &t3) == CS_OK);
    CS_CHECK(t1 == 649 && t2 == 25 && t3 == 31);
    int round_trip = 1;
    for (uint32_t fn = 0; fn < CS_GSM_HYPERFRAME; fn += 997) {
        uint32_t back = 0;
        cs_gsm_fn_to_t123(fn, &t1, &t2, &t3);
        round_trip &= cs_gsm_t123_to_fn(t1, t2, t3, &back) == CS_OK && back == fn;
    }
    uint32_t back = 0;
    cs_gsm_fn_to_t123(CS_GSM_HYPERFRAME - 1, &t1, &t2, &t3);
    round_trip &= t1 == 2047 && cs_gsm_t123_to_fn(t1, t2, t3, &back) == CS_OK &&
                  back == CS_GSM_HYPERFRAME - 1;
    CS_CHECK(round_trip);
    CS_CHECK(cs_gsm_fn_to_t123(CS_GSM_HYPERFRAME, &t1, &t2, &t3) == CS_EINVAL);
    CS_CHECK(cs_gsm_t123_to_fn(2048, 0, 0, &back) == CS_EINVAL);
    CS_CHECK(cs_gsm_t123_to_fn(0, 26, 0, &back) == CS_EINVAL);
    CS_CHECK(cs_gsm_t123_to_fn(0, 0, 51, &back) == CS_EINVAL);
}

static void test_sch_round_trip(void)
{
    uint8_t coded[78], burst[148];
    CS_CHECK(cs_gsm_sch_encode(6, 0, 860912, coded) == CS_EINVAL); /* FN mod 51 = 32 */
    CS_CHECK(strstr(cs_last_error(), "not an SCH frame") != NULL);
    CS_CHECK(cs_gsm_sch_encode(8, 0, 860911, coded) == CS_EINVAL);
    CS_CHECK(cs_gsm_sch_encode(0, -1, 860911, coded) == CS_EINVAL);
    CS_CHECK(cs_gsm_sch_encode(0, 0, CS_GSM_HYPERFRAME + 1, coded) == CS_EINVAL);

    /* Every BSIC, every T3' and both ends of the hyperframe. */
    const uint32_t fns[] = {1, 11, 21, 31, 41, 52, 860911, CS_GSM_HYPERFRAME - 50,
                            CS_GSM_HYPERFRAME - 10};
    int ok = 1;
    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        for (int bsic = 0; bsic < 64; bsic++) {
            CS_CHECK(fns[f] % 51 % 10 == 1);
            CS_CHECK(cs_gsm_sch_burst(bsic >> 3, bsic & 7, fns[f], burst) == CS_OK);
            float soft[148];
            cs_gsm_bits_to_soft(burst, 148, soft);
            cs_gsm_sch_result r;
            CS_CHECK(cs_gsm_sch_decode_burst(soft, &r) == CS_OK);
            ok &= r.parity_ok && r.valid && r.ncc == bsic >> 3 && r.bcc == (bsic & 7) &&
                  r.fn == fns[f] && r.viterbi.coded_bit_errors == 0;
        }
    }
    CS_CHECK(ok);

    /* Noisy soft values at Es/N0 = 3 dB per coded bit: nearly always right. */
    int right = 0, trials = 1000;
    for (int t = 0; t < trials; t++) {
        uint32_t fn = (uint32_t)(rnd() % (CS_GSM_HYPERFRAME / 51)) * 51 + 1 + 10 * (uint32_t)(rnd() % 5);
        int bsic = (int)(rnd() % 64);
        cs_gsm_sch_encode(bsic >> 3, bsic & 7, fn, coded);
        float soft[78];
        const double sigma = sqrt(1.0 / (2.0 * pow(10.0, 0.3)));
        for (int i = 0; i < 78; i++)
            soft[i] = (float)((coded[i] ? -1.0 : 1.0) + sigma * gauss());
        cs_gsm_sch_result r;
        cs_gsm_sch_decode(soft, &r);
        right += r.valid && r.fn == fn && r.ncc == bsic >> 3 && r.bcc == (bsic & 7);
    }
    printf("SCH at Es/N0 3 dB: %d/%d decoded\n", right, trials);
    CS_CHECK(right >= 990);

    /* Pure noise passes the 10-bit parity about once in 1024. */
    int false_ok = 0;
    for (int t = 0; t < 4000; t++) {
        float soft[78];
        for (int i = 0; i < 78; i++)
            soft[i] = (float)gauss();
        cs_gsm_sch_result r;
        cs_gsm_sch_decode(soft, &r);
        false_ok += r.parity_ok;
    }
    printf("SCH parity passed on %d of 4000 noise inputs (expected about 4)\n", false_ok);
    CS_CHECK(false_ok <= 15);
}

static void test_burst_layouts(void)
{
    uint8_t b[148], tr[64];
    cs_gsm_fcch_burst(b);
    int zeros = 1;
    for (int i = 0; i < 148; i++)
        zeros &= b[i] == 0;
    CS_CHECK(zeros);
    cs_gsm_sch_training(tr);
    CS_CHECK(tr[0] == 1 && tr[1] == 0 && tr[63] == 1);
    cs_gsm_dummy_burst(b);
    CS_CHECK(b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 1 && b[144] == 0 && b[145] == 0 &&
             b[147] == 0);
    uint8_t tsc[26];
    CS_CHECK(cs_gsm_nb_training(8, tsc) == CS_EINVAL);
    /* The eight training sequences are distinct. */
    uint8_t all[8][26];
    for (int t = 0; t < 8; t++)
        CS_CHECK(cs_gsm_nb_training(t, all[t]) == CS_OK);
    int distinct = 1;
    for (int a = 0; a < 8; a++)
        for (int c = a + 1; c < 8; c++)
            distinct &= memcmp(all[a], all[c], 26) != 0;
    CS_CHECK(distinct);
}

static void test_real_bursts(void)
{
    vf_burst *b = NULL;
    size_t n = vf_load(&b);
    if (n == 0)
        return;
    CS_CHECK_MSG(n == 17073, "%zu records", n);
    uint8_t training[64], expect[148], fcch[148], dummy[148];
    cs_gsm_sch_training(training);
    cs_gsm_fcch_burst(fcch);
    cs_gsm_dummy_burst(dummy);
    int labelled_sch = 0, sch = 0, encoded = 0, decoded = 0, garbage_rejected = 0;
    int fcch_count = 0, fcch_ok = 0, dummy_count = 0, dummy_ok = 0;
    uint32_t first_fn = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i].subtype == VF_FCCH) {
            fcch_count++;
            fcch_ok += !memcmp(b[i].bits, fcch, 148) && b[i].timeslot == 0 &&
                       b[i].fn % 51 % 10 == 0;
        }
        if (b[i].subtype == VF_DUMMY) {
            dummy_count++;
            dummy_ok += !memcmp(b[i].bits, dummy, 148);
        }
        labelled_sch += b[i].subtype == VF_SCH;
        float soft[148];
        cs_gsm_bits_to_soft(b[i].bits, 148, soft);
        cs_gsm_sch_result r;
        if (memcmp(b[i].bits + 42, training, 64) != 0) {
            /* Records labelled SCH whose bits are not an SCH burst must not decode. */
            if (b[i].subtype == VF_SCH) {
                cs_gsm_sch_decode_burst(soft, &r);
                garbage_rejected += !r.parity_ok;
            }
            continue;
        }
        sch++;
        if (sch == 1)
            first_fn = b[i].fn;
        CS_CHECK(b[i].subtype == VF_SCH && b[i].timeslot == 0);
        CS_CHECK(cs_gsm_sch_burst(6, 0, b[i].fn, expect) == CS_OK);
        encoded += !memcmp(expect, b[i].bits, 148);
        CS_CHECK(cs_gsm_sch_decode_burst(soft, &r) == CS_OK);
        int good = r.parity_ok && r.valid && r.ncc == 6 && r.bcc == 0 && r.fn == b[i].fn &&
                   r.viterbi.coded_bit_errors == 0;
        decoded += good;
        if (!good)
            fprintf(stderr, "SCH record %zu FN %u: parity %d BSIC %d/%d FN %u\n", i, b[i].fn,
                    r.parity_ok, r.ncc, r.bcc, r.fn);
    }
    printf("%d records labelled SCH, %d carry the SCH training sequence: %d encoded bit-exact, "
           "%d decoded; %d labelled SCH without training rejected by parity\n",
           labelled_sch, sch, encoded, decoded, garbage_rejected);
    printf("FCCH %d/%d all zero; dummy %d/%d as TS 45.002\n", fcch_ok, fcch_count, dummy_ok,
           dummy_count);
    CS_CHECK(labelled_sch == 209);
    /* The last 10 records labelled SCH (FN 862400..862492) lie in a stretch where the
     * capture's bits are corrupt (no training sequence in any burst type): 199 remain. */
    CS_CHECK(sch == 199);
    CS_CHECK(garbage_rejected == labelled_sch - sch);
    CS_CHECK(encoded == sch && decoded == sch);
    CS_CHECK(first_fn == 860911);
    CS_CHECK(fcch_count == 209 && fcch_ok == 209);
    CS_CHECK(dummy_count == 8636 && dummy_ok == dummy_count);
    free(b);
}

int main(void)
{
    test_frame_numbers();
    test_sch_round_trip();
    test_burst_layouts();
    test_real_bursts();
    return vf_finish();
}
