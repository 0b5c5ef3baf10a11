/* The GSM rate-1/2, constraint-length-5 convolutional code (TS 45.003 §4.1.3):
 * c(2k) = u(k) ⊕ u(k−3) ⊕ u(k−4), c(2k+1) = u(k) ⊕ u(k−1) ⊕ u(k−3) ⊕ u(k−4),
 * with an encoder and a soft-decision Viterbi decoder shared by SCH and xCCH. */
#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"

#define TAIL_BITS 4
#define NUM_STATES 16

/* Encoder state: bit i holds u(k−1−i), i.e. bit 0 the newest past input. */
static void branch_bits(unsigned state, unsigned in, unsigned *c0, unsigned *c1)
{
    unsigned u1 = state & 1u, u3 = (state >> 2) & 1u, u4 = (state >> 3) & 1u;
    *c0 = in ^ u3 ^ u4;
    *c1 = in ^ u1 ^ u3 ^ u4;
}

/* Encode n bits from `state`, writing 2n coded bits; returns the final state. */
static unsigned encode_bits(unsigned state, const uint8_t *u, size_t n, uint8_t *coded)
{
    for (size_t k = 0; k < n; k++) {
        unsigned c0, c1;
        branch_bits(state, u[k] & 1u, &c0, &c1);
        coded[2 * k] = (uint8_t)c0;
        coded[2 * k + 1] = (uint8_t)c1;
        state = ((state << 1) | (u[k] & 1u)) & (NUM_STATES - 1);
    }
    return state;
}

int cs_gsm_conv_encode(const uint8_t *data, size_t n_data, uint8_t *coded)
{
    if ((!data && n_data) || !coded)
        return cs_error(CS_EINVAL, "gsm: convolutional encoder needs input and output buffers");
    static const uint8_t tail[TAIL_BITS] = {0};
    unsigned state = encode_bits(0, data, n_data, coded);
    encode_bits(state, tail, TAIL_BITS, coded + 2 * n_data);
    return CS_OK;
}

/* Add-compare-select over the trellis, one decision word per step. Into state ns (input
 * ns & 1) come ps = (ns >> 1) | (x << 3), x = 0, 1: metric m = (metric[ps] + ±s0) + ±s1,
 * the larger wins, x = 0 on a tie; tail steps allow input 0 only; then every metric less
 * the largest (only differences matter: they stay small). */
#ifdef __SSE2__
/* Four states a vector: ns = 4g .. 4g + 3 come from ps = 2g, 2g, 2g + 1, 2g + 1 (x = 0)
 * and those + 8 (x = 1), an unpack of the metrics with themselves; the signs of the
 * branch's soft values are sign-bit masks (exact negation, as -s). Same sums in the same
 * order as the scalar form, so the same metrics and decisions (test_gsm_conv_reference). */
static void acs_steps(const float *soft, size_t n, size_t n_data, uint16_t *decision)
{
    /* sign masks of s0 and s1 per state group g and predecessor bit x */
    __m128 sg0[2][4], sg1[2][4];
    for (unsigned x = 0; x < 2; x++)
        for (unsigned g = 0; g < 4; g++) {
            float m0[4], m1[4];
            for (unsigned l = 0; l < 4; l++) {
                const unsigned ns = 4 * g + l, ps = (ns >> 1) | (x << 3);
                unsigned c0, c1;
                branch_bits(ps, ns & 1u, &c0, &c1);
                m0[l] = c0 ? -0.0f : 0.0f;
                m1[l] = c1 ? -0.0f : 0.0f;
            }
            sg0[x][g] = _mm_loadu_ps(m0);
            sg1[x][g] = _mm_loadu_ps(m1);
        }
    const __m128 ninf = _mm_set1_ps(-INFINITY);
    /* lanes of even states (input 0): what the tail keeps */
    const __m128 even = _mm_castsi128_ps(_mm_set_epi32(0, -1, 0, -1));
    __m128 v[4] = {_mm_setr_ps(0.0f, -INFINITY, -INFINITY, -INFINITY), ninf, ninf, ninf};
    for (size_t k = 0; k < n; k++) {
        const __m128 s0 = _mm_set1_ps(soft[2 * k]), s1 = _mm_set1_ps(soft[2 * k + 1]);
        const int in_tail = k >= n_data;
        __m128 nx[4];
        unsigned dec = 0;
        for (unsigned g = 0; g < 4; g++) {
            const __m128 a = v[g >> 1], b = v[2 + (g >> 1)];
            const __m128 p0 = (g & 1) ? _mm_unpackhi_ps(a, a) : _mm_unpacklo_ps(a, a);
            const __m128 p1 = (g & 1) ? _mm_unpackhi_ps(b, b) : _mm_unpacklo_ps(b, b);
            const __m128 m0 = _mm_add_ps(_mm_add_ps(p0, _mm_xor_ps(s0, sg0[0][g])),
                                         _mm_xor_ps(s1, sg1[0][g]));
            const __m128 m1 = _mm_add_ps(_mm_add_ps(p1, _mm_xor_ps(s0, sg0[1][g])),
                                         _mm_xor_ps(s1, sg1[1][g]));
            unsigned d = (unsigned)_mm_movemask_ps(_mm_cmpgt_ps(m1, m0)); /* x = 1 wins */
            __m128 best = _mm_max_ps(m1, m0); /* m1 > m0 ? m1 : m0 */
            if (in_tail) {
                best = _mm_or_ps(_mm_and_ps(even, best), _mm_andnot_ps(even, ninf));
                d &= 0x5u;
            }
            nx[g] = best;
            dec |= d << (4 * g);
        }
        decision[k] = (uint16_t)dec;
        __m128 mx = _mm_max_ps(_mm_max_ps(nx[0], nx[1]), _mm_max_ps(nx[2], nx[3]));
        mx = _mm_max_ps(mx, _mm_shuffle_ps(mx, mx, _MM_SHUFFLE(1, 0, 3, 2)));
        mx = _mm_max_ps(mx, _mm_shuffle_ps(mx, mx, _MM_SHUFFLE(2, 3, 0, 1)));
        for (unsigned g = 0; g < 4; g++) v[g] = _mm_sub_ps(nx[g], mx);
    }
}
#else
static void acs_steps(const float *soft, size_t n, size_t n_data, uint16_t *decision)
{
    float metric[NUM_STATES], next[NUM_STATES];
    for (int s = 0; s < NUM_STATES; s++)
        metric[s] = -INFINITY;
    metric[0] = 0.0f;
    for (size_t k = 0; k < n; k++) {
        const float s0 = soft[2 * k], s1 = soft[2 * k + 1];
        const int in_tail = k >= n_data;
        uint16_t dec = 0;
        float best_all = -INFINITY;
        for (unsigned ns = 0; ns < NUM_STATES; ns++) {
            const unsigned in = ns & 1u;
            if (in_tail && in) { /* tail inputs are known zeros */
                next[ns] = -INFINITY;
                continue;
            }
            float best = -INFINITY;
            unsigned best_x = 0;
            for (unsigned x = 0; x < 2; x++) {
                const unsigned ps = (ns >> 1) | (x << 3);
                unsigned c0, c1;
                branch_bits(ps, in, &c0, &c1);
                const float m = metric[ps] + (c0 ? -s0 : s0) + (c1 ? -s1 : s1);
                if (m > best) {
                    best = m;
                    best_x = x;
                }
            }
            next[ns] = best;
            dec |= (uint16_t)(best_x << ns);
            if (best > best_all)
                best_all = best;
        }
        decision[k] = dec;
        for (int s = 0; s < NUM_STATES; s++)
            metric[s] = next[s] - best_all;
    }
}
#endif

int cs_gsm_conv_decode(const float *soft, size_t n_data, uint8_t *data, cs_gsm_viterbi_info *info)
{
    if (!soft || !data)
        return cs_error(CS_EINVAL, "gsm: Viterbi decoder needs input and output buffers");
    if (n_data == 0 || n_data > CS_GSM_CONV_MAX_DATA_BITS)
        return cs_error(CS_EINVAL, "gsm: Viterbi block of %zu data bits (1..%d)", n_data,
                        CS_GSM_CONV_MAX_DATA_BITS);
    const size_t n = n_data + TAIL_BITS;
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(soft[i]))
            return cs_error(CS_EINVAL, "gsm: Viterbi soft value %zu is not finite", i);

    /* Survivor decisions: bit s of decision[k] = which predecessor won into state s. */
    uint16_t decision[CS_GSM_CONV_MAX_DATA_BITS + TAIL_BITS];
    acs_steps(soft, n, n_data, decision);

    /* Trace back from the zero state the tail forces. */
    uint8_t u[CS_GSM_CONV_MAX_DATA_BITS + TAIL_BITS];
    unsigned state = 0;
    for (size_t k = n; k-- > 0;) {
        u[k] = (uint8_t)(state & 1u);
        const unsigned x = (decision[k] >> state) & 1u;
        state = (state >> 1) | (x << 3);
    }
    for (size_t k = 0; k < n_data; k++)
        data[k] = u[k];

    if (info) {
        uint8_t coded[2 * (CS_GSM_CONV_MAX_DATA_BITS + TAIL_BITS)];
        encode_bits(0, u, n, coded);
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
    return CS_OK;
}
