/* -*- c++ -*- */
/*
 * channel_power: feeds a cs_channel_power with the input stream and publishes its channel
 * table once per integration period. Retunes on rx_rate / rx_freq tags when asked to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "channel_power_impl.h"
#include "power_report.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_port = pmt::mp("power");
const pmt::pmt_t k_rx_rate = pmt::mp("rx_rate");
const pmt::pmt_t k_rx_freq = pmt::mp("rx_freq");

cs_raster parse_raster(const std::string& name)
{
    std::string s = name;
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    if (s == "gsm")
        return CS_RASTER_GSM;
    if (s == "umts")
        return CS_RASTER_UMTS;
    if (s == "bins")
        return CS_RASTER_BINS;
    throw std::invalid_argument("channel_power: raster must be gsm, umts or bins (got '" +
                                name + "')");
}

/* 0 and non-finite centre frequencies both mean "unknown". */
double known_or_nan(double centre_hz)
{
    return std::isfinite(centre_hz) && centre_hz != 0.0 ? centre_hz : NAN;
}

bool same_freq(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
} // namespace

channel_power::sptr channel_power::make(const std::string& raster,
                                        const std::string& band,
                                        double samp_rate,
                                        double centre_freq,
                                        double integration_s,
                                        bool use_tags,
                                        double bin_hz,
                                        double threshold_db,
                                        unsigned nfft)
{
    return gnuradio::make_block_sptr<channel_power_impl>(raster,
                                                         band,
                                                         samp_rate,
                                                         centre_freq,
                                                         integration_s,
                                                         use_tags,
                                                         bin_hz,
                                                         threshold_db,
                                                         nfft);
}

channel_power_impl::channel_power_impl(const std::string& raster,
                                       const std::string& band,
                                       double samp_rate,
                                       double centre_freq,
                                       double integration_s,
                                       bool use_tags,
                                       double bin_hz,
                                       double threshold_db,
                                       unsigned nfft)
    : gr::sync_block("channel_power",
                     gr::io_signature::make(1, 1, sizeof(gr_complex)),
                     gr::io_signature::make(0, 0, 0)),
      d_raster_name(raster),
      d_band(band),
      d_integration_s(integration_s),
      d_use_tags(use_tags)
{
    cs_channel_power_params_init(&d_params);
    d_params.raster = parse_raster(raster);
    d_params.band = d_band.empty() ? nullptr : d_band.c_str();
    d_params.bin_hz = bin_hz;
    d_params.nfft = nfft;
    d_params.threshold_db = threshold_db;
    d_params.centre_hz = known_or_nan(centre_freq);
    d_params.sample_rate_hz = 0.0;

    if (!(integration_s > 0.0) || !std::isfinite(integration_s))
        throw std::invalid_argument(
            "channel_power: integration period must be a positive number of seconds (got " +
            std::to_string(integration_s) + ")");
    if (!(samp_rate >= 0.0) || !std::isfinite(samp_rate))
        throw std::invalid_argument("channel_power: sample rate must be positive (got " +
                                    std::to_string(samp_rate) + ")");
    if (samp_rate == 0.0 && !use_tags)
        throw std::invalid_argument(
            "channel_power: sample rate 0 (from rx_rate tags) needs use_tags");
    if (samp_rate > 0.0) {
        const std::string err = configure(samp_rate, d_params.centre_hz, true);
        if (!err.empty())
            throw std::invalid_argument("channel_power: " + err);
    }
    message_port_register_out(k_port);
}

channel_power_impl::~channel_power_impl() { cs_channel_power_destroy(d_cp); }

/* Replace the core object for a new rate and centre. Returns "" or what went wrong. A
 * period shorter than one FFT is an error when strict (user parameters), otherwise it
 * is stretched to one FFT (a tag we cannot refuse). */
std::string channel_power_impl::configure(double rate_hz, double centre_hz, bool strict)
{
    cs_channel_power_destroy(d_cp);
    d_cp = nullptr;
    d_params.sample_rate_hz = rate_hz;
    d_params.centre_hz = centre_hz;
    cs_clear_error();
    cs_channel_power cp = nullptr;
    if (cs_channel_power_create(&d_params, &cp) != CS_OK)
        return cs_last_error();
    const unsigned nfft = cs_channel_power_nfft(cp);
    d_period_items = static_cast<uint64_t>(std::llround(d_integration_s * rate_hz));
    if (d_period_items < nfft) {
        const std::string msg = "integration period " + std::to_string(d_integration_s) +
                                " s is " + std::to_string(d_period_items) +
                                " samples at " + std::to_string(rate_hz) +
                                " Hz, fewer than one FFT of " + std::to_string(nfft);
        if (strict) {
            cs_channel_power_destroy(cp);
            return msg;
        }
        d_logger->warn("{}; using {} samples", msg, nfft);
        d_period_items = nfft;
    }
    d_cp = cp;
    d_results.resize(cs_channel_power_num_channels(cp));
    d_logger->trace("{} channels, nfft {}, {} samples per period",
                    d_results.size(),
                    nfft,
                    d_period_items);
    return "";
}

double channel_power_impl::time_s(uint64_t item) const
{
    const double rate_hz = d_params.sample_rate_hz;
    return rate_hz > 0.0 ? d_origin_s + (item - d_origin_item) / rate_hz : d_origin_s;
}

/* Apply rx_rate / rx_freq values that take effect at stream item `item`. */
void channel_power_impl::retune(double rate_hz, double centre_hz, uint64_t item)
{
    if (!(rate_hz > 0.0) || !std::isfinite(rate_hz)) {
        d_logger->warn("ignoring rx_rate {} at item {}", rate_hz, item);
        rate_hz = d_params.sample_rate_hz;
    }
    centre_hz = known_or_nan(centre_hz);
    if (rate_hz == d_params.sample_rate_hz && same_freq(centre_hz, d_params.centre_hz))
        return;
    if (d_cp)
        publish(item); /* the period so far, when it holds at least one FFT */
    d_origin_s = time_s(item);
    d_origin_item = item;
    d_period_start = item;
    d_period_fill = 0;
    if (rate_hz > 0.0) {
        const std::string err = configure(rate_hz, centre_hz, false);
        if (!err.empty())
            d_logger->error("cannot measure at {} Hz, centre {} Hz: {}; samples are not "
                            "measured until the next rx_rate or rx_freq tag",
                            rate_hz,
                            centre_hz,
                            err);
    } else {
        d_params.centre_hz = centre_hz;
    }
}

void channel_power_impl::consume(const gr_complex* x, size_t n, uint64_t first_item)
{
    if (n == 0)
        return;
    if (!d_cp) {
        if (d_dropped == 0 && d_params.sample_rate_hz == 0.0)
            d_logger->warn("sample rate unknown until an rx_rate tag arrives; samples "
                           "before it are not measured");
        d_dropped += n;
        return;
    }
    while (n > 0) {
        const size_t take = static_cast<size_t>(
            std::min<uint64_t>(n, d_period_items - d_period_fill));
        if (cs_channel_power_execute(d_cp, x, take) != CS_OK)
            d_logger->error("{}", cs_last_error());
        x += take;
        n -= take;
        first_item += take;
        d_period_fill += take;
        if (d_period_fill == d_period_items) {
            publish(first_item);
            cs_channel_power_reset(d_cp);
            d_period_start = first_item;
            d_period_fill = 0;
        }
    }
}

/* Publish the period [d_period_start, end_item) unless it is shorter than one FFT. */
void channel_power_impl::publish(uint64_t end_item)
{
    if (d_period_fill < cs_channel_power_nfft(d_cp) ||
        cs_channel_power_results(d_cp, d_results.data()) != CS_OK)
        return;
    power_report_period period;
    period.t_start_s = time_s(d_period_start);
    period.t_end_s = time_s(end_item);
    period.sample_rate_hz = d_params.sample_rate_hz;
    period.centre_hz = d_params.centre_hz;
    period.raster = d_params.raster == CS_RASTER_GSM    ? "gsm"
                    : d_params.raster == CS_RASTER_UMTS ? "umts"
                                                        : "bins";
    period.nfft = cs_channel_power_nfft(d_cp);
    period.segments = cs_channel_power_num_segments(d_cp);
    period.noise_density_dbfs_hz = cs_channel_power_noise_density_dbfs_hz(d_cp);
    message_port_pub(k_port,
                     make_power_report(period,
                                       cs_channel_power_channels(d_cp),
                                       d_results.data(),
                                       d_results.size()));
    d_reports++;
}

int channel_power_impl::work(int noutput_items,
                             gr_vector_const_void_star& input_items,
                             gr_vector_void_star&)
{
    auto in = static_cast<const gr_complex*>(input_items[0]);
    const uint64_t first = nitems_read(0);
    size_t done = 0;
    if (d_use_tags) {
        std::vector<tag_t> tags;
        get_tags_in_window(tags, 0, 0, noutput_items);
        std::stable_sort(tags.begin(), tags.end(), tag_t::offset_compare);
        for (size_t i = 0; i < tags.size();) {
            const uint64_t at = tags[i].offset;
            double rate_hz = d_params.sample_rate_hz;
            double centre_hz = d_params.centre_hz;
            bool seen = false;
            for (; i < tags.size() && tags[i].offset == at; i++) {
                const tag_t& t = tags[i];
                if (!pmt::is_number(t.value) || pmt::is_complex(t.value))
                    continue;
                if (pmt::eq(t.key, k_rx_rate)) {
                    rate_hz = pmt::to_double(t.value);
                    seen = true;
                } else if (pmt::eq(t.key, k_rx_freq)) {
                    centre_hz = pmt::to_double(t.value);
                    seen = true;
                }
            }
            if (!seen)
                continue;
            const size_t upto = static_cast<size_t>(at - first);
            consume(in + done, upto - done, first + done);
            done = upto;
            retune(rate_hz, centre_hz, at);
        }
    }
    consume(in + done, static_cast<size_t>(noutput_items) - done, first + done);
    return noutput_items;
}

} // namespace cellscan
} // namespace gr
