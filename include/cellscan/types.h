/* Common scalar types of the core: one complex float sample, laid out as VOLK's lv_32fc_t. */
#ifndef CELLSCAN_TYPES_H
#define CELLSCAN_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#include <complex>
typedef std::complex<float> cs_cf32;
#else
#include <complex.h>
typedef float _Complex cs_cf32;
/* glibc defines CMPLXF/CMPLX for GCC only; clang (the sanitizer and fuzz builds) has the
 * same builtin. */
#ifndef CMPLXF
#define CMPLXF(x, y) __builtin_complex((float)(x), (float)(y))
#endif
#ifndef CMPLX
#define CMPLX(x, y) __builtin_complex((double)(x), (double)(y))
#endif
#endif

#endif
