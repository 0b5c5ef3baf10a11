/* The UMTS front end's impulse blanking: samples 1000 times above the chunk's mean power
 * are set to zero (counted), ordinary noise passes untouched. */
#include <stdlib.h>

#include "cellscan/status.h"
#include "cellscan/umts_frontend.h"
#include "cs_test.h"

enum { N = 20000 };

static uint64_t blanked_after(cs_cf32 *x)
{
    cs_umts_frontend f;
    if (cs_umts_frontend_create(7.68e6, 0.0, &f) != CS_OK) return UINT64_MAX;
    const size_t cap = cs_umts_frontend_max_output(f, N);
    cs_cf32 *out = malloc(cap * sizeof *out);
    size_t n_out = 0;
    int rc = out ? cs_umts_frontend_execute(f, x, N, out, cap, &n_out) : CS_ENOMEM;
    const uint64_t b = rc == CS_OK ? cs_umts_frontend_blanked(f) : UINT64_MAX;
    free(out);
    cs_umts_frontend_destroy(f);
    return b;
}

int main(void)
{
    cs_cf32 *x = malloc(N * sizeof *x);
    CS_CHECK(x != NULL);
    if (!x) return cs_test_done();
    unsigned s = 11;
    for (size_t i = 0; i < N; i++) {
        float v[2];
        for (int k = 0; k < 2; k++) {
            s = s * 1103515245u + 12345u;
            v[k] = (float)((s >> 8) & 0xFFFF) / 32768.0f - 1.0f;
        }
        x[i] = v[0] + I * v[1];
    }
    CS_CHECK(blanked_after(x) == 0);
    x[3001] = 200.0f; /* power 40000, the mean about 2/3 */
    x[8192 + 17] = -150.0f * I;
    CS_CHECK(blanked_after(x) == 2);
    free(x);
    return cs_test_done();
}
