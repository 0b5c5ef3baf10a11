/* -*- c++ -*- */
/*
 * umts_cell_searcher: feeds a cs_umts_searcher with each span of the stream and publishes
 * its cells. The core's front end works in 8192-sample chunks from the start of each call
 * (impulse blanking, mixer phase), so the samples go to it in the 65536-sample blocks
 * cellscan scan reads: the same recording then gives bit-identical cells.
 *
 * The last span must be searched before the block reports itself done (a message sent
 * from stop() can reach a sink that has already shut down), so the block always leaves
 * one sample unread until its upstream is done: it then sees the end of the stream in
 * general_work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_cell_searcher_impl.h"
#include "umts_tags.h"
#include <gnuradio/block_detail.h>
#include <gnuradio/buffer_reader.h>
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
const size_t k_read_block = 65536;          /* cellscan scan's read size (scan_read) */
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
      d_uarfcn(uarfcn),
      d_offset_hz(offset_hz),
      d_snap(snap),
      d_band(band),
      d_span_s(span_s),
      d_use_tags(use_tags),
      d_chunk(k_read_block)
{
    cs_umts_searcher_params_init(&d_params);
    d_params.freq_range_hz = freq_range_hz;
    d_params.freq_step_hz = freq_step_hz;
    d_params.max_drift_ppm = max_drift_ppm;
    d_params.max_cells = max_cells;
    d_params.p_false = p_false;
    d_params.path_threshold_db = path_threshold_db;
    d_params.cancellation = cancellation ? 1 : 0;
    d_centre_hz = umts_known_or_nan(centre_freq);

    const std::string me = "umts_cell_searcher: ";
    if (!std::isfinite(span_s) || span_s < 0.0 || (span_s > 0.0 && span_s < k_min_span_s))
        throw std::invalid_argument(me + "span must be 0 (whole stream) or at least " +
                                    std::to_string(k_min_span_s) + " s (got " +
                                    std::to_string(span_s) + ")");
    if (!(samp_rate >= 0.0) || !std::isfinite(samp_rate))
        throw std::invalid_argument(me + "sample rate must be positive (got " +
                                    std::to_string(samp_rate) + ")");
    if (samp_rate == 0.0 && !use_tags)
        throw std::invalid_argument(me + "sample rate 0 (from rx_rate tags) needs use_tags");
    if (!std::isfinite(offset_hz))
        throw std::invalid_argument(me + "carrier offset must be a number of Hz");
    if (samp_rate > 0.0) {
        const std::string err = configure(samp_rate, d_centre_hz);
        /* a UARFCN without a centre can still be served by an rx_freq tag */
        if (!err.empty() && !(use_tags && uarfcn >= 0 && std::isnan(d_centre_hz)))
            throw std::invalid_argument(me + err);
    }
    message_port_register_out(k_cells_port);
    message_port_register_out(k_carrier_port);
}

umts_cell_searcher_impl::~umts_cell_searcher_impl() { cs_umts_searcher_destroy(d_searcher); }

/* A new searcher for this rate and centre. Returns "" or what went wrong (then no search
 * runs until the next retune). */
std::string umts_cell_searcher_impl::configure(double rate_hz, double centre_hz)
{
    cs_umts_searcher_destroy(d_searcher);
    d_searcher = nullptr;
    d_params.input_rate_hz = rate_hz;
    d_centre_hz = centre_hz;
    if (rate_hz < 3.84e6 * (1 - 1e-9))
        return "UMTS needs at least 3.84 MS/s; the sample rate is " +
               std::to_string(rate_hz / 1e6) + " MS/s";
    const std::string err =
        umts_plan_carrier(rate_hz, centre_hz, d_uarfcn, d_offset_hz, d_snap, d_band, &d_carrier);
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
    if (d_span_s > 0.0) {
        d_span_items = static_cast<uint64_t>(std::llround(d_span_s * rate_hz));
        const double need = std::ceil(d_span_items * per_input) + k_cache_margin;
        if (need > static_cast<double>(k_max_cache))
            return "a span of " + std::to_string(d_span_s) + " s is too long to hold";
        d_params.cache_samples = std::max(k_default_cache, static_cast<size_t>(need));
        d_params.expected_input_samples = d_span_items;
    } else { /* whole frames, so the spans of a long stream start on frame boundaries */
        const double frame_items = rate_hz * 0.01;
        d_span_items = static_cast<uint64_t>(std::floor(std::floor(fit_items / frame_items) *
                                                        frame_items));
        /* the most one span can bring: the searcher takes the same path as the CLI's
         * (which knows the file's length), and a shorter stream changes nothing */
        d_params.expected_input_samples = d_span_items;
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
                    d_span_items);
    return "";
}

double umts_cell_searcher_impl::time_s(uint64_t item) const
{
    const double rate_hz = d_params.input_rate_hz;
    return rate_hz > 0.0 ? d_origin_s + (item - d_origin_item) / rate_hz : d_origin_s;
}

/* Stream time of an item in chips modulo one frame, computed so that a whole number of
 * frames gives exactly 0. */
double umts_cell_searcher_impl::chips_mod_frame(uint64_t item) const
{
    const double chip_rate_hz = 3.84e6, frame_chips = 38400.0;
    const double rate_hz = d_params.input_rate_hz;
    const double origin = std::fmod(d_origin_s * chip_rate_hz, frame_chips);
    const double since = rate_hz > 0.0
                             ? std::fmod((item - d_origin_item) * (chip_rate_hz / rate_hz),
                                         frame_chips)
                             : 0.0;
    return std::fmod(origin + since, frame_chips);
}

void umts_cell_searcher_impl::retune(double rate_hz, double centre_hz, uint64_t item)
{
    if (!(rate_hz > 0.0) || !std::isfinite(rate_hz)) {
        d_logger->warn("ignoring rx_rate {} at item {}", rate_hz, item);
        rate_hz = d_params.input_rate_hz;
    }
    centre_hz = umts_known_or_nan(centre_hz);
    if (rate_hz == d_params.input_rate_hz && umts_same_freq(centre_hz, d_centre_hz))
        return;
    finish_span(item);
    d_origin_s = time_s(item);
    d_origin_item = item;
    d_span_first = item;
    if (rate_hz > 0.0) {
        const std::string err = configure(rate_hz, centre_hz);
        if (!err.empty())
            d_logger->error("cannot search at {} Hz, centre {} Hz: {}; samples are not "
                            "searched until the next rx_rate or rx_freq tag",
                            rate_hz,
                            centre_hz,
                            err);
    } else {
        d_centre_hz = centre_hz;
    }
}

void umts_cell_searcher_impl::feed_chunk()
{
    if (d_chunk_fill == 0)
        return;
    cs_clear_error();
    if (!d_span_failed &&
        cs_umts_searcher_execute(d_searcher, d_chunk.data(), d_chunk_fill) != CS_OK) {
        d_logger->error("{}; this span is not reported", cs_last_error());
        d_span_failed = true;
    }
    d_chunk_fill = 0;
}

void umts_cell_searcher_impl::consume(const gr_complex* x, size_t n, uint64_t first_item)
{
    if (n == 0)
        return;
    if (!d_searcher) {
        if (d_dropped == 0)
            d_logger->warn(d_params.input_rate_hz > 0.0
                               ? "no carrier to search; samples are dropped"
                               : "sample rate unknown until an rx_rate tag arrives; samples "
                                 "before it are not searched");
        d_dropped += n;
        d_span_first = first_item + n;
        return;
    }
    while (n > 0) {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(
            std::min<uint64_t>(n, d_span_items - d_span_fed), k_read_block - d_chunk_fill));
        std::copy(x, x + take, d_chunk.begin() + d_chunk_fill);
        d_chunk_fill += take;
        d_span_fed += take;
        x += take;
        n -= take;
        first_item += take;
        if (d_chunk_fill == k_read_block)
            feed_chunk();
        if (d_span_fed == d_span_items)
            finish_span(first_item);
    }
}

/* Search the span [d_span_first, end_item) and start the next one at end_item. */
void umts_cell_searcher_impl::finish_span(uint64_t end_item)
{
    if (d_searcher && d_span_fed > 0) {
        feed_chunk();
        if (!d_span_failed)
            publish(end_item);
        cs_umts_searcher_reset(d_searcher);
    }
    d_span_first = end_item;
    d_span_fed = 0;
    d_chunk_fill = 0;
    d_span_failed = false;
}

void umts_cell_searcher_impl::publish(uint64_t end_item)
{
    cs_clear_error();
    const int rc = cs_umts_searcher_end_pass(d_searcher);
    if (rc == CS_ENOTFOUND) { /* too short to search: no cells, as in cellscan scan */
        d_logger->debug("span of {} samples is too short to search", d_span_fed);
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
    const double t0_s = time_s(d_span_first);
    const size_t n = cs_umts_searcher_num_cells(d_searcher);
    for (size_t i = 0; i < n; i++)
        message_port_pub(k_cells_port,
                         umts_cell_dict(d_carrier,
                                        *cs_umts_searcher_cell(d_searcher, i),
                                        t0_s,
                                        chips_mod_frame(d_span_first)));
    message_port_pub(k_carrier_port,
                     umts_carrier_dict(d_carrier, d_searcher, n, t0_s, time_s(end_item)));
    d_cells += n;
    d_searches++;
    d_logger->trace("{} cell(s) in {:.3f} .. {:.3f} s", n, t0_s, time_s(end_item));
}

/* The upstream block is done and every sample it wrote is among the `available` ones. */
bool umts_cell_searcher_impl::upstream_done(int available) const
{
    const auto reader = detail()->input(0);
    gr::thread::scoped_lock guard(*reader->mutex());
    return reader->done() && reader->items_available() == available;
}

void umts_cell_searcher_impl::forecast(int noutput_items, gr_vector_int& ninput_items_required)
{
    /* one more than will be read, so the scheduler waits for input instead of calling
     * work for the sample held back; all of it once the upstream is done */
    const auto reader = detail()->input(0);
    bool done;
    {
        gr::thread::scoped_lock guard(*reader->mutex());
        done = reader->done();
    }
    ninput_items_required[0] = done ? noutput_items : noutput_items + 1;
}

bool umts_cell_searcher_impl::start()
{
    d_finished = false; /* a flowgraph may run again */
    return true;
}

bool umts_cell_searcher_impl::stop()
{
    /* stopped before the end of the stream (tb.stop()): search what was taken; the
     * messages may reach only the sinks still running */
    if (!d_finished)
        finish_span(nitems_read(0));
    d_finished = true;
    return true;
}

int umts_cell_searcher_impl::general_work(int,
                                          gr_vector_int& ninput_items,
                                          gr_vector_const_void_star& input_items,
                                          gr_vector_void_star&)
{
    const bool last = upstream_done(ninput_items[0]);
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
             umts_rx_retunes(tags, d_params.input_rate_hz, d_centre_hz)) {
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
