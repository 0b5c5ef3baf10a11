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
#endif

#endif
