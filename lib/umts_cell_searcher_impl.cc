/* -*- c++ -*- */
/*
 * umts_cell_searcher: feeds a cs_umts_searcher with each span of the stream and publishes
 * its cells. The core's front end works in 8192-sample chunks from the start of each call
 * (impulse blanking, mixer phase), so the samples go to it in the 65536-sample blocks
 * cellscan scan reads: the same recording then gives bit-identical cells. The spans,
 * read blocks, tags and end of stream are span_feeder's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_cell_searcher_impl.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <cellscan/umts_frontend.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_cells_port = pmt::mp("cells");
const pmt::pmt_t k_carrier_port = pmt::mp("carrier");
const size_t k_default_cache = size_t(1) << 23; /* the core's default: 1.09 s */
const size_t k_max_cache = size_t(1) << 30;
const double k_cache_margin = 16384; /* working samples beyond a span (front end tail) */
const double k_min_span_s = 0.01;    /* one frame: less cannot give a cell */
} // namespace

umts_cell_searcher::sptr umts_cell_searcher::make(double samp_rate,
                                                  double centre_freq,
                                                  int uarfcn,
                                                  double offset_hz,
                                                  bool snap,
                                                  const std::string& band,
                                                  double span_s,
                                                  bool use_tags,
                                                  double freq_range_hz,
                                                  double freq_step_hz,
                                                  double max_drift_ppm,
                                                  unsigned max_cells,
                                                  double p_false,
                                                  double path_threshold_db,
                                                  bool cancellation)
{
    return gnuradio::make_block_sptr<umts_cell_searcher_impl>(samp_rate,
                                                              centre_freq,
                                                              uarfcn,
                                                              offset_hz,
                                                              snap,
                                                              band,
                                                              span_s,
                                                              use_tags,
                                                              freq_range_hz,
                                                              freq_step_hz,
                                                              max_drift_ppm,
                                                              max_cells,
                                                              p_false,
                                                              path_threshold_db,
                                                              cancellation);
}

umts_cell_searcher_impl::umts_cell_searcher_impl(double samp_rate,
                                                 double centre_freq,
                                                 int uarfcn,
                                                 double offset_hz,
                                                 bool snap,
                                                 const std::string& band,
                                                 double span_s,
                                                 bool use_tags,
                                                 double freq_range_hz,
                                                 double freq_step_hz,
                                                 double max_drift_ppm,
                                                 unsigned max_cells,
                                                 double p_false,
                                                 double path_threshold_db,
                                                 bool cancellation)
    : gr::block("umts_cell_searcher",
                gr::io_signature::make(1, 1, sizeof(gr_complex)),
                gr::io_signature::make(0, 0, 0)),
      span_feeder("umts_cell_searcher",
                  { "search", "searched", "no carrier to search" },
                  samp_rate,
                  centre_freq,
                  span_s,
                  k_min_span_s,
                  use_tags),
      d_uarfcn(uarfcn),
      d_offset_hz(offset_hz),
      d_snap(snap),
      d_band(band)
{
    cs_umts_searcher_params_init(&d_params);
    d_params.freq_range_hz = freq_range_hz;
    d_params.freq_step_hz = freq_step_hz;
    d_params.max_drift_ppm = max_drift_ppm;
    d_params.max_cells = max_cells;
    d_params.p_false = p_false;
    d_params.path_threshold_db = path_threshold_db;
    d_params.cancellation = cancellation ? 1 : 0;

    const std::string me = "umts_cell_searcher: ";
    if (!std::isfinite(offset_hz))
        throw std::invalid_argument(me + "carrier offset must be a number of Hz");
    if (samp_rate > 0.0) {
        const std::string err = configure(samp_rate, centre_hz());
        /* a UARFCN without a centre can still be served by an rx_freq tag */
        if (!err.empty() && !(use_tags && uarfcn >= 0 && std::isnan(centre_hz())))
            throw std::invalid_argument(me + err);
    }
    message_port_register_out(k_cells_port);
    message_port_register_out(k_carrier_port);
}

umts_cell_searcher_impl::~umts_cell_searcher_impl() { cs_umts_searcher_destroy(d_searcher); }

/* A new searcher for this rate and centre. */
std::string umts_cell_searcher_impl::configure_core()
{
    cs_umts_searcher_destroy(d_searcher);
    d_searcher = nullptr;
    const double rate_hz = this->rate_hz();
    d_params.input_rate_hz = rate_hz;
    if (rate_hz < 3.84e6 * (1 - 1e-9))
        return "UMTS needs at least 3.84 MS/s; the sample rate is " +
               std::to_string(rate_hz / 1e6) + " MS/s";
    const std::string err = umts_plan_carrier(
        rate_hz, centre_hz(), d_uarfcn, d_offset_hz, d_snap, d_band, &d_carrier);
    if (!err.empty())
        return err;
    if (d_snap && d_uarfcn < 0 && rate_hz >= 9.6e6)
        d_logger->info("searching the carrier {} Hz from the centre only: cellscan scan "
                       "would look for others in the spectrum of this {} MS/s stream (give "
                       "their UARFCNs or offsets to a UMTS Scanner)",
                       d_carrier.offset_hz,
                       rate_hz / 1e6);

    const double per_input = CS_UMTS_WORK_RATE_HZ / rate_hz;
    const double fit_items = std::floor((k_default_cache - k_cache_margin) / per_input);
    d_params.cache_samples = k_default_cache;
    d_params.expected_input_samples = 0;
    if (span_s() > 0.0) {
        const uint64_t span_items = static_cast<uint64_t>(std::llround(span_s() * rate_hz));
        const double need = std::ceil(span_items * per_input) + k_cache_margin;
        if (need > static_cast<double>(k_max_cache))
            return "a span of " + std::to_string(span_s()) + " s is too long to hold";
        set_span_items(span_items);
        d_params.cache_samples = std::max(k_default_cache, static_cast<size_t>(need));
        d_params.expected_input_samples = span_items;
    } else { /* whole frames, so the spans of a long stream start on frame boundaries */
        const double frame_items = rate_hz * 0.01;
        set_span_items(static_cast<uint64_t>(
            std::floor(std::floor(fit_items / frame_items) * frame_items)));
        /* the most one span can bring: the searcher takes the same path as the CLI's
         * (which knows the file's length), and a shorter stream changes nothing */
        d_params.expected_input_samples = span_items();
    }
    d_params.carrier_offset_hz = d_carrier.offset_hz;
    cs_clear_error();
    if (cs_umts_searcher_create(&d_params, &d_searcher) != CS_OK) {
        d_searcher = nullptr;
        return cs_last_error();
    }
    d_logger->trace("carrier {} Hz from the centre (UARFCN {}), spans of {} samples",
                    d_carrier.offset_hz,
                    d_carrier.uarfcn,
                    span_items());
    return "";
}

/* Stream time of an item in chips modulo one frame, computed so that a whole number of
 * frames gives exactly 0. */
double umts_cell_searcher_impl::chips_mod_frame(uint64_t item) const
{
    const double chip_rate_hz = 3.84e6, frame_chips = 38400.0;
    const double rate_hz = this->rate_hz();
    const double origin = std::fmod(origin_s() * chip_rate_hz, frame_chips);
    const double since = rate_hz > 0.0
                             ? std::fmod((item - origin_item()) * (chip_rate_hz / rate_hz),
                                         frame_chips)
                             : 0.0;
    return std::fmod(origin + since, frame_chips);
}

int umts_cell_searcher_impl::execute(const gr_complex* x, size_t n)
{
    return cs_umts_searcher_execute(d_searcher, x, n);
}

void umts_cell_searcher_impl::close_span()
{
    if (d_searcher)
        cs_umts_searcher_reset(d_searcher);
}

void umts_cell_searcher_impl::publish(uint64_t end_item)
{
    cs_clear_error();
    const int rc = cs_umts_searcher_end_pass(d_searcher);
    if (rc == CS_ENOTFOUND) { /* too short to search: no cells, as in cellscan scan */
        d_logger->debug("span of {} samples is too short to search", span_fed());
        return;
    }
    if (rc == 1) { /* only when the cache could not be allocated */
        d_logger->error("the search needs the samples a second time (out of memory for "
                        "its cache); span not reported");
        return;
    }
    if (rc < 0) {
        d_logger->error("{}", *cs_last_error() ? cs_last_error() : cs_strerror(rc));
        return;
    }
    const double t0_s = time_s(span_first());
    const size_t n = cs_umts_searcher_num_cells(d_searcher);
    for (size_t i = 0; i < n; i++)
        message_port_pub(k_cells_port,
                         umts_cell_dict(d_carrier,
                                        *cs_umts_searcher_cell(d_searcher, i),
                                        t0_s,
                                        chips_mod_frame(span_first())));
    message_port_pub(k_carrier_port,
                     umts_carrier_dict(d_carrier, d_searcher, n, t0_s, time_s(end_item)));
    d_cells += n;
    d_searches++;
    d_logger->trace("{} cell(s) in {:.3f} .. {:.3f} s", n, t0_s, time_s(end_item));
}

} // namespace cellscan
} // namespace gr
