/* -*- c++ -*- */
/*
 * gsm_fcch_detector: feeds a cs_gsm_fcch_detector and tags its detections where the
 * bursts start. A detection is known only some windows after its burst, so the block
 * keeps the samples of the last holdback_s() seconds (in its own FIFO, so the upstream
 * buffer never has to hold them) and writes a sample only once no detection can start
 * at or before it any more. At the end of the stream it flushes the detector and then
 * writes what it held.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gsm_fcch_detector_impl.h"
#include "stream_end.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_tag = pmt::mp("gsm_fcch");
const pmt::pmt_t k_port = pmt::mp("fcch");
const pmt::pmt_t k_rx_rate = pmt::mp("rx_rate");
/* Decision delay of the detector: a run of candidate windows resolves within about
 * 4 windows + 3 hops (~860 symbols, 3.2 ms) after the burst, plus its decimator's delay;
 * 10 ms (two TDMA frames) holds every burst with room to spare. */
const double k_hold_s = 0.010;
const size_t k_fifo_slack = 65536; /* consumed beyond the hold when output is blocked */
} // namespace

gsm_fcch_detector::sptr gsm_fcch_detector::make(double samp_rate,
                                                double channel_offset_hz,
                                                double max_offset_hz,
                                                double false_alarms_per_hour)
{
    return gnuradio::make_block_sptr<gsm_fcch_detector_impl>(
        samp_rate, channel_offset_hz, max_offset_hz, false_alarms_per_hour);
}

gsm_fcch_detector_impl::gsm_fcch_detector_impl(double samp_rate,
                                               double channel_offset_hz,
                                               double max_offset_hz,
                                               double false_alarms_per_hour)
    : gr::block("gsm_fcch_detector",
                gr::io_signature::make(1, 1, sizeof(gr_complex)),
                gr::io_signature::make(1, 1, sizeof(gr_complex))),
      d_rate_hz(samp_rate),
      d_hold(static_cast<uint64_t>(std::ceil(k_hold_s * samp_rate)))
{
    const std::string me = "gsm_fcch_detector: ";
    if (!(samp_rate > 0.0) || !std::isfinite(samp_rate))
        throw std::invalid_argument(me + "sample rate must be positive (got " +
                                    std::to_string(samp_rate) + ")");
    if (!std::isfinite(channel_offset_hz))
        throw std::invalid_argument(me + "channel offset must be a number of Hz");
    if (!(max_offset_hz >= 1e3 && max_offset_hz <= 90e3))
        throw std::invalid_argument(me + "max_offset_hz must be 1e3 .. 90e3 (got " +
                                    std::to_string(max_offset_hz) + ")");
    cs_gsm_fcch_config c;
    cs_gsm_fcch_config_init(&c);
    c.sample_rate_hz = samp_rate;
    c.tone_hz = channel_offset_hz + CS_GSM_FCCH_TONE_HZ;
    c.max_offset_hz = max_offset_hz;
    c.false_alarms_per_hour = false_alarms_per_hour;
    cs_clear_error();
    if (cs_gsm_fcch_detector_create(&c, &d_det) != CS_OK)
        throw std::invalid_argument(me + cs_last_error());
    message_port_register_out(k_port);
}

gsm_fcch_detector_impl::~gsm_fcch_detector_impl() { cs_gsm_fcch_detector_destroy(d_det); }

/* Tag every detection waiting in the core at its burst's first sample. */
void gsm_fcch_detector_impl::tag_detections()
{
    const uint64_t written = nitems_written(0);
    cs_gsm_fcch_detection det;
    while (cs_gsm_fcch_detector_pop(d_det, &det)) {
        const double at = std::round(det.t_start_s * d_rate_hz);
        uint64_t offset = at > 0.0 ? static_cast<uint64_t>(at) : 0;
        if (offset < written) {
            if (!d_late_warned)
                d_logger->warn("FCCH at {} s tagged late, at sample {} (hold {} samples)",
                               det.t_start_s,
                               written,
                               d_hold);
            d_late_warned = true;
            offset = written;
        }
        pmt::pmt_t v = pmt::make_dict();
        v = pmt::dict_add(v, pmt::mp("offset_hz"), pmt::from_double(det.offset_hz));
        v = pmt::dict_add(
            v, pmt::mp("offset_sigma_hz"), pmt::from_double(det.offset_sigma_hz));
        v = pmt::dict_add(v, pmt::mp("power"), pmt::from_double(det.power));
        v = pmt::dict_add(v,
                          pmt::mp("power_dbfs"),
                          pmt::from_double(det.power > 0.0 ? 10.0 * std::log10(det.power)
                                                           : -INFINITY));
        v = pmt::dict_add(v, pmt::mp("snr_db"), pmt::from_double(det.snr_db));
        v = pmt::dict_add(v, pmt::mp("statistic"), pmt::from_double(det.statistic));
        v = pmt::dict_add(v, pmt::mp("threshold"), pmt::from_double(det.threshold));
        v = pmt::dict_add(v, pmt::mp("t_start_s"), pmt::from_double(det.t_start_s));
        add_item_tag(0, offset, k_tag, v);
        message_port_pub(k_port,
                         pmt::dict_add(v, pmt::mp("offset"), pmt::from_uint64(offset)));
        d_detections++;
    }
}

/* The timing assumes samp_rate: say so once when an rx_rate tag disagrees. */
void gsm_fcch_detector_impl::check_rate(uint64_t first, uint64_t n)
{
    if (d_rate_warned || n == 0)
        return;
    std::vector<tag_t> tags;
    get_tags_in_range(tags, 0, first, first + n, k_rx_rate);
    for (const tag_t& t : tags)
        if (pmt::is_real(t.value) && pmt::to_double(t.value) != d_rate_hz) {
            d_logger->error("input at {} S/s, but the block was made for {} S/s: burst "
                            "times and frequencies are wrong",
                            pmt::to_double(t.value),
                            d_rate_hz);
            d_rate_warned = true;
            return;
        }
}

void gsm_fcch_detector_impl::forecast(int, gr_vector_int& ninput_items_required)
{
    const uint64_t written = nitems_written(0), read = nitems_read(0);
    const uint64_t safe = d_fed > d_hold ? d_fed - d_hold : 0;
    int need;
    if (d_flushed) /* only what is held is left to write */
        need = fifo_size() > 0 ? 0 : 1;
    else if (upstream_finished(*this) || safe > written)
        need = 0; /* flush, or write what is final */
    else
        need = static_cast<int>(d_fed - read) + 1; /* a sample not seen yet */
    ninput_items_required[0] = need;
}

int gsm_fcch_detector_impl::general_work(int noutput_items,
                                         gr_vector_int& ninput_items,
                                         gr_vector_const_void_star& input_items,
                                         gr_vector_void_star& output_items)
{
    auto in = static_cast<const gr_complex*>(input_items[0]);
    auto out = static_cast<gr_complex*>(output_items[0]);
    const uint64_t read = nitems_read(0), written = nitems_written(0);
    const uint64_t avail_end = read + static_cast<uint64_t>(ninput_items[0]);

    if (d_fed < avail_end) {
        check_rate(d_fed, avail_end - d_fed);
        cs_gsm_fcch_detector_execute(d_det,
                                     reinterpret_cast<const cs_cf32*>(in + (d_fed - read)),
                                     static_cast<size_t>(avail_end - d_fed));
        d_fed = avail_end;
    }
    if (!d_flushed && upstream_done(*this, ninput_items[0])) {
        cs_gsm_fcch_detector_flush(d_det);
        d_flushed = true;
    }
    tag_detections();

    /* write what no detection can precede any more: first the FIFO, then the input */
    uint64_t safe = d_flushed ? avail_end : (avail_end > d_hold ? avail_end - d_hold : 0);
    safe = std::max(safe, written);
    const uint64_t n_out = std::min<uint64_t>(noutput_items, safe - written);
    const size_t from_fifo = static_cast<size_t>(std::min<uint64_t>(n_out, fifo_size()));
    std::copy(d_fifo.begin() + d_fifo_head, d_fifo.begin() + d_fifo_head + from_fifo, out);
    d_fifo_head += from_fifo;
    std::copy(in, in + (n_out - from_fifo), out + from_fifo);
    const uint64_t written_end = written + n_out;

    /* take in what is held (bounded: the hold plus some slack while output is blocked) */
    uint64_t take_end = std::min(avail_end, written_end + d_hold + k_fifo_slack);
    take_end = std::max(take_end, std::max(read, written_end));
    for (uint64_t i = std::max(read, written_end); i < take_end; i++)
        d_fifo.push_back(in[i - read]);
    if (d_fifo_head > 0 && d_fifo_head >= d_fifo.size() / 2) {
        d_fifo.erase(d_fifo.begin(), d_fifo.begin() + d_fifo_head);
        d_fifo_head = 0;
    }
    consume_each(static_cast<int>(take_end - read));
    return static_cast<int>(n_out);
}

} // namespace cellscan
} // namespace gr
