/*!
 * \page cs_32f_convert_8u
 *
 * \b Overview
 *
 * Converts float (full scale 1.0) to unsigned 8-bit samples (cu8, mid-scale 127.5):
 * v = round(x * 128 + 127.5), saturated to [0, 255]; the exact inverse of
 * cs_8u_convert_32f. The sum is never formed in floating point (it would round for tiny
 * |x|): see quantize_offset in convert_generic.c.
 * Values round to nearest with ties to even and saturate at the type's limits, counting
 * each saturated component. libvolk's volk_32f_s32f_convert_* kernels are not used: they
 * clip without counting, and their SIMD paths turn NaN into +full scale.
 *
 * <b>Dispatcher Prototype</b>
 * \code
 * size_t cs_32f_convert_8u(void *out, const float *in, size_t n);
 * \endcode
 *
 * \b Inputs
 * \li in: n floats, full scale 1.0 (any values: NaN converts as 0.0 would and is not
 *     counted; +-inf saturate).
 * \li n: number of components (2 per complex sample).
 *
 * \b Outputs
 * \li out: n uint8 components.
 * \li return: the number of components that saturated.
 *
 * \b Example
 * \code
 * float f[3] = { -0.99609375f, 0.0f, 2.0f };
 * uint8_t q[3];
 * size_t sat = cs_32f_convert_8u(q, f, 3);   // 0, 128 (127.5 ties to even), 255; sat = 1
 * \endcode
 */
#include "kernel_define.h"
#include "quantize_simd.h"

#if CS_HAVE_X86_SIMD
CS_FROM_32F_PROTOKERNELS(cs_32f_convert_8u, cs_q8_sse2, cs_q8_avx2, 1)
#endif

CS_DEFINE_FROM_32F_KERNEL(cs_32f_convert_8u, CS_DT_CU8, 1)
