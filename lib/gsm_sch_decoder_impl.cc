/* -*- c++ -*- */
/*
 * gsm_sch_decoder: schedules the SCH positions of one carrier (a frame after each FCCH,
 * then every SCH its frame number predicts) and runs a cs_gsm_sch_sync on a short ring
 * buffer of the stream at each; the scheduling follows cellscan scan's
 * (lib/core/gsm_scan_channel.c), the decoding is the core's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gsm_sch_decoder_impl.h"
#include <gnuradio/io_signature.h>
#include <cellscan/gsm_coding.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_port = pmt::mp("sch");
const pmt::pmt_t k_fcch_tag = pmt::mp("gsm_fcch");
const double k_sym_s = 6.0 / 1625000.0;    /* one GSM symbol */
const double k_frame_s = 1250.0 * k_sym_s; /* one TDMA frame, 4.615 ms */
const double k_search_s = 10 * k_sym_s;    /* +- around the expected SCH start */
const double k_before_s = 30 * k_sym_s;    /* segment before expected - search */
const double k_after_s = 190 * k_sym_s;    /* segment after expected + search */
const double k_ring_s = 0.012;             /* covers a frame after a late FCCH */
const unsigned k_max_misses = 10;          /* predictions stop after this many failures */
const size_t k_max_pending = 16;

double get_number(const pmt::pmt_t& dict, const char* key, double fallback)
{
    const pmt::pmt_t v = pmt::dict_ref(dict, pmt::mp(key), pmt::PMT_NIL);
    return pmt::is_real(v) ? pmt::to_double(v) : fallback;
}
} // namespace

gsm_sch_decoder::sptr gsm_sch_decoder::make(double samp_rate,
                                            double channel_offset_hz,
                                            bool use_fcch_tags,
                                            double max_offset_hz,
                                            double false_alarms_per_hour)
{
    return gnuradio::make_block_sptr<gsm_sch_decoder_impl>(
        samp_rate, channel_offset_hz, use_fcch_tags, max_offset_hz, false_alarms_per_hour);
}

gsm_sch_decoder_impl::gsm_sch_decoder_impl(double samp_rate,
                                           double channel_offset_hz,
                                           bool use_fcch_tags,
                                           double max_offset_hz,
                                           double false_alarms_per_hour)
    : gr::sync_block("gsm_sch_decoder",
                     gr::io_signature::make(1, 1, sizeof(gr_complex)),
                     gr::io_signature::make(0, 1, sizeof(gr_complex))),
      d_rate_hz(samp_rate),
      d_use_tags(use_fcch_tags)
{
    const std::string me = "gsm_sch_decoder: ";
    if (!std::isfinite(channel_offset_hz))
        throw std::invalid_argument(me + "channel offset must be a number of Hz");
    cs_gsm_sch_sync_config sc;
    cs_gsm_sch_sync_config_init(&sc);
    sc.sample_rate_hz = samp_rate;
    sc.centre_offset_hz = channel_offset_hz;
    cs_clear_error();
    if (cs_gsm_sch_sync_create(&sc, &d_sch) != CS_OK)
        throw std::invalid_argument(me + cs_last_error());
    if (!use_fcch_tags) {
        cs_gsm_fcch_config fc;
        cs_gsm_fcch_config_init(&fc);
        fc.sample_rate_hz = samp_rate;
        fc.tone_hz = channel_offset_hz + CS_GSM_FCCH_TONE_HZ;
        fc.max_offset_hz = max_offset_hz;
        fc.false_alarms_per_hour = false_alarms_per_hour;
        cs_clear_error();
        if (cs_gsm_fcch_detector_create(&fc, &d_fcch) != CS_OK) {
            cs_gsm_sch_sync_destroy(d_sch);
            throw std::invalid_argument(me + cs_last_error());
        }
    }
    message_port_register_out(k_port);
}

gsm_sch_decoder_impl::~gsm_sch_decoder_impl()
{
    cs_gsm_sch_sync_destroy(d_sch);
    cs_gsm_fcch_detector_destroy(d_fcch);
}

void gsm_sch_decoder_impl::add_pending(double t_expected_s, bool predicted)
{
    for (const pending& p : d_pending)
        if (std::fabs(p.t_expected_s - t_expected_s) < 20 * k_sym_s)
            return;
    if (std::fabs(d_last_sch_t - t_expected_s) < 20 * k_sym_s ||
        d_pending.size() == k_max_pending)
        return;
    d_pending.push_back({ t_expected_s, predicted });
}

/* An FCCH starting at t_start_s: its carrier error joins the mean; the SCH is a frame on. */
void gsm_sch_decoder_impl::on_fcch(double t_start_s, double offset_hz, double sigma_hz)
{
    const double w = 1.0 / (sigma_hz * sigma_hz + 1.0);
    d_offset_w += w;
    d_offset_hz += w * (offset_hz - d_offset_hz) / d_offset_w;
    add_pending(t_start_s + k_frame_s, false);
}

/* The next SCH after `after_s` from the frame timing of the last decoded SCH. */
void gsm_sch_decoder_impl::predict_next(double after_s)
{
    if (!d_have_timing || d_misses >= k_max_misses)
        return;
    double k = std::max(1.0, std::ceil((after_s - d_ref_t) / k_frame_s));
    for (int i = 0; i < 60; i++, k++) {
        const uint32_t fn = static_cast<uint32_t>((uint64_t(d_ref_fn) + uint64_t(k)) %
                                                  CS_GSM_HYPERFRAME);
        if (fn % 51 % 10 == 1) { /* FN mod 51 in {1, 11, 21, 31, 41} */
            add_pending(d_ref_t + k * k_frame_s, true);
            return;
        }
    }
}

void gsm_sch_decoder_impl::decode(const pending& p)
{
    const double ring_t0 = d_ring_first / d_rate_hz;
    const double need0 = p.t_expected_s - k_search_s - k_before_s;
    const double need1 = p.t_expected_s + k_search_s + k_after_s;
    if (need0 < ring_t0)
        return; /* its start is gone */
    const size_t i0 = static_cast<size_t>(std::floor((need0 - ring_t0) * d_rate_hz));
    const size_t i1 =
        std::min(d_ring.size(), static_cast<size_t>(std::ceil((need1 - ring_t0) * d_rate_hz)));
    if (i1 <= i0)
        return;
    const double seg_t0 = (d_ring_first + i0) / d_rate_hz;
    cs_gsm_sch_sync_result r;
    d_attempts++;
    cs_clear_error();
    if (cs_gsm_sch_sync_execute(d_sch,
                                reinterpret_cast<const cs_cf32*>(d_ring.data() + i0),
                                i1 - i0,
                                p.t_expected_s - seg_t0,
                                k_search_s,
                                d_offset_hz,
                                &r) != CS_OK) {
        d_logger->warn("{}", cs_last_error());
        return;
    }
    if (!r.sch.valid) {
        if (p.predicted) {
            d_misses++;
            predict_next(p.t_expected_s + k_frame_s);
        }
        return;
    }
    const double t_start_s = seg_t0 + r.t_start_s;
    pmt::pmt_t d = pmt::make_dict();
    d = pmt::dict_add(d, pmt::mp("type"), pmt::mp("gsm_sch"));
    d = pmt::dict_add(d, pmt::mp("t_start_s"), pmt::from_double(t_start_s));
    d = pmt::dict_add(d,
                      pmt::mp("offset"),
                      pmt::from_uint64(static_cast<uint64_t>(
                          std::max(0.0, std::round(t_start_s * d_rate_hz)))));
    d = pmt::dict_add(d, pmt::mp("fn"), pmt::from_long(r.sch.fn));
    d = pmt::dict_add(d, pmt::mp("t1"), pmt::from_long(r.sch.t1));
    d = pmt::dict_add(d, pmt::mp("t2"), pmt::from_long(r.sch.t2));
    d = pmt::dict_add(d, pmt::mp("t3"), pmt::from_long(r.sch.t3));
    d = pmt::dict_add(d, pmt::mp("ncc"), pmt::from_long(r.sch.ncc));
    d = pmt::dict_add(d, pmt::mp("bcc"), pmt::from_long(r.sch.bcc));
    d = pmt::dict_add(d, pmt::mp("snr_db"), pmt::from_double(r.snr_db));
    d = pmt::dict_add(d,
                      pmt::mp("power_dbfs"),
                      pmt::from_double(r.power > 0 ? 10.0 * std::log10(r.power) : -INFINITY));
    d = pmt::dict_add(d, pmt::mp("training_corr"), pmt::from_double(r.training_corr));
    d = pmt::dict_add(d, pmt::mp("quality"), pmt::from_double(r.sch.viterbi.correlation));
    d = pmt::dict_add(d, pmt::mp("freq_error_hz"), pmt::from_double(d_offset_hz));
    d = pmt::dict_add(d, pmt::mp("predicted"), pmt::from_bool(p.predicted));
    message_port_pub(k_port, d);
    d_decoded++;
    d_have_timing = true;
    d_misses = 0;
    d_ref_fn = r.sch.fn;
    d_ref_t = d_last_sch_t = t_start_s;
    predict_next(t_start_s + k_frame_s);
}

/* Decode, in time order, every pending SCH whose segment is in the ring. */
void gsm_sch_decoder_impl::decode_ready()
{
    const double ring_t1 = (d_ring_first + d_ring.size()) / d_rate_hz;
    for (;;) {
        auto next = d_pending.end();
        for (auto it = d_pending.begin(); it != d_pending.end(); ++it)
            if (it->t_expected_s + k_search_s + k_after_s <= ring_t1 &&
                (next == d_pending.end() || it->t_expected_s < next->t_expected_s))
                next = it;
        if (next == d_pending.end())
            return;
        const pending p = *next;
        d_pending.erase(next);
        decode(p); /* may add the next prediction */
    }
}

void gsm_sch_decoder_impl::append(const gr_complex* x, size_t n)
{
    const size_t keep = static_cast<size_t>(k_ring_s * d_rate_hz);
    if (d_ring.size() + n > 4 * keep && !d_ring.empty()) { /* trim rarely, in big moves */
        const size_t drop = std::min(d_ring.size(), d_ring.size() + n - keep);
        d_ring.erase(d_ring.begin(), d_ring.begin() + drop);
        d_ring_first += drop;
    }
    d_ring.insert(d_ring.end(), x, x + n);
}

int gsm_sch_decoder_impl::work(int noutput_items,
                               gr_vector_const_void_star& input_items,
                               gr_vector_void_star& output_items)
{
    auto in = static_cast<const gr_complex*>(input_items[0]);
    const size_t n = static_cast<size_t>(noutput_items);
    const uint64_t first = nitems_read(0);
    if (!output_items.empty())
        std::memcpy(output_items[0], in, n * sizeof(gr_complex));
    append(in, n);
    if (d_use_tags) {
        std::vector<tag_t> tags;
        get_tags_in_range(tags, 0, first, first + n, k_fcch_tag);
        std::stable_sort(tags.begin(), tags.end(), tag_t::offset_compare);
        for (const tag_t& t : tags)
            if (pmt::is_dict(t.value))
                on_fcch(t.offset / d_rate_hz,
                        get_number(t.value, "offset_hz", 0.0),
                        get_number(t.value, "offset_sigma_hz", 100.0));
    } else {
        cs_gsm_fcch_detector_execute(d_fcch, reinterpret_cast<const cs_cf32*>(in), n);
        cs_gsm_fcch_detection det;
        while (cs_gsm_fcch_detector_pop(d_fcch, &det))
            on_fcch(det.t_start_s, det.offset_hz, det.offset_sigma_hz);
    }
    decode_ready();
    return noutput_items;
}

} // namespace cellscan
} // namespace gr
