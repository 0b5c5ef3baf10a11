/* The GSM K=5 rate-1/2 convolutional code: encoder impulse response, Viterbi = brute-force
 * maximum likelihood, guaranteed correction of 3 hard errors (free distance 7), scale
 * invariance and erasures, and a bit-error-rate curve on AWGN. */
#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"
#include "cs_test.h"

#define CS_TEST_RAND_SEED 0x243F6A8885A308D3ull
#include "cs_test_rand.h"

static void random_bits(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(rnd() >> 63);
}

static void test_encoder(void)
{
    /* Impulse response: G0 = 1+D^3+D^4 → 1 0 0 1 1, G1 = 1+D+D^3+D^4 → 1 1 0 1 1. */
    const uint8_t one = 1;
    uint8_t c[10];
    CS_CHECK(cs_gsm_conv_encode(&one, 1, c) == CS_OK);
    const uint8_t expect[10] = {1, 1, 0, 1, 0, 0, 1, 1, 1, 1};
    CS_CHECK(!memcmp(c, expect, sizeof expect));

    /* Linearity: enc(a ⊕ b) = enc(a) ⊕ enc(b). */
    uint8_t a[50], b[50], x[50], ca[108], cb[108], cx[108];
    random_bits(a, 50);
    random_bits(b, 50);
    for (int i = 0; i < 50; i++)
        x[i] = a[i] ^ b[i];
    cs_gsm_conv_encode(a, 50, ca);
    cs_gsm_conv_encode(b, 50, cb);
    cs_gsm_conv_encode(x, 50, cx);
    int lin = 1;
    for (int i = 0; i < 108; i++)
        lin &= cx[i] == (ca[i] ^ cb[i]);
    CS_CHECK(lin);
    CS_CHECK(cs_gsm_conv_encode(NULL, 3, c) == CS_EINVAL);
}

/* Brute-force ML over all 2^8 messages of 8 bits: Viterbi must pick the same. */
static void test_viterbi_is_ml(void)
{
    enum { N = 8, NC = 2 * (N + 4) };
    static uint8_t book[256][NC];
    for (int m = 0; m < 256; m++) {
        uint8_t d[N];
        for (int i = 0; i < N; i++)
            d[i] = (uint8_t)((m >> i) & 1);
        cs_gsm_conv_encode(d, N, book[m]);
    }
    int agree = 0, trials = 400;
    for (int t = 0; t < trials; t++) {
        int m = (int)(rnd() % 256);
        float soft[NC];
        for (int i = 0; i < NC; i++)
            soft[i] = (book[m][i] ? -1.0f : 1.0f) + (float)(1.2 * gauss()); /* heavy noise */
        int best = 0;
        float best_metric = -INFINITY;
        for (int c = 0; c < 256; c++) {
            float metric = 0;
            for (int i = 0; i < NC; i++)
                metric += book[c][i] ? -soft[i] : soft[i];
            if (metric > best_metric) {
                best_metric = metric;
                best = c;
            }
        }
        uint8_t d[N];
        CS_CHECK(cs_gsm_conv_decode(soft, N, d, NULL) == CS_OK);
        int got = 0;
        for (int i = 0; i < N; i++)
            got |= d[i] << i;
        agree += got == best;
    }
    CS_CHECK_MSG(agree == trials, "Viterbi = ML in %d of %d noisy trials", agree, trials);
}

static void test_hard_errors_and_scaling(void)
{
    enum { N = 35, NC = 2 * (N + 4) }; /* SCH size */
    int corrected = 0, trials = 500;
    for (int t = 0; t < trials; t++) {
        uint8_t d[N], c[NC], out[N];
        random_bits(d, N);
        cs_gsm_conv_encode(d, N, c);
        float soft[NC];
        cs_gsm_bits_to_soft(c, NC, soft);
        for (int e = 0; e < 3; e++) /* any 3 errors (possibly the same bit) */
            soft[rnd() % NC] *= -1.0f;
        cs_gsm_viterbi_info info;
        cs_gsm_conv_decode(soft, N, out, &info);
        corrected += !memcmp(d, out, N) && info.coded_bit_errors <= 3;
    }
    CS_CHECK_MSG(corrected == trials, "3 hard errors corrected in %d of %d", corrected, trials);

    /* Noiseless: perfect quality figures; scaled soft values decode the same. */
    uint8_t d[N], c[NC], out[N], out2[N];
    random_bits(d, N);
    cs_gsm_conv_encode(d, N, c);
    float soft[NC], scaled[NC];
    cs_gsm_bits_to_soft(c, NC, soft);
    cs_gsm_viterbi_info info;
    CS_CHECK(cs_gsm_conv_decode(soft, N, out, &info) == CS_OK);
    CS_CHECK(!memcmp(d, out, N));
    CS_CHECK_NEAR(info.correlation, 1.0, 1e-6);
    CS_CHECK(info.coded_bit_errors == 0);
    for (int i = 0; i < NC; i++) {
        soft[i] += (float)(0.8 * gauss());
        scaled[i] = soft[i] * 1000.0f;
    }
    cs_gsm_conv_decode(soft, N, out, NULL);
    cs_gsm_conv_decode(scaled, N, out2, NULL);
    CS_CHECK(!memcmp(out, out2, N));

    /* One third of the coded bits erased (0), the rest clean: still decodes. */
    cs_gsm_bits_to_soft(c, NC, soft);
    for (int i = 0; i < NC; i += 3)
        soft[i] = 0.0f;
    cs_gsm_conv_decode(soft, N, out, &info);
    CS_CHECK(!memcmp(d, out, N));
    CS_CHECK(info.coded_bit_errors == 0);

    /* Pure noise: the path is still a codeword, but the correlation is poor. */
    for (int i = 0; i < NC; i++)
        soft[i] = (float)gauss();
    cs_gsm_conv_decode(soft, N, out, &info);
    CS_CHECK(info.correlation < 0.8f && info.coded_bit_errors > 5);

    /* Bad calls. */
    CS_CHECK(cs_gsm_conv_decode(soft, 0, out, NULL) == CS_EINVAL);
    CS_CHECK(cs_gsm_conv_decode(soft, CS_GSM_CONV_MAX_DATA_BITS + 1, out, NULL) == CS_EINVAL);
    soft[7] = NAN;
    CS_CHECK(cs_gsm_conv_decode(soft, N, out, NULL) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "7") != NULL);
}

/* Coded BER on AWGN with BPSK soft values, against uncoded BPSK. */
static double coded_ber(double ebn0_db, int blocks, int *block_errors)
{
    enum { N = 224, NC = 2 * (N + 4) }; /* xCCH size */
    const double esn0 = pow(10.0, ebn0_db / 10.0) * 0.5; /* rate 1/2 */
    const double sigma = sqrt(1.0 / (2.0 * esn0));
    long errors = 0;
    *block_errors = 0;
    for (int b = 0; b < blocks; b++) {
        uint8_t d[N], c[NC], out[N];
        float soft[NC];
        random_bits(d, N);
        cs_gsm_conv_encode(d, N, c);
        for (int i = 0; i < NC; i++)
            soft[i] = (float)((c[i] ? -1.0 : 1.0) + sigma * gauss());
        cs_gsm_conv_decode(soft, N, out, NULL);
        int e = 0;
        for (int i = 0; i < N; i++)
            e += out[i] != d[i];
        errors += e;
        *block_errors += e > 0;
    }
    return (double)errors / ((double)blocks * N);
}

static void test_ber_curve(void)
{
    const double ebn0[] = {1.0, 2.0, 3.0, 4.0, 5.0};
    double ber[5];
    int be;
    for (int i = 0; i < 5; i++) {
        ber[i] = coded_ber(ebn0[i], 400, &be);
        double uncoded = 0.5 * erfc(sqrt(pow(10.0, ebn0[i] / 10.0)));
        printf("Eb/N0 %.0f dB: coded BER %.2e (uncoded %.2e), %d/400 blocks wrong\n", ebn0[i],
               ber[i], uncoded, be);
        if (ebn0[i] >= 3.0)
            CS_CHECK_MSG(ber[i] < uncoded / 10, "coding gain missing at %.0f dB", ebn0[i]);
        if (i > 0)
            CS_CHECK(ber[i] < ber[i - 1] || ber[i] == 0);
    }
    CS_CHECK(ber[0] > 0 && ber[0] < 0.1); /* still working, not magic, at 1 dB */
    double high = coded_ber(7.0, 2000, &be);
    printf("Eb/N0 7 dB: coded BER %.2e, %d/2000 blocks wrong\n", high, be);
    CS_CHECK(be == 0);
}

int main(void)
{
    test_encoder();
    test_viterbi_is_ml();
    test_hard_errors_and_scaling();
    test_ber_curve();
    return cs_test_done();
}
