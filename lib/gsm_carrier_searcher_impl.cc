/* -*- c++ -*- */
/*
 * gsm_carrier_searcher: feeds a cs_gsm_scanner (the object cellscan scan uses) with each
 * span of the stream and publishes its channels, carriers and activity records. The
 * spans, read blocks, tags and end of stream are span_feeder's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gsm_carrier_searcher_impl.h"
#include "gsm_report.h"
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
      span_feeder("gsm_carrier_searcher",
                  { "scan", "scanned", "no GSM channel to scan" },
                  samp_rate,
                  centre_freq,
                  span_s,
                  k_min_span_s,
                  use_tags),
      d_band(band)
{
    cs_gsm_scanner_config_init(&d_config);
    d_config.band = d_band.empty() ? nullptr : d_band.c_str();
    d_config.max_offset_hz = max_offset_hz;
    d_config.fcch_false_alarms_per_hour = fcch_false_alarms_per_hour;
    d_config.min_snr_db = min_snr_db;
    d_config.uplink = downlink_only ? 0 : -1;
    d_config.centre_hz = centre_hz();
    if (samp_rate > 0.0) {
        const std::string err = configure(samp_rate, centre_hz());
        if (!err.empty())
            throw std::invalid_argument("gsm_carrier_searcher: " + err);
    }
    message_port_register_out(k_channels_port);
    message_port_register_out(k_carriers_port);
    message_port_register_out(k_activities_port);
    message_port_register_out(k_scan_port);
}

gsm_carrier_searcher_impl::~gsm_carrier_searcher_impl() { cs_gsm_scanner_destroy(d_scanner); }

/* Check that the core scans at this rate and centre (a scanner made now serves the next
 * span). */
std::string gsm_carrier_searcher_impl::configure_core()
{
    cs_gsm_scanner_destroy(d_scanner);
    d_scanner = nullptr;
    d_config.sample_rate_hz = rate_hz();
    d_config.centre_hz = centre_hz();
    if (rate_hz() < k_min_rate_hz)
        return "GSM needs at least 400 kS/s; the sample rate is " +
               std::to_string(rate_hz() / 1e3) + " kS/s";
    cs_clear_error();
    if (cs_gsm_scanner_create(&d_config, &d_scanner) != CS_OK) {
        d_scanner = nullptr;
        return cs_last_error();
    }
    set_span_items(span_s() > 0.0 ? static_cast<uint64_t>(std::llround(span_s() * rate_hz()))
                                  : 0);
    d_logger->trace("{} channels at {} S/s, centre {} Hz, spans of {} samples",
                    cs_gsm_scanner_num_channels(d_scanner),
                    rate_hz(),
                    centre_hz(),
                    span_items());
    return "";
}

/* Each span is a new scan. */
bool gsm_carrier_searcher_impl::open_span()
{
    if (d_scanner)
        return true;
    if (cs_gsm_scanner_create(&d_config, &d_scanner) != CS_OK) {
        d_scanner = nullptr;
        return false;
    }
    return true;
}

int gsm_carrier_searcher_impl::execute(const gr_complex* x, size_t n)
{
    return d_scanner ? cs_gsm_scanner_execute(d_scanner, x, n) : CS_OK;
}

void gsm_carrier_searcher_impl::close_span()
{
    cs_gsm_scanner_destroy(d_scanner);
    d_scanner = nullptr;
}

void gsm_carrier_searcher_impl::publish(uint64_t end_item)
{
    if (!d_scanner)
        return;
    const cs_gsm_scan_results* r = nullptr;
    cs_clear_error();
    if (cs_gsm_scanner_finish(d_scanner, &r) != CS_OK) {
        d_logger->error("{}; this span is not reported", cs_last_error());
        return;
    }
    const double t0_s = time_s(span_first());
    for (size_t i = 0; i < r->num_channels; i++)
        message_port_pub(k_channels_port, gsm_channel_dict(r->channels[i]));
    for (size_t i = 0; i < r->num_carriers; i++)
        message_port_pub(k_carriers_port, gsm_carrier_dict(r->carriers[i], t0_s));
    for (size_t i = 0; i < r->num_activities; i++)
        message_port_pub(k_activities_port, gsm_activity_dict(r->activities[i], t0_s));
    message_port_pub(k_scan_port,
                     gsm_scan_dict(*r, rate_hz(), centre_hz(), t0_s, time_s(end_item)));
    d_carriers += r->num_carriers;
    d_scans++;
    d_logger->trace("{} carrier(s), {} activity record(s) in {:.3f} .. {:.3f} s",
                    r->num_carriers,
                    r->num_activities,
                    t0_s,
                    time_s(end_item));
}

} // namespace cellscan
} // namespace gr
