/* Conversion-only throughput of every implementation: our own kernels (generic, SSE2, AVX2;
 * unaligned and aligned), the libvolk kernels datatype.c uses (each VOLK implementation by
 * name), and the public cs_convert_to_cf32 / cs_convert_from_cf32 per datatype.
 *
 * Buffers hold one reader block (65536 complex samples), so they stay in L2 as they do in
 * cs_recording_read. Each figure is the best of 9 runs of >= 0.05 s, single thread (the best,
 * not the mean, so that other processes on a shared machine disturb it least).
 *
 *   bench_kernels            all tables
 *   bench_kernels volk       only the VOLK table (any word filters the section names)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <volk/volk.h>

#include "cellscan/datatype.h"
#include "kernels/convert_kernels.h"

#define BLOCK_SAMPLES 65536
#define NCOMP (2 * BLOCK_SAMPLES)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef void (*run_fn)(void *ctx);

/* Complex samples per second of fn (one call converts BLOCK_SAMPLES samples). */
static double rate(run_fn fn, void *ctx)
{
    double best = 0.0;
    for (int rep = 0; rep < 9; rep++) {
        long calls = 0;
        double t0 = now_s(), t;
        do {
            fn(ctx);
            calls++;
        } while ((t = now_s() - t0) < 0.05);
        double r = (double)calls * BLOCK_SAMPLES / t;
        if (r > best) best = r;
    }
    return best;
}

static void *in_buf, *out_buf;

static void fill_input(size_t bytes, int floats)
{
    uint32_t s = 12345;
    for (size_t i = 0; i < bytes / 4; i++) {
        s = s * 1664525u + 1013904223u;
        if (floats) ((float *)in_buf)[i] = (float)(int32_t)s * 0x1p-31f; /* finite, |x| < 1 */
        else ((uint32_t *)in_buf)[i] = s;
    }
}

static void print_row(const char *what, const char *impl, double sps, size_t in_bytes)
{
    printf("%-32s %-14s %9.1f Msamples/s %7.2f GB/s in\n", what, impl, sps / 1e6,
           sps * (double)in_bytes / 1e9);
}

/* ---- own kernels ---------------------------------------------------------------------- */

static const cs_kernel_impl *cur_impl;
static void run_own(void *ctx)
{
    (void)ctx;
    if (cur_impl->to_32f) cur_impl->to_32f(out_buf, in_buf, NCOMP);
    else if (cur_impl->from_32f) cur_impl->from_32f(out_buf, in_buf, NCOMP);
    else if (cur_impl->index_32f(in_buf, NCOMP) != NCOMP) abort(); /* input is finite */
}

static void bench_own(void)
{
    printf("\n## own kernels (rate in complex samples; input bytes per sample in GB/s)\n");
    for (size_t i = 0; i < cs_kernel_registry_count; i++) {
        const cs_kernel *k = cs_kernel_registry[i];
        fill_input(NCOMP * 8, k->impls[0].to_32f == NULL);
        for (size_t j = 0; j < k->n_impls; j++) {
            if (!cs_kernel_impl_available(&k->impls[j])) continue;
            cur_impl = &k->impls[j];
            print_row(k->name, cur_impl->name, rate(run_own, NULL), 2 * k->in_bytes);
        }
    }
}

/* ---- libvolk kernels, each implementation by name -------------------------------------- */

static const char *cur_volk;
static void v_16i(void *c)
{
    (void)c;
    volk_16i_s32f_convert_32f_manual(out_buf, in_buf, 32768.0f, NCOMP, cur_volk);
}
static void v_8i(void *c)
{
    (void)c;
    volk_8i_s32f_convert_32f_manual(out_buf, in_buf, 128.0f, NCOMP, cur_volk);
}
static void v_32i(void *c)
{
    (void)c;
    volk_32i_s32f_convert_32f_manual(out_buf, in_buf, 2147483648.0f, NCOMP, cur_volk);
}
static void v_64f(void *c)
{
    (void)c;
    volk_64f_convert_32f_manual(out_buf, in_buf, NCOMP, cur_volk);
}
static void v_32u_swap(void *c)
{
    (void)c;
    volk_32u_byteswap_manual(out_buf, NCOMP, cur_volk);
}
static void v_64u_swap(void *c)
{
    (void)c;
    volk_64u_byteswap_manual(out_buf, NCOMP, cur_volk);
}
static void v_to_16i(void *c)
{
    (void)c;
    volk_32f_s32f_convert_16i_manual(out_buf, in_buf, 32768.0f, NCOMP, cur_volk);
}
static void v_to_8i(void *c)
{
    (void)c;
    volk_32f_s32f_convert_8i_manual(out_buf, in_buf, 128.0f, NCOMP, cur_volk);
}
static void v_to_32i(void *c)
{
    (void)c;
    volk_32f_s32f_convert_32i_manual(out_buf, in_buf, 2147483648.0f, NCOMP, cur_volk);
}
static void v_to_64f(void *c)
{
    (void)c;
    volk_32f_convert_64f_manual(out_buf, in_buf, NCOMP, cur_volk);
}

static void bench_volk(void)
{
    static const struct {
        const char *name;
        volk_func_desc_t (*desc)(void);
        run_fn run;
        size_t in_bytes; /* per complex sample */
        int float_in;
    } v[] = {
        { "volk_16i_s32f_convert_32f", volk_16i_s32f_convert_32f_get_func_desc, v_16i, 4, 0 },
        { "volk_8i_s32f_convert_32f", volk_8i_s32f_convert_32f_get_func_desc, v_8i, 2, 0 },
        { "volk_32i_s32f_convert_32f", volk_32i_s32f_convert_32f_get_func_desc, v_32i, 8, 0 },
        { "volk_64f_convert_32f", volk_64f_convert_32f_get_func_desc, v_64f, 16, 0 },
        { "volk_32u_byteswap", volk_32u_byteswap_get_func_desc, v_32u_swap, 8, 0 },
        { "volk_64u_byteswap (cf64 n/2)", volk_64u_byteswap_get_func_desc, v_64u_swap, 16, 0 },
        { "volk_32f_s32f_convert_16i", volk_32f_s32f_convert_16i_get_func_desc, v_to_16i, 8, 1 },
        { "volk_32f_s32f_convert_8i", volk_32f_s32f_convert_8i_get_func_desc, v_to_8i, 8, 1 },
        { "volk_32f_s32f_convert_32i", volk_32f_s32f_convert_32i_get_func_desc, v_to_32i, 8, 1 },
        { "volk_32f_convert_64f", volk_32f_convert_64f_get_func_desc, v_to_64f, 8, 1 },
    };
    printf("\n## libvolk %s kernels, machine %s (float->int ones for comparison only)\n",
           "2.5", volk_get_machine());
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        volk_func_desc_t d = v[i].desc();
        fill_input(NCOMP * 8, v[i].float_in);
        for (size_t j = 0; j < d.n_impls; j++) {
            cur_volk = d.impl_names[j];
            print_row(v[i].name, cur_volk, rate(v[i].run, NULL), v[i].in_bytes);
        }
    }
}

/* ---- public conversions per datatype ---------------------------------------------------- */

static cs_datatype cur_dt;
static void run_to(void *c)
{
    (void)c;
    cs_convert_to_cf32(cur_dt, in_buf, out_buf, BLOCK_SAMPLES);
}
static void run_from(void *c)
{
    (void)c;
    cs_convert_from_cf32(cur_dt, in_buf, out_buf, BLOCK_SAMPLES);
}
static void run_ref_to(void *c)
{
    (void)c;
    cs_ref_to_32f(cur_dt)(out_buf, in_buf, NCOMP);
}

static void bench_datatypes(void)
{
    printf("\n## cs_convert_to_cf32 / cs_convert_from_cf32 per datatype (dispatched), and the "
           "reference generic\n");
    for (int dt = 1; dt < CS_DT_COUNT; dt++) {
        cur_dt = (cs_datatype)dt;
        size_t b = cs_datatype_sample_bytes(cur_dt);
        int is_float = cs_datatype_full_scale(cur_dt) == 1.0;
        fill_input(NCOMP * 8, is_float);
        if (cur_dt == CS_DT_CF64_LE || cur_dt == CS_DT_CF64_BE)
            for (size_t i = 0; i < NCOMP; i++)
                ((double *)in_buf)[i] = 0.5 - (double)(i % 1000) * 1e-3;
        if (cur_dt == CS_DT_CF32_BE) volk_32u_byteswap(in_buf, NCOMP);
        if (cur_dt == CS_DT_CF64_BE) volk_64u_byteswap(in_buf, NCOMP);
        char what[64];
        snprintf(what, sizeof what, "to_cf32 %s", cs_datatype_name(cur_dt));
        print_row(what, "dispatched", rate(run_to, NULL), b);
        print_row(what, "reference", rate(run_ref_to, NULL), b);
        fill_input(NCOMP * 8, 1);
        snprintf(what, sizeof what, "from_cf32 %s", cs_datatype_name(cur_dt));
        print_row(what, "dispatched", rate(run_from, NULL), 8);
    }
}

int main(int argc, char **argv)
{
    in_buf = volk_malloc(NCOMP * 8, 64);
    out_buf = volk_malloc(NCOMP * 8, 64);
    if (!in_buf || !out_buf) return 1;
    const char *only = argc > 1 ? argv[1] : "";
    printf("# bench_kernels: %d complex samples per call, best of 9 x 0.05 s%s\n", BLOCK_SAMPLES,
           getenv("VOLK_GENERIC") ? " (VOLK_GENERIC set)" : "");
    if (!*only || strstr("own", only)) bench_own();
    if (!*only || strstr("volk", only)) bench_volk();
    if (!*only || strstr("datatypes", only)) bench_datatypes();
    volk_free(in_buf);
    volk_free(out_buf);
    return 0;
}
