/*!
 * \page cs_32f_convert_32i
 *
 * \b Overview
 *
 * Converts float (full scale 1.0) to signed little-endian 32-bit samples (ci32_le):
 * v = round(x * 2^31), saturated to [-2^31, 2^31 - 1]. Floats carry 24 bits, so any
 * |x| >= 2^-7 is already an integer after scaling.
 * Values round to nearest with ties to even and saturate at the type's limits, counting
 * each saturated component. libvolk's volk_32f_s32f_convert_* kernels are not used: they
 * clip without counting, and their SIMD paths turn NaN into +full scale.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * size_t cs_32f_convert_32i(void *out, const float *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n floats, full scale 1.0 (any values: NaN converts as 0.0 would and is not
 *     counted; +-inf saturate).
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n int32 components, little-endian.
 * \li return: the number of components that saturated.
 *
 * \b Example
 * \code
 * float f[2] = { 1.0f, -1.0f };
 * int32_t q[2];
 * size_t sat = cs_32f_convert_32i(q, f, 2);   // 2147483647, -2147483648; sat = 1
 * \endcode
 */
#include "kernel_define.h"
#include "quantize_simd.h"

#if CS_HAVE_X86_SIMD
CS_FROM_32F_PROTOKERNELS(cs_32f_convert_32i, cs_q32_sse2, cs_q32_avx2, 0)
#endif

CS_DEFINE_FROM_32F_KERNEL(cs_32f_convert_32i, CS_DT_CI32_LE, 4)
