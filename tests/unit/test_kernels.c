/* Every implementation of every own conversion kernel against its generic (reference)
 * implementation. The SIMD paths are called directly from the kernel tables, so they are
 * tested even where VOLK_GENERIC=1 (GNU Radio QA) makes the dispatchers pick generic.
 *
 * Tolerance: none. Every conversion is defined bit for bit (exact or one rounding to
 * nearest, ties to even), so outputs are compared with memcmp and saturation counts must be
 * equal. Lengths are odd and cover the vector bodies, their tails and the length-1 case. */
#include <stdint.h>
#include <stdlib.h>

#include "cs_test.h"
#include "kernels/convert_kernels.h"
#include "kernels/simd_x86.h"

static const size_t lengths[] = { 1, 7, 31, 1001, 65537 };
#define MAX_N 65537
#define PAD 64

/* 64-byte aligned buffer (aligned_alloc wants a size that is a multiple of 64). */
static void *alloc64(size_t bytes) { return aligned_alloc(64, (bytes + 63) & ~(size_t)63); }

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static float bits_to_float(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}

/* Floats that probe every rule of the float -> int conversions for a type with full scale
 * `scale`: ordinary values, values past full scale, exact ties (k + 0.5) / scale, exact
 * integers, the neighbours of ties, tiny and denormal values of both signs, +-0, +-inf,
 * NaNs with assorted payloads, and values near the limits of the widest (32-bit) type. */
static float probe_float(double scale)
{
    double k = (double)(int32_t)rnd() / 2147483648.0 * 1.1 * scale; /* +-1.1 full scale */
    switch (rnd() % 16) {
    case 0: return (float)(floor(k) + 0.5) / (float)scale;
    case 1: return (float)floor(k) / (float)scale;
    case 2: return nextafterf((float)((floor(k) + 0.5) / scale), 0.0f);
    case 3: return nextafterf((float)((floor(k) + 0.5) / scale), 2.0f);
    case 4: return (rnd() & 1 ? 1.0f : -1.0f) * bits_to_float(rnd() % 0x00800000u); /* denormal */
    case 5: return (rnd() & 1 ? 1e-30f : -1e-30f) * (float)(rnd() % 1000);
    case 6: return rnd() & 1 ? 0.0f : -0.0f;
    case 7: return rnd() & 1 ? INFINITY : -INFINITY;
    case 8: return bits_to_float(0x7f800001u | rnd() | ((rnd() & 1u) << 31)); /* NaN */
    case 9: return (rnd() & 1 ? 1.0f : -1.0f) * bits_to_float(rnd() & 0x7f7fffffu); /* any */
    case 10: return rnd() & 1 ? 1.0f : -1.0f;
    case 11: return nextafterf(rnd() & 1 ? 1.0f : -1.0f, 0.0f);
    case 12: return (float)((scale - 0.5) / scale) * (rnd() & 1 ? 1.0f : -1.0f);
    case 13: return (float)((scale + 0.5) / scale) * (rnd() & 1 ? 1.0f : -1.0f);
    case 14: return (float)(((double)(rnd() % 64) - 32.0 + 0.5) / scale); /* small ties */
    default: return (float)(k / scale);
    }
}

/* Any finite float, the largest and smallest magnitudes included. */
static float probe_finite(void)
{
    switch (rnd() % 4) {
    case 0: return rnd() & 1 ? 3.4028235e38f : -3.4028235e38f;
    case 1: return bits_to_float(rnd() % 0x00800000u); /* denormal */
    default: return bits_to_float(rnd() & 0xff7fffffu); /* exponent below all ones */
    }
}

static double full_scale_of(const cs_kernel *k)
{
    return cs_datatype_full_scale(k->datatype);
}

/* Input bytes for a to-float kernel: random bit patterns, with the type's extreme values
 * (0, 1, all ones, min, max, min + 1 of a `size`-byte integer) written over random places in
 * either byte order. */
static void fill_integer_input(uint8_t *in, size_t n, size_t size)
{
    for (size_t i = 0; i < n * size; i++) in[i] = (uint8_t)rnd();
    for (size_t j = 0; j < n / 8 + 1; j++) {
        uint8_t v[4] = { 0, 0, 0, 0 }; /* little-endian bytes */
        switch (rnd() % 6) {
        case 0: break;
        case 1: v[0] = 1; break;
        case 2: memset(v, 0xff, size); break;
        case 3: v[size - 1] = 0x80; break;
        case 4: memset(v, 0xff, size); v[size - 1] = 0x7f; break;
        default: v[0] = 1; v[size - 1] |= 0x80; break;
        }
        uint8_t *p = in + (rnd() % n) * size;
        int big_endian = rnd() & 1;
        for (size_t b = 0; b < size; b++) p[b] = v[big_endian ? size - 1 - b : b];
    }
}

static void check_impl(const cs_kernel *k, const cs_kernel_impl *impl, size_t n, uint8_t *in,
                       uint8_t *out, uint8_t *ref_out)
{
    size_t out_bytes = n * k->out_bytes;
    memset(out, 0xa5, out_bytes + PAD);
    memset(ref_out, 0xa5, out_bytes + PAD);
    if (impl->index_32f) {
        size_t r = k->impls[0].index_32f((const float *)in, n);
        size_t got = impl->index_32f((const float *)in, n);
        CS_CHECK_MSG(got == r, "%s %s n=%zu found %zu, generic %zu", k->name, impl->name, n, got,
                     r);
        return;
    }
    if (impl->to_32f) {
        k->impls[0].to_32f((float *)ref_out, in, n);
        impl->to_32f((float *)out, in, n);
        CS_CHECK_MSG(memcmp(out, ref_out, out_bytes) == 0, "%s %s n=%zu differs from generic",
                     k->name, impl->name, n);
    } else {
        size_t sat_ref = k->impls[0].from_32f(ref_out, (const float *)in, n);
        size_t sat = impl->from_32f(out, (const float *)in, n);
        CS_CHECK_MSG(memcmp(out, ref_out, out_bytes) == 0, "%s %s n=%zu differs from generic",
                     k->name, impl->name, n);
        CS_CHECK_MSG(sat == sat_ref, "%s %s n=%zu saturations %zu, generic %zu", k->name,
                     impl->name, n, sat, sat_ref);
    }
    /* Nothing written past the end. */
    CS_CHECK_MSG(memcmp(out + out_bytes, ref_out + out_bytes, PAD) == 0, "%s %s n=%zu overran",
                 k->name, impl->name, n);
}

static void test_kernel(const cs_kernel *k)
{
    /* 64-byte aligned buffers; unaligned implementations get them shifted by one element
     * (in) and one byte (out) so that neither is aligned for any vector width. */
    size_t in_cap = MAX_N * 8 + 2 * PAD, out_cap = MAX_N * 8 + 2 * PAD;
    uint8_t *in = alloc64(in_cap), *out = alloc64(out_cap);
    uint8_t *ref = alloc64(out_cap);
    float *x = alloc64(MAX_N * sizeof(float)); /* scan inputs before they are shifted */
    int tested = 0;
    for (size_t c = 0; c < k->n_impls; c++) {
        const cs_kernel_impl *impl = &k->impls[c];
        if (!cs_kernel_impl_available(impl)) {
            printf("%s %s: not available on this CPU, skipped\n", k->name, impl->name);
            continue;
        }
        tested++;
        int aligned = impl->alignment > 1;
        size_t in_shift = aligned ? 0 : (impl->from_32f || impl->index_32f) ? 4 : 1;
        size_t out_shift = aligned ? 0 : impl->to_32f ? 4 : 1;
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            size_t n = lengths[li];
            uint8_t *pin = in + in_shift;
            if (impl->index_32f) {
                /* finite floats; then NaN/Inf planted at the end, at a random place, at
                 * the start, and twice (the first must be reported) */
                for (size_t i = 0; i < n; i++) x[i] = probe_finite();
                for (int plant = 0; plant < 5; plant++) {
                    static const float bad[3] = { INFINITY, -INFINITY, NAN };
                    if (plant == 1) x[n - 1] = bad[rnd() % 3];
                    if (plant == 2) x[rnd() % n] = bad[rnd() % 3];
                    if (plant == 3) x[0] = bits_to_float(0x7f800000u | rnd() | (rnd() << 31));
                    if (plant == 4) x[rnd() % n] = NAN, x[rnd() % n] = -INFINITY;
                    memcpy(pin, x, n * 4);
                    check_impl(k, impl, n, pin, out, ref);
                }
                continue;
            }
            if (impl->from_32f) {
                double scale = full_scale_of(k);
                for (size_t i = 0; i < n; i++) ((float *)(void *)in)[i] = probe_float(scale);
                memmove(pin, in, n * 4);
            } else {
                fill_integer_input(pin, n, k->in_bytes);
            }
            check_impl(k, impl, n, pin, out + out_shift, ref + out_shift);
        }
    }
    CS_CHECK_MSG(tested >= 1, "%s: no implementation ran", k->name);
    printf("%s: %d of %zu implementations tested\n", k->name, tested, k->n_impls);
    free(in);
    free(out);
    free(ref);
    free(x);
}

/* The table itself: generic first, names unique, SIMD impls present on x86, and the
 * dispatcher picks an available one (the aligned twin only for aligned pointers). */
static void test_tables(void)
{
    CS_CHECK(cs_kernel_registry_count == 14);
    for (size_t i = 0; i < cs_kernel_registry_count; i++) {
        const cs_kernel *k = cs_kernel_registry[i];
        CS_CHECK(strcmp(k->impls[0].name, "generic") == 0 && k->impls[0].isa == CS_ISA_GENERIC);
        CS_CHECK(k->in_bytes * 2 == cs_datatype_sample_bytes(k->datatype) || k->in_bytes == 4);
#if CS_HAVE_X86_SIMD
        /* generic, {u,a}_sse2, {u,a}_avx2, and {u,a}_avx512 for the reader's to-float ones */
        size_t want = k->impls[0].to_32f ? 7 : 5;
        CS_CHECK_MSG(k->n_impls == want, "%s has %zu implementations", k->name, k->n_impls);
#endif
        for (size_t a = 0; a < k->n_impls; a++)
            for (size_t b = a + 1; b < k->n_impls; b++)
                CS_CHECK(strcmp(k->impls[a].name, k->impls[b].name) != 0);
        _Alignas(64) static uint8_t buf[256];
        const cs_kernel_impl *u = cs_kernel_select(k, buf + 1, buf + 4);
        const cs_kernel_impl *al = cs_kernel_select(k, buf, buf + 64);
        CS_CHECK(u && cs_kernel_impl_available(u) && u->alignment <= 1);
        CS_CHECK(al && cs_kernel_impl_available(al) && al->isa == u->isa);
        /* Without VOLK_GENERIC the best instruction set this CPU has is used. */
        cs_isa best = CS_ISA_GENERIC;
        for (size_t j = 0; j < k->n_impls; j++)
            if (cs_kernel_impl_available(&k->impls[j]) && k->impls[j].isa > best)
                best = k->impls[j].isa;
        if (getenv("VOLK_GENERIC") == NULL)
            CS_CHECK_MSG(u->isa == best && (best == CS_ISA_GENERIC || al->alignment > 1),
                         "%s picked %s/%s", k->name, u->name, al->name);
        else
            CS_CHECK(u == &k->impls[0] && al == &k->impls[0]);
    }
}

int main(void)
{
    printf("cpu: sse2=%d avx2=%d avx512=%d\n", cs_cpu_has(CS_ISA_SSE2), cs_cpu_has(CS_ISA_AVX2),
           cs_cpu_has(CS_ISA_AVX512));
    test_tables();
    for (size_t i = 0; i < cs_kernel_registry_count; i++) test_kernel(cs_kernel_registry[i]);
    return cs_test_done();
}
