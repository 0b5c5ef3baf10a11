/* Reference (generic, scalar) conversion kernels. They are the definition of every
 * conversion: the SIMD protokernels and the libvolk calls must give identical results, and
 * the tests compare them all against these. Written for clarity: memcpy loads (any
 * alignment), double arithmetic, one explicit rounding rule. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "convert_kernels.h"

static uint16_t bswap16(uint16_t v)
{
    return (uint16_t)((v >> 8) | (v << 8));
}

static uint16_t load16(const uint8_t *p, int swap)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return swap ? bswap16(v) : v;
}

static uint32_t load32(const uint8_t *p, int swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static uint64_t load64(const uint8_t *p, int swap)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return swap ? __builtin_bswap64(v) : v;
}

static void store16(uint8_t *p, uint16_t v, int swap)
{
    if (swap) v = bswap16(v);
    memcpy(p, &v, 2);
}

static void store32(uint8_t *p, uint32_t v, int swap)
{
    if (swap) v = __builtin_bswap32(v);
    memcpy(p, &v, 4);
}

static void store64(uint8_t *p, uint64_t v, int swap)
{
    if (swap) v = __builtin_bswap64(v);
    memcpy(p, &v, 8);
}

/* ---- datatype -> float ---------------------------------------------------------------- */

static void f32_to_32f(float *out, const void *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t v = load32((const uint8_t *)in + 4 * i, swap);
        memcpy(&out[i], &v, 4); /* bit copy: NaN payloads survive */
    }
}

static void f64_to_32f(float *out, const void *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v = load64((const uint8_t *)in + 8 * i, swap);
        double d;
        memcpy(&d, &v, 8);
        out[i] = (float)d;
    }
}

static void i32_to_32f(float *out, const void *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++) {
        int32_t v = (int32_t)load32((const uint8_t *)in + 4 * i, swap);
        out[i] = (float)((double)v * (1.0 / 2147483648.0)); /* one rounding, to nearest */
    }
}

static void i16_to_32f(float *out, const void *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (float)(int16_t)load16((const uint8_t *)in + 2 * i, swap) * (1.0f / 32768.0f);
}

static void u16_to_32f(float *out, const void *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++)
        out[i] = ((float)load16((const uint8_t *)in + 2 * i, swap) - 32767.5f) *
                 (1.0f / 32768.0f);
}

static void cf32_le_to(float *o, const void *i, size_t n)
{
    f32_to_32f(o, i, n, 0);
}

static void cf32_be_to(float *o, const void *i, size_t n)
{
    f32_to_32f(o, i, n, 1);
}

static void cf64_le_to(float *o, const void *i, size_t n)
{
    f64_to_32f(o, i, n, 0);
}

static void cf64_be_to(float *o, const void *i, size_t n)
{
    f64_to_32f(o, i, n, 1);
}

void cs_32i_convert_32f_generic(float *o, const void *i, size_t n)
{
    i32_to_32f(o, i, n, 0);
}

void cs_32i_byteswap_convert_32f_generic(float *o, const void *i, size_t n)
{
    i32_to_32f(o, i, n, 1);
}

void cs_16i_convert_32f_generic(float *o, const void *i, size_t n)
{
    i16_to_32f(o, i, n, 0);
}

void cs_16i_byteswap_convert_32f_generic(float *o, const void *i, size_t n)
{
    i16_to_32f(o, i, n, 1);
}

void cs_16u_convert_32f_generic(float *o, const void *i, size_t n)
{
    u16_to_32f(o, i, n, 0);
}

void cs_16u_byteswap_convert_32f_generic(float *o, const void *i, size_t n)
{
    u16_to_32f(o, i, n, 1);
}

void cs_8i_convert_32f_generic(float *out, const void *in, size_t n)
{
    const int8_t *p = in;
    for (size_t i = 0; i < n; i++) out[i] = (float)p[i] * (1.0f / 128.0f);
}

void cs_8u_convert_32f_generic(float *out, const void *in, size_t n)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) out[i] = ((float)p[i] - 127.5f) * (1.0f / 128.0f);
}

/* ---- float -> datatype ---------------------------------------------------------------- */

/* Nearest integer to x * scale (ties to even), saturated to [lo, hi]; NaN gives 0.
 * x * scale is exact in double (scale is a power of two). */
static double quantize_signed(float x, double scale, double lo, double hi, size_t *sat)
{
    if (isnan(x)) return 0.0;
    double r = nearbyint((double)x * scale);
    if (r < lo) { (*sat)++; return lo; }
    if (r > hi) { (*sat)++; return hi; }
    return r;
}

/* Nearest integer to x * scale + mid - 0.5 (ties to even), saturated to [0, 2 * mid - 1];
 * NaN converts as 0.0 would (to mid). The sum is not computed directly because it rounds for
 * tiny |x|: with y = x * scale the answer is floor(y) + mid, minus one when y is an odd
 * integer (the tie y + mid - 0.5 then goes down to the even neighbour). */
static double quantize_offset(float x, double scale, double mid, size_t *sat)
{
    double y = isnan(x) ? 0.0 : (double)x * scale;
    double f = floor(y);
    double v = f + mid - ((f == y && fmod(f, 2.0) != 0.0) ? 1.0 : 0.0);
    if (v < 0.0) { (*sat)++; return 0.0; }
    if (v > 2.0 * mid - 1.0) { (*sat)++; return 2.0 * mid - 1.0; }
    return v;
}

static size_t from_32i(void *out, const float *in, size_t n, int swap)
{
    size_t sat = 0;
    for (size_t i = 0; i < n; i++) {
        double r = quantize_signed(in[i], 2147483648.0, -2147483648.0, 2147483647.0, &sat);
        store32((uint8_t *)out + 4 * i, (uint32_t)(int32_t)r, swap);
    }
    return sat;
}

static size_t from_16i(void *out, const float *in, size_t n, int swap)
{
    size_t sat = 0;
    for (size_t i = 0; i < n; i++) {
        double r = quantize_signed(in[i], 32768.0, -32768.0, 32767.0, &sat);
        store16((uint8_t *)out + 2 * i, (uint16_t)(int16_t)r, swap);
    }
    return sat;
}

static size_t from_16u(void *out, const float *in, size_t n, int swap)
{
    size_t sat = 0;
    for (size_t i = 0; i < n; i++)
        store16((uint8_t *)out + 2 * i, (uint16_t)quantize_offset(in[i], 32768.0, 32768.0, &sat),
                swap);
    return sat;
}

size_t cs_32f_convert_8i_generic(void *out, const float *in, size_t n)
{
    size_t sat = 0;
    for (size_t i = 0; i < n; i++)
        ((int8_t *)out)[i] = (int8_t)quantize_signed(in[i], 128.0, -128.0, 127.0, &sat);
    return sat;
}

size_t cs_32f_convert_8u_generic(void *out, const float *in, size_t n)
{
    size_t sat = 0;
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)out)[i] = (uint8_t)quantize_offset(in[i], 128.0, 128.0, &sat);
    return sat;
}

size_t cs_32f_convert_16i_generic(void *o, const float *i, size_t n)
{
    return from_16i(o, i, n, 0);
}

size_t cs_32f_convert_byteswap_16i_generic(void *o, const float *i, size_t n)
{
    return from_16i(o, i, n, 1);
}

size_t cs_32f_convert_16u_generic(void *o, const float *i, size_t n)
{
    return from_16u(o, i, n, 0);
}

size_t cs_32f_convert_byteswap_16u_generic(void *o, const float *i, size_t n)
{
    return from_16u(o, i, n, 1);
}

size_t cs_32f_convert_32i_generic(void *o, const float *i, size_t n)
{
    return from_32i(o, i, n, 0);
}

size_t cs_32f_convert_byteswap_32i_generic(void *o, const float *i, size_t n)
{
    return from_32i(o, i, n, 1);
}

static size_t from_f32(void *out, const float *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, &in[i], 4);
        store32((uint8_t *)out + 4 * i, v, swap);
    }
    return 0;
}

static size_t from_f64(void *out, const float *in, size_t n, int swap)
{
    for (size_t i = 0; i < n; i++) {
        double d = in[i];
        uint64_t v;
        memcpy(&v, &d, 8);
        store64((uint8_t *)out + 8 * i, v, swap);
    }
    return 0;
}

static size_t cf32_le_from(void *o, const float *i, size_t n)
{
    return from_f32(o, i, n, 0);
}

static size_t cf32_be_from(void *o, const float *i, size_t n)
{
    return from_f32(o, i, n, 1);
}

static size_t cf64_le_from(void *o, const float *i, size_t n)
{
    return from_f64(o, i, n, 0);
}

static size_t cf64_be_from(void *o, const float *i, size_t n)
{
    return from_f64(o, i, n, 1);
}

/* ---- scans --------------------------------------------------------------------------- */

size_t cs_32f_index_nonfinite_generic(const float *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, &in[i], 4);
        if ((b & 0x7f800000u) == 0x7f800000u) return i; /* exponent all ones: Inf or NaN */
    }
    return n;
}

static const struct {
    cs_to_32f_fn to;
    cs_from_32f_fn from;
} ref_table[CS_DT_COUNT] = {
    [CS_DT_CF64_LE] = { cf64_le_to, cf64_le_from },
    [CS_DT_CF64_BE] = { cf64_be_to, cf64_be_from },
    [CS_DT_CF32_LE] = { cf32_le_to, cf32_le_from },
    [CS_DT_CF32_BE] = { cf32_be_to, cf32_be_from },
    [CS_DT_CI32_LE] = { cs_32i_convert_32f_generic, cs_32f_convert_32i_generic },
    [CS_DT_CI32_BE] = { cs_32i_byteswap_convert_32f_generic, cs_32f_convert_byteswap_32i_generic },
    [CS_DT_CI16_LE] = { cs_16i_convert_32f_generic, cs_32f_convert_16i_generic },
    [CS_DT_CI16_BE] = { cs_16i_byteswap_convert_32f_generic, cs_32f_convert_byteswap_16i_generic },
    [CS_DT_CU16_LE] = { cs_16u_convert_32f_generic, cs_32f_convert_16u_generic },
    [CS_DT_CU16_BE] = { cs_16u_byteswap_convert_32f_generic, cs_32f_convert_byteswap_16u_generic },
    [CS_DT_CI8] = { cs_8i_convert_32f_generic, cs_32f_convert_8i_generic },
    [CS_DT_CU8] = { cs_8u_convert_32f_generic, cs_32f_convert_8u_generic },
};

cs_to_32f_fn cs_ref_to_32f(cs_datatype dt)
{
    return (dt > CS_DT_UNKNOWN && dt < CS_DT_COUNT) ? ref_table[dt].to : NULL;
}

cs_from_32f_fn cs_ref_from_32f(cs_datatype dt)
{
    return (dt > CS_DT_UNKNOWN && dt < CS_DT_COUNT) ? ref_table[dt].from : NULL;
}
