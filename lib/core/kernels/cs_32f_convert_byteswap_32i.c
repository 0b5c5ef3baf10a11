/*!
 * \page cs_32f_convert_byteswap_32i
 *
 * \b Overview
 *
 * Converts float (full scale 1.0) to signed big-endian 32-bit samples (ci32_be) in one pass:
 * v = round(x * 2^31), saturated to [-2^31, 2^31 - 1], bytes swapped.
 * Values round to nearest with ties to even and saturate at the type's limits, counting
 * each saturated component. libvolk's volk_32f_s32f_convert_* kernels are not used: they
 * clip without counting, and their SIMD paths turn NaN into +full scale.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * size_t cs_32f_convert_byteswap_32i(void *out, const float *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n floats, full scale 1.0 (any values: NaN converts as 0.0 would and is not
 *     counted; +-inf saturate).
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n int32 components, big-endian.
 * \li return: the number of components that saturated.
 *
 * \b Example
 * \code
 * float f[1] = { -0.5f };
 * uint8_t be[4];
 * cs_32f_convert_byteswap_32i(be, f, 1);   // be = { 0xc0, 0x00, 0x00, 0x00 }
 * \endcode
 */
#include "kernel_define.h"
#include "quantize_simd.h"

#if CS_HAVE_X86_SIMD
CS_FROM_32F_PROTOKERNELS(cs_32f_convert_byteswap_32i, cs_q32_sse2, cs_q32_avx2, 1)
#endif

CS_DEFINE_FROM_32F_KERNEL(cs_32f_convert_byteswap_32i, CS_DT_CI32_BE, 4)
