/* VOLK_GENERIC (set by GNU Radio's QA) makes our dispatchers pick the generic kernels, as it
 * does libvolk's. Choices are made once per process, so this is its own test executable and
 * sets the variable before the first conversion. The SIMD implementations are covered by
 * test_kernels, which calls them directly. */
#include <stdlib.h>

#include "cellscan/datatype.h"
#include "cs_test.h"
#include "kernels/convert_kernels.h"

int main(void)
{
    setenv("VOLK_GENERIC", "1", 1);
    _Alignas(64) static uint8_t buf[512];
    for (size_t i = 0; i < cs_kernel_registry_count; i++) {
        const cs_kernel *k = cs_kernel_registry[i];
        CS_CHECK_MSG(cs_kernel_select(k, buf, buf + 256) == &k->impls[0] &&
                         cs_kernel_select(k, buf + 1, buf + 3) == &k->impls[0],
                     "%s does not pick generic under VOLK_GENERIC", k->name);
    }
    /* Conversions still work (through generic code paths, libvolk's included). */
    const uint8_t cu8[4] = { 0, 255, 127, 128 };
    float f[4];
    cs_convert_to_cf32(CS_DT_CU8, cu8, (cs_cf32 *)f, 2);
    CS_CHECK(f[0] == -0.99609375f && f[1] == 0.99609375f && f[3] == 0.00390625f);
    const int16_t ci16[2] = { -32768, 16384 };
    cs_convert_to_cf32(CS_DT_CI16_LE, ci16, (cs_cf32 *)f, 1);
    CS_CHECK(f[0] == -1.0f && f[1] == 0.5f);
    uint8_t back[4];
    CS_CHECK(cs_convert_from_cf32(CS_DT_CU8, (const cs_cf32 *)f, back, 1) == 0);
    CS_CHECK(back[0] == 0 && back[1] == 192);
    return cs_test_done();
}
