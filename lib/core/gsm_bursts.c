/* GSM burst bit layouts (TS 45.002 §5.2): FCCH, SCH training, normal burst with the
 * eight training sequences (TSC set 1, Table 5.2.3a), and the dummy burst (§5.2.6). */
#include <string.h>

#include "cellscan/gsm_coding.h"
#include "cellscan/status.h"

/* Normal burst layout: 3 tail, 57 data, hl, 26 training, hu, 57 data, 3 tail. */
#define NB_DATA1_START 3
#define NB_HL_BIT 60
#define NB_TRAINING_START 61
#define NB_HU_BIT 87
#define NB_DATA2_START 88
#define NB_HALF 57

static const char *const nb_training[8] = {
    "00100101110000100010010111", "00101101110111100010110111", "01000011101110100100001110",
    "01000111101101000100011110", "00011010111001000001101011", "01001110101100000100111010",
    "10100111110110001010011111", "11101111000100101110111100",
};

static const char sch_training[] =
    "1011100101100010000001000000111100101101010001010111011000011011";

/* The 142 bits between the dummy burst's tails. */
static const char dummy_mixed[] =
    "1111101101110110000010100100111000001001000100000001111100011100010111000101110001010111"
    "010010100011001100111001111010011111000100101111101010";

static void bits_from_text(const char *text, uint8_t *out)
{
    for (size_t i = 0; text[i]; i++)
        out[i] = (uint8_t)(text[i] == '1');
}

int cs_gsm_nb_training(int tsc, uint8_t out[CS_GSM_NB_TRAINING_BITS])
{
    if (tsc < 0 || tsc > 7)
        return cs_error(CS_EINVAL, "gsm: training sequence code %d out of range 0..7", tsc);
    bits_from_text(nb_training[tsc], out);
    return CS_OK;
}

void cs_gsm_sch_training(uint8_t out[CS_GSM_SCH_TRAINING_BITS]) { bits_from_text(sch_training, out); }

void cs_gsm_fcch_burst(uint8_t burst[CS_GSM_BURST_BITS]) { memset(burst, 0, CS_GSM_BURST_BITS); }

void cs_gsm_dummy_burst(uint8_t burst[CS_GSM_BURST_BITS])
{
    memset(burst, 0, CS_GSM_BURST_BITS);
    bits_from_text(dummy_mixed, burst + 3);
}

int cs_gsm_normal_burst(const uint8_t payload[CS_GSM_NB_PAYLOAD_BITS], int tsc, int hl, int hu,
                        uint8_t burst[CS_GSM_BURST_BITS])
{
    if (!payload || !burst)
        return cs_error(CS_EINVAL, "gsm: normal burst needs payload and output buffers");
    if ((hl != 0 && hl != 1) || (hu != 0 && hu != 1))
        return cs_error(CS_EINVAL, "gsm: stealing flags must be 0 or 1 (got %d, %d)", hl, hu);
    int st = cs_gsm_nb_training(tsc, burst + NB_TRAINING_START);
    if (st != CS_OK)
        return st;
    memset(burst, 0, NB_DATA1_START);
    memset(burst + CS_GSM_BURST_BITS - 3, 0, 3);
    for (int i = 0; i < NB_HALF; i++) {
        burst[NB_DATA1_START + i] = payload[i] & 1u;
        burst[NB_DATA2_START + i] = payload[NB_HALF + i] & 1u;
    }
    burst[NB_HL_BIT] = (uint8_t)hl;
    burst[NB_HU_BIT] = (uint8_t)hu;
    return CS_OK;
}

void cs_gsm_normal_burst_payload(const float burst[CS_GSM_BURST_BITS],
                                 float payload[CS_GSM_NB_PAYLOAD_BITS], float steal[2])
{
    memcpy(payload, burst + NB_DATA1_START, NB_HALF * sizeof(float));
    memcpy(payload + NB_HALF, burst + NB_DATA2_START, NB_HALF * sizeof(float));
    if (steal) {
        steal[0] = burst[NB_HL_BIT];
        steal[1] = burst[NB_HU_BIT];
    }
}

void cs_gsm_bits_to_soft(const uint8_t *bits, size_t n, float *soft)
{
    for (size_t i = 0; i < n; i++)
        soft[i] = (bits[i] & 1u) ? -1.0f : 1.0f;
}
