/* Datatype names, sizes, full scales, and conversion to and from cf32 (full scale 1.0).
 * The conversions dispatch to VOLK or to our own kernels in kernels/. */
#include "cellscan/datatype.h"

#include <math.h>
#include <string.h>

#include "cellscan/status.h"
#include "kernels/convert_kernels.h"

static const struct {
    const char *name;
    size_t bytes;
    double full_scale;
} dt_table[CS_DT_COUNT] = {
    [CS_DT_UNKNOWN] = { "unknown", 0, 0.0 },
    [CS_DT_CF64_LE] = { "cf64_le", 16, 1.0 },
    [CS_DT_CF64_BE] = { "cf64_be", 16, 1.0 },
    [CS_DT_CF32_LE] = { "cf32_le", 8, 1.0 },
    [CS_DT_CF32_BE] = { "cf32_be", 8, 1.0 },
    [CS_DT_CI32_LE] = { "ci32_le", 8, 2147483648.0 },
    [CS_DT_CI32_BE] = { "ci32_be", 8, 2147483648.0 },
    [CS_DT_CI16_LE] = { "ci16_le", 4, 32768.0 },
    [CS_DT_CI16_BE] = { "ci16_be", 4, 32768.0 },
    [CS_DT_CU16_LE] = { "cu16_le", 4, 32768.0 },
    [CS_DT_CU16_BE] = { "cu16_be", 4, 32768.0 },
    [CS_DT_CI8] = { "ci8", 2, 128.0 },
    [CS_DT_CU8] = { "cu8", 2, 128.0 },
};

/* Short names used for raw files (little-endian where byte order matters). */
static const struct {
    const char *alias;
    cs_datatype dt;
} dt_aliases[] = {
    { "cf32", CS_DT_CF32_LE }, { "fc32", CS_DT_CF32_LE }, { "cf64", CS_DT_CF64_LE },
    { "fc64", CS_DT_CF64_LE }, { "ci32", CS_DT_CI32_LE }, { "ci16", CS_DT_CI16_LE },
    { "cs16", CS_DT_CI16_LE }, { "sc16", CS_DT_CI16_LE }, { "cu16", CS_DT_CU16_LE },
    { "cs8", CS_DT_CI8 },      { "sc8", CS_DT_CI8 },      { "ci8_le", CS_DT_CI8 },
    { "cu8_le", CS_DT_CU8 },
};

int cs_datatype_parse(const char *name, cs_datatype *out)
{
    if (name == NULL || *name == '\0')
        return cs_error(CS_EINVAL, "empty datatype name");
    for (int i = 1; i < CS_DT_COUNT; i++)
        if (strcmp(name, dt_table[i].name) == 0) {
            *out = (cs_datatype)i;
            return CS_OK;
        }
    for (size_t i = 0; i < sizeof dt_aliases / sizeof dt_aliases[0]; i++)
        if (strcmp(name, dt_aliases[i].alias) == 0) {
            *out = dt_aliases[i].dt;
            return CS_OK;
        }
    if (name[0] == 'r' && (name[1] == 'f' || name[1] == 'i' || name[1] == 'u'))
        return cs_error(CS_ENOTSUP,
                        "datatype '%s' is real-valued; cellscan needs complex IQ samples", name);
    return cs_error(CS_EINVAL,
                    "unknown datatype '%s' (expected cf64_le, cf32_le, ci32_le, ci16_le, "
                    "cu16_le, ci8, cu8 or a _be variant)",
                    name);
}

const char *cs_datatype_name(cs_datatype dt)
{
    return (dt > 0 && dt < CS_DT_COUNT) ? dt_table[dt].name : "unknown";
}

size_t cs_datatype_sample_bytes(cs_datatype dt)
{
    return (dt > 0 && dt < CS_DT_COUNT) ? dt_table[dt].bytes : 0;
}

double cs_datatype_full_scale(cs_datatype dt)
{
    return (dt > 0 && dt < CS_DT_COUNT) ? dt_table[dt].full_scale : 0.0;
}

void cs_convert_to_cf32(cs_datatype dt, const void *in, cs_cf32 *out, size_t n)
{
    float *o = (float *)out;
    size_t ncomp = 2 * n;
    switch (dt) {
    case CS_DT_CF32_LE: cs_kernel_copy_32f(o, (const float *)in, ncomp); break;
    case CS_DT_CF32_BE: cs_kernel_32f_byteswap_32f(o, in, ncomp); break;
    case CS_DT_CF64_LE: cs_kernel_64f_convert_32f(o, in, ncomp, 0); break;
    case CS_DT_CF64_BE: cs_kernel_64f_convert_32f(o, in, ncomp, 1); break;
    case CS_DT_CI32_LE: cs_kernel_32i_convert_32f(o, in, ncomp, 0); break;
    case CS_DT_CI32_BE: cs_kernel_32i_convert_32f(o, in, ncomp, 1); break;
    case CS_DT_CI16_LE: cs_kernel_16i_convert_32f(o, in, ncomp, 0); break;
    case CS_DT_CI16_BE: cs_kernel_16i_convert_32f(o, in, ncomp, 1); break;
    case CS_DT_CU16_LE: cs_kernel_16u_convert_32f(o, in, ncomp, 0); break;
    case CS_DT_CU16_BE: cs_kernel_16u_convert_32f(o, in, ncomp, 1); break;
    case CS_DT_CI8: cs_kernel_8i_convert_32f(o, in, ncomp); break;
    case CS_DT_CU8: cs_kernel_8u_convert_32f(o, in, ncomp); break;
    default: memset(out, 0, n * sizeof *out); break;
    }
}

size_t cs_convert_from_cf32(cs_datatype dt, const cs_cf32 *in, void *out, size_t n)
{
    return cs_kernel_32f_convert_to(dt, (const float *)in, out, 2 * n);
}
