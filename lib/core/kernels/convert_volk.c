/* Conversions libvolk already has, with our contract: counts in size_t (VOLK takes unsigned
 * int, so long runs go in pieces), any alignment (a misaligned element falls back to the
 * reference: VOLK's generic and tail code dereference typed pointers), and byte swaps staged
 * through a small buffer so each piece is swapped while it is still in L1.
 *
 * Every kernel used here gives the reference result bit for bit: int -> float conversions
 * round once to nearest and then scale by a power of two (exact), double -> float rounds
 * once, byte swaps and copies move bits. */
#include <string.h>
#include <volk/volk.h>

#include "convert_kernels.h"

#define VOLK_PIECE ((size_t)1 << 30) /* components per VOLK call */
#define STAGE 2048                   /* components per staged byte swap (16 KiB of doubles) */

static int aligned_to(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

/* Length of the piece starting at i: at most max. */
static unsigned piece(size_t n, size_t i, size_t max)
{
    return (unsigned)(n - i < max ? n - i : max);
}

void cs_volk_8i_convert_32f(float *out, const void *in, size_t n)
{
    for (size_t i = 0; i < n; i += VOLK_PIECE)
        volk_8i_s32f_convert_32f(out + i, (const int8_t *)in + i, 128.0f, piece(n, i, VOLK_PIECE));
}

void cs_volk_16i_convert_32f(float *out, const void *in, size_t n)
{
    if (!aligned_to(in, 2)) {
        cs_16i_convert_32f_generic(out, in, n);
        return;
    }
    for (size_t i = 0; i < n; i += VOLK_PIECE)
        volk_16i_s32f_convert_32f(out + i, (const int16_t *)in + i, 32768.0f,
                                  piece(n, i, VOLK_PIECE));
}

void cs_volk_32i_convert_32f(float *out, const void *in, size_t n)
{
    if (!aligned_to(in, 4)) {
        cs_32i_convert_32f_generic(out, in, n);
        return;
    }
    for (size_t i = 0; i < n; i += VOLK_PIECE)
        volk_32i_s32f_convert_32f(out + i, (const int32_t *)in + i, 2147483648.0f,
                                  piece(n, i, VOLK_PIECE));
}

void cs_volk_64f_convert_32f(float *out, const void *in, size_t n)
{
    if (!aligned_to(in, 8)) {
        cs_ref_to_32f(CS_DT_CF64_LE)(out, in, n);
        return;
    }
    for (size_t i = 0; i < n; i += VOLK_PIECE)
        volk_64f_convert_32f(out + i, (const double *)in + i, piece(n, i, VOLK_PIECE));
}

void cs_volk_64f_byteswap_convert_32f(float *out, const void *in, size_t n)
{
    _Alignas(64) uint64_t stage[STAGE];
    for (size_t i = 0; i < n; i += STAGE) {
        unsigned m = piece(n, i, STAGE);
        memcpy(stage, (const uint8_t *)in + 8 * i, 8 * (size_t)m);
        volk_64u_byteswap(stage, m);
        volk_64f_convert_32f(out + i, (const double *)stage, m);
    }
}

void cs_volk_32f_copy(float *out, const void *in, size_t n)
{
    if ((const void *)out != in) memmove(out, in, n * sizeof(float));
}

void cs_volk_32f_byteswap(float *out, const void *in, size_t n)
{
    for (size_t i = 0; i < n; i += STAGE) {
        unsigned m = piece(n, i, STAGE);
        memmove(out + i, (const uint8_t *)in + 4 * i, 4 * (size_t)m);
        volk_32u_byteswap((uint32_t *)(out + i), m);
    }
}

size_t cs_volk_32f_convert_64f(void *out, const float *in, size_t n)
{
    if (!aligned_to(out, 8)) return cs_ref_from_32f(CS_DT_CF64_LE)(out, in, n);
    for (size_t i = 0; i < n; i += VOLK_PIECE)
        volk_32f_convert_64f((double *)out + i, in + i, piece(n, i, VOLK_PIECE));
    return 0;
}

size_t cs_volk_32f_convert_byteswap_64f(void *out, const float *in, size_t n)
{
    if (!aligned_to(out, 8)) return cs_ref_from_32f(CS_DT_CF64_BE)(out, in, n);
    for (size_t i = 0; i < n; i += STAGE) {
        unsigned m = piece(n, i, STAGE);
        volk_32f_convert_64f((double *)out + i, in + i, m);
        volk_64u_byteswap((uint64_t *)out + i, m);
    }
    return 0;
}

size_t cs_volk_32f_copy_from(void *out, const float *in, size_t n)
{
    if (out != (const void *)in) memmove(out, in, n * sizeof(float));
    return 0;
}

size_t cs_volk_32f_byteswap_from(void *out, const float *in, size_t n)
{
    if (!aligned_to(out, 4)) return cs_ref_from_32f(CS_DT_CF32_BE)(out, in, n);
    for (size_t i = 0; i < n; i += STAGE) {
        unsigned m = piece(n, i, STAGE);
        memmove((uint32_t *)out + i, in + i, 4 * (size_t)m);
        volk_32u_byteswap((uint32_t *)out + i, m);
    }
    return 0;
}
