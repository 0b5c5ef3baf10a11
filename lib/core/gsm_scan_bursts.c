/* GSM scanner: each channel's own bursts (neighbours' leakage taken off), their GMSK
 * envelope test, the timeslot numbering and the activity records (see gsm_scanner.h). */
#include <math.h>
#include <string.h>

#include "gsm_scan_dsp.h"
#include "gsm_scan_internal.h"

#define MIN_ACTIVITY_BURSTS 4
#define MAX_LINE_SHARE 0.2        /* one spectral bin holding more is a tone, not GMSK */

static double db(double x) { return x > 0.0 ? 10.0 * log10(x) : -INFINITY; }

/* A channel's bursts net of what its neighbours leak into it: a GSM carrier puts a share
 * of its power into the next channel's activity band (scan_channel.act_leak, from GMSK's
 * spectrum: about -25 dB through the scanner's +-65..78 kHz filter), enough to light
 * every timeslot of a much weaker neighbour. The timeslots whose power stands at least
 * twice the leakage above the noise (and within 10 dB of the strongest) are the
 * channel's own. Powers stay in activity-stream units (the filter passes act_gain of a
 * carrier) until the mean burst power, which is the carrier's. */
static double max_ts_power(const cs_gsm_activity_result *a)
{
    double m = 0.0;
    for (int t = 0; t < 8; t++)
        if (a->bursts_per_ts[t] && a->power_per_ts[t] > m) m = a->power_per_ts[t];
    return m;
}

void cs_gsm_scan_summarise_bursts(const cs_gsm_scanner s, size_t ci, burst_summary *b)
{
    const scan_channel *c = &s->ch[ci];
    const cs_gsm_activity_result *a = &s->act_res[ci];
    memset(b, 0, sizeof *b);
    b->power = NAN;
    for (size_t j = 0; j < s->nch; j++) {
        const double d = s->ch[j].offset_hz - c->offset_hz;
        if (fabs(fabs(d) - 200e3) > 1.0) continue;
        const cs_gsm_activity_result *n = &s->act_res[j];
        const double p = (max_ts_power(n) - n->noise_power) / s->ch[j].act_gain; /* carrier */
        if (p > 0.0) b->leak += p * c->act_leak[d > 0.0];
    }
    if (!a->bursts || !(a->noise_power > 0.0)) return;
    const double strongest = max_ts_power(a);
    uint64_t most = 0;
    for (int t = 0; t < 8; t++) if (a->bursts_per_ts[t] > most) most = a->bursts_per_ts[t];
    double sum = 0.0, env = 0.0;
    for (int t = 0; t < 8; t++) {
        if (!a->bursts_per_ts[t] || a->bursts_per_ts[t] * 10 < most) continue; /* stray bursts */
        const double own = a->power_per_ts[t] - a->noise_power - b->leak;
        if (own < b->leak || a->power_per_ts[t] < 0.1 * strongest) continue;
        b->mask |= 1u << t;
        b->bursts += a->bursts_per_ts[t];
        sum += own * (double)a->bursts_per_ts[t];
        env += a->envelope_per_ts[t] * (double)a->bursts_per_ts[t];
    }
    b->envelope = NAN;
    b->envelope_gmsk = c->act_envelope;
    if (b->bursts) {
        b->snr = sum / (double)b->bursts / a->noise_power;
        b->power = sum / (double)b->bursts / c->act_gain;
        b->envelope = env / (double)b->bursts;
    }
}

/* Constant-envelope test: the mean per-slot m4/m2^2 - 1 of the channel's own bursts is
 * closer to what GMSK at their SNR gives than to noise's 1, by more than its scatter.
 * GMSK through the activity filter has its own ratio k (the cut ripples the envelope);
 * with noise at SNR s the ratio is (k s^2 + 2 s + 1) / (s + 1)^2. */
int cs_gsm_scan_gmsk_envelope(const burst_summary *b)
{
    if (!b->bursts || !isfinite(b->envelope)) return 0;
    double snr = b->snr;
    if (!(snr > 0.0)) snr = 0.0;
    const double k = b->envelope_gmsk > 0.0 ? b->envelope_gmsk : 0.0;
    const double expect = (k * snr * snr + 2.0 * snr + 1.0) / ((snr + 1.0) * (snr + 1.0));
    const double scatter = 1.0 / sqrt((double)b->bursts);
    return b->envelope < 0.5 * (1.0 + expect) && 1.0 - b->envelope > scatter;
}

/* Timeslot numbers from a decoded C0's frame timing, when the channel's slot grid lines up
 * with it (same base station clock) and every C0 that lines up gives the same numbers
 * (several unsynchronised cells could otherwise lend a wrong one); uplink slots lag by 3
 * slots minus the timing advance (0..63 symbols, up to 0.4 slot early). */
static int ts_shift(const cs_gsm_scanner s, const scan_channel *c, const cs_gsm_activity_result *a,
                    int *shift)
{
    int found = 0;
    if (!isfinite(a->slot_origin_s)) return 0;
    for (size_t i = 0; i < s->res.num_carriers; i++) {
        const cs_gsm_carrier *k = &s->carriers[i];
        if (!k->num_frame_numbers) continue;
        const double d = (a->slot_origin_s - k->first_fn_time_s) / CS_GSM_SLOT_S;
        double r;
        if (!c->uplink) {
            r = round(d);
            if (fabs(d - r) > 0.06) continue;
        } else {
            r = ceil(d - 0.03);
            if (r - d > 0.45) continue;
            r -= 3.0;
        }
        const int sh = (int)(((long)r % 8 + 8) % 8);
        if (found && sh != *shift) return 0; /* ambiguous */
        *shift = sh;
        found = 1;
    }
    return found;
}

int cs_gsm_scan_make_activity(cs_gsm_scanner s, size_t ci, cs_gsm_activity_record *r, double n0)
{
    const scan_channel *c = &s->ch[ci];
    const cs_gsm_activity_result *a = &s->act_res[ci];
    burst_summary bs;
    cs_gsm_scan_summarise_bursts(s, ci, &bs);
    if (bs.bursts < MIN_ACTIVITY_BURSTS || !cs_gsm_scan_gsm_like(s, c, &bs, n0)) return 0;
    double peak_share = NAN;
    cs_gsm_scan_band_power(s, c->offset_hz, 100e3, &peak_share);
    if (peak_share > MAX_LINE_SHARE) return 0; /* a continuous tone (spur), not bursts */
    memset(r, 0, sizeof *r);
    r->arfcn = c->arfcn;
    r->band = c->band ? cs_band_name(c->band) : NULL;
    r->uplink = c->uplink;
    r->freq_hz = c->freq_hz;
    r->offset_hz = c->offset_hz;
    int shift = 0;
    r->timeslot_reference = ts_shift(s, c, a, &shift);
    for (int t = 0; t < 8; t++) {
        const int ts = (t + shift) % 8;
        r->bursts_per_ts[ts] = a->bursts_per_ts[t];
        if (bs.mask >> t & 1) r->timeslot_mask |= 1u << ts;
    }
    r->bursts = bs.bursts;
    r->power_dbfs = db(bs.power);
    r->snr_db = db(bs.power / (n0 * CS_GSM_RS_HZ));
    r->duty_cycle = a->slots ? (double)bs.bursts / (double)a->slots : 0.0;
    r->envelope_ratio = bs.envelope;
    r->num_intervals = a->num_intervals;
    r->intervals = (const double(*)[2])a->intervals;
    return 1;
}

