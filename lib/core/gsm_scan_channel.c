/* GSM scanner, one channel per block: FCCH detection, SCH scheduling and decoding from a
 * short ring buffer of the channel stream, burst activity. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "gsm_scan_dsp.h"
#include "gsm_scan_internal.h"

#define SYM (1.0 / CS_GSM_RS_HZ)
#define FRAME_S (SCAN_FRAME_SYMBOLS * SYM)
#define RING_S 0.008           /* channel stream kept for the SCH decoder */
#define SCH_SEARCH_S (10 * SYM) /* +- around the expected SCH start */
#define SCH_TRUSTED_SEARCH_S (4 * SYM) /* ... predicted from a trusted frame timing */
#define BEFORE_S (30 * SYM)    /* segment before expected - search (guard and filter) */
#define AFTER_S (190 * SYM)    /* segment after expected + search */
#define MAX_MISSES 10          /* predictions stop after this many failures in a row */
/* Trusted timing: after this many SCHs in a row that agree with the timing before them
 * (and no predicted SCH missed since), the FCCH detector is fed only around the FCCHs the
 * timing predicts and the SCH stream is computed only around the predicted SCHs (every
 * one is still decoded). Any miss or disagreement falls back to the full search. */
#define TIMED_AFTER_SCH 3
#define MULTIFRAME_S (51 * FRAME_S)
#define RECHECK_EVERY 4        /* one multiframe in this many: full FCCH search all the same */
#define FCCH_BURST_S (148 * SYM)
#define FCCH_MARGIN_S (10 * SYM) /* around a predicted FCCH burst */

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    size_t c = *cap ? 2 * *cap : 16;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int trusted(const scan_channel *c)
{
    return c->have_timing && c->sch_run >= TIMED_AFTER_SCH && c->misses == 0;
}

static void add_pending(scan_channel *c, double t, double offset_hz, int predicted)
{
    for (size_t i = 0; i < c->num_pending; i++)
        if (fabs(c->pending[i].t_expected_s - t) < 20 * SYM) return;
    for (size_t i = 0; i < c->num_sch; i++)
        if (fabs(c->sch_list[i].t_start_s - t) < 20 * SYM) return;
    /* ... and past the stored ones: SCHs are decoded near the present, the latest suffice */
    const unsigned recent = c->num_recent_sch < SCAN_RECENT_SCH ? c->num_recent_sch : SCAN_RECENT_SCH;
    for (unsigned i = 0; i < recent; i++)
        if (fabs(c->recent_sch_t[i] - t) < 20 * SYM) return;
    if (c->num_pending == SCAN_MAX_PENDING) return;
    scan_pending *p = &c->pending[c->num_pending++];
    p->t_expected_s = t;
    /* a timing trusted over several SCHs is good to a fraction of a symbol (a 20 ppm
     * sample clock moves it 0.3 symbols between SCHs) */
    p->search_s = predicted && trusted(c) ? SCH_TRUSTED_SEARCH_S : SCH_SEARCH_S;
    p->offset_hz = offset_hz;
    p->predicted = predicted;
}

/* FN of the frame k frames after ref_fn (k may be negative). */
static uint32_t fn_after(const scan_channel *c, int64_t k)
{
    int64_t fn = ((int64_t)c->ref_fn + k) % (int64_t)CS_GSM_HYPERFRAME;
    return (uint32_t)(fn < 0 ? fn + CS_GSM_HYPERFRAME : fn);
}

/* With trusted timing outside the re-check multiframes: 1 when an FCCH burst the timing
 * predicts (TS0 of FN mod 51 in {0, 10, 20, 30, 40}) overlaps [t0, t1] (s), else 0;
 * -1 when the timing is not to be used there (full search). */
static int fcch_predicted(const scan_channel *c, double t0, double t1)
{
    if (!trusted(c) || (uint64_t)floor(t0 / MULTIFRAME_S) % RECHECK_EVERY == 0) return -1;
    const int64_t k0 = (int64_t)ceil((t0 - FCCH_BURST_S - FCCH_MARGIN_S - c->ref_t) / FRAME_S);
    const int64_t k1 = (int64_t)floor((t1 + FCCH_MARGIN_S - c->ref_t) / FRAME_S);
    for (int64_t k = k0; k <= k1; k++) {
        const uint32_t m = fn_after(c, k) % 51;
        if (m % 10 == 0 && m != 50) return 1;
    }
    return 0;
}

/* Next SCH after time `after` from the frame timing (TS0 of ref_fn at ref_t). */
static void predict_next(scan_channel *c, double after)
{
    if (!c->have_timing || c->misses >= MAX_MISSES) return;
    double k = ceil((after - c->ref_t) / FRAME_S);
    if (k < 1) k = 1;
    for (int i = 0; i < 60; i++, k++) {
        const uint32_t fn = fn_after(c, (int64_t)k);
        if (fn % 51 % 10 == 1) { /* FN mod 51 in {1, 11, 21, 31, 41} */
            add_pending(c, c->ref_t + k * FRAME_S, c->offset_est_hz, 1);
            return;
        }
    }
}

/* An FCCH found while taking block `block` opens the channel's SCH stream from the next. */
static void record_fcch(cs_gsm_scanner s, scan_channel *c, const cs_gsm_fcch_detection *d,
                        uint64_t block)
{
    scan_fcch f;
    f.t_start_s = d->t_start_s;
    f.offset_hz = d->offset_hz - c->tone_residual_hz; /* the stream sits residual low */
    f.sigma_hz = d->offset_sigma_hz;
    f.snr_db = d->snr_db;
    f.power = d->power;
    f.statistic = d->statistic;
    f.valid = 0;
    if (!c->stream.active && c->num_fcch >= s->max_events) cs_gsm_scan_stream_start(c);
    if (c->stream.active) {
        cs_gsm_scan_stream_fcch(c, &f);
    } else {
        if (grow((void **)&c->fcch_list, &c->cap_fcch, c->num_fcch, sizeof *c->fcch_list) != 0)
            return;
        c->fcch_list[c->num_fcch++] = f;
    }
    /* running offset for the SCH demodulator: inverse-variance mean */
    const double w = 1.0 / (d->offset_sigma_hz * d->offset_sigma_hz + 1.0);
    c->offset_w += w;
    c->offset_est_hz += w * (f.offset_hz - c->offset_est_hz) / c->offset_w;
    if (c->out_chan >= 0 && !cs_gsm_channelizer_enabled(s->chz, c->out_chan))
        cs_gsm_channelizer_enable_from(s->chz, c->out_chan, 1, block + 1);
    /* with trusted timing the predicted SCHs are already pending (and the SCH stream is
     * computed only around them) */
    if (!trusted(c)) add_pending(c, d->t_start_s + FRAME_S, c->offset_est_hz, 0);
}

static void decode_pending(cs_gsm_scanner s, scan_channel *c, int at_end)
{
    const double t0 = (double)c->ring_first / c->chan_rate;
    const double t1 = (double)(c->ring_first + c->ring_len) / c->chan_rate;
    size_t i = 0;
    while (i < c->num_pending) {
        scan_pending p = c->pending[i];
        const double need0 = p.t_expected_s - p.search_s - BEFORE_S;
        const double need1 = p.t_expected_s + p.search_s + AFTER_S;
        if (need1 > t1 && !at_end) {
            i++;
            continue;
        }
        c->pending[i] = c->pending[--c->num_pending];
        if (need0 < t0 || !c->ring_len) { /* its start is gone: cannot decode */
            if (p.predicted) predict_next(c, p.t_expected_s + FRAME_S); /* keep the chain */
            continue;
        }
        cs_gsm_sch_sync_result r;
        c->sch_attempts++;
        if (cs_gsm_sch_sync_execute(s->sch, c->ring, c->ring_len, p.t_expected_s - t0, p.search_s,
                                    p.offset_hz + c->chan_residual_hz, &r) != CS_OK)
            continue;
        if (!r.sch.valid) {
            if (p.predicted) {
                c->misses++;
                c->sch_run = 0;
                predict_next(c, p.t_expected_s + FRAME_S);
            }
            continue;
        }
        scan_sch h;
        h.t_start_s = r.t_start_s + t0;
        h.fn = r.sch.fn;
        h.ncc = r.sch.ncc;
        h.bcc = r.sch.bcc;
        h.snr_db = r.snr_db;
        h.quality = r.sch.viterbi.correlation;
        h.consistent = 0;
        if (!c->stream.active && c->num_sch >= s->max_events) cs_gsm_scan_stream_start(c);
        if (c->stream.active) {
            cs_gsm_scan_stream_sch(c, &h);
        } else {
            if (grow((void **)&c->sch_list, &c->cap_sch, c->num_sch, sizeof *c->sch_list) != 0)
                continue;
            c->sch_list[c->num_sch++] = h;
        }
        c->recent_sch_t[c->num_recent_sch++ % SCAN_RECENT_SCH] = h.t_start_s;
        int agrees = 0;
        if (c->have_timing) {
            const double k = round((h.t_start_s - c->ref_t) / FRAME_S);
            agrees = h.ncc == c->ref_ncc && h.bcc == c->ref_bcc &&
                     h.fn == fn_after(c, (int64_t)k) &&
                     fabs(h.t_start_s - c->ref_t - k * FRAME_S) < 3 * SYM;
        }
        c->sch_run = agrees ? c->sch_run + 1 : 1;
        c->ref_ncc = h.ncc;
        c->ref_bcc = h.bcc;
        c->have_timing = 1;
        c->misses = 0;
        c->ref_fn = r.sch.fn;
        c->ref_t = h.t_start_s;
        predict_next(c, h.t_start_s + FRAME_S);
    }
}

static int append_ring(scan_channel *c, const cs_cf32 *x, size_t n, uint64_t first)
{
    if (c->ring_len && first != c->ring_first + c->ring_len) c->ring_len = 0; /* a gap */
    if (!c->ring_len) c->ring_first = first;
    const size_t keep = (size_t)(RING_S * c->chan_rate);
    /* trim to `keep` only once four times that has piled up: one move per many blocks */
    if (c->ring_len + n > 4 * keep && c->ring_len) {
        size_t drop = c->ring_len + n - keep;
        if (drop > c->ring_len) drop = c->ring_len;
        memmove(c->ring, c->ring + drop, (c->ring_len - drop) * sizeof *c->ring);
        c->ring_len -= drop;
        c->ring_first += drop;
    }
    if (c->ring_len + n > c->ring_cap) {
        size_t cap = c->ring_len + n + 4 * keep;
        cs_cf32 *r = realloc(c->ring, cap * sizeof *r);
        if (!r) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
        c->ring = r;
        c->ring_cap = cap;
    }
    memcpy(c->ring + c->ring_len, x, n * sizeof *x);
    c->ring_len += n;
    return CS_OK;
}

/* Feed the FCCH detector tone-stream blocks [from, to] (from >= c->tone_next). */
static int feed_tone(cs_gsm_scanner s, scan_channel *c, uint64_t from, uint64_t to, uint64_t block)
{
    for (uint64_t b = from; b <= to; b++) {
        size_t n;
        uint64_t first;
        const cs_cf32 *x = cs_gsm_channelizer_output_at(s->chz, c->out_tone, b, &n, &first);
        if (b > c->tone_next) {
            /* a gap: the detector finishes what it has and continues here */
            int rc = cs_gsm_fcch_detector_restart_at(c->fcch, first);
            if (rc != CS_OK) return rc;
        }
        int rc = cs_gsm_fcch_detector_execute(c->fcch, x, n);
        if (rc != CS_OK) return rc;
        c->tone_next = b + 1;
    }
    cs_gsm_fcch_detection d;
    while (cs_gsm_fcch_detector_pop(c->fcch, &d)) record_fcch(s, c, &d, block);
    return CS_OK;
}

/* The pre-detector looks at block `block`; the full detector examines the windows around
 * the blocks it flags (this block with the previous one: the span of both, in tone-stream
 * samples). Gated, the tone stream itself is computed only from tone_pre blocks before a
 * flagged block to tone_post blocks after it. */
static int tone_block(cs_gsm_scanner s, scan_channel *c, uint64_t block)
{
    int64_t start;
    const cs_cf32 *spec = cs_gsm_channelizer_spectrum_at(s->chz, block, &start);
    int flagged = 0;
    if (spec) {
        /* trusted timing says where the FCCHs are; elsewhere the pre-detector looks (and
         * keeps its level, the detector's background, current everywhere) */
        const double t0 = (double)start / s->rate;
        const int predicted = fcch_predicted(c, t0, t0 + cs_gsm_channelizer_fft_size(s->chz) / s->rate);
        flagged = cs_gsm_fcch_gate_block(&c->gate, spec,
                                         block ? cs_gsm_channelizer_spectrum_at(s->chz, block - 1, NULL) : NULL,
                                         predicted < 0);
        if (c->gate.level_changed)
            cs_gsm_fcch_detector_set_background(c->fcch, c->gate.bg, c->gate.nb, c->gate.first_hz,
                                                c->gate.bin_hz);
        if (predicted >= 0) flagged = predicted;
    }
    if (flagged) {
        const int64_t d = cs_gsm_channelizer_decimation(s->chz, c->out_tone);
        const int64_t lo = start - (int64_t)cs_gsm_channelizer_hop(s->chz);
        const int64_t hi = start + (int64_t)cs_gsm_channelizer_fft_size(s->chz);
        cs_gsm_fcch_detector_open(c->fcch, (lo >= 0 ? lo : lo - d + 1) / d, (hi + d - 1) / d);
    }
    if (!c->tone_gated) return feed_tone(s, c, block, block, block);
    if (flagged) {
        if (block + s->tone_post > c->tone_until) c->tone_until = block + s->tone_post;
        /* reach back to tone_pre blocks before, as far as the spectra are still held */
        const uint64_t held = cs_gsm_channelizer_blocks(s->chz);
        const uint64_t depth = cs_gsm_channelizer_depth(s->chz);
        uint64_t from = block > s->tone_pre ? block - s->tone_pre : 0;
        if (held > depth && from < held - depth) from = held - depth;
        if (from < c->tone_next) from = c->tone_next;
        return feed_tone(s, c, from, block, block);
    }
    if (block <= c->tone_until) return feed_tone(s, c, block, block, block);
    return CS_OK;
}

/* With trusted timing every pending SCH is a predicted one, known a multiframe ahead: the
 * SCH stream is computed only for blocks within a block of a pending segment. */
static int sch_stream_needed(cs_gsm_scanner s, scan_channel *c, uint64_t block)
{
    if (!trusted(c) || !c->num_pending) return 1;
    int64_t start;
    if (!cs_gsm_channelizer_spectrum_at(s->chz, block, &start)) return 1;
    const double nfft_s = cs_gsm_channelizer_fft_size(s->chz) / s->rate;
    const double t0 = (double)start / s->rate - nfft_s, t1 = t0 + 3 * nfft_s;
    for (size_t i = 0; i < c->num_pending; i++) {
        const scan_pending *p = &c->pending[i];
        if (p->t_expected_s + p->search_s + AFTER_S >= t0 &&
            p->t_expected_s - p->search_s - BEFORE_S <= t1)
            return 1;
    }
    return 0;
}

int cs_gsm_scan_channel_block(cs_gsm_scanner s, scan_channel *c, uint64_t block)
{
    size_t n;
    uint64_t first;
    const cs_cf32 *x;
    int rc = cs_gsm_scan_activity_block(s, c, block);
    if (rc != CS_OK) return rc;
    if (c->out_tone >= 0) {
        rc = tone_block(s, c, block);
        if (rc != CS_OK) return rc;
    }
    if (c->out_chan >= 0 && cs_gsm_channelizer_enabled(s->chz, c->out_chan) &&
        sch_stream_needed(s, c, block)) {
        x = cs_gsm_channelizer_output_at(s->chz, c->out_chan, block, &n, &first);
        if (n) {
            rc = append_ring(c, x, n, first);
            if (rc != CS_OK) return rc;
            decode_pending(s, c, 0);
        }
    }
    return CS_OK;
}

void cs_gsm_scan_channel_flush(cs_gsm_scanner s, scan_channel *c)
{
    if (c->fcch) {
        cs_gsm_fcch_detector_flush(c->fcch);
        cs_gsm_fcch_detection d;
        while (cs_gsm_fcch_detector_pop(c->fcch, &d))
            record_fcch(s, c, &d, cs_gsm_channelizer_blocks(s->chz) - 1);
    }
    /* SCHs whose segment runs past the end: decode with what there is */
    const double end = (double)(c->ring_first + c->ring_len) / (c->chan_rate > 0 ? c->chan_rate : 1);
    size_t i = 0;
    while (i < c->num_pending) {
        if (c->pending[i].t_expected_s + 160 * SYM > end) /* burst not complete: drop */
            c->pending[i] = c->pending[--c->num_pending];
        else
            i++;
    }
    if (c->ring_len) decode_pending(s, c, 1);
    c->num_pending = 0;
}

void cs_gsm_scan_channel_free(scan_channel *c)
{
    cs_gsm_fcch_detector_destroy(c->fcch);
    cs_gsm_fcch_gate_free(&c->gate);
    cs_gsm_activity_destroy(c->act);
    free(c->ring);
    free(c->fcch_list);
    free(c->sch_list);
    memset(c, 0, sizeof *c);
}
