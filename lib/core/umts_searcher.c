/* UMTS cell searcher: passes, the front end, the cache and the block feeding (see
 * umts_searcher.h). The stage logic is in umts_searcher_stages.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_kernels.h"
#include "umts_searcher_internal.h"

#define CACHE_PIECE 65536 /* samples per block when the cache serves stages 2-4 (even) */

void cs_umts_searcher_params_init(cs_umts_searcher_params *p)
{
    memset(p, 0, sizeof *p);
    p->input_rate_hz = 0.0;
    p->carrier_offset_hz = 0.0;
    p->freq_range_hz = 25e3;
    p->freq_step_hz = 5e3;
    p->max_drift_ppm = 0.0;
    p->max_cells = 32;
    p->max_candidates = 16;
    p->psch_threshold_z = 4.5;
    p->p_false = 1e-6;
    p->path_threshold_db = 15.0;
    p->cache_samples = (size_t)1 << 23;
    p->cancellation = 1;
}

static int check_params(const cs_umts_searcher_params *p)
{
    if (!(p->freq_range_hz >= 0 && p->freq_range_hz <= 500e3))
        return cs_error(CS_EINVAL, "umts search: frequency range +-%g Hz is outside 0 .. 500 kHz",
                        p->freq_range_hz);
    if (p->max_cells < 1 || p->max_cells > SEARCH_MAX_CELLS)
        return cs_error(CS_EINVAL, "umts search: max cells %u is outside 1 .. %d", p->max_cells,
                        SEARCH_MAX_CELLS);
    if (p->max_candidates < 1 || p->max_candidates > SEARCH_MAX_CAND)
        return cs_error(CS_EINVAL, "umts search: max candidates %u is outside 1 .. %d",
                        p->max_candidates, SEARCH_MAX_CAND);
    if (!(p->p_false > 0 && p->p_false < 0.5))
        return cs_error(CS_EINVAL, "umts search: false-alarm probability %g is outside (0, 0.5)",
                        p->p_false);
    if (!(p->path_threshold_db >= 0 && p->path_threshold_db <= 40))
        return cs_error(CS_EINVAL, "umts search: path threshold %g dB is outside 0 .. 40",
                        p->path_threshold_db);
    if (p->cache_samples > ((size_t)1 << 30))
        return cs_error(CS_EINVAL, "umts search: cache of %zu samples is too large", p->cache_samples);
    return CS_OK;
}

static void drop_cache(cs_umts_searcher s);

/* Round 1 searches the whole frequency range; round 2 knows the carrier's frequency from
 * the CPICH of the strongest cell (every cell of a carrier shares it within a few hundred
 * Hz), so it searches that one frequency: no off-frequency responses, no grid loss, and
 * the P-SCH folds directly instead of through lag products. */
int search_new_psch(cs_umts_searcher s)
{
    cs_umts_psch_params pp;
    cs_umts_psch_params_init(&pp);
    if (s->round <= 1) {
        pp.freq_min_hz = -s->p.freq_range_hz;
        pp.freq_max_hz = s->p.freq_range_hz;
    } else {
        const double carrier = s->n_out > 0 ? s->out[0].freq_error_hz : s->carrier_hz;
        pp.freq_min_hz = pp.freq_max_hz = carrier - s->derotated_hz;
    }
    pp.freq_step_hz = s->p.freq_step_hz;
    pp.max_drift_ppm = s->p.max_drift_ppm;
    pp.max_candidates = s->p.max_candidates;
    pp.threshold_z = s->p.psch_threshold_z;
    cs_umts_psch_sync_destroy(s->psch);
    s->psch = NULL;
    s->psch_round = s->round;
    return cs_umts_psch_sync_create(&pp, &s->psch);
}

void cs_umts_searcher_destroy(cs_umts_searcher s)
{
    if (!s) return;
    search_first_drop(s);
    search_free_round(s);
    for (size_t i = 0; i < s->n_cells; i++) cs_umts_cpich_meas_destroy(s->cell[i].meas);
    cs_umts_frontend_destroy(s->fe);
    cs_umts_psch_sync_destroy(s->psch);
    free(s->fe_out);
    free(s->slot_energy);
    drop_cache(s);
    for (int i = 0; i < 4; i++) free(s->blk_poly[i]);
    free(s->blk);
    free(s);
}

/* Everything of a reset but the P-SCH search (create has just built a fresh one: zeroing
 * its accumulators again would cost a megabyte of stores per searcher). */
static void reset_state(cs_umts_searcher s)
{
    search_first_drop(s);
    search_free_round(s);
    for (size_t i = 0; i < s->n_cells; i++) cs_umts_cpich_meas_destroy(s->cell[i].meas);
    s->n_cells = 0;
    s->n_out = 0;
    s->stage = STAGE_PSCH;
    s->round = 1;
    s->passes = 0;
    s->streaming = s->p.cache_samples == 0;
    s->produced = 0;
    s->power_n = 0;
    s->slot_acc = 0.0;
    s->slot_fill = 0;
    s->n_slot_energy = 0;
    s->rssi = 0.0;
    s->rssi_slots_rejected = 0;
    drop_cache(s);
    s->blk_n = 0;
    s->blk_first = 0;
    s->carrier_hz = s->derotated_hz = 0.0;
    s->first_look = search_first_eligible(s) ? 0 : -1;
    s->first_freq_hz = s->psch1_offset_hz = 0.0;
    s->freq_error_hz = s->drift_ppm = s->drift_sigma_ppm = NAN;
    cs_umts_frontend_set_offset(s->fe, s->p.carrier_offset_hz);
}

void cs_umts_searcher_reset(cs_umts_searcher s)
{
    reset_state(s);
    /* back to the round-1 frequency grid (a failure leaves psch NULL: execute reports it) */
    if (s->psch_round != 1) search_new_psch(s);
    else cs_umts_psch_sync_reset(s->psch);
}

int cs_umts_searcher_create(const cs_umts_searcher_params *p, cs_umts_searcher *out)
{
    *out = NULL;
    int rc = check_params(p);
    if (rc != CS_OK) return rc;
    cs_umts_searcher s = calloc(1, sizeof *s);
    if (!s) return cs_error(CS_ENOMEM, "umts search: out of memory");
    s->p = *p;
    s->round = 1;
    if ((rc = cs_umts_frontend_create(p->input_rate_hz, p->carrier_offset_hz, &s->fe)) != CS_OK ||
        (rc = search_new_psch(s)) != CS_OK) {
        cs_umts_searcher_destroy(s);
        return rc;
    }
    reset_state(s);
    *out = s;
    return CS_OK;
}

static void drop_cache(cs_umts_searcher s)
{
    free(s->poly_block);
    s->poly_block = NULL;
    for (int i = 0; i < 4; i++) s->poly[i] = NULL;
    s->poly_n = s->poly_cap = 0;
    s->have_pending = 0;
}

/* Room for n more samples in the polyphase cache; 0 when it would pass the limit or
 * memory runs out (the searcher then streams its passes instead). */
static int cache_room(cs_umts_searcher s, size_t n)
{
    size_t need = s->poly_n + n + 2;
    if (need > s->p.cache_samples) return 0;
    if (need <= s->poly_cap) return 1;
    size_t cap = s->poly_cap ? s->poly_cap : (size_t)1 << 18;
    if (!s->poly_cap && s->p.expected_input_samples) /* the whole input at the working rate */
        cap = (size_t)((double)s->p.expected_input_samples * UMTS_FS_HZ / s->p.input_rate_hz) + 4096;
    while (cap < need) cap *= 2;
    if (cap > s->p.cache_samples) cap = s->p.cache_samples;
    /* the four arrays in one block: large enough for huge pages, a few page faults
     * instead of one per 4 KiB */
    const size_t stride = (cap / 2 + 16) & ~(size_t)15;
    float *block = umts_alloc_floats(4 * stride);
    if (!block) return 0;
    for (int i = 0; i < 4; i++) {
        if (s->poly[i]) memcpy(block + (size_t)i * stride, s->poly[i], s->poly_n / 2 * sizeof(float));
        s->poly[i] = block + (size_t)i * stride;
    }
    free(s->poly_block);
    s->poly_block = block;
    s->poly_cap = cap;
    return 1;
}

static void deinterleave_to(float *const poly[4], size_t at, const cs_cf32 *x, size_t n);

static void cache_append(cs_umts_searcher s, const cs_cf32 *y, size_t n)
{
    if (s->streaming || n == 0) return;
    if (!cache_room(s, n)) {
        s->streaming = 1;
        drop_cache(s);
        return;
    }
    if (s->have_pending) {
        cs_cf32 two[2] = { s->pending, y[0] };
        deinterleave_to(s->poly, s->poly_n, two, 2);
        s->poly_n += 2;
        y++;
        n--;
        s->have_pending = 0;
    }
    size_t even = n & ~(size_t)1;
    deinterleave_to(s->poly, s->poly_n, y, even);
    s->poly_n += even;
    if (n & 1) {
        s->pending = y[n - 1];
        s->have_pending = 1;
    }
}

/* Energy per slot of pass 1, for the carrier RSSI. */
static void slot_power(cs_umts_searcher s, const cs_cf32 *y, size_t n, const umts_kernels *k)
{
    while (n > 0) {
        size_t m = UMTS_SLOT_SAMPLES - s->slot_fill < n ? UMTS_SLOT_SAMPLES - s->slot_fill : n;
        s->slot_acc += k->energy((const float *)y, 2 * m);
        s->slot_fill += m;
        s->power_n += m;
        y += m;
        n -= m;
        if (s->slot_fill == UMTS_SLOT_SAMPLES) {
            if (s->n_slot_energy == s->slot_energy_cap) {
                size_t cap = s->slot_energy_cap ? 2 * s->slot_energy_cap : 1024;
                float *e = cap <= ((size_t)1 << 24) ? realloc(s->slot_energy, cap * sizeof *e) : NULL;
                if (e) {
                    s->slot_energy = e;
                    s->slot_energy_cap = cap;
                }
            }
            if (s->n_slot_energy < s->slot_energy_cap)
                s->slot_energy[s->n_slot_energy++] = (float)(s->slot_acc / UMTS_SLOT_SAMPLES);
            s->slot_acc = 0.0;
            s->slot_fill = 0;
        }
    }
}

static void deinterleave_to(float *const poly[4], size_t at, const cs_cf32 *x, size_t n)
{
    cs_umts_deinterleave(x, n, poly[0] + at / 2, poly[1] + at / 2, poly[2] + at / 2, poly[3] + at / 2);
}

/* Streaming stages: collect samples into blocks with look-ahead. */
static void block_emit(cs_umts_searcher s, size_t n, size_t avail)
{
    deinterleave_to(s->blk_poly, 0, s->blk, avail);
    cs_umts_block b = { { s->blk_poly[0], s->blk_poly[2] }, { s->blk_poly[1], s->blk_poly[3] },
                        s->blk_first, n, avail };
    search_block(s, &b);
}

static void block_append(cs_umts_searcher s, const cs_cf32 *y, size_t n)
{
    const size_t full = SEARCH_BLOCK + CS_UMTS_BLOCK_LOOKAHEAD;
    while (n > 0) {
        size_t m = full - s->blk_n < n ? full - s->blk_n : n;
        memcpy(s->blk + s->blk_n, y, m * sizeof *y);
        s->blk_n += m;
        y += m;
        n -= m;
        if (s->blk_n == full) {
            block_emit(s, SEARCH_BLOCK, full);
            memmove(s->blk, s->blk + SEARCH_BLOCK, CS_UMTS_BLOCK_LOOKAHEAD * sizeof *s->blk);
            s->blk_n = CS_UMTS_BLOCK_LOOKAHEAD;
            s->blk_first += SEARCH_BLOCK;
        }
    }
}

static void handle_output(cs_umts_searcher s, const cs_cf32 *y, size_t n)
{
    if (n == 0) return;
    s->produced += n;
    if (s->stage == STAGE_PSCH) {
        if (s->round == 1) {
            slot_power(s, y, n, umts_kernels_get());
            cache_append(s, y, n);
            search_first_feed(s, y, n);
        } else {
            cs_umts_psch_sync_execute(s->psch, y, n);
        }
    } else {
        block_append(s, y, n);
    }
}

int cs_umts_searcher_execute(cs_umts_searcher s, const cs_cf32 *x, size_t n)
{
    if (!s->psch) return cs_error(CS_ENOMEM, "umts search: out of memory");
    if (s->stage == STAGE_DONE) return cs_error(CS_EINVAL, "umts search: the search is finished");
    if (!s->streaming && s->stage != STAGE_PSCH)
        return cs_error(CS_EINVAL, "umts search: no input expected (the cache serves this pass)");
    while (n > 0) {
        size_t m = n < 8192 ? n : 8192;
        size_t need = cs_umts_frontend_max_output(s->fe, m);
        if (need > s->fe_cap) {
            cs_cf32 *b = realloc(s->fe_out, need * sizeof *b);
            if (!b) return cs_error(CS_ENOMEM, "umts search: out of memory");
            s->fe_out = b;
            s->fe_cap = need;
        }
        size_t ny = 0;
        int rc = cs_umts_frontend_execute(s->fe, x, m, s->fe_out, s->fe_cap, &ny);
        if (rc != CS_OK) return rc;
        handle_output(s, s->fe_out, ny);
        x += m;
        n -= m;
    }
    return CS_OK;
}

/* Remove carrier_hz (what is left of it) from the cached samples (sample n = 2k + phase),
 * in place. */
void search_derotate_cache(cs_umts_searcher s)
{
    enum { CH = 512 };
    float sr[CH], si[CH], step_r[CH], step_i[CH];
    const double w = -2.0 * M_PI * (s->carrier_hz - s->derotated_hz) / UMTS_FS_HZ;
    for (size_t j = 0; j < CH; j++) {
        step_r[j] = (float)cos(2.0 * w * (double)j);
        step_i[j] = (float)sin(2.0 * w * (double)j);
    }
    const size_t half = s->poly_n / 2;
    for (int ph = 0; ph < 2; ph++) {
        float *re = s->poly[2 * ph], *im = s->poly[2 * ph + 1];
        for (size_t k0 = 0; k0 < half; k0 += CH) {
            const size_t len = half - k0 < CH ? half - k0 : CH;
            /* exact phase at the chunk start, 2-sample steps within it */
            const double a0 = fmod(w * (double)(2 * k0 + (size_t)ph), 2.0 * M_PI);
            const float br = (float)cos(a0), bi = (float)sin(a0);
            for (size_t j = 0; j < len; j++) {
                sr[j] = br * step_r[j] - bi * step_i[j];
                si[j] = br * step_i[j] + bi * step_r[j];
            }
            float *r = re + k0, *i = im + k0;
            for (size_t j = 0; j < len; j++) {
                const float a = r[j], b = i[j];
                r[j] = a * sr[j] - b * si[j];
                i[j] = a * si[j] + b * sr[j];
            }
        }
    }
    s->derotated_hz = s->carrier_hz;
}

/* Carrier RSSI: mean power of the whole slots of pass 1, leaving out slots 10 dB above the
 * median (impulses such as corrupt samples at the start of a file); the partial slot at
 * the end counts when there is no whole one. */
static void carrier_rssi(cs_umts_searcher s)
{
    s->rssi_slots_rejected = 0;
    if (s->n_slot_energy == 0) {
        s->rssi = s->slot_fill ? s->slot_acc / (double)s->slot_fill : 0.0;
        return;
    }
    float *tmp = malloc(s->n_slot_energy * sizeof *tmp);
    double med = 0.0;
    if (tmp) {
        memcpy(tmp, s->slot_energy, s->n_slot_energy * sizeof *tmp);
        med = umts_select_kth(tmp, s->n_slot_energy, s->n_slot_energy / 2);
        free(tmp);
    }
    double sum = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < s->n_slot_energy; i++) {
        if (tmp && s->slot_energy[i] > 10.0 * med) {
            s->rssi_slots_rejected++;
            continue;
        }
        sum += s->slot_energy[i];
        used++;
    }
    s->rssi = used ? sum / (double)used : 0.0;
}

/* Run stages 2-4 over the cache until the search needs step 1 again or is done. */
int search_run_cached(cs_umts_searcher s)
{
    while (s->stage == STAGE_FRAME || s->stage == STAGE_ID || s->stage == STAGE_MEAS) {
        /* in L2-sized pieces: every candidate or cell works through one piece before the
         * next is read, instead of each streaming the whole cache from memory */
        for (size_t a = 0; a < s->poly_n; a += CACHE_PIECE) {
            const size_t n = s->poly_n - a < CACHE_PIECE ? s->poly_n - a : CACHE_PIECE;
            const size_t avail = s->poly_n - a < n + CS_UMTS_BLOCK_LOOKAHEAD ? s->poly_n - a
                                                                             : n + CS_UMTS_BLOCK_LOOKAHEAD;
            cs_umts_block b = { { s->poly[0] + a / 2, s->poly[2] + a / 2 },
                                { s->poly[1] + a / 2, s->poly[3] + a / 2 }, a, n, avail };
            search_block(s, &b);
        }
        int rc = s->stage == STAGE_FRAME ? search_stage_frame_done(s)
                 : s->stage == STAGE_ID  ? search_stage_id_done(s)
                                         : search_stage_meas_done(s);
        if (rc != CS_OK) return rc;
    }
    return CS_OK;
}

int cs_umts_searcher_end_pass(cs_umts_searcher s)
{
    if (s->stage == STAGE_DONE) return 0;
    if (!s->psch) return cs_error(CS_ENOMEM, "umts search: out of memory");
    size_t need = cs_umts_frontend_max_output(s->fe, 0);
    if (need > s->fe_cap) {
        cs_cf32 *b = realloc(s->fe_out, need * sizeof *b);
        if (!b) return cs_error(CS_ENOMEM, "umts search: out of memory");
        s->fe_out = b;
        s->fe_cap = need;
    }
    size_t ny = 0;
    int rc = cs_umts_frontend_flush(s->fe, s->fe_out, s->fe_cap, &ny);
    if (rc != CS_OK) return rc;
    handle_output(s, s->fe_out, ny);
    s->passes++;
    if (s->stage == STAGE_PSCH) {
        if (s->round == 1) carrier_rssi(s);
        if (s->round == 1 && s->first_look > 0) {
            if (s->streaming) { /* the input outgrew the cache after all: start again */
                cs_umts_searcher_reset(s);
                s->first_look = -1;
                return 1;
            }
            if ((rc = search_first_finish(s)) != CS_OK) return rc;
        }
        if ((rc = search_stage_psch_done(s)) != CS_OK) return rc;
        if (!s->streaming && s->stage != STAGE_DONE) {
            /* Frequency errors up to 1 kHz cost the CPICH stages < 0.07 dB, which they
             * correct; larger ones are shifted out of the cache first. */
            if (fabs(s->carrier_hz - s->derotated_hz) > UMTS_DEROTATE_MIN_HZ) search_derotate_cache(s);
            if ((rc = search_run_cached(s)) != CS_OK) return rc;
            if ((rc = search_round_two(s)) != CS_OK) return rc;
        }
    } else {
        if (s->blk_n > 0) block_emit(s, s->blk_n & ~(size_t)1, s->blk_n & ~(size_t)1);
        s->blk_n = 0;
        s->blk_first = 0;
        rc = s->stage == STAGE_FRAME ? search_stage_frame_done(s)
             : s->stage == STAGE_ID  ? search_stage_id_done(s)
                                     : search_stage_meas_done(s);
        if (rc != CS_OK) return rc;
    }
    if (s->stage == STAGE_DONE) return 0;
    /* Another pass over the input: shift the carrier's measured frequency error out. */
    s->produced = 0;
    s->derotated_hz = s->stage == STAGE_PSCH ? 0.0 : s->carrier_hz;
    double off = s->p.carrier_offset_hz + s->derotated_hz;
    if ((rc = cs_umts_frontend_set_offset(s->fe, off)) != CS_OK) return rc;
    if (!s->blk && s->stage != STAGE_PSCH) {
        const size_t full = SEARCH_BLOCK + CS_UMTS_BLOCK_LOOKAHEAD;
        s->blk = malloc(full * sizeof *s->blk);
        for (int i = 0; i < 4; i++) s->blk_poly[i] = umts_alloc_floats(full / 2 + 1);
        if (!s->blk || !s->blk_poly[0] || !s->blk_poly[1] || !s->blk_poly[2] || !s->blk_poly[3])
            return cs_error(CS_ENOMEM, "umts search: out of memory");
    }
    return 1;
}

size_t cs_umts_searcher_num_cells(cs_umts_searcher s) { return s->stage == STAGE_DONE ? s->n_out : 0; }

const cs_umts_cell *cs_umts_searcher_cell(cs_umts_searcher s, size_t i)
{
    return (s->stage == STAGE_DONE && i < s->n_out) ? &s->out[i] : NULL;
}

double cs_umts_searcher_rssi(cs_umts_searcher s) { return s->rssi; }

double cs_umts_searcher_freq_error_hz(cs_umts_searcher s) { return s->freq_error_hz; }

double cs_umts_searcher_drift_ppm(cs_umts_searcher s, double *sigma)
{
    if (sigma) *sigma = s->drift_sigma_ppm;
    return s->drift_ppm;
}

double cs_umts_searcher_duration_s(cs_umts_searcher s) { return (double)s->power_n / UMTS_FS_HZ; }

unsigned cs_umts_searcher_passes(cs_umts_searcher s) { return s->passes; }
