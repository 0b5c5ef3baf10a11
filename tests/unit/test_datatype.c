/* Datatypes: names, sizes, full scales, parsing (names, aliases, clear errors), and the
 * public conversions cs_convert_to_cf32 / cs_convert_from_cf32 (libvolk or own kernels):
 * known values, bit-exact agreement with the reference kernels, round trips, saturation. */
#include <stdint.h>
#include <stdlib.h>

#include "cellscan/datatype.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "kernels/convert_kernels.h"

/* 64-byte aligned buffer (aligned_alloc wants a size that is a multiple of 64). */
static void *alloc64(size_t bytes) { return aligned_alloc(64, (bytes + 63) & ~(size_t)63); }

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static const struct {
    cs_datatype dt;
    const char *name;
    size_t bytes;
    double full_scale;
} expect[] = {
    { CS_DT_CF64_LE, "cf64_le", 16, 1.0 },         { CS_DT_CF64_BE, "cf64_be", 16, 1.0 },
    { CS_DT_CF32_LE, "cf32_le", 8, 1.0 },          { CS_DT_CF32_BE, "cf32_be", 8, 1.0 },
    { CS_DT_CI32_LE, "ci32_le", 8, 2147483648.0 }, { CS_DT_CI32_BE, "ci32_be", 8, 2147483648.0 },
    { CS_DT_CI16_LE, "ci16_le", 4, 32768.0 },      { CS_DT_CI16_BE, "ci16_be", 4, 32768.0 },
    { CS_DT_CU16_LE, "cu16_le", 4, 32768.0 },      { CS_DT_CU16_BE, "cu16_be", 4, 32768.0 },
    { CS_DT_CI8, "ci8", 2, 128.0 },                { CS_DT_CU8, "cu8", 2, 128.0 },
};
#define N_DT (sizeof expect / sizeof expect[0])

static void test_names_sizes_scales(void)
{
    CS_CHECK(N_DT == CS_DT_COUNT - 1);
    for (size_t i = 0; i < N_DT; i++) {
        CS_CHECK(strcmp(cs_datatype_name(expect[i].dt), expect[i].name) == 0);
        CS_CHECK(cs_datatype_sample_bytes(expect[i].dt) == expect[i].bytes);
        CS_CHECK(cs_datatype_full_scale(expect[i].dt) == expect[i].full_scale);
        cs_datatype dt = CS_DT_UNKNOWN;
        CS_CHECK(cs_datatype_parse(expect[i].name, &dt) == CS_OK && dt == expect[i].dt);
    }
    CS_CHECK(strcmp(cs_datatype_name(CS_DT_UNKNOWN), "unknown") == 0);
    CS_CHECK(strcmp(cs_datatype_name(CS_DT_COUNT), "unknown") == 0);
    CS_CHECK(cs_datatype_sample_bytes(CS_DT_UNKNOWN) == 0);
    CS_CHECK(cs_datatype_full_scale(CS_DT_COUNT) == 0.0);
}

static void test_parse(void)
{
    static const struct {
        const char *alias;
        cs_datatype dt;
    } aliases[] = {
        { "cf32", CS_DT_CF32_LE }, { "fc32", CS_DT_CF32_LE }, { "cf64", CS_DT_CF64_LE },
        { "fc64", CS_DT_CF64_LE }, { "ci32", CS_DT_CI32_LE }, { "ci16", CS_DT_CI16_LE },
        { "cs16", CS_DT_CI16_LE }, { "sc16", CS_DT_CI16_LE }, { "cu16", CS_DT_CU16_LE },
        { "cs8", CS_DT_CI8 },      { "sc8", CS_DT_CI8 },      { "ci8_le", CS_DT_CI8 },
        { "cu8_le", CS_DT_CU8 },
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        cs_datatype dt = CS_DT_UNKNOWN;
        CS_CHECK_MSG(cs_datatype_parse(aliases[i].alias, &dt) == CS_OK && dt == aliases[i].dt,
                     "alias %s", aliases[i].alias);
    }
    /* Real-valued SigMF types: known shape, not supported, and the message says why. */
    static const char *real[] = { "rf32_le", "rf64_be", "ri16_le", "ri32_be", "ru16_le",
                                  "ri8", "ru8", "rf32" };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        cs_datatype dt = CS_DT_CU8;
        CS_CHECK_MSG(cs_datatype_parse(real[i], &dt) == CS_ENOTSUP, "%s", real[i]);
        CS_CHECK_MSG(strstr(cs_last_error(), "real-valued") && strstr(cs_last_error(), real[i]),
                     "message for %s: %s", real[i], cs_last_error());
        CS_CHECK(dt == CS_DT_CU8); /* untouched on failure */
    }
    static const char *unknown[] = { "cf33_le", "CF32_LE", "cf32_le ", "ci16_xx", "complex",
                                     "ruby", "rf16_le", "c", "ci8_be_le" };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        cs_datatype dt = CS_DT_CU8;
        CS_CHECK_MSG(cs_datatype_parse(unknown[i], &dt) == CS_EINVAL, "%s", unknown[i]);
        CS_CHECK_MSG(strstr(cs_last_error(), "unknown datatype") &&
                         strstr(cs_last_error(), unknown[i]),
                     "message for %s: %s", unknown[i], cs_last_error());
        CS_CHECK(dt == CS_DT_CU8);
    }
    cs_datatype dt;
    CS_CHECK(cs_datatype_parse("", &dt) == CS_EINVAL && strstr(cs_last_error(), "empty"));
    CS_CHECK(cs_datatype_parse(NULL, &dt) == CS_EINVAL);
}

/* Values worked out by hand, independent of the reference kernels. */
static void test_known_values(void)
{
    float f[4];
    const uint8_t cu8[4] = { 0, 255, 127, 128 };
    cs_convert_to_cf32(CS_DT_CU8, cu8, (cs_cf32 *)f, 2);
    CS_CHECK(f[0] == -0.99609375f && f[1] == 0.99609375f && f[2] == -0.00390625f &&
             f[3] == 0.00390625f);
    const int8_t ci8[2] = { -128, 127 };
    cs_convert_to_cf32(CS_DT_CI8, ci8, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == -1.0f && f[1] == 127.0f / 128.0f);
    const uint8_t ci16_be[4] = { 0x80, 0x00, 0x40, 0x00 };
    cs_convert_to_cf32(CS_DT_CI16_BE, ci16_be, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == -1.0f && f[1] == 0.5f);
    const int16_t ci16[2] = { 32767, -16384 };
    cs_convert_to_cf32(CS_DT_CI16_LE, ci16, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == 32767.0f / 32768.0f && f[1] == -0.5f);
    const uint16_t cu16[2] = { 0, 65535 };
    cs_convert_to_cf32(CS_DT_CU16_LE, cu16, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == -32767.5f / 32768.0f && f[1] == 32767.5f / 32768.0f);
    const uint8_t cu16_be[4] = { 0x80, 0x00, 0x7f, 0xff };
    cs_convert_to_cf32(CS_DT_CU16_BE, cu16_be, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == 0.5f / 32768.0f && f[1] == -0.5f / 32768.0f);
    const int32_t ci32[2] = { INT32_MAX, INT32_MIN };
    cs_convert_to_cf32(CS_DT_CI32_LE, ci32, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == 1.0f && f[1] == -1.0f); /* 2^31 - 1 rounds to 1.0 */
    const uint8_t ci32_be[8] = { 0xc0, 0, 0, 0, 0, 0, 0, 1 };
    cs_convert_to_cf32(CS_DT_CI32_BE, ci32_be, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == -0.5f && f[1] == 0x1p-31f);
    const double cf64[2] = { 0.1, -2.5 };
    cs_convert_to_cf32(CS_DT_CF64_LE, cf64, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == 0.1f && f[1] == -2.5f);
    const uint8_t cf32_be[8] = { 0x3f, 0x80, 0, 0, 0xc0, 0x00, 0, 0 };
    cs_convert_to_cf32(CS_DT_CF32_BE, cf32_be, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == 1.0f && f[1] == -2.0f);

    const float g[2] = { 0.5f, -0.25f };
    uint8_t b[16];
    CS_CHECK(cs_convert_from_cf32(CS_DT_CI16_BE, (const cs_cf32 *)g, b, 1) == 0);
    CS_CHECK(b[0] == 0x40 && b[1] == 0x00 && b[2] == 0xe0 && b[3] == 0x00);
    CS_CHECK(cs_convert_from_cf32(CS_DT_CU8, (const cs_cf32 *)g, b, 1) == 0);
    CS_CHECK(b[0] == 192 && b[1] == 96); /* 191.5 and 95.5: ties go to even */
}

/* Floats that exercise every rule of the float -> int conversions: ordinary values, exact
 * ties at every scale, values past full scale, tiny and denormal values, +-0, +-inf, NaN. */
static float probe_float(void)
{
    static const double scales[] = { 128.0, 32768.0, 2147483648.0 };
    double scale = scales[rnd() % 3];
    double k = (double)(int32_t)rnd() / 2147483648.0 * 1.1 * scale;
    float any;
    uint32_t bits = rnd();
    memcpy(&any, &bits, 4);
    switch (rnd() % 10) {
    case 0: return (float)((floor(k) + 0.5) / scale);
    case 1: return (float)(((double)(rnd() % 64) - 32.0 + 0.5) / scale);
    case 2: return (rnd() & 1 ? 1e-42f : -1e-42f);
    case 3: return rnd() & 1 ? INFINITY : -INFINITY;
    case 4: return NAN;
    case 5: return any; /* any bit pattern, NaNs included */
    case 6: return rnd() & 1 ? -0.0f : 1.0f;
    default: return (float)(k / scale);
    }
}

static const size_t lengths[] = { 1, 7, 31, 1001, 65537 }; /* complex samples */
#define MAX_N 65537

/* The public conversions (libvolk or own kernels, whatever this CPU picks) give the
 * reference result bit for bit, for aligned and misaligned buffers. Tolerance: none. */
static void test_against_reference(void)
{
    uint8_t *in = alloc64(MAX_N * 16 + 64);
    uint8_t *out = alloc64(MAX_N * 16 + 64), *ref = alloc64(MAX_N * 16 + 64);
    for (size_t d = 0; d < N_DT; d++) {
        cs_datatype dt = expect[d].dt;
        size_t bytes = expect[d].bytes;
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            size_t n = lengths[li];
            /* mode 0: aligned; 1: off by one component (breaks vector alignment);
             * 2: off by one byte (breaks element alignment: VOLK paths fall back). */
            for (int mode = 0; mode < 3; mode++) {
                size_t shift = mode == 0 ? 0 : mode == 1 ? bytes / 2 : 1;
                size_t fshift = mode == 0 ? 0 : 4;
                /* to cf32: any byte pattern (NaN payloads, denormals, extremes) */
                uint8_t *pin = in + shift;
                for (size_t i = 0; i < n * bytes; i++) pin[i] = (uint8_t)rnd();
                float *pout = (float *)(void *)(out + fshift);
                float *pref = (float *)(void *)(ref + fshift);
                cs_convert_to_cf32(dt, pin, (cs_cf32 *)pout, n);
                cs_ref_to_32f(dt)(pref, pin, 2 * n);
                CS_CHECK_MSG(memcmp(pout, pref, 8 * n) == 0, "to cf32 %s n=%zu mode=%d",
                             expect[d].name, n, mode);
                /* from cf32 */
                float *fin = (float *)(void *)(in + fshift);
                for (size_t i = 0; i < 2 * n; i++) fin[i] = probe_float();
                uint8_t *bout = out + shift, *bref = ref + shift;
                size_t sat = cs_convert_from_cf32(dt, (const cs_cf32 *)fin, bout, n);
                size_t sat_ref = cs_ref_from_32f(dt)(bref, fin, 2 * n);
                CS_CHECK_MSG(memcmp(bout, bref, n * bytes) == 0 && sat == sat_ref,
                             "from cf32 %s n=%zu mode=%d sat %zu/%zu", expect[d].name, n,
                             mode, sat, sat_ref);
            }
        }
    }
    free(in);
    free(out);
    free(ref);
}

/* Random sample bytes of each datatype -> cf32 -> the same datatype give the same bytes,
 * with no saturation. ci32 and cf64 hold more precision than a float: for those, the
 * random values are drawn from the ones a float can carry (24 significant bits; doubles
 * that are floats, NaN excluded because float -> double quiets signalling NaNs). */
static void test_round_trip(void)
{
    size_t n = 100003;
    uint8_t *in = malloc(n * 16), *back = malloc(n * 16);
    float *f = malloc(n * 8);
    for (size_t d = 0; d < N_DT; d++) {
        cs_datatype dt = expect[d].dt;
        size_t comp = expect[d].bytes / 2;
        for (size_t i = 0; i < n * 2 * comp; i++) in[i] = (uint8_t)rnd();
        if (dt == CS_DT_CI32_LE || dt == CS_DT_CI32_BE) {
            for (size_t i = 0; i < 2 * n; i++) {
                int32_t v = (int32_t)(rnd() << 8) >> (rnd() % 32); /* 24 significant bits */
                uint32_t u = (uint32_t)v;
                if (dt == CS_DT_CI32_BE) u = __builtin_bswap32(u);
                memcpy(in + 4 * i, &u, 4);
            }
        } else if (dt == CS_DT_CF64_LE || dt == CS_DT_CF64_BE) {
            for (size_t i = 0; i < 2 * n; i++) {
                uint32_t bits = rnd();
                float x;
                memcpy(&x, &bits, 4);
                if (isnan(x)) x = (bits & 1) ? INFINITY : -1e-40f;
                double v = x;
                uint64_t u;
                memcpy(&u, &v, 8);
                if (dt == CS_DT_CF64_BE) u = __builtin_bswap64(u);
                memcpy(in + 8 * i, &u, 8);
            }
        }
        cs_convert_to_cf32(dt, in, (cs_cf32 *)f, n);
        memset(back, 0x5a, n * 2 * comp);
        size_t sat = cs_convert_from_cf32(dt, (const cs_cf32 *)f, back, n);
        CS_CHECK_MSG(sat == 0 && memcmp(in, back, n * 2 * comp) == 0,
                     "%s round trip: %zu saturated, bytes %s", expect[d].name, sat,
                     memcmp(in, back, n * 2 * comp) ? "differ" : "equal");
    }
    free(in);
    free(back);
    free(f);
}

/* Saturation: which inputs count, and what they become. */
static void test_saturation(void)
{
    const float x[10] = { 0.0f, 1.0f, -1.0f, 1.5f, -1.5f, INFINITY, -INFINITY, NAN, 0.5f, -0.99f };
    uint8_t b[10 * 8];
    /* 1.0 is one step past the top code of every integer type; -1.0 is exactly the bottom
     * (for cu8/cu16: -0.5 rounds to 0). 1.5, -1.5, +-inf are out; NaN converts as 0.0. */
    for (size_t d = 0; d < N_DT; d++) {
        cs_datatype dt = expect[d].dt;
        int is_float = expect[d].full_scale == 1.0;
        size_t sat = cs_convert_from_cf32(dt, (const cs_cf32 *)x, b, 5);
        CS_CHECK_MSG(sat == (is_float ? 0u : 5u), "%s: %zu saturated", expect[d].name, sat);
    }
    int16_t s16[10];
    cs_convert_from_cf32(CS_DT_CI16_LE, (const cs_cf32 *)x, s16, 5);
    CS_CHECK(s16[0] == 0 && s16[1] == 32767 && s16[2] == -32768 && s16[3] == 32767 &&
             s16[4] == -32768 && s16[5] == 32767 && s16[6] == -32768 && s16[7] == 0 &&
             s16[8] == 16384 && s16[9] == -32440);
    uint8_t u8[10];
    cs_convert_from_cf32(CS_DT_CU8, (const cs_cf32 *)x, u8, 5);
    CS_CHECK(u8[0] == 128 && u8[1] == 255 && u8[2] == 0 && u8[3] == 255 && u8[4] == 0 &&
             u8[5] == 255 && u8[6] == 0 && u8[7] == 128 && u8[8] == 192 && u8[9] == 1);
    int32_t s32[10];
    cs_convert_from_cf32(CS_DT_CI32_LE, (const cs_cf32 *)x, s32, 5);
    CS_CHECK(s32[1] == INT32_MAX && s32[2] == INT32_MIN && s32[7] == 0 && s32[8] == 1 << 30);
    /* Counts add up over long runs (vector bodies and tails). */
    size_t n = 50001;
    float *big = malloc(n * 8);
    uint8_t *o = malloc(n * 8);
    size_t expected = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        big[i] = (i % 7 == 3) ? 1.25f : (i % 11 == 5) ? -1.0f : 0.25f;
        expected += (i % 7 == 3);
    }
    for (size_t d = 0; d < N_DT; d++)
        if (expect[d].full_scale != 1.0)
            CS_CHECK_MSG(cs_convert_from_cf32(expect[d].dt, (const cs_cf32 *)big, o, n) == expected,
                         "%s long-run count", expect[d].name);
    free(big);
    free(o);
}

/* CS_DT_UNKNOWN converts to silence and writes nothing. */
static void test_unknown_datatype(void)
{
    float f[4] = { 1, 2, 3, 4 };
    uint8_t in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[8] = { 0 };
    cs_convert_to_cf32(CS_DT_UNKNOWN, in, (cs_cf32 *)f, 2);
    CS_CHECK(f[0] == 0 && f[1] == 0 && f[2] == 0 && f[3] == 0);
    CS_CHECK(cs_convert_from_cf32(CS_DT_COUNT, (const cs_cf32 *)f, out, 2) == 0);
    CS_CHECK(out[0] == 0 && out[7] == 0);
}

int main(void)
{
    test_names_sizes_scales();
    test_parse();
    test_known_values();
    test_against_reference();
    test_round_trip();
    test_saturation();
    test_unknown_datatype();
    return cs_test_done();
}
