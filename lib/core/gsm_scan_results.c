/* GSM scanner: from each channel's detections to carrier and activity records and the
 * receiver's frequency error (see gsm_scanner.h for the rules). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "gsm_scan_dsp.h"
#include "gsm_scan_internal.h"
#include "gsm_scan_validate.h"

#define SYM (1.0 / CS_GSM_RS_HZ)
#define STRONG_FCCH_PER_HOUR 1e-3 /* one FCCH alone is a carrier above this rate's threshold */
#define BTS_PPM 0.05              /* base station frequency accuracy (TS 45.010) */
#define MIN_BURST_SNR_DB 3.0      /* carrier power from bursts only above this */
#define MIN_BURSTS 4              /* bursts a carrier found by power needs */
#define MAX_LINE_SHARE 0.2        /* one spectral bin holding more is a tone, not GMSK */
#define MATCH_FCCH_PER_HOUR 0.1   /* one FCCH whose frequency error matches the receiver's ... */
#define MATCH_SIGMAS 3.0          /* ... within this many standard deviations */

/* The receiver's apparent frequency error from the carriers found so far: in ppm when
 * the channels' frequencies are known, else in Hz (a narrow recording's carriers share it). */
typedef struct rx_ref {
    int have_ppm, have_hz;
    double ppm, ppm_sigma, hz, hz_sigma;
} rx_ref;

static double db(double x) { return x > 0.0 ? 10.0 * log10(x) : -INFINITY; }


/* GSM evidence without FCCH or SCH: the bursts' envelope or the spectrum's shape. */
int cs_gsm_scan_gsm_like(const cs_gsm_scanner s, const scan_channel *c, const burst_summary *b,
                         double n0)
{
    return cs_gsm_scan_gmsk_envelope(b) || cs_gsm_scan_gmsk_shape(s, c->offset_hz, n0);
}

static double fcch_threshold_at(const cs_gsm_scanner s, const scan_channel *c, double per_hour)
{
    if (!c->fcch) return INFINITY;
    return cs_gsm_fcch_threshold(per_hour, cs_gsm_fcch_detector_rate_hz(c->fcch),
                                 cs_gsm_fcch_detector_window(c->fcch), s->max_offset_hz,
                                 cs_gsm_channelizer_noise_fraction(s->chz, c->out_tone));
}

static double strong_threshold(const cs_gsm_scanner s, const scan_channel *c)
{
    return fcch_threshold_at(s, c, STRONG_FCCH_PER_HOUR);
}

static double match_threshold(const cs_gsm_scanner s, const scan_channel *c)
{
    return fcch_threshold_at(s, c, MATCH_FCCH_PER_HOUR);
}

static void time_span(double *t0, double *t1, double a, double b)
{
    if (!isfinite(*t0) || a < *t0) *t0 = a;
    if (!isfinite(*t1) || b > *t1) *t1 = b;
}

/* Does an FCCH's frequency error agree with the receiver's error seen on other carriers? */
static int matches_receiver(const rx_ref *ref, const scan_channel *c, const scan_fcch *f)
{
    if (!ref) return 0;
    if (ref->have_ppm && isfinite(c->freq_hz)) {
        const double e = ref->ppm * 1e-6 * c->freq_hz, se = ref->ppm_sigma * 1e-6 * c->freq_hz;
        return fabs(f->offset_hz - e) <= MATCH_SIGMAS * sqrt(f->sigma_hz * f->sigma_hz + se * se);
    }
    if (ref->have_hz)
        return fabs(f->offset_hz - ref->hz) <=
               MATCH_SIGMAS * sqrt(f->sigma_hz * f->sigma_hz + ref->hz_sigma * ref->hz_sigma) +
                   0.02 * fabs(ref->hz);
    return 0;
}

/* Fill carrier record k from channel c; returns 1 when the channel is a carrier. With
 * ref (second pass), one FCCH above the matching threshold whose frequency error agrees
 * with the receiver's is evidence too. */
static int make_carrier(cs_gsm_scanner s, size_t ci, cs_gsm_carrier *k, double n0, const rx_ref *ref)
{
    scan_channel *c = &s->ch[ci];
    const cs_gsm_activity_result *a = &s->act_res[ci];
    const scan_stream *st = &c->stream; /* detections past the stored ones (all 0 if none) */
    carrier_timing tm;
    const int nsch = cs_gsm_scan_validate_sch(c->sch_list, c->num_sch, &tm) + (int)st->sch_consistent;
    const int nfcch = cs_gsm_scan_validate_fcch(c->fcch_list, c->num_fcch, &tm) + (int)st->fcch_valid;
    double peak_share = NAN;
    cs_gsm_scan_band_power(s, c->offset_hz, 100e3, &peak_share);
    burst_summary bs;
    cs_gsm_scan_summarise_bursts(s, ci, &bs);
    const double burst_c = bs.bursts ? bs.power : 0.0;
    const double burst_snr = bs.bursts ? bs.snr : 0.0; /* in the activity stream */
    double max_stat = 0.0;
    const scan_fcch *fmax = c->num_fcch ? &c->fcch_list[0] : NULL; /* strongest, stored or folded */
    for (size_t i = 0; i < c->num_fcch; i++)
        if (c->fcch_list[i].statistic > max_stat) {
            max_stat = c->fcch_list[i].statistic;
            fmax = &c->fcch_list[i];
        }
    if (st->have_max && (st->max_fcch.statistic > max_stat || !fmax)) {
        max_stat = st->max_fcch.statistic;
        fmax = &st->max_fcch;
    }
    const size_t fcch_all = c->num_fcch + st->fcch_total;
    const char *evidence = NULL;
    /* one SCH alone passes its parity by chance once in about 2000 attempts (each false
     * FCCH makes one): with a single decode the FCCH that led to it must be strong too */
    if (nsch >= 2 || (nsch == 1 && (nfcch >= 2 || max_stat >= match_threshold(s, c))))
        evidence = "sch";
    /* FCCHs without an SCH: three that agree, two that agree with one above the matching
     * threshold (two weak ones can agree by chance where a neighbour's spectrum colours
     * the band), or one strong one */
    else if (nfcch >= 3 || (nfcch == 2 && max_stat >= match_threshold(s, c)) ||
             (fcch_all >= 1 && max_stat >= strong_threshold(s, c)))
        evidence = "fcch";
    else if (bs.bursts >= MIN_BURSTS && db(burst_c / (n0 * CS_GSM_RS_HZ)) >=
                 s->cfg.min_snr_db && cs_gsm_scan_gsm_like(s, c, &bs, n0) &&
             !(peak_share > MAX_LINE_SHARE))
        evidence = "power";
    else if (fcch_all >= 1 && max_stat >= match_threshold(s, c) && matches_receiver(ref, c, fmax))
        evidence = "fcch";
    if (!evidence) return 0;
    /* the folded FCCHs consistent with the carrier (the stored ones carry their flag) */
    unsigned more_valid = st->fcch_valid;
    freq_sums more = st->freq;
    double more_power = st->tone_power, more_t0 = st->fcch_t0_s, more_t1 = st->fcch_t1_s;
    if (!strcmp(evidence, "fcch") && nfcch == 0) { /* one FCCH alone: it is the evidence */
        for (size_t i = 0; i < c->num_fcch; i++) c->fcch_list[i].valid = &c->fcch_list[i] == fmax;
        if (fmax == &st->max_fcch) {
            more_valid = 1;
            more = (freq_sums){1.0 / (fmax->sigma_hz * fmax->sigma_hz),
                               fmax->offset_hz / (fmax->sigma_hz * fmax->sigma_hz),
                               fmax->offset_hz * fmax->offset_hz / (fmax->sigma_hz * fmax->sigma_hz), 1};
            more_power = fmax->power;
            more_t0 = more_t1 = fmax->t_start_s;
        }
    }
    memset(k, 0, sizeof *k);
    k->arfcn = c->arfcn;
    k->band = c->band ? cs_band_name(c->band) : NULL;
    k->freq_hz = c->freq_hz;
    k->offset_hz = c->offset_hz;
    k->evidence = evidence;
    k->ncc = k->bcc = -1;
    k->fcch_detections = (unsigned)fcch_all;
    k->sch_attempts = c->sch_attempts;
    k->envelope_ratio = bs.envelope;
    k->fcch = c->fcch_list;
    k->num_fcch = c->num_fcch;
    k->sch = c->sch_list;
    k->num_sch = c->num_sch;
    k->events_truncated = st->active;
    k->freq_error_hz = k->freq_error_sigma_hz = NAN;
    unsigned valid = more_valid;
    double ptone = more_power;
    for (size_t i = 0; i < c->num_fcch; i++)
        if (c->fcch_list[i].valid) valid++;
    k->fcch_count = valid;
    double f, sf;
    if (valid && cs_gsm_scan_frequency(c->fcch_list, c->num_fcch, &more, &f, &sf, NULL) > 0) {
        k->freq_error_hz = f;
        k->freq_error_sigma_hz = sf;
    }
    k->t_first_s = k->t_last_s = NAN;
    for (size_t i = 0; i < c->num_fcch; i++) {
        if (!c->fcch_list[i].valid) continue;
        ptone += c->fcch_list[i].power;
        time_span(&k->t_first_s, &k->t_last_s, c->fcch_list[i].t_start_s,
                  c->fcch_list[i].t_start_s + 148 * SYM);
    }
    if (more_valid) time_span(&k->t_first_s, &k->t_last_s, more_t0, more_t1 + 148 * SYM);
    if (nsch > 0 && !strcmp(evidence, "sch")) {
        k->ncc = tm.ncc;
        k->bcc = tm.bcc;
        k->sch_count = (unsigned)nsch;
        uint32_t *fns = malloc((c->num_sch ? c->num_sch : 1) * sizeof *fns);
        if (!fns) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
        size_t m = 0;
        k->first_fn_time_s = NAN;
        for (size_t i = 0; i < c->num_sch; i++) { /* in time order already */
            if (!c->sch_list[i].consistent) continue;
            fns[m++] = c->sch_list[i].fn;
            if (!isfinite(k->first_fn_time_s)) k->first_fn_time_s = c->sch_list[i].t_start_s;
            time_span(&k->t_first_s, &k->t_last_s, c->sch_list[i].t_start_s,
                      c->sch_list[i].t_start_s + 148 * SYM);
        }
        if (st->sch_consistent) time_span(&k->t_first_s, &k->t_last_s, st->sch_t1_s, st->sch_t1_s + 148 * SYM);
        s->fn_lists[ci] = fns;
        k->frame_numbers = fns; /* the stored ones: sch_count counts them all */
        k->num_frame_numbers = m;
    } else {
        k->first_fn_time_s = NAN;
    }
    if (a->bursts) time_span(&k->t_first_s, &k->t_last_s, a->t_first_s, a->t_last_s);
    /* carrier power while present: from the bursts when they stand clear of the noise and
     * agree with the FCCH tones (a C0's tone carries its whole power; bursts far above it
     * are a neighbour's skirt), else from the tones, else from the averaged spectrum */
    double cpow;
    const double tone = valid ? ptone / valid : NAN;
    const int bursts_ok = bs.bursts && db(burst_snr) >= MIN_BURST_SNR_DB;
    if (bursts_ok && !(fabs(db(burst_c) - db(tone)) > 3.0)) cpow = burst_c;
    else if (valid) cpow = tone;
    else if (bursts_ok) cpow = burst_c;
    else cpow = cs_gsm_scan_band_power(s, c->offset_hz, 100e3, NULL) - n0 * 200e3;
    k->power_dbfs = db(cpow);
    k->noise_dbfs = db(n0 * CS_GSM_RS_HZ);
    k->snr_db = db(cpow / (n0 * CS_GSM_RS_HZ));
    return 1;
}

static int cmp_carrier(const void *a, const void *b)
{
    const double x = ((const cs_gsm_carrier *)a)->offset_hz, y = ((const cs_gsm_carrier *)b)->offset_hz;
    return x < y ? -1 : x > y;
}

static int cmp_dbl(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Keep the values within 5 sigma (theirs and the floor) of the median; returns how many. */
static size_t drop_outliers(double *x, double *sd, size_t n, double floor_sd)
{
    if (n < 3) return n;
    double *v = malloc(n * sizeof *v);
    if (!v) return n;
    memcpy(v, x, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_dbl);
    const double med = v[n / 2];
    free(v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i] - med) <= 5.0 * sqrt(sd[i] * sd[i] + floor_sd * floor_sd)) {
            x[m] = x[i];
            sd[m++] = sd[i];
        }
    return m;
}

/* Inverse-variance mean (weights 1/(sigma^2 + floor^2)), its error widened by the spread. */
static int weighted(const double *x, const double *sd, size_t n, double floor_sd, double *mean,
                    double *sigma)
{
    double sw = 0, swx = 0, sw2 = 0;
    for (size_t i = 0; i < n; i++) {
        const double w = 1.0 / (sd[i] * sd[i] + floor_sd * floor_sd);
        sw += w;
        swx += w * x[i];
        sw2 += w * x[i] * x[i];
    }
    if (!n) return 0;
    const double m = swx / sw;
    double scale = n > 1 ? (sw2 - sw * m * m) / (double)(n - 1) : 1.0;
    if (scale < 1.0) scale = 1.0;
    *mean = m;
    *sigma = sqrt(scale / sw);
    return 1;
}

/* The receiver's error from the carriers with an FCCH frequency: ppm (apparent error over
 * nominal: base stations are within 0.05 ppm) and, without frequencies, Hz. Carriers whose
 * SCH decoded are used when there are any (their FCCHs are the surest); a carrier more
 * than 5 sigma from the median of the others is left out. */
static void receiver_error(const cs_gsm_carrier *k, size_t nk, rx_ref *ref)
{
    double *x = malloc((nk + 1) * sizeof *x), *sd = malloc((nk + 1) * sizeof *sd);
    double *xh = malloc((nk + 1) * sizeof *xh), *sdh = malloc((nk + 1) * sizeof *sdh);
    size_t n = 0, nh = 0;
    memset(ref, 0, sizeof *ref);
    if (!x || !sd || !xh || !sdh) goto out;
    int any_sch = 0;
    for (size_t i = 0; i < nk; i++)
        any_sch |= isfinite(k[i].freq_error_hz) && !strcmp(k[i].evidence, "sch");
    for (size_t i = 0; i < nk; i++) {
        if (!isfinite(k[i].freq_error_hz) || (any_sch && strcmp(k[i].evidence, "sch"))) continue;
        xh[nh] = k[i].freq_error_hz;
        sdh[nh++] = k[i].freq_error_sigma_hz;
        if (!isfinite(k[i].freq_hz)) continue;
        x[n] = k[i].freq_error_hz / k[i].freq_hz * 1e6;
        sd[n++] = k[i].freq_error_sigma_hz / k[i].freq_hz * 1e6;
    }
    n = drop_outliers(x, sd, n, BTS_PPM);
    nh = drop_outliers(xh, sdh, nh, 0.0);
    ref->have_ppm = weighted(x, sd, n, BTS_PPM, &ref->ppm, &ref->ppm_sigma);
    ref->have_hz = weighted(xh, sdh, nh, 0.0, &ref->hz, &ref->hz_sigma);
out:
    free(x);
    free(sd);
    free(xh);
    free(sdh);
}

int cs_gsm_scan_combine(cs_gsm_scanner s)
{
    const size_t n = s->nch;
    s->carriers = calloc(n ? n : 1, sizeof *s->carriers);
    s->acts = calloc(n ? n : 1, sizeof *s->acts);
    s->act_res = calloc(n ? n : 1, sizeof *s->act_res);
    s->powers = calloc(n ? n : 1, sizeof *s->powers);
    s->fn_lists = calloc(n ? n : 1, sizeof *s->fn_lists);
    if (!s->carriers || !s->acts || !s->act_res || !s->powers || !s->fn_lists)
        return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    const double n0 = cs_gsm_scan_noise_density(s);
    for (size_t i = 0; i < n; i++) {
        scan_channel *c = &s->ch[i];
        cs_gsm_activity_results(c->act, &s->act_res[i]);
        cs_gsm_channel_power *p = &s->powers[i];
        p->arfcn = c->arfcn;
        p->band = c->band ? cs_band_name(c->band) : NULL;
        p->uplink = c->uplink;
        p->freq_hz = c->freq_hz;
        p->offset_hz = c->offset_hz;
        const double pw = cs_gsm_scan_band_power(s, c->offset_hz, 100e3, NULL);
        p->power_dbfs = db(pw);
        p->noise_dbfs = db(n0 * 200e3);
        p->snr_db = db((pw - n0 * 200e3) / (n0 * 200e3));
    }

    size_t nc = 0;
    char *is_carrier = calloc(n ? n : 1, 1);
    if (!is_carrier) return cs_error(CS_ENOMEM, "gsm scanner: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (s->ch[i].uplink) continue;
        int rc = make_carrier(s, i, &s->carriers[nc], n0, NULL);
        if (rc < 0) {
            free(is_carrier);
            return rc;
        }
        is_carrier[i] = (char)rc;
        nc += (size_t)rc;
    }
    /* second pass: weak single FCCHs whose frequency error agrees with the receiver's */
    rx_ref ref;
    receiver_error(s->carriers, nc, &ref);
    const size_t first_pass = nc;
    for (size_t i = 0; i < n && (ref.have_ppm || ref.have_hz); i++) {
        if (s->ch[i].uplink || is_carrier[i] || !(s->ch[i].num_fcch + s->ch[i].stream.fcch_total))
            continue;
        int rc = make_carrier(s, i, &s->carriers[nc], n0, &ref);
        if (rc < 0) {
            free(is_carrier);
            return rc;
        }
        nc += (size_t)rc;
    }
    free(is_carrier);
    /* the ppm: from the carriers of the first pass (the second only agreed with it) */
    receiver_error(s->carriers, first_pass, &ref);
    s->res.receiver_ppm_carriers = 0;
    int any_sch = 0;
    for (size_t i = 0; i < first_pass; i++)
        any_sch |= isfinite(s->carriers[i].freq_error_hz) && !strcmp(s->carriers[i].evidence, "sch");
    for (size_t i = 0; i < first_pass; i++)
        if (isfinite(s->carriers[i].freq_error_hz) && isfinite(s->carriers[i].freq_hz) &&
            (!any_sch || !strcmp(s->carriers[i].evidence, "sch")))
            s->res.receiver_ppm_carriers++;
    s->res.receiver_ppm = ref.have_ppm ? ref.ppm : NAN;
    s->res.receiver_ppm_sigma = ref.have_ppm ? ref.ppm_sigma : NAN;
    qsort(s->carriers, nc, sizeof *s->carriers, cmp_carrier);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nc; k++)
            if (!s->ch[i].uplink && s->carriers[k].offset_hz == s->ch[i].offset_hz)
                s->powers[i].carrier = 1;
    s->res.num_carriers = nc;
    s->res.carriers = s->carriers;
    size_t na = 0;
    for (int link = 0; link < 2; link++)
        for (size_t i = 0; i < n; i++) {
            if (s->ch[i].uplink != link) continue;
            int is_c0 = 0;
            for (size_t k = 0; k < nc; k++)
                if (s->carriers[k].offset_hz == s->ch[i].offset_hz &&
                    strcmp(s->carriers[k].evidence, "power") != 0)
                    is_c0 = 1;
            if (is_c0) continue;
            na += (size_t)cs_gsm_scan_make_activity(s, i, &s->acts[na], n0);
        }
    s->res.num_activities = na;
    s->res.activities = s->acts;
    s->res.num_channels = n;
    s->res.channels = s->powers;
    for (size_t i = 0; i < n; i++) {
        s->powers[i].fcch = s->ch[i].fcch_list;
        s->powers[i].num_fcch = s->ch[i].num_fcch;
        s->powers[i].sch = s->ch[i].sch_list;
        s->powers[i].num_sch = s->ch[i].num_sch;
        s->powers[i].events_truncated = s->ch[i].stream.active;
    }
    s->res.noise_dbfs_hz = db(n0);
    s->res.samples = s->nin;
    s->res.duration_s = (double)s->nin / s->rate;
    s->res.max_offset_hz = s->max_offset_hz;
    s->res.fcch_threshold = s->fcch_threshold;
    return CS_OK;
}

void cs_gsm_scan_results_free(cs_gsm_scanner s)
{
    if (s->fn_lists)
        for (size_t i = 0; i < s->nch; i++) free(s->fn_lists[i]);
    free(s->fn_lists);
    free(s->carriers);
    free(s->acts);
    free(s->act_res);
    free(s->powers);
}
