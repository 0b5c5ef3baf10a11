/* Sample-format conversion kernels (internal). Each converts `n` scalar components
 * (2 per complex sample) to float with full scale 1.0; `swap` means the input is
 * big-endian. Where VOLK has the kernel we call it; the rest are our own VOLK-style
 * kernels with a generic and SIMD implementations chosen at run time. */
#ifndef CELLSCAN_CONVERT_KERNELS_H
#define CELLSCAN_CONVERT_KERNELS_H

#include <stddef.h>

#include "cellscan/datatype.h"

void cs_kernel_copy_32f(float *out, const float *in, size_t n);
void cs_kernel_32f_byteswap_32f(float *out, const void *in, size_t n);
void cs_kernel_64f_convert_32f(float *out, const void *in, size_t n, int swap);
void cs_kernel_32i_convert_32f(float *out, const void *in, size_t n, int swap);
void cs_kernel_16i_convert_32f(float *out, const void *in, size_t n, int swap);
void cs_kernel_16u_convert_32f(float *out, const void *in, size_t n, int swap);
void cs_kernel_8i_convert_32f(float *out, const void *in, size_t n);
void cs_kernel_8u_convert_32f(float *out, const void *in, size_t n);

/* Float (full scale 1.0) to datatype dt: scale, round to nearest, saturate. Returns the
 * number of saturated components. */
size_t cs_kernel_32f_convert_to(cs_datatype dt, const float *in, void *out, size_t n);

#endif
