/* The Viterbi decoder of the GSM K=5 code (vectorised add-compare-select) against a plain
 * scalar reference written out here: the same bits, the same correlation and coded bit
 * errors, bit for bit, on noisy codewords, pure noise, soft values with many ties (small
 * integers, zeros: the x = 0 predecessor must win a tie), huge and tiny magnitudes, and
 * every block length from 1 to 64 plus the longest. */
#include <math.h>
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"
#include "cs_test.h"

#define CS_TEST_RAND_SEED 0x9E3779B97F4A7C15ull
#include "cs_test_rand.h"

#define TAIL 4
#define MAXN (CS_GSM_CONV_MAX_DATA_BITS + TAIL)

static void ref_branch(unsigned state, unsigned in, unsigned *c0, unsigned *c1)
{
    const unsigned u1 = state & 1u, u3 = (state >> 2) & 1u, u4 = (state >> 3) & 1u;
    *c0 = in ^ u3 ^ u4;
    *c1 = in ^ u1 ^ u3 ^ u4;
}

/* One state at a time: metric + (±s0) + (±s1), the larger of the two predecessors (the
 * first on a tie), tail inputs 0, metrics less their largest after each step; traceback
 * from state 0; the path's correlation and disagreeing signs. */
static void ref_decode(const float *soft, size_t n_data, uint8_t *data, cs_gsm_viterbi_info *info)
{
    static uint16_t decision[MAXN];
    static uint8_t u[MAXN];
    static uint8_t coded[2 * MAXN];
    const size_t n = n_data + TAIL;
    float metric[16], next[16];
    for (int s = 0; s < 16; s++) metric[s] = -INFINITY;
    metric[0] = 0.0f;
    for (size_t k = 0; k < n; k++) {
        const float s0 = soft[2 * k], s1 = soft[2 * k + 1];
        uint16_t dec = 0;
        float best_all = -INFINITY;
        for (unsigned ns = 0; ns < 16; ns++) {
            const unsigned in = ns & 1u;
            if (k >= n_data && in) {
                next[ns] = -INFINITY;
                continue;
            }
            float best = -INFINITY;
            unsigned best_x = 0;
            for (unsigned x = 0; x < 2; x++) {
                const unsigned ps = (ns >> 1) | (x << 3);
                unsigned c0, c1;
                ref_branch(ps, in, &c0, &c1);
                const float m = metric[ps] + (c0 ? -s0 : s0) + (c1 ? -s1 : s1);
                if (m > best) {
                    best = m;
                    best_x = x;
                }
            }
            next[ns] = best;
            dec |= (uint16_t)(best_x << ns);
            if (best > best_all) best_all = best;
        }
        decision[k] = dec;
        for (int s = 0; s < 16; s++) metric[s] = next[s] - best_all;
    }
    unsigned state = 0;
    for (size_t k = n; k-- > 0;) {
        u[k] = (uint8_t)(state & 1u);
        state = (state >> 1) | (((decision[k] >> state) & 1u) << 3);
    }
    memcpy(data, u, n_data);
    state = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned c0, c1;
        ref_branch(state, u[k], &c0, &c1);
        coded[2 * k] = (uint8_t)c0;
        coded[2 * k + 1] = (uint8_t)c1;
        state = ((state << 1) | u[k]) & 15u;
    }
    double agree = 0.0, total = 0.0;
    int errors = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        const float v = coded[i] ? -soft[i] : soft[i];
        agree += v;
        total += fabsf(soft[i]);
        errors += v < 0.0f;
    }
    info->correlation = total > 0.0 ? (float)(agree / total) : 0.0f;
    info->coded_bit_errors = errors;
}

typedef enum { NOISY_CODEWORD, NOISE, TIES, SCALED } kind;

static void fill(float *soft, size_t n_data, kind what)
{
    static uint8_t bits[CS_GSM_CONV_MAX_DATA_BITS], coded[2 * MAXN];
    const size_t m = 2 * (n_data + TAIL);
    for (size_t i = 0; i < n_data; i++) bits[i] = (uint8_t)(rnd() >> 63);
    cs_gsm_conv_encode(bits, n_data, coded);
    const double scale = what == SCALED ? pow(10.0, 60.0 * urand() - 30.0) : 1.0;
    for (size_t i = 0; i < m; i++) {
        const double sign = coded[i] ? -1.0 : 1.0;
        switch (what) {
        case NOISY_CODEWORD: soft[i] = (float)(sign + 0.8 * gauss()); break;
        case NOISE: soft[i] = (float)gauss(); break;
        case TIES: soft[i] = (float)((int)(rnd() % 5) - 2); break; /* -2 .. 2 */
        case SCALED: soft[i] = (float)(scale * (sign + 0.7 * gauss())); break;
        }
    }
}

static int same(const float *soft, size_t n_data)
{
    static uint8_t a[CS_GSM_CONV_MAX_DATA_BITS], b[CS_GSM_CONV_MAX_DATA_BITS];
    cs_gsm_viterbi_info ia, ib;
    if (cs_gsm_conv_decode(soft, n_data, a, &ia) != CS_OK) return 0;
    ref_decode(soft, n_data, b, &ib);
    return !memcmp(a, b, n_data) && memcmp(&ia.correlation, &ib.correlation, sizeof(float)) == 0 &&
           ia.coded_bit_errors == ib.coded_bit_errors;
}

int main(void)
{
    static float soft[2 * MAXN];
    int mismatches = 0, runs = 0;
    for (kind what = NOISY_CODEWORD; what <= SCALED; what++) {
        for (size_t n_data = 1; n_data <= 64; n_data++)
            for (int rep = 0; rep < 8; rep++, runs++) {
                fill(soft, n_data, what);
                mismatches += !same(soft, n_data);
            }
        for (int rep = 0; rep < 4; rep++, runs++) {
            fill(soft, CS_GSM_CONV_MAX_DATA_BITS, what);
            mismatches += !same(soft, CS_GSM_CONV_MAX_DATA_BITS);
        }
    }
    /* all zeros: every comparison a tie */
    memset(soft, 0, sizeof soft);
    mismatches += !same(soft, 25);
    runs++;
    CS_CHECK(runs == 4 * (64 * 8 + 4) + 1);
    CS_CHECK(mismatches == 0);
    return cs_test_done();
}
