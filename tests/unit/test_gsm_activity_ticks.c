/* GSM activity ticks bit for bit: the detector's per-tick sums of |x|^2 and |x|^4 (with
 * their float rounding: every later decision depends on them) equal those of a plain
 * reference written here, over random powers from 1e-6 to 1e6, calls of 0 to hundreds of
 * samples (ticks spanning calls, calls spanning ticks), gaps and quiet runs, and enough
 * ticks for the ring to wrap and the analysis to run, at several sample rates; with the
 * AVX2 form of the sums where the CPU has it and again with the baseline form
 * (VOLK_GENERIC set, as libvolk's kernels take it). */
#include <complex.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/gsm_activity.h"
#include "cellscan/status.h"
#include "cs_test.h"
#include "gsm_activity_internal.h"

#define TICK_S (CS_GSM_SLOT_S / 8)
#define MAX_TICKS 12000
#define HELD_MAX 8192

/* The reference: a tick's samples in a call are summed even and odd apart (in order),
 * the two sums added, then the last sample of an odd count, then the total added to the
 * tick's sums; a skip closes the ticks it passes (empty, s4 = -1 if quiet). */
typedef struct ref {
    double rate_hz;
    uint64_t nin, tick_end;
    int64_t cur_tick;
    cs_gsm_activity_tick cur;
    cs_gsm_activity_tick ticks[MAX_TICKS];
} ref;

static uint64_t ref_tick_end(const ref *r)
{
    return (uint64_t)ceil((double)(r->cur_tick + 1) * TICK_S * r->rate_hz);
}

static void ref_close(ref *r, int quiet)
{
    cs_gsm_activity_tick k = r->cur;
    if (quiet && k.n == 0) k.s4 = -1.0f;
    if (r->cur_tick < MAX_TICKS) r->ticks[r->cur_tick] = k;
    memset(&r->cur, 0, sizeof r->cur);
    r->cur_tick++;
    r->tick_end = ref_tick_end(r);
}

static float power(cs_cf32 v)
{
    const float re = crealf(v), im = cimagf(v);
    return re * re + im * im;
}

static void ref_execute(ref *r, const cs_cf32 *x, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t m = (size_t)(r->tick_end - r->nin);
        if (m > n - i) m = n - i;
        float e2 = 0.0f, o2 = 0.0f, e4 = 0.0f, o4 = 0.0f;
        size_t j = 0;
        for (; j + 2 <= m; j += 2) {
            const float pe = power(x[i + j]), po = power(x[i + j + 1]);
            e2 += pe;
            o2 += po;
            e4 += pe * pe;
            o4 += po * po;
        }
        float s2 = e2 + o2, s4 = e4 + o4;
        if (j < m) {
            const float p = power(x[i + j]);
            s2 += p;
            s4 += p * p;
        }
        r->cur.s2 += s2;
        r->cur.s4 += s4;
        r->cur.n += (uint32_t)m;
        r->nin += m;
        i += m;
        if (r->nin == r->tick_end) ref_close(r, 0);
    }
}

static void ref_skip(ref *r, uint64_t n, int quiet)
{
    r->nin += n;
    const int64_t t = (int64_t)floor((double)r->nin / r->rate_hz / TICK_S);
    while (r->cur_tick < t) ref_close(r, quiet);
    while (r->tick_end <= r->nin) ref_close(r, quiet);
}

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static float uniform(void) { return (float)((rng() >> 40) * (1.0 / 16777216.0)); }

/* Compare the ticks the detector closed since *checked with the reference's; returns
 * mismatches (a tick once closed does not change). */
static int compare(cs_gsm_activity q, const ref *r, cs_gsm_activity_tick *held, int64_t *checked)
{
    int64_t first;
    const size_t len = cs_gsm_activity_ticks(q, &first, held, HELD_MAX);
    int bad = first + (int64_t)len != r->cur_tick || first > *checked;
    for (size_t j = 0; j < len && j < HELD_MAX && !bad; j++) {
        const int64_t t = first + (int64_t)j;
        if (t < *checked) continue;
        if (t >= MAX_TICKS) break;
        const cs_gsm_activity_tick *a = &held[j], *b = &r->ticks[t];
        if (memcmp(&a->s2, &b->s2, sizeof(float)) || memcmp(&a->s4, &b->s4, sizeof(float)) ||
            a->n != b->n) {
            fprintf(stderr, "tick %lld: s2 %a/%a s4 %a/%a n %u/%u\n", (long long)t,
                    (double)a->s2, (double)b->s2, (double)a->s4, (double)b->s4, a->n, b->n);
            bad = 1;
        }
    }
    *checked = r->cur_tick;
    return bad;
}

static void run(double rate_hz, uint64_t seed, double seconds)
{
    static ref r;
    static cs_gsm_activity_tick held[HELD_MAX];
    static cs_cf32 x[4096];
    memset(&r, 0, sizeof r);
    r.rate_hz = rate_hz;
    r.tick_end = ref_tick_end(&r);
    rng_state = seed;
    cs_gsm_activity_config c;
    cs_gsm_activity_config_init(&c);
    c.sample_rate_hz = rate_hz;
    cs_gsm_activity q;
    CS_CHECK(cs_gsm_activity_create(&c, &q) == CS_OK);
    const double tick_samples = TICK_S * rate_hz;
    const uint64_t total = (uint64_t)(seconds * rate_hz);
    int mismatches = 0, ops = 0, odd_seen = 0;
    int64_t checked = 0;
    uint64_t done = 0;
    while (done < total && r.cur_tick < MAX_TICKS) {
        const unsigned kind = (unsigned)(rng() % 16);
        size_t n;
        if (kind < 10) n = (size_t)(rng() % 64); /* short calls: ticks span calls */
        else if (kind < 13) n = (size_t)(rng() % (uint64_t)(8 * tick_samples + 1));
        else n = (size_t)(rng() % (uint64_t)(3 * tick_samples + 2));
        if (n > sizeof x / sizeof x[0]) n = sizeof x / sizeof x[0];
        if (kind >= 14) { /* a gap or a quiet run */
            CS_CHECK((kind == 14 ? cs_gsm_activity_skip(q, n) : cs_gsm_activity_skip_quiet(q, n)) ==
                     CS_OK);
            ref_skip(&r, n, kind == 15);
        } else {
            /* powers over 12 decades, so that the float sums round */
            const float scale = powf(10.0f, 6.0f * (2.0f * uniform() - 1.0f));
            for (size_t i = 0; i < n; i++)
                x[i] = scale * (uniform() - 0.5f) + I * (scale * (uniform() - 0.5f));
            CS_CHECK(cs_gsm_activity_execute(q, x, n) == CS_OK);
            ref_execute(&r, x, n);
            odd_seen |= (int)(n & 1);
        }
        done += n;
        mismatches += compare(q, &r, held, &checked);
        ops++;
    }
    CS_CHECK_MSG(mismatches == 0, "%g Hz seed %llu: %d of %d calls left ticks that differ",
                 rate_hz, (unsigned long long)seed, mismatches, ops);
    CS_CHECK(odd_seen);
    /* the ring wrapped (older ticks left) and the analysis ran in between */
    int64_t first;
    cs_gsm_activity_ticks(q, &first, held, HELD_MAX);
    CS_CHECK_MSG(first > 0, "%g Hz: ring did not wrap (%lld ticks)", rate_hz,
                 (long long)r.cur_tick);
    cs_gsm_activity_destroy(q);
}

int main(void)
{
    const double rates_hz[] = {156250.0, 100e3, 1625e3 / 6.0, 1e6, 400e3};
    for (int generic = 0; generic < 2; generic++) {
        if (generic) setenv("VOLK_GENERIC", "1", 1); /* read when a detector is created */
        for (size_t k = 0; k < sizeof rates_hz / sizeof rates_hz[0]; k++)
            for (uint64_t seed = 1; seed <= 3; seed++)
                run(rates_hz[k], 0x9E3779B97F4A7C15ull * seed + k + 7 * (uint64_t)generic, 0.6);
    }
    return cs_test_done();
}
