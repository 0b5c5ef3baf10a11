/* Sample-format conversion kernels (internal to libcellscan).
 *
 * Every kernel converts `n` scalar components (2 per complex sample) between a file datatype
 * and float with full scale 1.0. Where libvolk has the kernel, datatype.c calls it through the
 * wrappers in convert_volk.c; the rest are our own VOLK-style kernels, one per file
 * (cs_8u_convert_32f.c, ...), each with a generic (reference, in convert_generic.c), SSE2 and
 * AVX2 implementations in unaligned (u_) and aligned (a_) variants, chosen at run time. The
 * to-float kernels, which the recording reader runs on every block, add AVX-512 ones.
 *
 * Conversion to float is exact wherever the value fits in a float (all types but ci32 and
 * cf64, which round once to nearest). Conversion from float scales, rounds to nearest with
 * ties to even (the default FP rounding mode), saturates at the type's limits and returns
 * how many components saturated; NaN converts as 0.0 would and does not count.
 */
#ifndef CELLSCAN_CONVERT_KERNELS_H
#define CELLSCAN_CONVERT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/datatype.h"

/* Datatype components to float: out[0..n) from n components at in. */
typedef void (*cs_to_32f_fn)(float *out, const void *in, size_t n);
/* Float to datatype components; returns the number of saturated components. */
typedef size_t (*cs_from_32f_fn)(void *out, const float *in, size_t n);
/* A scan of n floats returning an index (n when nothing was found). */
typedef size_t (*cs_index_32f_fn)(const float *in, size_t n);

/* Instruction sets a protokernel may need. */
typedef enum cs_isa {
    CS_ISA_GENERIC = 0,
    CS_ISA_SSE2,
    CS_ISA_AVX2,
    CS_ISA_AVX512, /* AVX-512 F and BW */
    CS_ISA_COUNT
} cs_isa;

/* One implementation (protokernel) of a kernel. */
typedef struct cs_kernel_impl {
    const char *name;        /* "generic", "u_sse2", "a_sse2", "u_avx2", "a_avx2", "u_avx512" */
    cs_isa isa;              /* instruction set it needs */
    size_t alignment;        /* in and out must be multiples of this; 1 = any address */
    cs_to_32f_fn to_32f;     /* set for kernels that produce float ... */
    cs_from_32f_fn from_32f; /* ... or for kernels that consume float ... */
    cs_index_32f_fn index_32f; /* ... or for scans of float */
} cs_kernel_impl;

/* The implementations chosen for this machine (filled once, at first use). */
typedef struct cs_kernel_choice {
    const cs_kernel_impl *unaligned; /* best implementation that takes any address */
    const cs_kernel_impl *aligned;   /* its aligned twin, or NULL */
} cs_kernel_choice;

/* A kernel: its name, element sizes and implementations (impls[0] is the generic one). */
typedef struct cs_kernel {
    const char *name;        /* "cs_8u_convert_32f" */
    cs_datatype datatype;    /* the file datatype on the non-float side */
    size_t in_bytes;         /* bytes per input component */
    size_t out_bytes;        /* bytes per output component (0 for scans) */
    const cs_kernel_impl *impls;
    size_t n_impls;
    cs_kernel_choice *choice;
} cs_kernel;

/* Every own kernel, for tests and benchmarks to enumerate. */
extern const cs_kernel *const cs_kernel_registry[];
extern const size_t cs_kernel_registry_count;

/* Nonzero when this CPU (and OS) can run `isa`; detection runs once, thread-safely. */
int cs_cpu_has(cs_isa isa);
/* Nonzero when an object made now should take its AVX2 code path: the CPU has AVX2 and
 * VOLK_GENERIC is not set (libvolk's rule, as the kernels follow it: VOLK_GENERIC selects
 * the baseline code). The environment is read at each call, as objects are created. */
int cs_cpu_use_avx2(void);
/* Nonzero when `impl` can run here. */
int cs_kernel_impl_available(const cs_kernel_impl *impl);
/* The implementation a call with these pointers would use. VOLK_GENERIC set in the
 * environment (as GNU Radio's QA does) selects the generic ones, like libvolk. */
const cs_kernel_impl *cs_kernel_select(const cs_kernel *k, const void *in, const void *out);

/* Own kernels: dispatchers (best implementation for this CPU and these pointers). */
void cs_8u_convert_32f(float *out, const void *in, size_t n);             /* cu8    */
void cs_16u_convert_32f(float *out, const void *in, size_t n);            /* cu16_le */
void cs_16u_byteswap_convert_32f(float *out, const void *in, size_t n);   /* cu16_be */
void cs_16i_byteswap_convert_32f(float *out, const void *in, size_t n);   /* ci16_be */
void cs_32i_byteswap_convert_32f(float *out, const void *in, size_t n);   /* ci32_be */
size_t cs_32f_convert_8i(void *out, const float *in, size_t n);           /* ci8     */
size_t cs_32f_convert_8u(void *out, const float *in, size_t n);           /* cu8     */
size_t cs_32f_convert_16i(void *out, const float *in, size_t n);          /* ci16_le */
size_t cs_32f_convert_byteswap_16i(void *out, const float *in, size_t n); /* ci16_be */
size_t cs_32f_convert_16u(void *out, const float *in, size_t n);          /* cu16_le */
size_t cs_32f_convert_byteswap_16u(void *out, const float *in, size_t n); /* cu16_be */
size_t cs_32f_convert_32i(void *out, const float *in, size_t n);          /* ci32_le */
size_t cs_32f_convert_byteswap_32i(void *out, const float *in, size_t n); /* ci32_be */
/* Index of the first NaN or +-Inf among n floats, n when all are finite (the reader's
 * guard against non-finite samples in float recordings). */
size_t cs_32f_index_nonfinite(const float *in, size_t n);

extern const cs_kernel cs_8u_convert_32f_kernel, cs_16u_convert_32f_kernel,
    cs_16u_byteswap_convert_32f_kernel, cs_16i_byteswap_convert_32f_kernel,
    cs_32i_byteswap_convert_32f_kernel, cs_32f_convert_8i_kernel, cs_32f_convert_8u_kernel,
    cs_32f_convert_16i_kernel, cs_32f_convert_byteswap_16i_kernel, cs_32f_convert_16u_kernel,
    cs_32f_convert_byteswap_16u_kernel, cs_32f_convert_32i_kernel,
    cs_32f_convert_byteswap_32i_kernel, cs_32f_index_nonfinite_kernel;

/* Reference (generic, scalar) implementations, convert_generic.c: one per datatype and
 * direction. Every other implementation, VOLK's included, is tested against these. */
cs_to_32f_fn cs_ref_to_32f(cs_datatype dt);
cs_from_32f_fn cs_ref_from_32f(cs_datatype dt);

void cs_8u_convert_32f_generic(float *out, const void *in, size_t n);
void cs_8i_convert_32f_generic(float *out, const void *in, size_t n);
void cs_16u_convert_32f_generic(float *out, const void *in, size_t n);
void cs_16u_byteswap_convert_32f_generic(float *out, const void *in, size_t n);
void cs_16i_convert_32f_generic(float *out, const void *in, size_t n);
void cs_16i_byteswap_convert_32f_generic(float *out, const void *in, size_t n);
void cs_32i_convert_32f_generic(float *out, const void *in, size_t n);
void cs_32i_byteswap_convert_32f_generic(float *out, const void *in, size_t n);
size_t cs_32f_convert_8i_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_8u_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_16i_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_byteswap_16i_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_16u_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_byteswap_16u_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_32i_generic(void *out, const float *in, size_t n);
size_t cs_32f_convert_byteswap_32i_generic(void *out, const float *in, size_t n);
size_t cs_32f_index_nonfinite_generic(const float *in, size_t n);

/* libvolk-backed conversions (convert_volk.c): same contract as the references; they fall
 * back to the reference when a pointer is not aligned to its element size. */
void cs_volk_64f_convert_32f(float *out, const void *in, size_t n);
void cs_volk_64f_byteswap_convert_32f(float *out, const void *in, size_t n);
void cs_volk_32f_copy(float *out, const void *in, size_t n);
void cs_volk_32f_byteswap(float *out, const void *in, size_t n);
void cs_volk_32i_convert_32f(float *out, const void *in, size_t n);
void cs_volk_16i_convert_32f(float *out, const void *in, size_t n);
void cs_volk_8i_convert_32f(float *out, const void *in, size_t n);
size_t cs_volk_32f_convert_64f(void *out, const float *in, size_t n);
size_t cs_volk_32f_convert_byteswap_64f(void *out, const float *in, size_t n);
size_t cs_volk_32f_copy_from(void *out, const float *in, size_t n);
size_t cs_volk_32f_byteswap_from(void *out, const float *in, size_t n);

#endif
