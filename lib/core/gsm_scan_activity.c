/* GSM scanner: feeding each channel's burst-activity detector, and only where the block
 * spectra show something. A channel whose in-band power stays at the noise, or at the
 * noise plus half of what its neighbours 200 kHz away leak into it (a C0 puts -25 dB of
 * its power into the next channel's activity band; a channel's own bursts weaker than
 * that leakage are not reported anyway, gsm_scan_bursts.c), costs its activity stream (an
 * inverse FFT per block) and its ticks for nothing. Such blocks are skipped as quiet
 * (their slots still count as examined), checked on the block spectrum alone (Parseval:
 * the band's weighted bin powers are what the stream's samples would average to). A loud
 * block wakes the channel up: the detector is fed from as many blocks before it as a
 * burst (546 us) spans (blocks are 214..428 us: 2 or 3), so every burst reaching into the
 * loud block is fed whole, and kept fed for a frame after the last loud block. */
#include <math.h>
#include <stdlib.h>

#include "cellscan/status.h"
#include "gsm_scan_internal.h"

#define BURST_S 546e-6   /* 148 bits */
#define HOLD_S 0.005      /* a frame (4.6 ms) and a margin */
#define AWAKE_CHECK 8     /* awake, every 8th block is checked (the hold is 4.9 times that) */
#define QUIET_SIGMAS 3.5  /* a block is quiet below the expected power plus this many
                             deviations of the band power of noise alone (loud on noise:
                             1 in 4000) */

void cs_gsm_scan_activity_init(cs_gsm_scanner s, scan_channel *c)
{
    /* the band power of noise is a weighted sum of the bins' exponential powers: its
     * relative deviation is sqrt(sum w^4) / sum w^2 */
    double w2[4096], f[4096];
    const unsigned k = cs_gsm_channelizer_response(s->chz, c->out_act, NULL, NULL);
    double s2 = 0.0, s4 = 0.0;
    if (k <= 4096) {
        cs_gsm_channelizer_response(s->chz, c->out_act, f, w2);
        for (unsigned i = 0; i < k; i++) {
            s2 += w2[i];
            s4 += w2[i] * w2[i];
        }
    }
    /* no gating without a usable deviation (then every block is fed) */
    c->act_quiet_ratio = s2 > 0.0 ? 1.0 + QUIET_SIGMAS * sqrt(s4) / s2 : 0.0;
    c->act_noise = 0.0;
    c->act_next = 0;
    c->act_awake_until = 0;
    const double hop_s = (double)cs_gsm_channelizer_hop(s->chz) / s->rate;
    c->act_hold_blocks = (uint64_t)ceil(HOLD_S / hop_s);
    c->act_back_blocks = (uint64_t)ceil(BURST_S / hop_s);
    c->act_decim = cs_gsm_channelizer_decimation(s->chz, c->out_act);
    c->act_block_samples = cs_gsm_channelizer_hop(s->chz) / c->act_decim;
    c->act_blocks = 0;
    c->act_nb[0] = c->act_nb[1] = -1;
    for (size_t j = 0; j < s->nch; j++) {
        const double d = s->ch[j].offset_hz - c->offset_hz;
        if (fabs(fabs(d) - 200e3) <= 1.0) c->act_nb[d > 0.0] = (int)j;
    }
}

int cs_gsm_scan_activity_alloc(cs_gsm_scanner s)
{
    const size_t n = (size_t)cs_gsm_channelizer_depth(s->chz) * (s->nch ? s->nch : 1);
    s->act_bp = malloc(n * sizeof *s->act_bp);
    s->act_bp_block = calloc(n, sizeof *s->act_bp_block);
    if (!s->act_bp || !s->act_bp_block) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    return CS_OK;
}

/* Band power of channel j's activity stream in block b (held), once per channel and block. */
static double band_power(cs_gsm_scanner s, size_t j, uint64_t b)
{
    const size_t i = (size_t)(b % cs_gsm_channelizer_depth(s->chz)) * s->nch + j;
    if (s->act_bp_block[i] != b + 1) {
        s->act_bp[i] = cs_gsm_channelizer_band_power(s->chz, s->ch[j].out_act, b);
        s->act_bp_block[i] = b + 1;
    }
    return s->act_bp[i];
}

/* Is block b quiet on channel c (index ci): under the noise plus the neighbours' leakage,
 * by the margin of noise's scatter? */
static int quiet_block(cs_gsm_scanner s, scan_channel *c, size_t ci, uint64_t b)
{
    const double p = band_power(s, ci, b);
    if (p < 0.0) return 0;
    if (p < c->act_noise * c->act_quiet_ratio) return 1; /* the neighbours need not be looked at */
    double leak = 0.0;
    for (int side = 0; side < 2; side++) {
        const int j = c->act_nb[side];
        if (j < 0) continue;
        const scan_channel *n = &s->ch[j];
        if (!(n->act_noise > 0.0 && n->act_gain > 0.0)) return 0;
        const double carrier = (band_power(s, (size_t)j, b) - n->act_noise) / n->act_gain;
        if (carrier > 0.0) leak += carrier * c->act_leak[side];
    }
    /* half the leakage: a channel's own bursts count from the leakage's power up
     * (gsm_scan_bursts.c), and a block's window (4/3 of a block) is filled by at least
     * 0.6 of a burst's power at worst alignment (0.79 at 20 MS/s): a block holding one is
     * over the threshold wherever the leakage matters (over 0.55 of the noise), with room
     * for the leakage's scatter from block to block */
    return p < (c->act_noise + 0.5 * leak) * c->act_quiet_ratio;
}

/* Blocks [act_next, to) were quiet: the detector skips them. */
static int skip_quiet(scan_channel *c, uint64_t to)
{
    if (to <= c->act_next) return CS_OK;
    int rc = cs_gsm_activity_skip_quiet(c->act, (to - c->act_next) * c->act_block_samples);
    c->act_next = to;
    return rc;
}

int cs_gsm_scan_activity_block(cs_gsm_scanner s, scan_channel *c, uint64_t block)
{
    const int awake = block <= c->act_awake_until;
    if (c->act_noise > 0.0 && c->act_quiet_ratio > 0.0 && (!awake || block % AWAKE_CHECK == 0)) {
        if (quiet_block(s, c, (size_t)(c - s->ch), block)) {
            if (!awake) return CS_OK; /* asleep: skipped when it wakes */
        } else {
            c->act_awake_until = block + c->act_hold_blocks;
        }
    }
    uint64_t from = c->act_next;
    if (block > from + c->act_back_blocks) {
        /* waking up: from act_back_blocks before, as far as the spectra are still held */
        from = block - c->act_back_blocks;
        const uint64_t held = cs_gsm_channelizer_blocks(s->chz);
        const uint64_t depth = cs_gsm_channelizer_depth(s->chz);
        if (held > depth && from < held - depth) from = held - depth;
        int rc = skip_quiet(c, from);
        if (rc != CS_OK) return rc;
    }
    /* samples standing for input past its end (the channelizer's zero padding) are not
     * fed: a slot of zeros would be the most distinct of all to the grid fit */
    const uint64_t decim = c->act_decim;
    const uint64_t end = (s->nin + decim - 1) / decim;
    for (uint64_t b = from; b <= block; b++) {
        size_t n;
        uint64_t first;
        const cs_cf32 *x = cs_gsm_channelizer_output_at(s->chz, c->out_act, b, &n, &first);
        if (first >= end) n = 0;
        else if (first + n > end) n = (size_t)(end - first);
        int rc = cs_gsm_activity_execute(c->act, x, n);
        if (rc != CS_OK) return rc;
        c->act_blocks++;
    }
    c->act_next = block + 1;
    return CS_OK;
}

int cs_gsm_scan_activity_flush(cs_gsm_scanner s, scan_channel *c)
{
    return skip_quiet(c, cs_gsm_channelizer_blocks(s->chz));
}
