/* -*- c++ -*- */
/*
 * gsm_carrier_searcher: feeds a cs_gsm_scanner (the object cellscan scan uses) with each
 * span of the stream and publishes its channels, carriers and activity records. The
 * samples go to the core in the 65536-sample blocks cellscan scan reads, so the same
 * recording gives bit-identical results.
 *
 * The last span must be scanned before the block reports itself done, so the block
 * always leaves one sample unread until its upstream is done (stream_end.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gsm_carrier_searcher_impl.h"
#include "gsm_report.h"
#include "stream_end.h"
#include "umts_tags.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_channels_port = pmt::mp("channels");
const pmt::pmt_t k_carriers_port = pmt::mp("carriers");
const pmt::pmt_t k_activities_port = pmt::mp("activities");
const pmt::pmt_t k_scan_port = pmt::mp("scan");
const size_t k_read_block = 65536; /* cellscan scan's read size (scan_read) */
const double k_min_span_s = 0.05;  /* about ten TDMA frames: less finds nothing */
const double k_min_rate_hz = 400e3;
} // namespace

gsm_carrier_searcher::sptr gsm_carrier_searcher::make(double samp_rate,
                                                      double centre_freq,
                                                      const std::string& band,
                                                      double span_s,
                                                      bool use_tags,
                                                      double max_offset_hz,
                                                      double fcch_false_alarms_per_hour,
                                                      double min_snr_db,
                                                      bool downlink_only)
{
    return gnuradio::make_block_sptr<gsm_carrier_searcher_impl>(samp_rate,
                                                                centre_freq,
                                                                band,
                                                                span_s,
                                                                use_tags,
                                                                max_offset_hz,
                                                                fcch_false_alarms_per_hour,
                                                                min_snr_db,
                                                                downlink_only);
}

gsm_carrier_searcher_impl::gsm_carrier_searcher_impl(double samp_rate,
                                                     double centre_freq,
                                                     const std::string& band,
                                                     double span_s,
                                                     bool use_tags,
                                                     double max_offset_hz,
                                                     double fcch_false_alarms_per_hour,
                                                     double min_snr_db,
                                                     bool downlink_only)
    : gr::block("gsm_carrier_searcher",
                gr::io_signature::make(1, 1, sizeof(gr_complex)),
                gr::io_signature::make(0, 0, 0)),
      d_band(band),
      d_span_s(span_s),
      d_use_tags(use_tags),
      d_chunk(k_read_block)
{
    const std::string me = "gsm_carrier_searcher: ";
    if (!std::isfinite(span_s) || span_s < 0.0 || (span_s > 0.0 && span_s < k_min_span_s))
        throw std::invalid_argument(me + "span must be 0 (whole stream) or at least " +
                                    std::to_string(k_min_span_s) + " s (got " +
                                    std::to_string(span_s) + ")");
    if (!(samp_rate >= 0.0) || !std::isfinite(samp_rate))
        throw std::invalid_argument(me + "sample rate must be positive (got " +
                                    std::to_string(samp_rate) + ")");
    if (samp_rate == 0.0 && !use_tags)
        throw std::invalid_argument(me + "sample rate 0 (from rx_rate tags) needs use_tags");
    cs_gsm_scanner_config_init(&d_config);
    d_config.band = d_band.empty() ? nullptr : d_band.c_str();
    d_config.max_offset_hz = max_offset_hz;
    d_config.fcch_false_alarms_per_hour = fcch_false_alarms_per_hour;
    d_config.min_snr_db = min_snr_db;
    d_config.uplink = downlink_only ? 0 : -1;
    d_config.centre_hz = umts_known_or_nan(centre_freq);
    if (samp_rate > 0.0) {
        const std::string err = configure(samp_rate, d_config.centre_hz);
        if (!err.empty())
            throw std::invalid_argument(me + err);
    }
    message_port_register_out(k_channels_port);
    message_port_register_out(k_carriers_port);
    message_port_register_out(k_activities_port);
    message_port_register_out(k_scan_port);
}

gsm_carrier_searcher_impl::~gsm_carrier_searcher_impl() { cs_gsm_scanner_destroy(d_scanner); }

/* Check that the core scans at this rate and centre (a scanner made now serves the next
 * span). Returns "" or what went wrong (then nothing is scanned until the next retune). */
std::string gsm_carrier_searcher_impl::configure(double rate_hz, double centre_hz)
{
    cs_gsm_scanner_destroy(d_scanner);
    d_scanner = nullptr;
    d_configured = false;
    d_config.sample_rate_hz = rate_hz;
    d_config.centre_hz = centre_hz;
    if (rate_hz < k_min_rate_hz)
        return "GSM needs at least 400 kS/s; the sample rate is " +
               std::to_string(rate_hz / 1e3) + " kS/s";
    cs_clear_error();
    if (cs_gsm_scanner_create(&d_config, &d_scanner) != CS_OK) {
        d_scanner = nullptr;
        return cs_last_error();
    }
    d_configured = true;
    d_span_items =
        d_span_s > 0.0 ? static_cast<uint64_t>(std::llround(d_span_s * rate_hz)) : 0;
    d_logger->trace("{} channels at {} S/s, centre {} Hz, spans of {} samples",
                    cs_gsm_scanner_num_channels(d_scanner),
                    rate_hz,
                    centre_hz,
                    d_span_items);
    return "";
}

double gsm_carrier_searcher_impl::time_s(uint64_t item) const
{
    const double rate_hz = d_config.sample_rate_hz;
    return rate_hz > 0.0 ? d_origin_s + (item - d_origin_item) / rate_hz : d_origin_s;
}

void gsm_carrier_searcher_impl::retune(double rate_hz, double centre_hz, uint64_t item)
{
    if (!(rate_hz > 0.0) || !std::isfinite(rate_hz)) {
        d_logger->warn("ignoring rx_rate {} at item {}", rate_hz, item);
        rate_hz = d_config.sample_rate_hz;
    }
    centre_hz = umts_known_or_nan(centre_hz);
    if (rate_hz == d_config.sample_rate_hz && umts_same_freq(centre_hz, d_config.centre_hz))
        return;
    finish_span(item);
    d_origin_s = time_s(item);
    d_origin_item = item;
    d_span_first = item;
    if (rate_hz > 0.0) {
        const std::string err = configure(rate_hz, centre_hz);
        if (!err.empty())
            d_logger->error("cannot scan at {} Hz, centre {} Hz: {}; samples are not "
                            "scanned until the next rx_rate or rx_freq tag",
                            rate_hz,
                            centre_hz,
                            err);
    } else {
        d_config.centre_hz = centre_hz;
    }
}

void gsm_carrier_searcher_impl::feed_chunk()
{
    if (d_chunk_fill == 0)
        return;
    cs_clear_error();
    if (!d_span_failed && d_scanner &&
        cs_gsm_scanner_execute(d_scanner, d_chunk.data(), d_chunk_fill) != CS_OK) {
        d_logger->error("{}; this span is not reported", cs_last_error());
        d_span_failed = true;
    }
    d_chunk_fill = 0;
}

void gsm_carrier_searcher_impl::consume(const gr_complex* x, size_t n, uint64_t first_item)
{
    if (n == 0)
        return;
    if (!d_configured) {
        if (d_dropped == 0)
            d_logger->warn(d_config.sample_rate_hz > 0.0
                               ? "no GSM channel to scan; samples are dropped"
                               : "sample rate unknown until an rx_rate tag arrives; samples "
                                 "before it are not scanned");
        d_dropped += n;
        d_span_first = first_item + n;
        return;
    }
    while (n > 0) {
        if (!d_scanner && !d_span_failed) { /* a new span: a new scan */
            cs_clear_error();
            if (cs_gsm_scanner_create(&d_config, &d_scanner) != CS_OK) {
                d_logger->error("{}; this span is not reported", cs_last_error());
                d_scanner = nullptr;
                d_span_failed = true;
            }
        }
        uint64_t take = std::min<uint64_t>(n, k_read_block - d_chunk_fill);
        if (d_span_items > 0)
            take = std::min<uint64_t>(take, d_span_items - d_span_fed);
        std::copy(x, x + take, d_chunk.begin() + d_chunk_fill);
        d_chunk_fill += take;
        d_span_fed += take;
        x += take;
        n -= take;
        first_item += take;
        if (d_chunk_fill == k_read_block)
            feed_chunk();
        if (d_span_items > 0 && d_span_fed == d_span_items)
            finish_span(first_item);
    }
}

/* Scan the span [d_span_first, end_item) and start the next one at end_item. */
void gsm_carrier_searcher_impl::finish_span(uint64_t end_item)
{
    if (d_span_fed > 0) {
        feed_chunk();
        if (d_scanner && !d_span_failed)
            publish(end_item);
    }
    if (d_span_fed > 0 || d_span_failed) {
        cs_gsm_scanner_destroy(d_scanner);
        d_scanner = nullptr;
    }
    d_span_first = end_item;
    d_span_fed = 0;
    d_chunk_fill = 0;
    d_span_failed = false;
}

void gsm_carrier_searcher_impl::publish(uint64_t end_item)
{
    const cs_gsm_scan_results* r = nullptr;
    cs_clear_error();
    if (cs_gsm_scanner_finish(d_scanner, &r) != CS_OK) {
        d_logger->error("{}; this span is not reported", cs_last_error());
        return;
    }
    const double t0_s = time_s(d_span_first);
    for (size_t i = 0; i < r->num_channels; i++)
        message_port_pub(k_channels_port, gsm_channel_dict(r->channels[i]));
    for (size_t i = 0; i < r->num_carriers; i++)
        message_port_pub(k_carriers_port, gsm_carrier_dict(r->carriers[i], t0_s));
    for (size_t i = 0; i < r->num_activities; i++)
        message_port_pub(k_activities_port, gsm_activity_dict(r->activities[i], t0_s));
    message_port_pub(
        k_scan_port,
        gsm_scan_dict(
            *r, d_config.sample_rate_hz, d_config.centre_hz, t0_s, time_s(end_item)));
    d_carriers += r->num_carriers;
    d_scans++;
    d_logger->trace("{} carrier(s), {} activity record(s) in {:.3f} .. {:.3f} s",
                   r->num_carriers,
                   r->num_activities,
                   t0_s,
                   time_s(end_item));
}

void gsm_carrier_searcher_impl::forecast(int noutput_items,
                                         gr_vector_int& ninput_items_required)
{
    /* one more than will be read, so the scheduler waits for input instead of calling
     * work for the sample held back; all of it once the upstream is done */
    ninput_items_required[0] = upstream_finished(*this) ? noutput_items : noutput_items + 1;
}

bool gsm_carrier_searcher_impl::start()
{
    d_finished = false; /* a flowgraph may run again */
    return true;
}

bool gsm_carrier_searcher_impl::stop()
{
    /* stopped before the end of the stream (tb.stop()): scan what was taken; the
     * messages may reach only the sinks still running */
    if (!d_finished)
        finish_span(nitems_read(0));
    d_finished = true;
    return true;
}

int gsm_carrier_searcher_impl::general_work(int,
                                            gr_vector_int& ninput_items,
                                            gr_vector_const_void_star& input_items,
                                            gr_vector_void_star&)
{
    const bool last = upstream_done(*this, ninput_items[0]);
    const int n = last ? ninput_items[0] : ninput_items[0] - 1;
    if (n <= 0 && !last)
        return 0;
    auto in = static_cast<const gr_complex*>(input_items[0]);
    const uint64_t first = nitems_read(0);
    size_t done = 0;
    if (d_use_tags) {
        std::vector<tag_t> tags;
        get_tags_in_range(tags, 0, first, first + n);
        for (const umts_retune& r :
             umts_rx_retunes(tags, d_config.sample_rate_hz, d_config.centre_hz)) {
            const size_t upto = static_cast<size_t>(r.item - first);
            consume(in + done, upto - done, first + done);
            done = upto;
            retune(r.rate_hz, r.centre_hz, r.item);
        }
    }
    consume(in + done, static_cast<size_t>(n) - done, first + done);
    if (last && !d_finished) {
        finish_span(first + n);
        d_finished = true;
    }
    consume_each(n);
    return 0;
}

} // namespace cellscan
} // namespace gr
