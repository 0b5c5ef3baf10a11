/* UMTS code generators against the TS 25.213 vectors of docs/UMTS.md, the comma-free
 * properties of the S-SCH allocation table, an independent brute-force scrambling code
 * generator, and the fast correlators against direct sums. */
#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "cs_test.h"

/* ±1 chips → hex string, chip -1 = bit 1, first chip most significant. */
static void chips_to_hex(const int8_t *chips, size_t stride, size_t n, char *hex)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n / 4; i++) {
        int v = 0;
        for (int b = 0; b < 4; b++)
            v = (v << 1) | (chips[(4 * i + (size_t)b) * stride] < 0);
        hex[i] = digits[v];
    }
    hex[n / 4] = '\0';
}

static void test_sync_code_vectors(void)
{
    int8_t c[256];
    char hex[65];
    cs_umts_psc_chips(c);
    chips_to_hex(c, 1, 256, hex);
    CS_CHECK_MSG(!strcmp(hex, "035603560356FCA9FCA90356FCA9FCA9035603560356FCA90356FCA903560356"),
                 "PSC %s", hex);
    CS_CHECK(cs_umts_ssc_chips(1, c) == CS_OK);
    chips_to_hex(c, 1, 256, hex);
    CS_CHECK_MSG(!strcmp(hex, "03A903A903A9FC5603A903A9FC56FC5603A9FC5603A9FC56FC56FC56FC56FC56"),
                 "SSC1 %s", hex);
    CS_CHECK(cs_umts_ssc_chips(16, c) == CS_OK);
    chips_to_hex(c, 1, 256, hex);
    CS_CHECK_MSG(!strcmp(hex, "03A9FC56FC56FC56FC5603A9FC5603A9FC56FC5603A903A9FC5603A903A9FC56"),
                 "SSC16 %s", hex);
    CS_CHECK(cs_umts_ssc_chips(0, c) == CS_EINVAL);
    CS_CHECK(cs_umts_ssc_chips(17, c) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "17") != NULL);

    /* The cf32 forms carry (1+j). */
    cs_cf32 z[256];
    cs_umts_psc_cf32(z);
    cs_umts_psc_chips(c);
    int ok = 1;
    for (int i = 0; i < 256; i++)
        ok &= crealf(z[i]) == c[i] && cimagf(z[i]) == c[i];
    CS_CHECK(ok);
    cs_umts_ssc_cf32(7, z);
    cs_umts_ssc_chips(7, c);
    ok = 1;
    for (int i = 0; i < 256; i++)
        ok &= crealf(z[i]) == c[i] && cimagf(z[i]) == c[i];
    CS_CHECK(ok);
}

static void test_scrambling_vectors(void)
{
    static const struct {
        int psc;
        const char *i_hex, *q_hex;
    } v[] = {
        {0, "7FFFE03DC7B6C858", "05575E1FD1E6BD08"},   {1, "DFFBC8B9DD149ABA", "105DFA09FA264FE6"},
        {8, "5FAD62792FBAF3DC", "55FD9F6D4FE9DB67"},   {366, "7EB249DB91058B9C", "961492B6B7E0245A"},
        {511, "C7689CF781CC968D", "179A831707BE4381"},
    };
    for (size_t t = 0; t < sizeof v / sizeof v[0]; t++) {
        int8_t iq[128];
        char hi[17], hq[17];
        CS_CHECK(cs_umts_scrambling_chips(cs_umts_psc_code_number(v[t].psc), 0, 64, iq) == CS_OK);
        chips_to_hex(iq, 2, 64, hi);
        chips_to_hex(iq + 1, 2, 64, hq);
        CS_CHECK_MSG(!strcmp(hi, v[t].i_hex), "PSC %d I %s want %s", v[t].psc, hi, v[t].i_hex);
        CS_CHECK_MSG(!strcmp(hq, v[t].q_hex), "PSC %d Q %s want %s", v[t].psc, hq, v[t].q_hex);
    }
}

/* Brute force straight from the definition: whole x and y sequences by recurrence. */
static void test_scrambling_against_definition(void)
{
    enum { PERIOD = 262143, Q_OFF = 131072 };
    uint8_t *x = malloc(PERIOD + 18), *y = malloc(PERIOD + 18);
    int8_t *iq = malloc(2 * CS_UMTS_FRAME_CHIPS);
    cs_cf32 *cf = malloc(CS_UMTS_FRAME_CHIPS * sizeof *cf);
    memset(x, 0, 18);
    x[0] = 1;
    memset(y, 1, 18);
    for (int i = 0; i < PERIOD; i++) {
        x[i + 18] = x[i + 7] ^ x[i];
        y[i + 18] = y[i + 10] ^ y[i + 7] ^ y[i + 5] ^ y[i];
    }
    CS_CHECK(x[PERIOD] == x[0] && y[PERIOD] == y[0]); /* m-sequences of period 2^18 - 1 */
    const int codes[] = {0, 16, 5856, 8191, 8176, 24575, 262142};
    for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++) {
        int n = codes[c];
        CS_CHECK(cs_umts_scrambling_chips(n, 0, CS_UMTS_FRAME_CHIPS, iq) == CS_OK);
        int bad = 0;
        for (int i = 0; i < CS_UMTS_FRAME_CHIPS; i++) {
            int zi = x[(i + n) % PERIOD] ^ y[i];
            int zq = x[(i + n + Q_OFF) % PERIOD] ^ y[(i + Q_OFF) % PERIOD];
            bad += iq[2 * i] != (zi ? -1 : 1) || iq[2 * i + 1] != (zq ? -1 : 1);
        }
        CS_CHECK_MSG(bad == 0, "code %d: %d chips differ from the definition", n, bad);
        /* A span starting mid-frame, and the cf32 form, give the same chips. */
        int8_t part[2 * 700];
        CS_CHECK(cs_umts_scrambling_chips(n, 37700, 700, part) == CS_OK);
        CS_CHECK(!memcmp(part, iq + 2 * 37700, sizeof part));
        CS_CHECK(cs_umts_scrambling_cf32(n, 0, CS_UMTS_FRAME_CHIPS, cf) == CS_OK);
        bad = 0;
        for (int i = 0; i < CS_UMTS_FRAME_CHIPS; i++)
            bad += crealf(cf[i]) != iq[2 * i] || cimagf(cf[i]) != iq[2 * i + 1];
        CS_CHECK(bad == 0);
    }
    CS_CHECK(cs_umts_scrambling_chips(-1, 0, 1, iq) == CS_EINVAL);
    CS_CHECK(cs_umts_scrambling_chips(262143, 0, 1, iq) == CS_EINVAL);
    CS_CHECK(cs_umts_scrambling_chips(0, 38000, 401, iq) == CS_EINVAL);
    CS_CHECK(strstr(cs_last_error(), "38400") != NULL);
    CS_CHECK(cs_umts_scrambling_chips(0, 38400, 0, iq) == CS_OK);
    CS_CHECK(cs_umts_scrambling_cf32(0, 0, 38401, cf) == CS_EINVAL);
    free(x);
    free(y);
    free(iq);
    free(cf);
}

static void test_allocation_table(void)
{
    const uint8_t (*t)[15] = cs_umts_ssc_table();
    int in_range = 1;
    for (int g = 0; g < 64; g++)
        for (int s = 0; s < 15; s++)
            in_range &= t[g][s] >= 1 && t[g][s] <= 16 && cs_umts_ssc_number(g, s) == t[g][s];
    CS_CHECK(in_range);
    CS_CHECK(cs_umts_ssc_number(45, 0) == 3 && cs_umts_ssc_number(3, 14) == 7);
    CS_CHECK(cs_umts_ssc_number(64, 0) == CS_EINVAL && cs_umts_ssc_number(0, 15) == CS_EINVAL);
    CS_CHECK(cs_umts_ssc_number(-1, 0) == CS_EINVAL);

    /* All 960 (group, shift) words: pairwise distinct, minimum Hamming distance 13. */
    static uint8_t words[960][15];
    for (int g = 0; g < 64; g++)
        for (int sh = 0; sh < 15; sh++)
            for (int s = 0; s < 15; s++)
                words[g * 15 + sh][s] = t[g][(s + sh) % 15];
    int dmin = 99;
    for (int a = 0; a < 960; a++)
        for (int b = a + 1; b < 960; b++) {
            int d = 0;
            for (int s = 0; s < 15; s++)
                d += words[a][s] != words[b][s];
            if (d < dmin)
                dmin = d;
        }
    CS_CHECK_MSG(dmin == 13, "minimum distance %d", dmin);

    /* The shared standards notes hold the same table (skip only this comparison). */
    const char *shared = getenv("CS_SHARED_DATA");
    if (!shared || !*shared)
        shared = CS_SHARED_DATA;
    char path[4096];
    snprintf(path, sizeof path, "%s/../docs/umts_ssc_allocation.txt", shared);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("note: %s absent, table comparison skipped\n", path);
        return;
    }
    int rows = 0, mismatches = 0;
    int vals[16];
    while (fscanf(f, "%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d", &vals[0], &vals[1],
                  &vals[2], &vals[3], &vals[4], &vals[5], &vals[6], &vals[7], &vals[8], &vals[9],
                  &vals[10], &vals[11], &vals[12], &vals[13], &vals[14], &vals[15]) == 16) {
        CS_CHECK(vals[0] == rows);
        for (int s = 0; s < 15 && rows < 64; s++)
            mismatches += vals[1 + s] != t[rows][s];
        rows++;
    }
    fclose(f);
    CS_CHECK_MSG(rows == 64 && mismatches == 0, "%s: %d rows, %d mismatches", path, rows, mismatches);
}

static cs_cf32 dot_conj(const cs_cf32 *a, const cs_cf32 *b, int n)
{
    cs_cf32 s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * conjf(b[i]);
    return s;
}

static void test_code_correlation_properties(void)
{
    cs_cf32 ssc[16][256], psc[256];
    cs_umts_psc_cf32(psc);
    for (int k = 1; k <= 16; k++)
        cs_umts_ssc_cf32(k, ssc[k - 1]);
    int ortho = 1;
    for (int k = 0; k < 16; k++) {
        for (int l = 0; l < 16; l++) {
            cs_cf32 d = dot_conj(ssc[k], ssc[l], 256);
            ortho &= cabsf(d - (k == l ? 512.0f : 0.0f)) < 1e-3f;
        }
        ortho &= cabsf(dot_conj(psc, ssc[k], 256)) < 1e-3f; /* P-SCH ⟂ every S-SCH */
    }
    CS_CHECK(ortho);

    /* Aperiodic correlations on the real ±1 chips (the (1+j) factor only scales by 2). */
    int8_t p[256], s[16][256];
    cs_umts_psc_chips(p);
    for (int k = 1; k <= 16; k++)
        cs_umts_ssc_chips(k, s[k - 1]);
    int psc_side = 0, cross = 0;
    for (int lag = -255; lag <= 255; lag++) {
        int acc = 0;
        for (int i = 0; i < 256; i++)
            if (i + lag >= 0 && i + lag < 256)
                acc += p[i] * p[i + lag];
        if (lag == 0)
            CS_CHECK(acc == 256);
        else if (abs(acc) > psc_side)
            psc_side = abs(acc);
        for (int k = 0; k < 16; k++) {
            acc = 0;
            for (int i = 0; i < 256; i++)
                if (i + lag >= 0 && i + lag < 256)
                    acc += p[i] * s[k][i + lag];
            if (abs(acc) > cross)
                cross = abs(acc);
        }
    }
    printf("PSC peak sidelobe %d/256 (%.1f dB), PSC-SSC max cross-correlation %d/256 (%.1f dB)\n",
           psc_side, 20 * log10(psc_side / 256.0), cross, 20 * log10(cross / 256.0));
    /* The "-12 dB sidelobes" the searcher must mask: a quarter of the peak. */
    CS_CHECK(psc_side == 64);
    CS_CHECK(cross < 128);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}
static float gauss(void)
{
    double u1 = urand(), u2 = urand();
    if (u1 < 1e-300)
        u1 = 1e-300;
    return (float)(sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
}

static void test_fast_correlators(void)
{
    cs_cf32 r[256], ssc[256], corr[16];
    for (int i = 0; i < 256; i++)
        r[i] = gauss() + gauss() * I;
    cs_umts_ssc_correlate(r, corr);
    float worst = 0;
    for (int k = 1; k <= 16; k++) {
        cs_umts_ssc_cf32(k, ssc);
        float e = cabsf(corr[k - 1] - dot_conj(r, ssc, 256));
        if (e > worst)
            worst = e;
    }
    CS_CHECK_NEAR(worst, 0, 1e-3);
    /* A clean SSC 11 with amplitude 0.5·e^{j0.3}. */
    cs_umts_ssc_cf32(11, ssc);
    for (int i = 0; i < 256; i++)
        r[i] = ssc[i] * 0.5f * cexpf(0.3f * I);
    cs_umts_ssc_correlate(r, corr);
    for (int k = 0; k < 16; k++)
        CS_CHECK_NEAR(cabsf(corr[k]), k == 10 ? 256.0 : 0.0, 1e-3);
    CS_CHECK_NEAR(cargf(corr[10]), 0.3, 1e-5);

    /* Hierarchical P-SCH filter = direct correlation, at 1 and 2 samples per chip. */
    cs_cf32 psc[256];
    cs_umts_psc_cf32(psc);
    enum { N = 1400 };
    cs_cf32 *x = malloc(N * sizeof *x), *out = malloc(N * sizeof *out);
    for (int spc = 1; spc <= 2; spc++) {
        for (int i = 0; i < N; i++)
            x[i] = 0.3f * (gauss() + gauss() * I);
        const int pos = 301;
        for (int i = 0; i < 256; i++)
            for (int s = 0; s < spc; s++)
                x[pos + i * spc + s] += psc[i];
        long n_out = cs_umts_psc_correlate(x, N, spc, out);
        CS_CHECK(n_out == N - 255 * spc);
        worst = 0;
        long peak = -1;
        float peak_mag = 0;
        for (long t = 0; t < n_out; t++) {
            cs_cf32 d = 0;
            for (int i = 0; i < 256; i++)
                d += x[t + i * spc] * conjf(psc[i]);
            if (cabsf(out[t] - d) > worst)
                worst = cabsf(out[t] - d);
            if (cabsf(out[t]) > peak_mag) {
                peak_mag = cabsf(out[t]);
                peak = t;
            }
        }
        CS_CHECK_NEAR(worst, 0, 1e-3);
        CS_CHECK(peak == pos || (spc == 2 && peak == pos + 1));
    }
    CS_CHECK(cs_umts_psc_correlate(x, 255, 1, out) == 0);
    CS_CHECK(cs_umts_psc_correlate(x, N, 0, out) == CS_EINVAL);
    free(x);
    free(out);
}

static void test_group_decoding(void)
{
    const uint8_t (*t)[15] = cs_umts_ssc_table();
    int exact = 1, with_errors = 1, soft_ok = 1;
    for (int g = 0; g < 64; g++) {
        for (int sh = 0; sh < 15; sh++) {
            uint8_t seq[15];
            for (int s = 0; s < 15; s++)
                seq[s] = t[g][(s + sh) % 15];
            cs_umts_group_match m;
            CS_CHECK(cs_umts_ssc_decode_hard(seq, &m) == CS_OK);
            exact &= m.group == g && m.first_slot == sh && m.metric == 15 && m.second_metric <= 2;
            /* Six slots wrong or unknown still decode (distance 13). */
            for (int e = 0; e < 6; e++) {
                int pos = (g * 7 + sh * 3 + e * 5) % 15;
                seq[pos] = (uint8_t)((e % 2) ? 0 : (seq[pos] % 16) + 1);
            }
            cs_umts_ssc_decode_hard(seq, &m);
            with_errors &= m.group == g && m.first_slot == sh;
            /* Soft: noisy correlation energies, clearly decodable. */
            float score[15][16];
            for (int s = 0; s < 15; s++)
                for (int k = 0; k < 16; k++) {
                    float a = (k + 1 == t[g][(s + sh) % 15]) ? 1.0f : 0.0f;
                    cs_cf32 c = a + 0.25f * (gauss() + gauss() * I); /* SNR 9 dB per slot */
                    score[s][k] = crealf(c * conjf(c));
                }
            cs_umts_ssc_decode_soft((const float(*)[16])score, &m);
            soft_ok &= m.group == g && m.first_slot == sh && m.metric > m.second_metric;
        }
    }
    CS_CHECK(exact);
    CS_CHECK(with_errors);
    CS_CHECK(soft_ok);
    uint8_t bad[15] = {17};
    cs_umts_group_match m;
    CS_CHECK(cs_umts_ssc_decode_hard(bad, &m) == CS_EINVAL);
    float nan_score[15][16] = {{NAN}};
    CS_CHECK(cs_umts_ssc_decode_soft((const float(*)[16])nan_score, &m) == CS_EINVAL);
}

int main(void)
{
    test_sync_code_vectors();
    test_scrambling_vectors();
    test_scrambling_against_definition();
    test_allocation_table();
    test_code_correlation_properties();
    test_fast_correlators();
    test_group_decoding();
    return cs_test_done();
}
