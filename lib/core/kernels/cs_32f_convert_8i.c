/*!
 * \page cs_32f_convert_8i
 *
 * \b Overview
 *
 * Converts float (full scale 1.0) to signed 8-bit samples (ci8): v = round(x * 128),
 * saturated to [-128, 127].
 * Values round to nearest with ties to even and saturate at the type's limits, counting
 * each saturated component. libvolk's volk_32f_s32f_convert_* kernels are not used: they
 * clip without counting, and their SIMD paths turn NaN into +full scale.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * size_t cs_32f_convert_8i(void *out, const float *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n floats, full scale 1.0 (any values: NaN converts as 0.0 would and is not
 *     counted; +-inf saturate).
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n int8 components.
 * \li return: the number of components that saturated.
 *
 * \b Example
 * \code
 * float f[4] = { 0.5f, -1.0f, 1.0f, 0.00390625f };
 * int8_t q[4];
 * size_t sat = cs_32f_convert_8i(q, f, 4);   // 64, -128, 127, 0 (tie to even); sat = 1
 * \endcode
 */
#include "kernel_define.h"
#include "quantize_simd.h"

#if CS_HAVE_X86_SIMD
CS_FROM_32F_PROTOKERNELS(cs_32f_convert_8i, cs_q8_sse2, cs_q8_avx2, 0)
#endif

CS_DEFINE_FROM_32F_KERNEL(cs_32f_convert_8i, CS_DT_CI8, 1)
