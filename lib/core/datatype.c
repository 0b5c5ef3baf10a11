/* Datatype names, sizes, full scales, and conversion to and from cf32 (full scale 1.0).
 * The conversions dispatch to VOLK or to our own kernels in kernels/. */
#include "cellscan/datatype.h"

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

/* Exact SigMF name or raw-file alias; CS_DT_UNKNOWN when neither. */
static cs_datatype lookup(const char *name)
{
    for (int i = 1; i < CS_DT_COUNT; i++)
        if (strcmp(name, dt_table[i].name) == 0) return (cs_datatype)i;
    for (size_t i = 0; i < sizeof dt_aliases / sizeof dt_aliases[0]; i++)
        if (strcmp(name, dt_aliases[i].alias) == 0) return dt_aliases[i].dt;
    return CS_DT_UNKNOWN;
}

int cs_datatype_parse(const char *name, cs_datatype *out)
{
    if (name == NULL || *name == '\0')
        return cs_error(CS_EINVAL, "empty datatype name");
    cs_datatype dt = lookup(name);
    if (dt != CS_DT_UNKNOWN) {
        *out = dt;
        return CS_OK;
    }
    /* A real-valued type is the complex name with 'r' for 'c' ("rf32_le", "ri16", "ru8"). */
    char complex_name[16];
    if (name[0] == 'r' && strlen(name) < sizeof complex_name) {
        strcpy(complex_name, name);
        complex_name[0] = 'c';
        if (lookup(complex_name) != CS_DT_UNKNOWN)
            return cs_error(CS_ENOTSUP,
                            "datatype '%s' is real-valued; cellscan needs complex IQ samples",
                            name);
    }
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

/* Which kernel converts each datatype: libvolk's where it has one with our exact semantics
 * (convert_volk.c), our own VOLK-style kernels otherwise (kernels/cs_*.c). libvolk's
 * float -> int kernels clip without counting and map NaN to full scale, so every integer
 * output goes through our own kernels. */
static const struct {
    cs_to_32f_fn to;
    cs_from_32f_fn from;
} dt_kernels[CS_DT_COUNT] = {
    [CS_DT_CF64_LE] = { cs_volk_64f_convert_32f, cs_volk_32f_convert_64f },
    [CS_DT_CF64_BE] = { cs_volk_64f_byteswap_convert_32f, cs_volk_32f_convert_byteswap_64f },
    [CS_DT_CF32_LE] = { cs_volk_32f_copy, cs_volk_32f_copy_from },
    [CS_DT_CF32_BE] = { cs_volk_32f_byteswap, cs_volk_32f_byteswap_from },
    [CS_DT_CI32_LE] = { cs_volk_32i_convert_32f, cs_32f_convert_32i },
    [CS_DT_CI32_BE] = { cs_32i_byteswap_convert_32f, cs_32f_convert_byteswap_32i },
    [CS_DT_CI16_LE] = { cs_volk_16i_convert_32f, cs_32f_convert_16i },
    [CS_DT_CI16_BE] = { cs_16i_byteswap_convert_32f, cs_32f_convert_byteswap_16i },
    [CS_DT_CU16_LE] = { cs_16u_convert_32f, cs_32f_convert_16u },
    [CS_DT_CU16_BE] = { cs_16u_byteswap_convert_32f, cs_32f_convert_byteswap_16u },
    [CS_DT_CI8] = { cs_volk_8i_convert_32f, cs_32f_convert_8i },
    [CS_DT_CU8] = { cs_8u_convert_32f, cs_32f_convert_8u },
};

void cs_convert_to_cf32(cs_datatype dt, const void *in, cs_cf32 *out, size_t n)
{
    if (dt > CS_DT_UNKNOWN && dt < CS_DT_COUNT)
        dt_kernels[dt].to((float *)out, in, 2 * n);
    else
        memset(out, 0, n * sizeof *out);
}

size_t cs_convert_from_cf32(cs_datatype dt, const cs_cf32 *in, void *out, size_t n)
{
    if (dt > CS_DT_UNKNOWN && dt < CS_DT_COUNT)
        return dt_kernels[dt].from(out, (const float *)in, 2 * n);
    return 0;
}
