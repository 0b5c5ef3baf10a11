/* GSM scanner: channel plan, channelizer outputs and the block loop (see gsm_scanner.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "gmsk_psd.h"
#include "gsm_scan_dsp.h"
#include "gsm_scan_internal.h"

#define RASTER_HZ 200e3
#define PSD_EVERY 4          /* after the first PSD_DENSE blocks, every 4th block's spectrum */
#define PSD_DENSE 256
#define NOISE_UPDATE_BLOCKS 256
/* activity stream: flat +-65 kHz, zero from +-78 kHz (64 bins at 20 MS/s): 84 % of a
 * carrier's power (undone from its spectrum) and -25 dB of a neighbour's, at half the
 * samples of a +-130 kHz stream */
#define ACT_PASS_HZ 65e3
#define ACT_STOP_HZ 78e3
#define GATE_CHANNEL_HZ 100e3 /* the FCCH pre-detector's channel band: +-100 kHz */
#define CHAN_EXTRA_HZ 140e3  /* SCH stream: +-(Rs/2 + margin) around the offset carrier */
#define BATCH_BYTES (512u * 1024u) /* spectra kept so each channel takes a few blocks in a row */
#define BATCH_MAX 16u

void cs_gsm_scanner_config_init(cs_gsm_scanner_config *c)
{
    memset(c, 0, sizeof *c);
    c->centre_hz = NAN;
    c->min_snr_db = NAN;
    c->uplink = -1;
}

static unsigned pow2_at_least(double x, unsigned lo, unsigned hi)
{
    unsigned k = lo;
    while (k < x && k < hi) k <<= 1;
    return k;
}

/* Is a channel at this offset measurable: inside the central 80% and clear of the outer
 * 5% (the receiver's anti-alias roll-off), like channel_power.h. */
static int usable(double fs, double off)
{
    return fabs(off) <= 0.4 * fs && fabs(off) + 100e3 <= 0.45 * fs;
}

static int add_channel(cs_gsm_scanner s, int arfcn, const cs_band *band, int uplink, double freq,
                       double off)
{
    if (s->nch % 64 == 0) {
        scan_channel *c = realloc(s->ch, (s->nch + 64) * sizeof *c);
        if (!c) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
        s->ch = c;
    }
    scan_channel *c = &s->ch[s->nch++];
    memset(c, 0, sizeof *c);
    c->arfcn = arfcn;
    c->band = band;
    c->uplink = uplink;
    c->freq_hz = freq;
    c->offset_hz = off;
    c->out_tone = c->out_act = c->out_chan = -1;
    return CS_OK;
}

/* Every GSM channel of the recording's usable band: on the 200 kHz raster, named by the
 * given band or by the first band (downlink first) that has the frequency. */
static int plan_channels(cs_gsm_scanner s)
{
    const double fs = s->rate, fc = s->cfg.centre_hz;
    const cs_band *only = NULL;
    if (s->cfg.band) {
        only = cs_band_find(s->cfg.band);
        if (!only || cs_band_standard(only) != CS_STANDARD_GSM)
            return cs_error(CS_EINVAL, "gsm scanner: unknown GSM band \"%s\"", s->cfg.band);
    }
    if (!isfinite(fc)) {
        const long m = (long)floor(0.4 * fs / RASTER_HZ);
        for (long k = -m; k <= m; k++) {
            const double off = k * RASTER_HZ;
            if (!usable(fs, off)) continue;
            int rc = add_channel(s, -1, NULL, 0, NAN, off);
            if (rc != CS_OK) return rc;
        }
        return CS_OK;
    }
    const long m0 = (long)ceil((fc - 0.45 * fs) / RASTER_HZ);
    const long m1 = (long)floor((fc + 0.45 * fs) / RASTER_HZ);
    for (long m = m0; m <= m1; m++) {
        const double f = m * RASTER_HZ, off = f - fc;
        if (!usable(fs, off)) continue;
        int number = -1, uplink = 0;
        const cs_band *b = NULL;
        if (only) {
            if (cs_band_channel_number(only, f, 0, 1e3, &number) == CS_OK) {
                b = only;
                uplink = 0;
            } else if (cs_band_channel_number(only, f, 1, 1e3, &number) == CS_OK) {
                b = only;
                uplink = 1;
            }
        } else {
            b = cs_band_lookup(CS_STANDARD_GSM, f, 1e3, &number, &uplink);
        }
        if (!b) continue;
        if (uplink && s->cfg.uplink == 0) continue;
        int rc = add_channel(s, number, b, uplink, f, off);
        if (rc != CS_OK) return rc;
    }
    if (s->nch == 0) {
        if (only)
            return cs_error(CS_EINVAL,
                            "gsm scanner: no %s channel within the recording's usable band "
                            "(%.3f MHz +- %.3f MHz)", cs_band_name(only), fc / 1e6, 0.4 * fs / 1e6);
        return cs_error(CS_EINVAL,
                        "gsm scanner: no GSM channel within the recording's usable band "
                        "(%.3f MHz +- %.3f MHz)", fc / 1e6, 0.4 * fs / 1e6);
    }
    return CS_OK;
}

/* What the activity stream passes of a GMSK carrier on the channel and of one on each
 * neighbour (from GMSK's spectrum and the stream's weights). */
static int activity_gains(cs_gsm_scanner s, scan_channel *c)
{
    /* the response depends only on the output's sub-bin residual, which repeats along the
     * 200 kHz raster (every 25 channels at 20 MS/s): an earlier channel's figures serve */
    const double residual = cs_gsm_channelizer_residual(s->chz, c->out_act);
    for (scan_channel *e = s->ch; e < c; e++)
        if (cs_gsm_channelizer_residual(s->chz, e->out_act) == residual) {
            c->act_gain = e->act_gain;
            c->act_leak[0] = e->act_leak[0];
            c->act_leak[1] = e->act_leak[1];
            c->act_envelope = e->act_envelope;
            return CS_OK;
        }
    const unsigned k = cs_gsm_channelizer_response(s->chz, c->out_act, NULL, NULL);
    double *f = malloc(2 * (size_t)k * sizeof *f);
    if (!f) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    double *w2 = f + k;
    cs_gsm_channelizer_response(s->chz, c->out_act, f, w2);
    const double bin = s->rate / s->nfft;
    c->act_gain = cs_gmsk_filter_share(f, w2, k, bin, 0.0);
    c->act_leak[0] = cs_gmsk_filter_share(f, w2, k, bin, -RASTER_HZ);
    c->act_leak[1] = cs_gmsk_filter_share(f, w2, k, bin, RASTER_HZ);
    /* the envelope hardly depends on the sub-bin residual: one simulation serves all */
    if (c != s->ch) c->act_envelope = s->ch[0].act_envelope;
    else c->act_envelope = cs_gmsk_filter_envelope(f, w2, k, bin);
    free(f);
    if (isnan(c->act_envelope) || isnan(c->act_gain) || isnan(c->act_leak[0]) || isnan(c->act_leak[1]))
        return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    return CS_OK;
}

static int open_outputs(cs_gsm_scanner s)
{
    const double fs = s->rate, bin = fs / s->nfft, r = s->max_offset_hz;
    const unsigned kt = pow2_at_least((2.0 * r + 24e3) / bin, 8, s->nfft);
    const unsigned ka = pow2_at_least(2.0 * ACT_STOP_HZ / bin, 8, s->nfft);
    const double chan_stop = CHAN_EXTRA_HZ + r + 50e3;
    const unsigned kc = pow2_at_least(2.0 * chan_stop / bin, 8, s->nfft);
    for (size_t i = 0; i < s->nch; i++) {
        scan_channel *c = &s->ch[i];
        int o = cs_gsm_channelizer_add(s->chz, c->offset_hz, ka, ACT_PASS_HZ, ACT_STOP_HZ, CHZ_POWER);
        if (o < 0) return o;
        c->out_act = o;
        cs_gsm_channelizer_enable(s->chz, o, 1);
        c->act_rate = cs_gsm_channelizer_rate(s->chz, o);
        int rc = activity_gains(s, c);
        if (rc != CS_OK) return rc;
        cs_gsm_activity_config ac;
        cs_gsm_activity_config_init(&ac);
        ac.sample_rate_hz = c->act_rate;
        ac.noise_bandwidth_hz = c->act_rate * cs_gsm_channelizer_noise_fraction(s->chz, o);
        rc = cs_gsm_activity_create(&ac, &c->act);
        if (rc != CS_OK) return rc;
        cs_gsm_scan_activity_init(s, c);
        if (c->uplink) continue;
        /* the tone band must not wrap around the input band */
        const double tone = c->offset_hz + CS_GSM_FCCH_TONE_HZ;
        if (fabs(tone) + 0.5 * kt * bin > 0.5 * fs) continue;
        o = cs_gsm_channelizer_add(s->chz, tone, kt, r + 3e3, 0.5 * kt * bin, CHZ_BLOCK);
        if (o < 0) return o;
        c->out_tone = o;
        c->tone_residual_hz = cs_gsm_channelizer_residual(s->chz, o);
        cs_gsm_channelizer_enable(s->chz, o, 1);
        cs_gsm_fcch_config fc;
        cs_gsm_fcch_config_init(&fc);
        fc.sample_rate_hz = cs_gsm_channelizer_rate(s->chz, o);
        fc.tone_hz = 0.0;
        fc.max_offset_hz = r;
        fc.false_alarms_per_hour = s->cfg.fcch_false_alarms_per_hour;
        fc.noise_fraction = cs_gsm_channelizer_noise_fraction(s->chz, o);
        rc = cs_gsm_fcch_detector_create(&fc, &c->fcch);
        if (rc != CS_OK) return rc;
        rc = cs_gsm_fcch_gate_init(&c->gate, s->nfft, cs_gsm_channelizer_centre_bin(s->chz, o), bin, r,
                                   cs_gsm_channelizer_centre_bin(s->chz, c->out_act), GATE_CHANNEL_HZ);
        if (rc != CS_OK) return rc;
        cs_gsm_fcch_detector_gate(c->fcch, 1);
        /* without decimation the detector can skip ahead: it is fed only around the
         * gate's blocks (the tone stream is not computed elsewhere) */
        c->tone_gated = cs_gsm_fcch_detector_factor(c->fcch) == 1;
        c->tone_until = 8;
        s->fcch_threshold = cs_gsm_fcch_detector_threshold(c->fcch);
        o = cs_gsm_channelizer_add(s->chz, c->offset_hz, kc, CHAN_EXTRA_HZ + r, chan_stop, CHZ_BLOCK);
        if (o < 0) return o;
        c->out_chan = o; /* enabled once an FCCH shows up */
        c->chan_rate = cs_gsm_channelizer_rate(s->chz, o);
        c->chan_residual_hz = cs_gsm_channelizer_residual(s->chz, o);
    }
    return CS_OK;
}

int cs_gsm_scanner_create(const cs_gsm_scanner_config *cfg, cs_gsm_scanner *out)
{
    if (!out) return cs_error(CS_EINVAL, "gsm scanner: NULL output");
    *out = NULL;
    if (!cfg) return cs_error(CS_EINVAL, "gsm scanner: no configuration");
    const double fs = cfg->sample_rate_hz;
    if (!(fs >= 400e3 && fs <= 1e9))
        return cs_error(CS_EINVAL, "gsm scanner: sample rate must be at least 400 kHz for GSM "
                                   "(got %g Hz)", fs);
    if (!isnan(cfg->centre_hz) && !(cfg->centre_hz > 0.0 && isfinite(cfg->centre_hz)))
        return cs_error(CS_EINVAL, "gsm scanner: centre frequency must be positive (got %g)",
                        cfg->centre_hz);
    if (!(cfg->max_offset_hz == 0.0 || (cfg->max_offset_hz >= 1e3 && cfg->max_offset_hz <= 90e3)))
        return cs_error(CS_EINVAL, "gsm scanner: max_offset_hz must be 1e3..90e3 (got %g)",
                        cfg->max_offset_hz);
    if (!(cfg->fcch_false_alarms_per_hour >= 0.0 && cfg->fcch_false_alarms_per_hour < 1e6))
        return cs_error(CS_EINVAL, "gsm scanner: fcch_false_alarms_per_hour must be >= 0");
    cs_gsm_scanner s = calloc(1, sizeof *s);
    if (!s) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    s->cfg = *cfg;
    if (s->cfg.fcch_false_alarms_per_hour == 0.0) s->cfg.fcch_false_alarms_per_hour = 6.0;
    if (isnan(s->cfg.min_snr_db)) s->cfg.min_snr_db = 6.0;
    s->rate = fs;
    s->max_events = CS_GSM_MAX_EVENTS;
    int rc = plan_channels(s);
    if (rc != CS_OK) goto fail;
    s->max_offset_hz = cfg->max_offset_hz;
    if (s->max_offset_hz == 0.0) {
        double fmax = 0.0;
        for (size_t i = 0; i < s->nch; i++)
            if (isfinite(s->ch[i].freq_hz) && s->ch[i].freq_hz > fmax) fmax = s->ch[i].freq_hz;
        s->max_offset_hz = fmax * 20e-6 > 25e3 ? fmax * 20e-6 : 25e3;
    }
    /* bins of 2-3.5 kHz: the channel filters' transitions fit the N/4 overlap */
    s->nfft = pow2_at_least(fs / 3500.0, 64, 1u << 22);
    unsigned depth = BATCH_BYTES / (s->nfft * (unsigned)sizeof(cs_cf32));
    if (depth < 1) depth = 1;
    if (depth > BATCH_MAX) depth = BATCH_MAX;
    s->batch = depth;
    {
        /* a gated block opens the detector's windows over it and the previous block (and
         * the FFT's overlap into the next); the tone stream is fed from 1.5 windows before
         * that span to 1.5 windows after it: what the span's windows, their fine search
         * and their neighbour checks read (a half-window margin lost FCCHs at -7 dB and
         * a strong real one) */
        const double hop = 0.75 * s->nfft;
        const double win = CS_GSM_FCCH_WINDOW_SYMBOLS / CS_GSM_RS_HZ * fs;
        s->tone_pre = 1u + (unsigned)ceil(1.5 * win / hop);
        s->tone_post = (unsigned)ceil((0.25 * s->nfft + 1.5 * win) / hop);
    }
    /* spectra kept: a batch and the blocks a gated one reaches back to */
    rc = cs_gsm_channelizer_create(fs, s->nfft, depth + s->tone_pre, &s->chz);
    if (rc != CS_OK) goto fail;
    rc = open_outputs(s);
    if (rc != CS_OK) goto fail;
    rc = cs_gsm_scan_activity_alloc(s);
    if (rc != CS_OK) goto fail;
    for (size_t i = 0; i < s->nch; i++) {
        if (s->ch[i].out_chan < 0) continue;
        cs_gsm_sch_sync_config sc;
        cs_gsm_sch_sync_config_init(&sc);
        sc.sample_rate_hz = s->ch[i].chan_rate;
        rc = cs_gsm_sch_sync_create(&sc, &s->sch);
        if (rc != CS_OK) goto fail;
        break;
    }
    rc = cs_gsm_scan_psd_alloc(s);
    if (rc != CS_OK) goto fail;
    *out = s;
    return CS_OK;
fail:
    cs_gsm_scanner_destroy(s);
    return rc;
}

size_t cs_gsm_scanner_num_channels(cs_gsm_scanner s) { return s ? s->nch : 0; }

int cs_gsm_scanner_set_max_events(cs_gsm_scanner s, size_t max_events)
{
    if (!s || max_events < 1 || s->nin)
        return cs_error(CS_EINVAL, "gsm scanner: max_events must be >= 1 and set before any input");
    s->max_events = max_events;
    return CS_OK;
}

/* Noise per sample of each activity stream, from the averaged spectrum's floor. */
static void update_noise(cs_gsm_scanner s)
{
    const double n0 = cs_gsm_scan_noise_density(s);
    if (!(n0 > 0.0)) return;
    for (size_t i = 0; i < s->nch; i++) {
        scan_channel *c = &s->ch[i];
        const double beta = cs_gsm_channelizer_noise_fraction(s->chz, c->out_act);
        c->act_noise = n0 * c->act_rate * beta;
        cs_gsm_activity_set_noise(c->act, c->act_noise);
        if (c->fcch) {
            const double bt = cs_gsm_channelizer_noise_fraction(s->chz, c->out_tone);
            cs_gsm_fcch_detector_set_noise(c->fcch, n0 * cs_gsm_channelizer_rate(s->chz, c->out_tone) * bt);
        }
    }
}

/* Every channel takes blocks [s->chan_block, end) in turn: one channel's state stays in
 * cache over several blocks. */
static int channels_to(cs_gsm_scanner s, uint64_t end)
{
    for (size_t i = 0; i < s->nch; i++)
        for (uint64_t b = s->chan_block; b < end; b++) {
            int rc = cs_gsm_scan_channel_block(s, &s->ch[i], b);
            if (rc != CS_OK) return rc;
        }
    s->chan_block = end;
    return CS_OK;
}

static int run_blocks(cs_gsm_scanner s)
{
    const unsigned depth = s->batch;
    while (cs_gsm_channelizer_next_block(s->chz)) {
        s->blocks++;
        if (s->blocks <= PSD_DENSE || s->blocks % PSD_EVERY == 0)
            cs_gsm_scan_psd_add(s, cs_gsm_channelizer_spectrum(s->chz));
        /* the noise reference, early (8 spectra) and then refined; it applies from this
         * block on, so the channels first take the blocks before it */
        if (s->psd_blocks >= 8 && (s->psd_blocks == 8 || s->psd_blocks == 32 ||
                                   s->blocks % NOISE_UPDATE_BLOCKS == 0)) {
            int rc = channels_to(s, s->blocks - 1);
            if (rc != CS_OK) return rc;
            update_noise(s);
        }
        if (s->blocks - s->chan_block == depth) {
            int rc = channels_to(s, s->blocks);
            if (rc != CS_OK) return rc;
        }
    }
    return channels_to(s, s->blocks);
}

int cs_gsm_scanner_execute(cs_gsm_scanner s, const cs_cf32 *x, size_t n)
{
    if (!s || (!x && n)) return cs_error(CS_EINVAL, "gsm scanner: NULL argument");
    if (s->finished) return cs_error(CS_EINVAL, "gsm scanner: execute after finish");
    /* the channelizer reads x where it lies (no copy of the input), keeping at the end
     * only the less than a block that the next call's first blocks need */
    int rc = cs_gsm_channelizer_push_ref(s->chz, x, n);
    if (rc < 0) return rc;
    s->nin += n;
    rc = run_blocks(s);
    const int rc2 = cs_gsm_channelizer_release(s->chz);
    return rc != CS_OK ? rc : rc2;
}

int cs_gsm_scanner_finish(cs_gsm_scanner s, const cs_gsm_scan_results **out)
{
    if (!s || !out) return cs_error(CS_EINVAL, "gsm scanner: NULL argument");
    if (!s->finished) {
        int rc = cs_gsm_channelizer_finish(s->chz);
        if (rc < 0) return rc;
        rc = run_blocks(s);
        if (rc != CS_OK) return rc;
        update_noise(s);
        for (size_t i = 0; i < s->nch; i++) {
            cs_gsm_scan_channel_flush(s, &s->ch[i]);
            rc = cs_gsm_scan_activity_flush(s, &s->ch[i]);
            if (rc != CS_OK) return rc;
        }
        rc = cs_gsm_scan_combine(s);
        if (rc != CS_OK) return rc;
        s->finished = 1;
    }
    *out = &s->res;
    return CS_OK;
}

void cs_gsm_scanner_destroy(cs_gsm_scanner s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nch; i++) cs_gsm_scan_channel_free(&s->ch[i]);
    free(s->ch);
    cs_gsm_channelizer_destroy(s->chz);
    cs_gsm_sch_sync_destroy(s->sch);
    free(s->psd);
    free(s->psd_recent);
    free(s->act_bp);
    free(s->act_bp_block);
    cs_gsm_scan_results_free(s);
    free(s);
}
