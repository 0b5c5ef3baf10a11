/* GSM scanner: a channel's detections past the first max_events of either kind. Storing
 * every one would grow by about 2 KB per second per C0 without end, so once the lists are
 * full they are final: the carrier they establish (frame timing and BSIC from the SCHs'
 * largest consistent group, or the FCCHs' agreeing group without an SCH) is fixed, and
 * each later detection is checked against it on arrival, counted and folded into sums.
 * The reference follows the latest consistent detection (timing drift over hours). */
#include <math.h>
#include <string.h>

#include "gsm_scan_internal.h"
#include "gsm_scan_validate.h"

static void freq_add(freq_sums *s, double x, double sigma)
{
    const double w = 1.0 / (sigma * sigma);
    s->sw += w;
    s->swx += w * x;
    s->sw2 += w * x * x;
    s->n++;
}

void cs_gsm_scan_stream_start(scan_channel *c)
{
    scan_stream *st = &c->stream;
    memset(st, 0, sizeof *st);
    st->active = 1;
    st->fcch_t0_s = st->fcch_t1_s = st->sch_t1_s = NAN;
    /* the same validation the end of the scan makes of the stored lists */
    cs_gsm_scan_validate_sch(c->sch_list, c->num_sch, &st->timing);
    cs_gsm_scan_validate_fcch(c->fcch_list, c->num_fcch, &st->timing);
    if (st->timing.known) {
        /* reference: the latest consistent SCH, with the fitted frame period */
        size_t last = c->num_sch;
        for (size_t i = 0; i < c->num_sch; i++)
            if (c->sch_list[i].consistent &&
                (last == c->num_sch || c->sch_list[i].t_start_s > c->sch_list[last].t_start_s))
                last = i;
        if (last < c->num_sch) {
            st->sch_anchor = c->sch_list[last];
            st->timing.ref_fn = st->sch_anchor.fn;
            st->timing.ref_t = st->sch_anchor.t_start_s;
        }
    } else {
        for (size_t i = 0; i < c->num_fcch; i++)
            if (c->fcch_list[i].valid &&
                (!st->have_fcch_anchor || c->fcch_list[i].t_start_s > st->fcch_anchor.t_start_s)) {
                st->fcch_anchor = c->fcch_list[i];
                st->have_fcch_anchor = 1;
            }
    }
    /* running frequency: the stored FCCHs' outlier-free mean */
    double mean_hz, sigma_hz;
    freq_sums used;
    if (cs_gsm_scan_frequency(c->fcch_list, c->num_fcch, NULL, &mean_hz, &sigma_hz, &used) > 0) {
        st->freq_mean_hz = mean_hz;
        st->freq_w = used.sw;
    }
}

void cs_gsm_scan_stream_fcch(scan_channel *c, const scan_fcch *f)
{
    scan_stream *st = &c->stream;
    st->fcch_total++;
    if (!st->have_max || f->statistic > st->max_fcch.statistic) {
        st->max_fcch = *f;
        st->have_max = 1;
    }
    int valid;
    if (st->timing.known) {
        valid = cs_gsm_scan_fcch_fits(f, &st->timing);
    } else {
        valid = st->have_fcch_anchor && cs_gsm_scan_fcch_agree(&st->fcch_anchor, f);
        if (valid) st->fcch_anchor = *f;
    }
    if (!valid) return;
    st->fcch_valid++;
    st->tone_power += f->power;
    if (!isfinite(st->fcch_t0_s)) st->fcch_t0_s = f->t_start_s;
    st->fcch_t1_s = f->t_start_s;
    /* outliers (beyond 4 sigma of the running mean) stay out of the frequency, as at the end */
    const double w = 1.0 / (f->sigma_hz * f->sigma_hz);
    if (st->freq_w > 0.0 &&
        fabs(f->offset_hz - st->freq_mean_hz) > 4.0 * sqrt(f->sigma_hz * f->sigma_hz + 1.0 / st->freq_w))
        return;
    freq_add(&st->freq, f->offset_hz, f->sigma_hz);
    st->freq_w += w;
    st->freq_mean_hz += w * (f->offset_hz - st->freq_mean_hz) / st->freq_w;
}

void cs_gsm_scan_stream_sch(scan_channel *c, const scan_sch *h)
{
    scan_stream *st = &c->stream;
    st->sch_total++;
    /* without a timing from the stored SCHs there is no carrier to check it against */
    if (!st->timing.known || !cs_gsm_scan_sch_agree(&st->sch_anchor, h)) return;
    st->sch_consistent++;
    st->sch_t1_s = h->t_start_s;
    st->sch_anchor = *h;
    st->timing.ref_fn = h->fn;
    st->timing.ref_t = h->t_start_s;
}
