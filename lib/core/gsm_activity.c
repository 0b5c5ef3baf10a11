/* Burst activity per timeslot (see gsm_activity.h). */
#include "cellscan/gsm_activity.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "gsm_activity_internal.h"
#include "gsm_activity_sums.h"
#include "kernels/convert_kernels.h"
#include "order_stat.h"

#define TICKS_PER_SLOT 8 /* 72 us: half the ticks of 1/16 slot, the same core window */
#define TICK_S (CS_GSM_SLOT_S / TICKS_PER_SLOT)
#define BURST_S (148.0 * 6.0 / 1625000.0) /* 148 bits of a normal burst, 546 us */
#define CORE_FIRST 1 /* ticks 1..6 of a slot (72..505 us): the burst without ramps and guard */
#define CORE_TICKS 6
#define FIT_TICKS 7 /* ticks 0..6 (505 us): inside a burst (546 us from the slot start) with the
                       slot edge aligned; one tick early it takes in the guard and the
                       slot before */
#define RING_TICKS (TICKS_PER_SLOT * 8 * 54)     /* about 0.25 s of ticks */
#define ANALYSIS_TICKS (TICKS_PER_SLOT * 8 * 26) /* re-fit the grid every 26 frames */
#define MIN_FIT_TICKS (TICKS_PER_SLOT * 8 * 4)
#define SLOTS_PER_HOUR (3600.0 / CS_GSM_SLOT_S)

typedef struct tick {
    float s2, s4; /* sums of |x|^2 and |x|^4; s4 = -1 with n = 0: a quiet tick (skipped, the
                     caller knows it held no burst) */
    uint32_t n;   /* samples */
} tick;
_Static_assert(offsetof(tick, s4) == offsetof(tick, s2) + sizeof(float),
               "tick sums stored as one pair");

/* Per slot phase: sums of fit powers, of their squares, and their count. */
typedef struct phase_sums {
    double s[TICKS_PER_SLOT], s2[TICKS_PER_SLOT];
    int n[TICKS_PER_SLOT];
} phase_sums;

struct cs_gsm_activity_s {
    cs_gsm_activity_config cfg;
    double threshold;
    uint64_t nin;           /* samples seen (time = nin / rate) */
    int64_t cur_tick;       /* tick being accumulated */
    uint64_t tick_end;      /* first sample of the next tick (from cur_tick, kept with it) */
    tick cur;
    tick *ring;             /* ticks [ring_first, ring_first + ring_len) */
    double *fit;            /* power over the fit ticks of a slot starting at each ring tick
                               (-1: a gap), at the tick's ring position; set for starts <
                               fit_done */
    phase_sums ph;          /* per slot phase: the fit powers of the ring's starts below
                               fit_done (kept as starts come and leave) */
    int64_t ring_first;
    size_t ring_len;
    size_t head;            /* ring position of ring_first (no division per tick) */
    int64_t fit_done;       /* slot starts below this have their fit power */
    int64_t fit_forgotten;  /* ... and those below this that left the ring left the sums */
    int phase;              /* slot starts at ticks = phase mod TICKS_PER_SLOT; -1: not fitted */
    int64_t next_slot_tick; /* start tick of the next slot to classify */
    uint64_t slot_counter;  /* relative slot number of that slot */
    int64_t last_fit_tick;
    int skipping_quiet;     /* the ticks being closed by a skip are quiet ones */
    double noise;           /* noise per sample in use */
    cs_gsm_activity_result r;
    double sum_power, sum_m2, sum_n; /* burst powers, per-slot envelope ratios, bursts */
    double origin_fine_s;   /* the slot edge's offset from the grid's tick (sub-tick) */
    double ts_power[8];
    double ts_env[8];
    int avx2;               /* feed with the AVX2 form of the sums (the same additions) */
};

void cs_gsm_activity_config_init(cs_gsm_activity_config *c)
{
    memset(c, 0, sizeof *c);
    c->noise_power = NAN;
    c->false_alarms_per_hour = 1.0;
    c->max_gap_s = 0.15;
}

/* Upper-tail quantile of the standard normal (Acklam's rational approximation refined
 * by one Newton step on erfc). */
static double normal_upper_quantile(double p)
{
    if (p >= 0.5) return 0.0;
    const double q = sqrt(-2.0 * log(p));
    double z = q - (2.515517 + 0.802853 * q + 0.010328 * q * q) /
                       (1.0 + 1.432788 * q + 0.189269 * q * q + 0.001308 * q * q * q);
    for (int i = 0; i < 3; i++) {
        const double f = 0.5 * erfc(z / M_SQRT2) - p;
        const double d = -exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
        z -= f / d;
    }
    return z;
}

/* Slot power over noise that noise alone exceeds with the configured rate: the mean of
 * m independent exponential samples is Gamma(m, 1/m) (Wilson-Hilferty). */
static double slot_threshold(const cs_gsm_activity_config *c)
{
    const double bw = c->noise_bandwidth_hz > 0.0 ? c->noise_bandwidth_hz : c->sample_rate_hz;
    double m = CORE_TICKS * TICK_S * bw;
    if (m < 4.0) m = 4.0;
    const double z = normal_upper_quantile(c->false_alarms_per_hour / SLOTS_PER_HOUR);
    const double a = 1.0 / (9.0 * m);
    const double t = 1.0 - a + z * sqrt(a);
    return t * t * t;
}

int cs_gsm_activity_create(const cs_gsm_activity_config *c, cs_gsm_activity *out)
{
    if (!out) return cs_error(CS_EINVAL, "gsm activity: NULL output");
    *out = NULL;
    if (!c) return cs_error(CS_EINVAL, "gsm activity: no configuration");
    if (!(c->sample_rate_hz >= 100e3 && c->sample_rate_hz <= 1e9))
        return cs_error(CS_EINVAL, "gsm activity: sample_rate_hz must be 100e3..1e9 (got %g)",
                        c->sample_rate_hz);
    if (!isnan(c->noise_power) && !(c->noise_power > 0.0 && isfinite(c->noise_power)))
        return cs_error(CS_EINVAL, "gsm activity: noise_power must be positive or NAN (got %g)",
                        c->noise_power);
    if (!(c->noise_bandwidth_hz >= 0.0 && c->noise_bandwidth_hz <= c->sample_rate_hz))
        return cs_error(CS_EINVAL, "gsm activity: noise_bandwidth_hz must be 0..rate (got %g)",
                        c->noise_bandwidth_hz);
    if (!(c->false_alarms_per_hour > 0.0 && c->false_alarms_per_hour < 1e6))
        return cs_error(CS_EINVAL, "gsm activity: false_alarms_per_hour must be > 0 (got %g)",
                        c->false_alarms_per_hour);
    if (!(c->max_gap_s >= 0.0 && isfinite(c->max_gap_s)))
        return cs_error(CS_EINVAL, "gsm activity: max_gap_s must be >= 0 (got %g)", c->max_gap_s);
    cs_gsm_activity q = calloc(1, sizeof *q);
    if (!q) return cs_error(CS_ENOMEM, "gsm activity: out of memory");
    q->ring = malloc(RING_TICKS * sizeof *q->ring);
    q->fit = malloc(RING_TICKS * sizeof *q->fit);
    if (!q->ring || !q->fit) {
        free(q->ring);
        free(q->fit);
        free(q);
        return cs_error(CS_ENOMEM, "gsm activity: out of memory");
    }
    q->cfg = *c;
    q->threshold = slot_threshold(c);
#if CS_HAVE_X86_SIMD && defined(__SSE2__)
    q->avx2 = cs_cpu_use_avx2();
#endif
    cs_gsm_activity_reset(q);
    *out = q;
    return CS_OK;
}

/* First sample of tick t + 1 at rate_hz (ceil without a libm call: once per tick). The
 * conversions go through int64 (one instruction each, where uint64 takes a branch): v is
 * far below 2^63 for every tick a uint64 sample count reaches. */
static inline uint64_t tick_end_at(int64_t t, double rate_hz)
{
    const double tick_end_s = (double)(t + 1) * TICK_S;
    const double v = tick_end_s * rate_hz;
    const int64_t u = (int64_t)v;
    return (uint64_t)((double)u < v ? u + 1 : u);
}

/* First sample of the tick after cur_tick. */
static uint64_t tick_end_sample(const cs_gsm_activity q)
{
    return tick_end_at(q->cur_tick, q->cfg.sample_rate_hz);
}

void cs_gsm_activity_reset(cs_gsm_activity q)
{
    q->nin = 0;
    q->cur_tick = 0;
    q->tick_end = tick_end_sample(q);
    memset(&q->cur, 0, sizeof q->cur);
    q->ring_first = 0;
    q->ring_len = 0;
    q->head = 0;
    q->fit_done = 0;
    q->fit_forgotten = 0;
    memset(&q->ph, 0, sizeof q->ph);
    q->phase = -1;
    q->next_slot_tick = 0;
    q->slot_counter = 0;
    q->last_fit_tick = 0;
    q->noise = q->cfg.noise_power;
    memset(&q->r, 0, sizeof q->r);
    q->r.t_first_s = q->r.t_last_s = NAN;
    q->sum_power = q->sum_m2 = q->sum_n = 0.0;
    memset(q->ts_power, 0, sizeof q->ts_power);
    memset(q->ts_env, 0, sizeof q->ts_env);
}

void cs_gsm_activity_destroy(cs_gsm_activity q)
{
    if (!q) return;
    free(q->ring);
    free(q->fit);
    free(q);
}

void cs_gsm_activity_set_noise(cs_gsm_activity q, double noise_power)
{
    q->cfg.noise_power = noise_power;
    q->noise = noise_power;
}

/* Ring position of tick t (in the ring). */
static size_t ring_pos(const cs_gsm_activity q, int64_t t)
{
    size_t p = q->head + (size_t)(t - q->ring_first);
    return p >= RING_TICKS ? p - RING_TICKS : p;
}

/* Power per sample of the slot starting at tick t (its central ticks); -1 if incomplete
 * (a gap), -2 if it is complete but for quiet ticks (no burst). The sums run in tick
 * order; the sample count is an integer (what a double sum of them holds exactly). */
static double slot_power(const cs_gsm_activity q, int64_t t, double *m2, double *m4, double *n)
{
    if (t + CORE_FIRST < q->ring_first ||
        t + CORE_FIRST + CORE_TICKS > q->ring_first + (int64_t)q->ring_len)
        return -1.0;
    double s2 = 0.0, s4 = 0.0;
    uint64_t c = 0;
    int empty = 0;
    const size_t p = ring_pos(q, t + CORE_FIRST);
    const tick *k = q->ring + p;
    if (p + CORE_TICKS <= RING_TICKS) { /* no wrap: a fixed count, unrolled */
        for (size_t j = 0; j < CORE_TICKS; j++) {
            s2 += k[j].s2;
            s4 += k[j].s4;
            c += k[j].n;
            empty |= k[j].n == 0;
        }
    } else {
        const size_t first = RING_TICKS - p;
        for (size_t j = 0; j < CORE_TICKS; j++) {
            if (j == first) k = q->ring - first; /* the ring wraps */
            s2 += k[j].s2;
            s4 += k[j].s4;
            c += k[j].n;
            empty |= k[j].n == 0;
        }
    }
    if (empty) { /* a gap if an empty tick is not a quiet one (s4 = -1) */
        for (size_t j = 0; j < CORE_TICKS; j++) {
            const tick *e = &q->ring[p + j < RING_TICKS ? p + j : p + j - RING_TICKS];
            if (e->n == 0 && e->s4 >= 0.0f) return -1.0;
        }
        return -2.0;
    }
    if (m2) *m2 = s2;
    if (m4) *m4 = s4;
    if (n) *n = (double)c;
    return s2 / (double)c;
}

/* Fit power of every slot start whose ticks have all come in since the last call: each
 * start once, by a sliding sum over its ticks (-1 where one is empty), added to its
 * phase's sums. The loop runs in stretches over which no ring position wraps; the sample
 * count is an integer (exactly what the double sum of it was). */
static void update_fit(cs_gsm_activity q)
{
    const int64_t end = q->ring_first + (int64_t)q->ring_len - (FIT_TICKS - 1);
    int64_t t = q->fit_done > q->ring_first ? q->fit_done : q->ring_first;
    if (t >= end) return;
    double s2 = 0.0;
    int64_t c = 0;
    int empty = 0;
    size_t pin = ring_pos(q, t), pout = pin; /* pout: also start t's place in fit[] */
    phase_sums ph = q->ph; /* local: no aliasing with fit[] */
    for (int j = 0; j < FIT_TICKS - 1; j++) { /* the first window but its last tick */
        const tick *k = &q->ring[pin];
        if (++pin == RING_TICKS) pin = 0;
        s2 += k->s2;
        c += k->n;
        empty += k->n == 0;
    }
    while (t < end) {
        int64_t len = end - t;
        if (len > (int64_t)(RING_TICKS - pin)) len = (int64_t)(RING_TICKS - pin);
        if (len > (int64_t)(RING_TICKS - pout)) len = (int64_t)(RING_TICKS - pout);
        const tick *kin = q->ring + pin, *kout = q->ring + pout; /* tick t + 6 joins, t leaves */
        double *fit = q->fit + pout;
        for (int64_t j = 0; j < len; j++) {
            s2 += kin[j].s2;
            c += kin[j].n;
            empty += kin[j].n == 0;
            if (!empty) { /* then c > 0 */
                const double v = s2 / (double)c;
                const int phase = (int)((uint64_t)(t + j) & (TICKS_PER_SLOT - 1));
                fit[j] = v;
                ph.s[phase] += v;
                ph.s2[phase] += v * v;
                ph.n[phase]++;
            } else {
                fit[j] = -1.0;
            }
            s2 -= kout[j].s2;
            c -= kout[j].n;
            empty -= kout[j].n == 0;
        }
        t += len;
        pin += (size_t)len;
        if (pin == RING_TICKS) pin = 0;
        pout += (size_t)len;
        if (pout == RING_TICKS) pout = 0;
    }
    q->ph = ph;
    q->fit_done = end;
}

/* The fit powers of the slot starts that left the ring since the last analysis leave the
 * phase sums. They are still in fit[] (only update_fit writes it, after this): less than
 * an analysis period of ticks has come in since. */
static void forget_dropped(cs_gsm_activity q)
{
    const int64_t end = q->ring_first < q->fit_done ? q->ring_first : q->fit_done;
    int64_t t = q->fit_forgotten;
    if (t < end) {
        phase_sums ph = q->ph; /* local: no aliasing with fit[] */
        /* ring position of start t: head minus its distance to ring_first */
        size_t p = (size_t)((int64_t)q->head - (q->ring_first - t) + RING_TICKS) % RING_TICKS;
        while (t < end) { /* in stretches over which p does not wrap */
            const int64_t len = end - t < (int64_t)(RING_TICKS - p) ? end - t
                                                                    : (int64_t)(RING_TICKS - p);
            const double *fit = q->fit + p;
            for (int64_t j = 0; j < len; j++) {
                const double v = fit[j];
                if (v < 0.0) continue;
                const int phase = (int)((uint64_t)(t + j) & (TICKS_PER_SLOT - 1));
                ph.s[phase] -= v;
                ph.s2[phase] -= v * v;
                if (--ph.n[phase] == 0) ph.s[phase] = ph.s2[phase] = 0.0; /* no rounding left */
            }
            t += len;
            p += (size_t)len;
            if (p == RING_TICKS) p = 0;
        }
        q->ph = ph;
    }
    q->fit_forgotten = q->ring_first;
}

/* The slot phase whose slot powers vary most (normalised variance), over the slot starts
 * of the ring that have their fit power (the running sums). */
static int fit_phase(const cs_gsm_activity q, double *score_out, double *scores)
{
    const double *s = q->ph.s, *s2 = q->ph.s2;
    const int *cnt = q->ph.n;
    int best = 0;
    double best_v = -1.0;
    for (int ph = 0; ph < TICKS_PER_SLOT; ph++) {
        const int n = cnt[ph];
        const double v = n > 1 ? (s2[ph] - s[ph] * s[ph] / n) / n /
                                     ((s[ph] / n) * (s[ph] / n) + 1e-300)
                               : 0.0;
        scores[ph] = v;
        if (v > best_v) {
            best_v = v;
            best = ph;
        }
    }
    *score_out = best_v;
    return best;
}

/* Noise from the quietest tenth of the slots in the ring (when not given). */
static void estimate_noise(cs_gsm_activity q)
{
    double v[RING_TICKS / TICKS_PER_SLOT];
    size_t n = 0;
    int64_t t = q->ring_first;
    while ((t - q->phase) & (TICKS_PER_SLOT - 1)) t++;
    for (; t + TICKS_PER_SLOT <= q->ring_first + (int64_t)q->ring_len && n < sizeof v / sizeof v[0];
         t += TICKS_PER_SLOT) {
        const double p = slot_power(q, t, NULL, NULL, NULL);
        if (p >= 0.0) v[n++] = p;
    }
    if (n < 8) return;
    const double v10 = cs_select_double(v, n, n / 10);
    const double bw = q->cfg.noise_bandwidth_hz > 0.0 ? q->cfg.noise_bandwidth_hz
                                                      : q->cfg.sample_rate_hz;
    const double m = CORE_TICKS * TICK_S * bw;
    /* the 10th percentile of Gamma(m, 1/m) is about 1 - 1.28 / sqrt(m) */
    double corr = 1.0 - 1.28 / sqrt(m > 4.0 ? m : 4.0);
    if (corr < 0.3) corr = 0.3;
    q->noise = v10 / corr;
}

static void add_interval(cs_gsm_activity q, double a, double b)
{
    cs_gsm_activity_result *r = &q->r;
    if (r->num_intervals && a - r->intervals[r->num_intervals - 1][1] <= q->cfg.max_gap_s) {
        if (b > r->intervals[r->num_intervals - 1][1]) r->intervals[r->num_intervals - 1][1] = b;
        return;
    }
    if (r->num_intervals == CS_GSM_MAX_INTERVALS) {
        r->intervals_truncated = 1;
        r->intervals[r->num_intervals - 1][1] = b;
        return;
    }
    r->intervals[r->num_intervals][0] = a;
    r->intervals[r->num_intervals][1] = b;
    r->num_intervals++;
}

/* Fit the grid, then classify every complete slot not classified yet. */
static void analyse(cs_gsm_activity q)
{
    if (q->ring_len < MIN_FIT_TICKS) return;
    forget_dropped(q);
    update_fit(q);
    double score, scores[TICKS_PER_SLOT];
    const int best = fit_phase(q, &score, scores);
    if (q->phase < 0) {
        q->phase = best;
        int64_t t = q->ring_first;
        while (((t - best) % TICKS_PER_SLOT + TICKS_PER_SLOT) % TICKS_PER_SLOT) t++;
        q->next_slot_tick = t;
        q->slot_counter = 0;
        q->r.slot_origin_s = (double)t * TICK_S;
    } else if (best != q->phase && score > 1.1 * scores[q->phase] + 1e-6) {
        int d = best - q->phase;
        if (d > TICKS_PER_SLOT / 2) d -= TICKS_PER_SLOT;
        if (d < -TICKS_PER_SLOT / 2) d += TICKS_PER_SLOT;
        q->phase = best;
        q->next_slot_tick += d;
        /* keep relative slot numbers: the origin moves with the grid */
        q->r.slot_origin_s = (double)q->next_slot_tick * TICK_S -
                             (double)(q->slot_counter % 8) * CS_GSM_SLOT_S;
    }
    /* the slot edge between the ticks, for timeslot numbers from a C0's timing: the fit
     * score's peak (a parabola through the grid's phase and its neighbours) less half the
     * slack of the fit window inside a burst, over which the score stays flat */
    {
        const double sm = scores[(q->phase + TICKS_PER_SLOT - 1) % TICKS_PER_SLOT];
        const double s0 = scores[q->phase], sp = scores[(q->phase + 1) % TICKS_PER_SLOT];
        const double den = sm - 2.0 * s0 + sp;
        double delta = den < 0.0 ? 0.5 * (sm - sp) / den : 0.0;
        delta = delta > 0.5 ? 0.5 : delta < -0.5 ? -0.5 : delta;
        q->origin_fine_s = delta * TICK_S - 0.5 * (BURST_S - FIT_TICKS * TICK_S);
    }
    q->last_fit_tick = q->ring_first + (int64_t)q->ring_len;
    if (isnan(q->cfg.noise_power)) estimate_noise(q);
    if (!(q->noise > 0.0)) return;
    const int64_t end = q->ring_first + (int64_t)q->ring_len;
    while (q->next_slot_tick + CORE_FIRST + CORE_TICKS <= end) { /* its core is in */
        const int64_t t = q->next_slot_tick;
        double m2, m4, n;
        const double p = slot_power(q, t, &m2, &m4, &n);
        if (p == -2.0) q->r.slots++; /* quiet: examined by the caller */
        if (p >= 0.0) {
            q->r.slots++;
            if (p / q->noise >= q->threshold) {
                const int ts = (int)(q->slot_counter % 8);
                q->r.bursts++;
                q->r.bursts_per_ts[ts]++;
                q->ts_power[ts] += p;
                q->sum_power += p;
                /* envelope per slot, so power changes between bursts do not count */
                const double env = (m4 / n) / ((m2 / n) * (m2 / n)) - 1.0;
                q->sum_m2 += env;
                q->sum_n += 1.0;
                q->ts_env[ts] += env;
                const double a = (double)t * TICK_S, b = a + CS_GSM_SLOT_S;
                if (isnan(q->r.t_first_s)) q->r.t_first_s = a;
                q->r.t_last_s = b;
                add_interval(q, a, b);
            }
        }
        q->next_slot_tick += TICKS_PER_SLOT;
        q->slot_counter++;
    }
}

/* Ring position of a new tick at the ring's end: in a full ring the oldest leaves and its
 * place is the new one's (its slot start's fit power leaves the sums at the next
 * analysis: forget_dropped). */
static inline size_t ring_push(cs_gsm_activity q)
{
    if (q->ring_len == RING_TICKS) {
        const size_t p = q->head;
        q->ring_first++;
        if (++q->head == RING_TICKS) q->head = 0;
        return p;
    }
    const size_t p = q->head + q->ring_len++;
    return p >= RING_TICKS ? p - RING_TICKS : p;
}

/* Close the current tick: into the ring, and on to the next (ring_first + ring_len is
 * cur_tick before and after). */
static void close_tick(cs_gsm_activity q)
{
    const size_t p = ring_push(q);
    q->ring[p] = q->cur;
    if (q->skipping_quiet && q->cur.n == 0) q->ring[p].s4 = -1.0f;
    q->cur.s2 = q->cur.s4 = 0.0f;
    q->cur.n = 0;
    q->cur_tick++;
    q->tick_end = tick_end_sample(q);
    if (q->cur_tick - q->last_fit_tick >= ANALYSIS_TICKS) analyse(q);
}

/* Close ticks up to (not including) tick index t. Empty ones (a skip) go in runs up to
 * the next analysis: what close_tick does for each, but one tick end for the run, and
 * the ring filled a contiguous stretch at a time. */
static void advance_to(cs_gsm_activity q, int64_t t)
{
    while (q->cur_tick < t) {
        if (q->cur.n) {
            close_tick(q);
            continue;
        }
        const tick empty = {0.0f, q->skipping_quiet ? -1.0f : 0.0f, 0};
        int64_t run = t - q->cur_tick;
        int64_t due = ANALYSIS_TICKS - (q->cur_tick - q->last_fit_tick);
        if (due < 1) due = 1;
        if (run > due) run = due; /* below RING_TICKS */
        /* the oldest leave first, as many as the run overfills the ring by */
        const size_t over = q->ring_len + (size_t)run > RING_TICKS
                                ? q->ring_len + (size_t)run - RING_TICKS : 0;
        size_t p = q->head + q->ring_len;
        if (p >= RING_TICKS) p -= RING_TICKS;
        q->ring_first += (int64_t)over;
        q->ring_len += (size_t)run - over;
        q->head += over;
        if (q->head >= RING_TICKS) q->head -= RING_TICKS;
        for (size_t left = (size_t)run; left;) {
            const size_t k = left < RING_TICKS - p ? left : RING_TICKS - p;
            for (size_t j = 0; j < k; j++) q->ring[p + j] = empty;
            p = p + k == RING_TICKS ? 0 : p + k;
            left -= k;
        }
        q->cur_tick += run;
        q->tick_end = tick_end_sample(q);
        if (q->cur_tick - q->last_fit_tick >= ANALYSIS_TICKS) analyse(q);
    }
}

/* Feeding: the tick in progress ends, then whole ticks (a tick's sums start at 0: adding
 * them to 0 changes no bit, sums of squares are never -0), what close_tick does with the
 * tick end in a local; then the start of the next tick. sums: segment_sums or its AVX2
 * form (inlined into each caller). */
static inline __attribute__((always_inline)) void execute_ticks(
    cs_gsm_activity q, const float *f, size_t n, pair_sums (*sums)(const float *, size_t))
{
    uint64_t m = q->tick_end - q->nin; /* > 0 */
    if (m <= n) {
        pair_sums s = pair_add(pair_load(&q->cur.s2), sums(f, (size_t)m));
        uint32_t cnt = q->cur.n + (uint32_t)m;
        uint64_t end = q->tick_end;
        for (;;) {
            f += 2 * m;
            n -= (size_t)m;
            const size_t p = ring_push(q);
            q->ring[p].n = cnt;
            pair_store(&q->ring[p].s2, s);
            const int64_t t = ++q->cur_tick;
            const uint64_t next = tick_end_at(t, q->cfg.sample_rate_hz);
            if (t - q->last_fit_tick >= ANALYSIS_TICKS) analyse(q);
            m = next - end;
            end = next;
            if (m > n) break;
            s = sums(f, (size_t)m);
            cnt = (uint32_t)m;
        }
        q->nin = end - m;
        q->tick_end = end;
        q->cur.s2 = q->cur.s4 = 0.0f;
        q->cur.n = 0;
    }
    if (n) {
        pair_store(&q->cur.s2, pair_add(pair_load(&q->cur.s2), sums(f, n)));
        q->cur.n += (uint32_t)n;
        q->nin += n;
    }
}

__attribute__((noinline)) static void execute_base(cs_gsm_activity q, const float *f, size_t n)
{
    execute_ticks(q, f, n, segment_sums);
}

#if CS_HAVE_X86_SIMD && defined(__SSE2__)
CS_AVX2 static void execute_avx2(cs_gsm_activity q, const float *f, size_t n)
{
    execute_ticks(q, f, n, segment_sums_avx2);
}
#endif

int cs_gsm_activity_execute(cs_gsm_activity q, const cs_cf32 *x, size_t n)
{
    if (!q || (!x && n)) return cs_error(CS_EINVAL, "gsm activity: NULL argument");
#if CS_HAVE_X86_SIMD && defined(__SSE2__)
    if (q->avx2) {
        execute_avx2(q, (const float *)x, n);
        return CS_OK;
    }
#endif
    execute_base(q, (const float *)x, n);
    return CS_OK;
}

static int skip(cs_gsm_activity q, uint64_t n, int quiet)
{
    if (!q) return cs_error(CS_EINVAL, "gsm activity: NULL argument");
    q->nin += n;
    q->skipping_quiet = quiet;
    const int64_t t = (int64_t)floor((double)q->nin / q->cfg.sample_rate_hz / TICK_S);
    advance_to(q, t);
    while (q->tick_end <= q->nin) close_tick(q); /* execute relies on tick_end > nin */
    q->skipping_quiet = 0;
    return CS_OK;
}

int cs_gsm_activity_skip(cs_gsm_activity q, uint64_t n) { return skip(q, n, 0); }

int cs_gsm_activity_skip_quiet(cs_gsm_activity q, uint64_t n) { return skip(q, n, 1); }

int cs_gsm_activity_results(cs_gsm_activity q, cs_gsm_activity_result *res)
{
    if (!q || !res) return cs_error(CS_EINVAL, "gsm activity: NULL argument");
    analyse(q);
    *res = q->r;
    if (isfinite(res->slot_origin_s)) res->slot_origin_s += q->origin_fine_s;
    res->noise_power = q->noise;
    res->threshold = q->threshold;
    res->burst_power = q->r.bursts ? q->sum_power / (double)q->r.bursts : NAN;
    for (int t = 0; t < 8; t++) {
        res->power_per_ts[t] = q->r.bursts_per_ts[t] ? q->ts_power[t] / q->r.bursts_per_ts[t] : NAN;
        res->envelope_per_ts[t] = q->r.bursts_per_ts[t] ? q->ts_env[t] / q->r.bursts_per_ts[t] : NAN;
    }
    if (q->sum_n > 0.0) {
        res->envelope_ratio = q->sum_m2 / q->sum_n;
    } else {
        res->envelope_ratio = NAN;
    }
    return CS_OK;
}

size_t cs_gsm_activity_ticks(const cs_gsm_activity q, int64_t *first_tick,
                             cs_gsm_activity_tick *out, size_t max)
{
    *first_tick = q->ring_first;
    for (size_t j = 0; j < q->ring_len && j < max; j++) {
        const tick *k = &q->ring[ring_pos(q, q->ring_first + (int64_t)j)];
        out[j].s2 = k->s2;
        out[j].s4 = k->s4;
        out[j].n = k->n;
    }
    return q->ring_len;
}
