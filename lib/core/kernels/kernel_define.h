/* Boilerplate shared by the kernel files: the implementation table, the cs_kernel object and
 * the dispatcher of a kernel NAME, given NAME_generic and, on x86, NAME_{u,a}_{sse2,avx2}
 * (and NAME_{u,a}_avx512 for the to-float kernels). */
#ifndef CELLSCAN_KERNEL_DEFINE_H
#define CELLSCAN_KERNEL_DEFINE_H

#include "convert_kernels.h"
#include "simd_x86.h"

#if CS_HAVE_X86_SIMD
/* The u_ and a_ protokernels of a to-float kernel, from the file's static inline
 * body_sse2/body_avx2/body_avx512(out, in, n, aligned). */
#define CS_TO_32F_PROTOKERNELS(NAME)                                                      \
    CS_TO_32F_PAIR(NAME, sse2, CS_SSE2)                                                   \
    CS_TO_32F_PAIR(NAME, avx2, CS_AVX2)                                                   \
    CS_TO_32F_PAIR(NAME, avx512, CS_AVX512)
#define CS_TO_32F_PAIR(NAME, ISA, TARGET)                                                 \
    static TARGET void NAME##_u_##ISA(float *o, const void *i, size_t n)                  \
    {                                                                                     \
        body_##ISA(o, i, n, 0);                                                           \
    }                                                                                     \
    static TARGET void NAME##_a_##ISA(float *o, const void *i, size_t n)                  \
    {                                                                                     \
        body_##ISA(o, i, n, 1);                                                           \
    }

/* The u_ and a_ protokernels of a from-float kernel: BODY_SSE2/BODY_AVX2(out, in, n, aligned,
 * extra arguments...) from quantize_simd.h. */
#define CS_FROM_32F_PROTOKERNELS(NAME, BODY_SSE2, BODY_AVX2, ...)                         \
    CS_FROM_32F_PAIR(NAME, sse2, CS_SSE2, BODY_SSE2, __VA_ARGS__)                         \
    CS_FROM_32F_PAIR(NAME, avx2, CS_AVX2, BODY_AVX2, __VA_ARGS__)
#define CS_FROM_32F_PAIR(NAME, ISA, TARGET, BODY, ...)                                    \
    static TARGET size_t NAME##_u_##ISA(void *o, const float *i, size_t n)                \
    {                                                                                     \
        return BODY(o, i, n, 0, __VA_ARGS__);                                             \
    }                                                                                     \
    static TARGET size_t NAME##_a_##ISA(void *o, const float *i, size_t n)                \
    {                                                                                     \
        return BODY(o, i, n, 1, __VA_ARGS__);                                             \
    }

/* The u_ and a_ protokernels of a scan, from body_sse2/body_avx2(in, n, aligned). */
#define CS_INDEX_32F_PROTOKERNELS(NAME)                                                   \
    CS_INDEX_32F_PAIR(NAME, sse2, CS_SSE2)                                                \
    CS_INDEX_32F_PAIR(NAME, avx2, CS_AVX2)
#define CS_INDEX_32F_PAIR(NAME, ISA, TARGET)                                              \
    static TARGET size_t NAME##_u_##ISA(const float *i, size_t n)                         \
    {                                                                                     \
        return body_##ISA(i, n, 0);                                                       \
    }                                                                                     \
    static TARGET size_t NAME##_a_##ISA(const float *i, size_t n)                         \
    {                                                                                     \
        return body_##ISA(i, n, 1);                                                       \
    }

#define CS_KERNEL_IMPLS(NAME, FIELD)                                                      \
    static const cs_kernel_impl NAME##_impls[] = {                                        \
        { "generic", CS_ISA_GENERIC, 1, .FIELD = NAME##_generic },                        \
        { "u_sse2", CS_ISA_SSE2, 1, .FIELD = NAME##_u_sse2 },                             \
        { "a_sse2", CS_ISA_SSE2, 16, .FIELD = NAME##_a_sse2 },                            \
        { "u_avx2", CS_ISA_AVX2, 1, .FIELD = NAME##_u_avx2 },                             \
        { "a_avx2", CS_ISA_AVX2, 32, .FIELD = NAME##_a_avx2 },                            \
    };
/* The same plus NAME_{u,a}_avx512. */
#define CS_KERNEL_IMPLS_AVX512(NAME, FIELD)                                               \
    static const cs_kernel_impl NAME##_impls[] = {                                        \
        { "generic", CS_ISA_GENERIC, 1, .FIELD = NAME##_generic },                        \
        { "u_sse2", CS_ISA_SSE2, 1, .FIELD = NAME##_u_sse2 },                             \
        { "a_sse2", CS_ISA_SSE2, 16, .FIELD = NAME##_a_sse2 },                            \
        { "u_avx2", CS_ISA_AVX2, 1, .FIELD = NAME##_u_avx2 },                             \
        { "a_avx2", CS_ISA_AVX2, 32, .FIELD = NAME##_a_avx2 },                            \
        { "u_avx512", CS_ISA_AVX512, 1, .FIELD = NAME##_u_avx512 },                       \
        { "a_avx512", CS_ISA_AVX512, 64, .FIELD = NAME##_a_avx512 },                      \
    };
#else
#define CS_KERNEL_IMPLS(NAME, FIELD)                                                      \
    static const cs_kernel_impl NAME##_impls[] = {                                        \
        { "generic", CS_ISA_GENERIC, 1, .FIELD = NAME##_generic },                        \
    };
#define CS_KERNEL_IMPLS_AVX512(NAME, FIELD) CS_KERNEL_IMPLS(NAME, FIELD)
#endif

#define CS_KERNEL_OBJECT(NAME, DT, IN_BYTES, OUT_BYTES)                                   \
    static cs_kernel_choice NAME##_choice;                                                \
    const cs_kernel NAME##_kernel = { #NAME, DT, IN_BYTES, OUT_BYTES, NAME##_impls,       \
                                      sizeof NAME##_impls / sizeof NAME##_impls[0],       \
                                      &NAME##_choice };

/* A kernel producing float from a datatype with IN_BYTES per component (these have AVX-512
 * implementations too). */
#define CS_DEFINE_TO_32F_KERNEL(NAME, DT, IN_BYTES)                                       \
    CS_KERNEL_IMPLS_AVX512(NAME, to_32f)                                                  \
    CS_KERNEL_OBJECT(NAME, DT, IN_BYTES, 4)                                               \
    void NAME(float *out, const void *in, size_t n)                                       \
    {                                                                                     \
        cs_kernel_select(&NAME##_kernel, in, out)->to_32f(out, in, n);                    \
    }

/* A kernel producing a datatype with OUT_BYTES per component from float. */
#define CS_DEFINE_FROM_32F_KERNEL(NAME, DT, OUT_BYTES)                                    \
    CS_KERNEL_IMPLS(NAME, from_32f)                                                       \
    CS_KERNEL_OBJECT(NAME, DT, 4, OUT_BYTES)                                              \
    size_t NAME(void *out, const float *in, size_t n)                                     \
    {                                                                                     \
        return cs_kernel_select(&NAME##_kernel, in, out)->from_32f(out, in, n);           \
    }

/* A scan of float returning an index. */
#define CS_DEFINE_INDEX_32F_KERNEL(NAME, DT)                                              \
    CS_KERNEL_IMPLS(NAME, index_32f)                                                      \
    CS_KERNEL_OBJECT(NAME, DT, 4, 0)                                                      \
    size_t NAME(const float *in, size_t n)                                                \
    {                                                                                     \
        return cs_kernel_select(&NAME##_kernel, in, in)->index_32f(in, n);                \
    }

#endif
