/* xCCH coding (Fire code, convolutional code, interleaving, normal bursts), the SI3 and
 * empty-paging messages, and the real BCCH/CCCH blocks of vf_call6: every clean block must
 * pass the Fire check, re-encode to the very same bursts, and SI3 must give the cell
 * identity MCC 262, MNC 02, LAC 318, CI 11225. */
#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "gsm_burst_file.h"

#define CS_TEST_RAND_SEED 0xA4093822299F31D0ull
#include "cs_test_rand.h"

static void random_block(uint8_t l2[23])
{
    for (int i = 0; i < 23; i++)
        l2[i] = (uint8_t)(rnd() >> 56);
}

static void test_fire_code(void)
{
    uint8_t d[184], p[40];
    for (int i = 0; i < 184; i++)
        d[i] = (uint8_t)(rnd() >> 63);
    cs_gsm_fire_parity(d, p);
    CS_CHECK(cs_gsm_fire_check(d, p) == 1);
    /* All-zero data: the remainder is zero, so the inverted parity is all ones. */
    uint8_t zero[184] = {0};
    cs_gsm_fire_parity(zero, p);
    int ones = 1;
    for (int j = 0; j < 40; j++)
        ones &= p[j] == 1;
    CS_CHECK(ones);
    /* Every error burst of length 1..40 anywhere in the 224-bit word is detected. */
    uint8_t word[224];
    memcpy(word, d, 184);
    cs_gsm_fire_parity(d, word + 184);
    int detected = 1;
    for (int t = 0; t < 3000; t++) {
        uint8_t w[224];
        memcpy(w, word, 224);
        int len = 1 + (int)(rnd() % 40), start = (int)(rnd() % (224 - len + 1));
        w[start] ^= 1; /* a burst starts and ends with an error */
        w[start + len - 1] ^= (uint8_t)(len > 1);
        for (int i = start + 1; i < start + len - 1; i++)
            w[i] ^= (uint8_t)(rnd() >> 63);
        detected &= cs_gsm_fire_check(w, w + 184) == 0;
    }
    CS_CHECK(detected);
}

static void test_round_trip(void)
{
    uint8_t l2[23], out[23], payload[4][114];
    float soft[4][114];
    cs_gsm_xcch_result r;
    int ok = 1;
    for (int t = 0; t < 200; t++) {
        random_block(l2);
        CS_CHECK(cs_gsm_xcch_encode(l2, payload) == CS_OK);
        for (int b = 0; b < 4; b++)
            cs_gsm_bits_to_soft(payload[b], 114, soft[b]);
        CS_CHECK(cs_gsm_xcch_decode((const float(*)[114])soft, out, &r) == CS_OK);
        ok &= r.fire_ok && !memcmp(l2, out, 23) && r.viterbi.coded_bit_errors == 0;
    }
    CS_CHECK(ok);

    /* A whole burst lost (soft 0) plus noise on the rest at Es/N0 6 dB: the interleaver
     * spreads the loss, the code recovers the block. */
    int recovered = 0, false_ok = 0;
    const double sigma = sqrt(1.0 / (2.0 * pow(10.0, 0.6)));
    for (int t = 0; t < 300; t++) {
        random_block(l2);
        cs_gsm_xcch_encode(l2, payload);
        int lost = t % 4;
        for (int b = 0; b < 4; b++)
            for (int i = 0; i < 114; i++)
                soft[b][i] = b == lost ? 0.0f
                                       : (float)((payload[b][i] ? -1.0 : 1.0) + sigma * gauss());
        cs_gsm_xcch_decode((const float(*)[114])soft, out, &r);
        recovered += r.fire_ok && !memcmp(l2, out, 23);
        /* Noise alone must (almost) never pass the 40-bit Fire check. */
        for (int b = 0; b < 4; b++)
            for (int i = 0; i < 114; i++)
                soft[b][i] = (float)gauss();
        cs_gsm_xcch_decode((const float(*)[114])soft, out, &r);
        false_ok += r.fire_ok;
    }
    printf("xCCH with one burst lost at 6 dB: %d/300 recovered; noise passed Fire %d times\n",
           recovered, false_ok);
    CS_CHECK(recovered >= 295);
    CS_CHECK(false_ok == 0);

    /* Complete bursts: tails, payload halves, stealing flags 1, training sequence. */
    uint8_t bursts[4][148], tsc[26];
    CS_CHECK(cs_gsm_xcch_bursts(l2, 5, bursts) == CS_OK);
    cs_gsm_nb_training(5, tsc);
    cs_gsm_xcch_encode(l2, payload);
    int layout = 1;
    for (int b = 0; b < 4; b++) {
        layout &= !memcmp(bursts[b] + 61, tsc, 26) && bursts[b][60] == 1 && bursts[b][87] == 1;
        layout &= !memcmp(bursts[b] + 3, payload[b], 57) && !memcmp(bursts[b] + 88, payload[b] + 57, 57);
        layout &= !bursts[b][0] && !bursts[b][1] && !bursts[b][2] && !bursts[b][145] &&
                  !bursts[b][146] && !bursts[b][147];
        float s[148], pay[114], steal[2];
        cs_gsm_bits_to_soft(bursts[b], 148, s);
        cs_gsm_normal_burst_payload(s, pay, steal);
        cs_gsm_bits_to_soft(payload[b], 114, soft[b]);
        layout &= !memcmp(pay, soft[b], sizeof pay) && steal[0] == -1.0f && steal[1] == -1.0f;
    }
    CS_CHECK(layout);
    CS_CHECK(cs_gsm_xcch_bursts(l2, 8, bursts) == CS_EINVAL);
    CS_CHECK(cs_gsm_normal_burst(payload[0], 0, 2, 1, bursts[0]) == CS_EINVAL);
}

static void test_messages(void)
{
    const cs_gsm_cell_id cell = {.mcc = 262, .mnc = 2, .mnc_digits = 2, .lac = 318, .ci = 11225};
    uint8_t si3[23], out[23], payload[4][114];
    CS_CHECK(cs_gsm_si3_encode(&cell, si3) == CS_OK);
    /* Pseudo length, RR, SI3, CI, LAI exactly as the real cell broadcasts them. */
    const uint8_t real_head[10] = {0x49, 0x06, 0x1b, 0x2b, 0xd9, 0x62, 0xf2, 0x20, 0x01, 0x3e};
    CS_CHECK(!memcmp(si3, real_head, 10));
    CS_CHECK(si3[19] == 0x2B && si3[22] == 0x2B);
    cs_gsm_cell_id back;
    CS_CHECK(cs_gsm_si3_parse(si3, &back) == CS_OK);
    CS_CHECK(back.mcc == 262 && back.mnc == 2 && back.mnc_digits == 2 && back.lac == 318 &&
             back.ci == 11225);
    /* SI3 → xCCH → soft decode → the same octets. */
    float soft[4][114];
    cs_gsm_xcch_result r;
    cs_gsm_xcch_encode(si3, payload);
    for (int b = 0; b < 4; b++)
        cs_gsm_bits_to_soft(payload[b], 114, soft[b]);
    cs_gsm_xcch_decode((const float(*)[114])soft, out, &r);
    CS_CHECK(r.fire_ok && !memcmp(out, si3, 23));

    const cs_gsm_cell_id three = {.mcc = 310, .mnc = 26, .mnc_digits = 3, .lac = 65535, .ci = 0};
    CS_CHECK(cs_gsm_si3_encode(&three, si3) == CS_OK);
    CS_CHECK(si3[6] == 0x60 && si3[7] == 0x20); /* MNC 026: digits 0, 2, 6 */
    CS_CHECK(cs_gsm_si3_parse(si3, &back) == CS_OK);
    CS_CHECK(back.mcc == 310 && back.mnc == 26 && back.mnc_digits == 3 && back.lac == 65535 &&
             back.ci == 0);
    cs_gsm_cell_id bad = cell;
    bad.mnc = 100; /* needs 3 digits */
    CS_CHECK(cs_gsm_si3_encode(&bad, si3) == CS_EINVAL);
    bad = cell;
    bad.ci = 70000;
    CS_CHECK(cs_gsm_si3_encode(&bad, si3) == CS_EINVAL);
    bad = cell;
    bad.mcc = 1000;
    CS_CHECK(cs_gsm_si3_encode(&bad, si3) == CS_EINVAL);

    uint8_t paging[23];
    cs_gsm_empty_paging(paging);
    const uint8_t expect[7] = {0x15, 0x06, 0x21, 0x00, 0x01, 0xF0, 0x2B};
    CS_CHECK(!memcmp(paging, expect, 7) && paging[22] == 0x2B);
    CS_CHECK(cs_gsm_si3_parse(paging, &back) == CS_ENOTFOUND);
    cs_gsm_si3_encode(&cell, si3);
    si3[5] = 0xA2; /* MCC digit 10 */
    CS_CHECK(cs_gsm_si3_parse(si3, &back) == CS_EFORMAT);
}

/* Index of the TS0 burst of frame fn within the next records of the same pass. */
static long find_burst(const vf_burst *b, size_t n, size_t from, uint32_t fn)
{
    for (size_t j = from; j < n && j < from + 40; j++)
        if (b[j].timeslot == 0 && b[j].fn == fn && b[j].subtype == VF_NORMAL)
            return (long)j;
    return -1;
}

static void test_real_blocks(void)
{
    vf_burst *b = NULL;
    size_t n = vf_load(&b);
    if (n == 0)
        return;
    uint8_t tsc0[26], paging[23];
    cs_gsm_nb_training(0, tsc0);
    cs_gsm_empty_paging(paging);
    /* CCCH/BCCH blocks start at FN mod 51 = 2 (BCCH), 6, 12, 16, ... 46 (CCCH). */
    static const int starts[] = {2, 6, 12, 16, 22, 26, 32, 36, 42, 46};
    int blocks = 0, clean = 0, clean_ok = 0, corrupt_rejected = 0, reencoded = 0;
    int bcch = 0, bcch_ok = 0, si3_count = 0, si3_match = 0, empty_paging = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i].timeslot != 0 || b[i].subtype != VF_NORMAL)
            continue;
        int m = (int)(b[i].fn % 51), is_start = 0;
        for (size_t q = 0; q < sizeof starts / sizeof starts[0]; q++)
            is_start |= m == starts[q];
        if (!is_start)
            continue;
        long idx[4];
        int complete = 1, has_tsc = 1;
        float soft[4][114];
        for (int k = 0; k < 4 && complete; k++) {
            idx[k] = find_burst(b, n, i, b[i].fn + (uint32_t)k);
            if (idx[k] < 0) {
                complete = 0;
                break;
            }
            float s[148];
            cs_gsm_bits_to_soft(b[idx[k]].bits, 148, s);
            cs_gsm_normal_burst_payload(s, soft[k], NULL);
            has_tsc &= !memcmp(b[idx[k]].bits + 61, tsc0, 26);
        }
        if (!complete)
            continue;
        blocks++;
        uint8_t l2[23];
        cs_gsm_xcch_result r;
        CS_CHECK(cs_gsm_xcch_decode((const float(*)[114])soft, l2, &r) == CS_OK);
        if (m == 2) {
            bcch++;
            bcch_ok += r.fire_ok;
        }
        if (!has_tsc) {
            corrupt_rejected += !r.fire_ok;
            continue;
        }
        clean++;
        clean_ok += r.fire_ok;
        if (!r.fire_ok) {
            fprintf(stderr, "block at FN %u: Fire check failed\n", b[i].fn);
            continue;
        }
        uint8_t again[4][148];
        cs_gsm_xcch_bursts(l2, 0, again);
        int same = 1;
        for (int k = 0; k < 4; k++)
            same &= !memcmp(again[k], b[idx[k]].bits, 148);
        reencoded += same;
        cs_gsm_cell_id id;
        if (cs_gsm_si3_parse(l2, &id) == CS_OK) {
            si3_count++;
            si3_match += m == 2 && id.mcc == 262 && id.mnc == 2 && id.mnc_digits == 2 &&
                         id.lac == 318 && id.ci == 11225;
        }
        empty_paging += !memcmp(l2, paging, 6); /* message proper; rest octets vary */
    }
    printf("%d CCCH/BCCH blocks (%d BCCH, %d with Fire OK): %d clean, %d Fire OK, %d re-encoded "
           "bit-exact; %d from corrupt bursts rejected; SI3 %d (%d with the expected identity); "
           "empty paging %d\n",
           blocks, bcch, bcch_ok, clean, clean_ok, reencoded, corrupt_rejected, si3_count,
           si3_match, empty_paging);
    CS_CHECK(clean >= 390 && clean_ok == clean && reencoded == clean);
    CS_CHECK(corrupt_rejected == blocks - clean);
    CS_CHECK(bcch >= 39 && bcch_ok >= 39);
    CS_CHECK(si3_count >= 9 && si3_match == si3_count);
    CS_CHECK(empty_paging >= 100);
    free(b);
}

int main(void)
{
    test_fire_code();
    test_round_trip();
    test_messages();
    test_real_blocks();
    return vf_finish();
}
