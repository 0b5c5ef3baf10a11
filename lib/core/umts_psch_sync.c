/* P-SCH slot synchroniser: streaming inner correlation and slot-folded lag products (see
 * umts_psch_sync.h for the method). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_psch_internal.h"

#define CENTRE_SPACING_HZ 50e3 /* inner-code loss at +-25 kHz from a centre: 0.15 dB */
#define DIRECT_NEAR_HZ 1500.0  /* one frequency this close to 0 Hz: searched at 0 Hz */

void cs_umts_psch_params_init(cs_umts_psch_params *p)
{
    p->freq_min_hz = -25e3;
    p->freq_max_hz = 25e3;
    p->freq_step_hz = 5e3;
    p->max_drift_ppm = 0.0;
    p->segment_slots = 15;
    p->max_candidates = 16;
    p->threshold_z = 4.5;
}

static int check_params(const cs_umts_psch_params *p)
{
    if (!(isfinite(p->freq_min_hz) && isfinite(p->freq_max_hz) && p->freq_min_hz <= p->freq_max_hz))
        return cs_error(CS_EINVAL, "umts p-sch: frequency range %g .. %g Hz is empty",
                        p->freq_min_hz, p->freq_max_hz);
    if (p->freq_max_hz - p->freq_min_hz > 1.5e6 || fabs(p->freq_min_hz) > 1e6 || fabs(p->freq_max_hz) > 1e6)
        return cs_error(CS_EINVAL, "umts p-sch: frequency search %g .. %g Hz exceeds +-1 MHz",
                        p->freq_min_hz, p->freq_max_hz);
    if (!(p->freq_step_hz >= 100.0 && p->freq_step_hz <= 15e3))
        return cs_error(CS_EINVAL, "umts p-sch: frequency step %g Hz is outside 100 Hz .. 15 kHz",
                        p->freq_step_hz);
    if ((p->freq_max_hz - p->freq_min_hz) / p->freq_step_hz > 2000)
        return cs_error(CS_EINVAL, "umts p-sch: more than 2000 frequency points");
    if (!(p->max_drift_ppm >= 0.0 && p->max_drift_ppm <= 200.0))
        return cs_error(CS_EINVAL, "umts p-sch: max drift %g ppm is outside 0 .. 200", p->max_drift_ppm);
    if (p->segment_slots < 1 || p->segment_slots > 1500)
        return cs_error(CS_EINVAL, "umts p-sch: segment of %u slots is outside 1 .. 1500",
                        p->segment_slots);
    if (p->max_candidates < 1 || p->max_candidates > 256)
        return cs_error(CS_EINVAL, "umts p-sch: max candidates %u is outside 1 .. 256",
                        p->max_candidates);
    if (!(p->threshold_z >= 0.0 && p->threshold_z <= 1000.0))
        return cs_error(CS_EINVAL, "umts p-sch: threshold %g is outside 0 .. 1000", p->threshold_z);
    return CS_OK;
}

double cs_umts_psch_sync_freq(cs_umts_psch_sync s, int j)
{
    return s->p.freq_min_hz + s->p.freq_step_hz * j;
}

int cs_umts_psch_sync_num_freqs(cs_umts_psch_sync s) { return s->n_freqs; }

static void free_centre(psch_centre *c)
{
    free(c->xr);
    free(c->xi);
    free(c->ur);
    free(c->ui);
    free(c->rr);
    free(c->ri);
}

void cs_umts_psch_sync_destroy(cs_umts_psch_sync s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_centres; i++) free_centre(&s->centre[i]);
    free(s->seg_maps);
    free(s->gr);
    free(s->gi);
    free(s->snr_map);
    free(s->active);
    free(s->outside);
    free(s);
}

void cs_umts_psch_sync_reset(cs_umts_psch_sync s)
{
    for (size_t i = 0; i < s->n_centres; i++) {
        psch_centre *c = &s->centre[i];
        c->x_have = c->u_have = 0;
        memset(c->rr, 0, (s->direct ? 1 : PSCH_LAGS) * PSCH_L * sizeof *c->rr);
        if (c->ri) memset(c->ri, 0, PSCH_LAGS * PSCH_L * sizeof *c->ri);
    }
    s->t_in = s->t_acc = s->seg_start = 0;
    s->n_segments = 0;
    memset(s->seg_maps, 0, (size_t)s->n_freqs * PSCH_L * sizeof *s->seg_maps);
    s->finished = 0;
    s->n_cand = 0;
    s->slots = 0.0;
    s->drift_ppm = 0.0;
    s->windowed = 0;
    s->use_outside = 0;
}

int cs_umts_psch_sync_create(const cs_umts_psch_params *p, cs_umts_psch_sync *out)
{
    *out = NULL;
    int rc = check_params(p);
    if (rc != CS_OK) return rc;
    cs_umts_psch_sync s = calloc(1, sizeof *s);
    if (!s) return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    s->p = *p;
    s->k = umts_kernels_get();
    s->n_freqs = (int)floor((p->freq_max_hz - p->freq_min_hz) / p->freq_step_hz + 1e-9) + 1;
    s->drift_mode = p->max_drift_ppm > 0.0;
    s->direct = s->n_freqs == 1;
    s->seg_len = s->drift_mode ? (uint64_t)p->segment_slots * PSCH_L : UINT64_MAX;
    /* Centres every 50 kHz, each serving the grid points nearest to it. */
    double span = p->freq_max_hz - p->freq_min_hz;
    size_t nc = (size_t)ceil(span / CENTRE_SPACING_HZ - 1e-9);
    if (nc < 1) nc = 1;
    if (nc > PSCH_MAX_CENTRES) nc = PSCH_MAX_CENTRES;
    s->n_centres = nc;
    double width = span / (double)nc;
    int ok = 1;
    for (size_t i = 0; i < nc && ok; i++) {
        psch_centre *c = &s->centre[i];
        double lo = p->freq_min_hz + width * (double)i, hi = lo + width;
        c->freq_hz = nc == 1 ? 0.5 * (p->freq_min_hz + p->freq_max_hz) : 0.5 * (lo + hi);
        /* a search centred near 0 Hz needs no derotation (the inner code hardly minds);
         * at one frequency only the outer code would have to turn, by 0.06 dB at 1 kHz */
        if (nc == 1 && fabs(c->freq_hz) < (s->n_freqs == 1 ? DIRECT_NEAR_HZ : 0.5 * CENTRE_SPACING_HZ))
            c->freq_hz = 0.0;
        c->first_freq = -1;
        for (int j = 0; j < s->n_freqs; j++) {
            double f = cs_umts_psch_sync_freq(s, j);
            int mine = (f >= lo - 1e-6 || i == 0) && (f < hi - 1e-6 || i == nc - 1);
            if (mine) {
                if (c->first_freq < 0) c->first_freq = j;
                c->n_freqs = j - c->first_freq + 1;
            }
        }
        /* 64-byte alignment: the kernels' loads then never straddle cache lines */
        c->xr = umts_alloc_floats(PSCH_INNER_SPAN + PSCH_PIECE);
        c->xi = umts_alloc_floats(PSCH_INNER_SPAN + PSCH_PIECE);
        c->ur = umts_alloc_floats(PSCH_U_CAP);
        c->ui = umts_alloc_floats(PSCH_U_CAP);
        /* direct: the folded energy only (in rr); else the lag products */
        c->rr = umts_alloc_floats(s->direct ? PSCH_L : PSCH_LAGS * PSCH_L);
        c->ri = s->direct ? NULL : umts_alloc_floats(PSCH_LAGS * PSCH_L);
        ok = c->xr && c->xi && c->ur && c->ui && c->rr && (c->ri || s->direct);
    }
    size_t maps = (s->drift_mode ? PSCH_MAX_SEGMENTS : 1) * (size_t)s->n_freqs * PSCH_L;
    s->seg_maps = calloc(maps, sizeof *s->seg_maps);
    s->snr_map = calloc((size_t)s->n_freqs * PSCH_L, sizeof *s->snr_map);
    if (!s->direct) {
        s->gr = malloc(PSCH_LAGS * PSCH_L * sizeof *s->gr);
        s->gi = malloc(PSCH_LAGS * PSCH_L * sizeof *s->gi);
    }
    if (!ok || !s->seg_maps || !s->snr_map || (!s->direct && (!s->gr || !s->gi))) {
        cs_umts_psch_sync_destroy(s);
        return cs_error(CS_ENOMEM, "umts p-sch: out of memory");
    }
    cs_umts_psch_sync_reset(s);
    *out = s;
    return CS_OK;
}

/* Turn the lag products of the segment just closed into energy maps. */
static void close_segment(cs_umts_psch_sync s)
{
    uint64_t positions = s->t_acc - s->seg_start;
    if (positions == 0) return;
    const size_t map_len = (size_t)s->n_freqs * PSCH_L;
    if (s->drift_mode && s->n_segments == PSCH_MAX_SEGMENTS) {
        /* Full: merge neighbours pairwise and double the segment length. */
        for (size_t i = 0; i < PSCH_MAX_SEGMENTS / 2; i++) {
            float *a = s->seg_maps + 2 * i * map_len, *b = a + map_len, *o = s->seg_maps + i * map_len;
            for (size_t m = 0; m < map_len; m++) o[m] = a[m] + b[m];
            double wa = s->seg_positions[2 * i], wb = s->seg_positions[2 * i + 1];
            s->seg_mid[i] = (wa * s->seg_mid[2 * i] + wb * s->seg_mid[2 * i + 1]) / (wa + wb);
            s->seg_positions[i] = wa + wb;
        }
        s->n_segments = PSCH_MAX_SEGMENTS / 2;
        s->seg_len *= 2;
        memset(s->seg_maps + s->n_segments * map_len, 0,
               (PSCH_MAX_SEGMENTS - s->n_segments) * map_len * sizeof(float));
    }
    float *maps = s->seg_maps + (s->drift_mode ? s->n_segments : 0) * map_len;
    for (size_t i = 0; i < s->n_centres; i++) {
        psch_centre *c = &s->centre[i];
        if (s->direct) { /* the folded energy itself, in rr */
            s->k->axpy(maps, c->rr, 1.0f, PSCH_L);
            memset(c->rr, 0, PSCH_L * sizeof(float));
            continue;
        }
        psch_energy_maps(s, c, maps);
        memset(c->rr, 0, PSCH_LAGS * PSCH_L * sizeof(float));
        memset(c->ri, 0, PSCH_LAGS * PSCH_L * sizeof(float));
    }
    if (s->drift_mode) {
        s->seg_mid[s->n_segments] = 0.5 * (double)(s->seg_start + s->t_acc);
        s->seg_positions[s->n_segments] = (double)positions;
        s->n_segments++;
    } else {
        s->seg_mid[0] = 0.5 * (double)s->t_acc;
        s->seg_positions[0] = (double)s->t_acc;
        s->n_segments = 1;
    }
    s->seg_start = s->t_acc;
}

/* Samples just written to a centre's SoA buffer (from x_have on): derotate them when the
 * centre is not at 0 Hz, then run the inner correlations. */
static void centre_input(cs_umts_psch_sync s, psch_centre *c, size_t m)
{
    float *xr = c->xr + c->x_have, *xi = c->xi + c->x_have;
    if (c->freq_hz != 0.0) {
        const double w = -2.0 * M_PI * c->freq_hz / UMTS_FS_HZ;
        const double ph = fmod(w * (double)s->t_in, 2.0 * M_PI);
        const float sr = (float)cos(w), si = (float)sin(w);
        float rr = 1.0f, ri = 0.0f;
        for (size_t i = 0; i < m; i++) {
            if ((i & 255) == 0) { /* exact phase every 256 samples */
                double a = ph + w * (double)i;
                rr = (float)cos(a);
                ri = (float)sin(a);
            }
            const float a = xr[i], b = xi[i];
            xr[i] = a * rr - b * ri;
            xi[i] = a * ri + b * rr;
            const float t = rr * sr - ri * si;
            ri = rr * si + ri * sr;
            rr = t;
        }
    }
    c->x_have += m;
    if (c->x_have > PSCH_INNER_SPAN) {
        size_t n_u = c->x_have - PSCH_INNER_SPAN;
        s->k->psc_inner(c->xr, c->xi, c->ur + c->u_have, c->ui + c->u_have, n_u);
        c->u_have += n_u;
        memmove(c->xr, c->xr + n_u, PSCH_INNER_SPAN * sizeof(float));
        memmove(c->xi, c->xi + n_u, PSCH_INNER_SPAN * sizeof(float));
        c->x_have = PSCH_INNER_SPAN;
    }
}

/* Fold n_slots slots from slot `first` of every centre's inner-output buffer into its lag
 * products (or, direct, its energy), positions [0, n_pos) only of the last one. */
static void fold_slots(cs_umts_psch_sync s, size_t first, size_t n_slots, size_t n_pos)
{
    for (size_t i = 0; i < s->n_centres; i++) {
        psch_centre *c = &s->centre[i];
        const float *ur = c->ur + first * PSCH_L, *ui = c->ui + first * PSCH_L;
        const float *lr = ur + (n_slots - 1) * PSCH_L, *li = ui + (n_slots - 1) * PSCH_L;
        if (s->direct) {
            if (n_slots > 1) s->k->outer_fold(ur, ui, PSCH_L, n_slots - 1, PSCH_L, PSCH_BLOCK_LAG, c->rr);
            s->k->outer_fold(lr, li, PSCH_L, 1, n_pos, PSCH_BLOCK_LAG, c->rr);
            continue;
        }
        if (n_slots > 1)
            s->k->lag_fold(ur, ui, PSCH_L, n_slots - 1, PSCH_L, PSCH_BLOCK_LAG, PSCH_LAGS, c->rr, c->ri, PSCH_L);
        s->k->lag_fold(lr, li, PSCH_L, 1, n_pos, PSCH_BLOCK_LAG, PSCH_LAGS, c->rr, c->ri, PSCH_L);
    }
}

/* Drop the first n inner outputs of every centre. */
static void consume(cs_umts_psch_sync s, size_t n)
{
    for (size_t i = 0; i < s->n_centres; i++) {
        psch_centre *c = &s->centre[i];
        memmove(c->ur, c->ur + n, (c->u_have - n) * sizeof(float));
        memmove(c->ui, c->ui + n, (c->u_have - n) * sizeof(float));
        c->u_have -= n;
    }
    s->t_acc += n;
}

/* Fold whole batches of slots whose look-ahead is in (the buffer starts on a slot
 * boundary); at_end also folds the partial rest. */
static void fold(cs_umts_psch_sync s, int at_end)
{
    for (;;) {
        const size_t have = s->centre[0].u_have;
        size_t batch = PSCH_BATCH_SLOTS;
        if (s->drift_mode) {
            uint64_t left = (s->seg_start + s->seg_len - s->t_acc) / PSCH_L;
            if (left < batch) batch = (size_t)left;
        }
        if (have >= batch * PSCH_L + PSCH_LAG_SPAN) {
            fold_slots(s, 0, batch, PSCH_L);
            consume(s, batch * PSCH_L);
        } else if (at_end && have > PSCH_LAG_SPAN) {
            size_t avail = have - PSCH_LAG_SPAN, full = avail / PSCH_L, rest = avail % PSCH_L;
            if (full) fold_slots(s, 0, full, PSCH_L);
            if (rest) fold_slots(s, full, 1, rest);
            consume(s, avail);
            return;
        } else {
            return;
        }
        if (s->drift_mode && s->t_acc == s->seg_start + s->seg_len) close_segment(s);
    }
}

int cs_umts_psch_sync_execute(cs_umts_psch_sync s, const cs_cf32 *x, size_t n)
{
    if (s->finished) return cs_error(CS_EINVAL, "umts p-sch: execute after finish (reset first)");
    if (n > 0 && !x) return cs_error(CS_EINVAL, "umts p-sch: no input");
    while (n > 0) {
        size_t m = n < PSCH_PIECE ? n : PSCH_PIECE;
        for (size_t i = 0; i < s->n_centres; i++) {
            psch_centre *c = &s->centre[i];
            float *xr = c->xr + c->x_have, *xi = c->xi + c->x_have;
            for (size_t j = 0; j < m; j++) {
                xr[j] = crealf(x[j]);
                xi[j] = cimagf(x[j]);
            }
            centre_input(s, c, m);
        }
        s->t_in += m;
        fold(s, 0);
        x += m;
        n -= m;
    }
    return CS_OK;
}

int umts_psch_sync_execute_poly(cs_umts_psch_sync s, const float *const poly[4], size_t n)
{
    if (s->finished) return cs_error(CS_EINVAL, "umts p-sch: execute after finish (reset first)");
    if (s->t_in & 1) return cs_error(CS_EINVAL, "umts p-sch: polyphase input after an odd sample count");
    n &= ~(size_t)1;
    size_t k = s->t_in / 2; /* pair index of the next sample */
    while (n > 0) {
        size_t m = n < PSCH_PIECE ? n : PSCH_PIECE;
        for (size_t i = 0; i < s->n_centres; i++) {
            psch_centre *c = &s->centre[i];
            float *restrict xr = c->xr + c->x_have, *restrict xi = c->xi + c->x_have;
            const float *restrict r0 = poly[0] + k, *restrict i0 = poly[1] + k;
            const float *restrict r1 = poly[2] + k, *restrict i1 = poly[3] + k;
            for (size_t j = 0; j < m / 2; j++) {
                xr[2 * j] = r0[j];
                xr[2 * j + 1] = r1[j];
                xi[2 * j] = i0[j];
                xi[2 * j + 1] = i1[j];
            }
            centre_input(s, c, m);
        }
        s->t_in += m;
        k += m / 2;
        fold(s, 0);
        n -= m;
    }
    return CS_OK;
}

int cs_umts_psch_sync_finish(cs_umts_psch_sync s)
{
    if (s->finished) return CS_OK;
    fold(s, 1);
    if (s->t_acc < 2 * PSCH_L)
        return cs_error(CS_ENOTFOUND, "umts p-sch: %.2f ms of signal is too short (2 slots needed)",
                        (double)s->t_in / UMTS_FS_HZ * 1e3);
    close_segment(s);
    s->finished = 1;
    psch_select_candidates(s);
    return CS_OK;
}

size_t cs_umts_psch_sync_num_candidates(cs_umts_psch_sync s) { return s->finished ? s->n_cand : 0; }

const cs_umts_psch_candidate *cs_umts_psch_sync_candidate(cs_umts_psch_sync s, size_t i)
{
    return (s->finished && i < s->n_cand) ? &s->cand[i] : NULL;
}

int cs_umts_psch_sync_map(cs_umts_psch_sync s, int j, float *out)
{
    if (!s->finished) return cs_error(CS_EINVAL, "umts p-sch: map before finish");
    if (j < 0 || j >= s->n_freqs) return cs_error(CS_EINVAL, "umts p-sch: no frequency point %d", j);
    memcpy(out, s->snr_map + (size_t)j * PSCH_L, PSCH_L * sizeof *out);
    return CS_OK;
}

double cs_umts_psch_sync_slots(cs_umts_psch_sync s) { return s->slots; }
double cs_umts_psch_sync_drift_ppm(cs_umts_psch_sync s) { return s->drift_ppm; }
