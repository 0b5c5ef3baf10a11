/* Sample datatypes of recordings (SigMF `core:datatype` names) and their properties. */
#ifndef CELLSCAN_DATATYPE_H
#define CELLSCAN_DATATYPE_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Complex datatypes only: cellular signals are recorded as complex baseband. */
typedef enum cs_datatype {
    CS_DT_UNKNOWN = 0,
    CS_DT_CF64_LE,
    CS_DT_CF64_BE,
    CS_DT_CF32_LE,
    CS_DT_CF32_BE,
    CS_DT_CI32_LE,
    CS_DT_CI32_BE,
    CS_DT_CI16_LE,
    CS_DT_CI16_BE,
    CS_DT_CU16_LE,
    CS_DT_CU16_BE,
    CS_DT_CI8,
    CS_DT_CU8,
    CS_DT_COUNT
} cs_datatype;

/* Parse a SigMF datatype name ("ci16_le") or a raw-file short name
 * ("cf32", "cf64", "ci16", "cs16", "ci8", "cs8", "cu8": little-endian where it matters).
 * Returns CS_OK, or CS_ENOTSUP for a real-valued or otherwise unsupported but known-shaped
 * name ("rf32_le"), CS_EINVAL for anything else; cs_last_error() says which. */
CS_API int cs_datatype_parse(const char *name, cs_datatype *out);

/* SigMF name ("ci16_le"); "unknown" for CS_DT_UNKNOWN. */
CS_API const char *cs_datatype_name(cs_datatype dt);

/* Bytes of one complex sample (I and Q): 16 for cf64, 8 for cf32/ci32, 4 ci16, 2 ci8/cu8. */
CS_API size_t cs_datatype_sample_bytes(cs_datatype dt);

/* Full-scale amplitude of one component: 1.0 for floats, 2^31, 32768, 128 for ci32/ci16/ci8,
 * 32768/128 for cu16/cu8 (after removing the mid-scale offset). 0 dBFS = |x| = full scale. */
CS_API double cs_datatype_full_scale(cs_datatype dt);

/* Convert n complex samples of datatype dt to cf32 scaled so that full scale is 1.0.
 * cu8 maps b to (b - 127.5) / 128, cu16 to (v - 32767.5) / 32768. */
CS_API void cs_convert_to_cf32(cs_datatype dt, const void *in, cs_cf32 *out, size_t n);

/* Convert n cf32 samples (full scale 1.0) to datatype dt: scaled, rounded to nearest (ties to
 * even), saturated at the type's limits; NaN converts as 0.0 (to mid-scale for cu8/cu16) and
 * does not count. Exact inverse of cs_convert_to_cf32 on its outputs (for ci32 and cf64 only
 * on values a float carries exactly). Returns the number of components that saturated. */
CS_API size_t cs_convert_from_cf32(cs_datatype dt, const cs_cf32 *in, void *out, size_t n);

#ifdef __cplusplus
}
#endif

#endif
