/*!
 * \page cs_32f_convert_byteswap_16u
 *
 * \b Overview
 *
 * Converts float (full scale 1.0) to unsigned big-endian 16-bit samples (cu16_be,
 * mid-scale 32767.5) in one pass: v = round(x * 32768 + 32767.5), saturated to [0, 65535],
 * bytes swapped.
 * Values round to nearest with ties to even and saturate at the type's limits, counting
 * each saturated component. libvolk's volk_32f_s32f_convert_* kernels are not used: they
 * clip without counting, and their SIMD paths turn NaN into +full scale.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * size_t cs_32f_convert_byteswap_16u(void *out, const float *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n floats, full scale 1.0 (any values: NaN converts as 0.0 would and is not
 *     counted; +-inf saturate).
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n uint16 components, big-endian.
 * \li return: the number of components that saturated.
 *
 * \b Example
 * \code
 * float f[1] = { 0.0f };
 * uint8_t be[2];
 * cs_32f_convert_byteswap_16u(be, f, 1);   // be = { 0x80, 0x00 }
 * \endcode
 */
#include "kernel_define.h"
#include "quantize_simd.h"

#if CS_HAVE_X86_SIMD
CS_FROM_32F_PROTOKERNELS(cs_32f_convert_byteswap_16u, cs_q16_sse2, cs_q16_avx2, 1, 1)
#endif

CS_DEFINE_FROM_32F_KERNEL(cs_32f_convert_byteswap_16u, CS_DT_CU16_BE, 2)
