/* Run-time choice of kernel implementations: CPU features are read once (pthread_once, so
 * concurrent first calls are safe), then every kernel in the registry gets its best
 * unaligned implementation and that implementation's aligned twin. */
#include <pthread.h>
#include <stdlib.h>

#include "convert_kernels.h"
#include "simd_x86.h"

const cs_kernel *const cs_kernel_registry[] = {
    &cs_8u_convert_32f_kernel,          &cs_16u_convert_32f_kernel,
    &cs_16u_byteswap_convert_32f_kernel, &cs_16i_byteswap_convert_32f_kernel,
    &cs_32i_byteswap_convert_32f_kernel, &cs_32f_convert_8i_kernel,
    &cs_32f_convert_8u_kernel,          &cs_32f_convert_16i_kernel,
    &cs_32f_convert_byteswap_16i_kernel, &cs_32f_convert_16u_kernel,
    &cs_32f_convert_byteswap_16u_kernel, &cs_32f_convert_32i_kernel,
    &cs_32f_convert_byteswap_32i_kernel, &cs_32f_index_nonfinite_kernel,
};
const size_t cs_kernel_registry_count = sizeof cs_kernel_registry / sizeof cs_kernel_registry[0];

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int isa_ok[CS_ISA_COUNT];
static int force_generic;

static void detect_cpu(void)
{
    isa_ok[CS_ISA_GENERIC] = 1;
#if CS_HAVE_X86_SIMD
    __builtin_cpu_init();
    isa_ok[CS_ISA_SSE2] = __builtin_cpu_supports("sse2") != 0;
    isa_ok[CS_ISA_AVX2] = __builtin_cpu_supports("avx2") != 0; /* checks OS YMM support too */
    isa_ok[CS_ISA_AVX512] =
        __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0;
#endif
}

static void choose(const cs_kernel *k)
{
    const cs_kernel_impl *best = &k->impls[0];
    for (size_t i = 1; i < k->n_impls; i++) {
        const cs_kernel_impl *c = &k->impls[i];
        if (!force_generic && c->alignment <= 1 && isa_ok[c->isa] && c->isa > best->isa)
            best = c;
    }
    const cs_kernel_impl *twin = NULL;
    for (size_t i = 0; i < k->n_impls; i++)
        if (k->impls[i].alignment > 1 && k->impls[i].isa == best->isa) twin = &k->impls[i];
    k->choice->unaligned = best;
    k->choice->aligned = twin;
}

static void init_all(void)
{
    detect_cpu();
    /* libvolk's rule: VOLK_GENERIC set to anything selects the generic implementations. */
    force_generic = getenv("VOLK_GENERIC") != NULL;
    for (size_t i = 0; i < cs_kernel_registry_count; i++) choose(cs_kernel_registry[i]);
}

int cs_cpu_has(cs_isa isa)
{
    pthread_once(&init_once, init_all);
    return (isa >= 0 && isa < CS_ISA_COUNT) ? isa_ok[isa] : 0;
}

int cs_cpu_use_avx2(void) { return cs_cpu_has(CS_ISA_AVX2) && !getenv("VOLK_GENERIC"); }

int cs_kernel_impl_available(const cs_kernel_impl *impl) { return cs_cpu_has(impl->isa); }

const cs_kernel_impl *cs_kernel_select(const cs_kernel *k, const void *in, const void *out)
{
    pthread_once(&init_once, init_all);
    const cs_kernel_impl *a = k->choice->aligned;
    if (a && (((uintptr_t)in | (uintptr_t)out) & (a->alignment - 1)) == 0) return a;
    return k->choice->unaligned;
}
