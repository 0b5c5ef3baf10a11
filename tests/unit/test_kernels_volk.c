/* Every implementation libvolk offers on this machine, for each VOLK kernel datatype.c
 * dispatches to, gives our reference result bit for bit. datatype.c relies on that ("VOLK only
 * where the semantics match exactly"), and VOLK's dispatcher may pick any of them on another
 * CPU, or its generic one under VOLK_GENERIC. Implementations are called by name
 * (volk_*_manual), so this runs them all whatever VOLK_GENERIC says. Tolerance: none. */
#include <stdint.h>
#include <stdlib.h>
#include <volk/volk.h>

#include "cs_test.h"
#include "kernels/convert_kernels.h"

#define N 65537 /* odd: vector bodies and scalar tails */

static uint64_t rng_state = 0x6a09e667f3bcc908ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static uint8_t *in, *out, *ref;

static void fill_random(uint8_t *p, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++) p[i] = (uint8_t)rnd();
}

/* Runs `call` for every implementation in `d` and compares n_bytes of out with ref. The
 * aligned implementations (impl_alignment) get VOLK-aligned buffers, the others the same
 * buffers shifted by one element so that they are not vector-aligned. */
#define FOR_EACH_IMPL(label, d, elem, n_bytes, call)                                               \
    for (size_t j = 0; j < (d).n_impls; j++) {                                                     \
        const char *impl = (d).impl_names[j];                                                      \
        size_t shift = (d).impl_alignment[j] ? 0 : (elem);                                         \
        memset(out, 0xa5, 16 * (size_t)N + 64);                                                    \
        call;                                                                                      \
        CS_CHECK_MSG(memcmp(out + shift, ref + shift, (n_bytes)) == 0, "%s %s differs", label,     \
                     impl);                                                                        \
        tested++;                                                                                  \
    }

int main(void)
{
    size_t align = volk_get_alignment(), tested = 0;
    in = volk_malloc(16 * (size_t)N + 64, align);
    out = volk_malloc(16 * (size_t)N + 64, align);
    ref = volk_malloc(16 * (size_t)N + 64, align);
    printf("libvolk machine: %s\n", volk_get_machine());

    /* int16 -> float, scale 32768 (ci16_le) */
    fill_random(in, 2 * N + 64);
    for (size_t s = 0; s <= 4; s += 4)
        cs_16i_convert_32f_generic((float *)(ref + s), in + s / 2, N);
    FOR_EACH_IMPL("volk_16i_s32f_convert_32f", volk_16i_s32f_convert_32f_get_func_desc(), 4, 4 * N,
                  volk_16i_s32f_convert_32f_manual(
                      (float *)(out + shift), (const int16_t *)(in + shift / 2), 32768.0f, N, impl))

    /* int8 -> float, scale 128 (ci8) */
    for (size_t s = 0; s <= 4; s += 4) cs_8i_convert_32f_generic((float *)(ref + s), in + s / 4, N);
    FOR_EACH_IMPL("volk_8i_s32f_convert_32f", volk_8i_s32f_convert_32f_get_func_desc(), 4, 4 * N,
                  volk_8i_s32f_convert_32f_manual(
                      (float *)(out + shift), (const int8_t *)(in + shift / 4), 128.0f, N, impl))

    /* int32 -> float, scale 2^31 (ci32_le): one rounding to nearest */
    fill_random(in, 4 * N + 64);
    for (size_t s = 0; s <= 4; s += 4) cs_32i_convert_32f_generic((float *)(ref + s), in + s, N);
    FOR_EACH_IMPL("volk_32i_s32f_convert_32f", volk_32i_s32f_convert_32f_get_func_desc(), 4, 4 * N,
                  volk_32i_s32f_convert_32f_manual((float *)(out + shift),
                                                   (const int32_t *)(in + shift), 2147483648.0f, N,
                                                   impl))

    /* double -> float (cf64_le): any bit pattern, NaN, Inf, overflow and denormals included */
    fill_random(in, 8 * N + 64);
    for (size_t s = 0; s <= 4; s += 4)
        cs_ref_to_32f(CS_DT_CF64_LE)((float *)(ref + s), in + 2 * s, N);
    FOR_EACH_IMPL("volk_64f_convert_32f", volk_64f_convert_32f_get_func_desc(), 4, 4 * N,
                  volk_64f_convert_32f_manual((float *)(out + shift),
                                              (const double *)(in + 2 * shift), N, impl))

    /* float -> double (cf64_le writing) */
    for (size_t i = 0; i < N + 8; i++) ((float *)in)[i] = (float)(int32_t)rnd() * 0x1p-20f;
    for (size_t s = 0; s <= 8; s += 8)
        cs_ref_from_32f(CS_DT_CF64_LE)(ref + s, (const float *)(in + s / 2), N);
    FOR_EACH_IMPL("volk_32f_convert_64f", volk_32f_convert_64f_get_func_desc(), 8, 8 * N,
                  volk_32f_convert_64f_manual((double *)(out + shift),
                                              (const float *)(in + shift / 2), N, impl))

    /* byte swaps, in place (cf32_be and cf64_be): a swap is its own inverse */
    fill_random(in, 8 * N + 64);
    memcpy(ref, in, 8 * (size_t)N + 64);
    for (size_t i = 0; i < 2 * (size_t)N + 16; i++) {
        uint32_t v;
        memcpy(&v, ref + 4 * i, 4);
        v = __builtin_bswap32(v);
        memcpy(ref + 4 * i, &v, 4);
    }
    FOR_EACH_IMPL("volk_32u_byteswap", volk_32u_byteswap_get_func_desc(), 4, 4 * N,
                  (memcpy(out, in, 8 * (size_t)N + 64),
                   volk_32u_byteswap_manual((uint32_t *)(out + shift), N, impl)))
    memcpy(ref, in, 8 * (size_t)N + 64);
    for (size_t i = 0; i < (size_t)N + 8; i++) {
        uint64_t v;
        memcpy(&v, ref + 8 * i, 8);
        v = __builtin_bswap64(v);
        memcpy(ref + 8 * i, &v, 8);
    }
    FOR_EACH_IMPL("volk_64u_byteswap", volk_64u_byteswap_get_func_desc(), 8, 8 * (N / 2),
                  (memcpy(out, in, 8 * (size_t)N + 64),
                   volk_64u_byteswap_manual((uint64_t *)(out + shift), N / 2, impl)))

    printf("%zu libvolk implementations compared\n", tested);
    CS_CHECK(tested >= 7);
    volk_free(in);
    volk_free(out);
    volk_free(ref);
    return cs_test_done();
}
