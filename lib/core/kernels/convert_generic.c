/* Generic (portable scalar) conversion kernels. The SIMD versions and VOLK calls replace
 * these at run time where available; these stay as the reference every test compares to. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "convert_kernels.h"

static uint16_t bswap16(uint16_t v) { return (uint16_t)((v >> 8) | (v << 8)); }
static uint32_t bswap32(uint32_t v) { return __builtin_bswap32(v); }
static uint64_t bswap64(uint64_t v) { return __builtin_bswap64(v); }

void cs_kernel_copy_32f(float *out, const float *in, size_t n)
{
    if (out != in) memmove(out, in, n * sizeof(float));
}

void cs_kernel_32f_byteswap_32f(float *out, const void *in, size_t n)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, p + 4 * i, 4);
        v = bswap32(v);
        memcpy(&out[i], &v, 4);
    }
}

void cs_kernel_64f_convert_32f(float *out, const void *in, size_t n, int swap)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        double d;
        memcpy(&v, p + 8 * i, 8);
        if (swap) v = bswap64(v);
        memcpy(&d, &v, 8);
        out[i] = (float)d;
    }
}

void cs_kernel_32i_convert_32f(float *out, const void *in, size_t n, int swap)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, p + 4 * i, 4);
        if (swap) v = bswap32(v);
        out[i] = (float)((double)(int32_t)v * (1.0 / 2147483648.0));
    }
}

void cs_kernel_16i_convert_32f(float *out, const void *in, size_t n, int swap)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        uint16_t v;
        memcpy(&v, p + 2 * i, 2);
        if (swap) v = bswap16(v);
        out[i] = (float)(int16_t)v * (1.0f / 32768.0f);
    }
}

void cs_kernel_16u_convert_32f(float *out, const void *in, size_t n, int swap)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        uint16_t v;
        memcpy(&v, p + 2 * i, 2);
        if (swap) v = bswap16(v);
        out[i] = ((float)v - 32767.5f) * (1.0f / 32768.0f);
    }
}

void cs_kernel_8i_convert_32f(float *out, const void *in, size_t n)
{
    const int8_t *p = in;
    for (size_t i = 0; i < n; i++) out[i] = (float)p[i] * (1.0f / 128.0f);
}

void cs_kernel_8u_convert_32f(float *out, const void *in, size_t n)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) out[i] = ((float)p[i] - 127.5f) * (1.0f / 128.0f);
}

/* Round and saturate one scaled value to [lo, hi]; counts saturation. */
static double clampd(double v, double lo, double hi, size_t *sat)
{
    if (v != v) return 0.0; /* NaN writes as zero */
    if (v < lo) { (*sat)++; return lo; }
    if (v > hi) { (*sat)++; return hi; }
    return v;
}

size_t cs_kernel_32f_convert_to(cs_datatype dt, const float *in, void *out, size_t n)
{
    uint8_t *p = out;
    size_t sat = 0;
    for (size_t i = 0; i < n; i++) {
        double x = in[i];
        switch (dt) {
        case CS_DT_CF32_LE:
        case CS_DT_CF32_BE: {
            float f = (float)x;
            uint32_t v;
            memcpy(&v, &f, 4);
            if (dt == CS_DT_CF32_BE) v = bswap32(v);
            memcpy(p + 4 * i, &v, 4);
            break;
        }
        case CS_DT_CF64_LE:
        case CS_DT_CF64_BE: {
            uint64_t v;
            memcpy(&v, &x, 8);
            if (dt == CS_DT_CF64_BE) v = bswap64(v);
            memcpy(p + 8 * i, &v, 8);
            break;
        }
        case CS_DT_CI32_LE:
        case CS_DT_CI32_BE: {
            double r = clampd(nearbyint(x * 2147483648.0), -2147483648.0, 2147483647.0, &sat);
            uint32_t v = (uint32_t)(int32_t)r;
            if (dt == CS_DT_CI32_BE) v = bswap32(v);
            memcpy(p + 4 * i, &v, 4);
            break;
        }
        case CS_DT_CI16_LE:
        case CS_DT_CI16_BE: {
            double r = clampd(nearbyint(x * 32768.0), -32768.0, 32767.0, &sat);
            uint16_t v = (uint16_t)(int16_t)r;
            if (dt == CS_DT_CI16_BE) v = bswap16(v);
            memcpy(p + 2 * i, &v, 2);
            break;
        }
        case CS_DT_CU16_LE:
        case CS_DT_CU16_BE: {
            double r = clampd(nearbyint(x * 32768.0 + 32767.5), 0.0, 65535.0, &sat);
            uint16_t v = (uint16_t)r;
            if (dt == CS_DT_CU16_BE) v = bswap16(v);
            memcpy(p + 2 * i, &v, 2);
            break;
        }
        case CS_DT_CI8:
            ((int8_t *)p)[i] = (int8_t)clampd(nearbyint(x * 128.0), -128.0, 127.0, &sat);
            break;
        case CS_DT_CU8:
            p[i] = (uint8_t)clampd(nearbyint(x * 128.0 + 127.5), 0.0, 255.0, &sat);
            break;
        default: break;
        }
    }
    return sat;
}
