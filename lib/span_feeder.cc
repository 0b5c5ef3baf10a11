/* -*- c++ -*- */
/*
 * span_feeder: spans, read blocks, rx_rate / rx_freq tags and the end of the stream for
 * the searcher blocks (span_feeder.h).
 *
 * The last span must be handed over before the block reports itself done, so the block
 * always leaves one sample unread until its upstream is done (stream_end.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "span_feeder.h"
#include "stream_end.h"
#include "umts_tags.h"
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const size_t k_read_block = 65536; /* cellscan scan's read size (scan_read) */
} // namespace

span_feeder::span_feeder(const std::string& name,
                         const wording& words,
                         double samp_rate_hz,
                         double centre_hz,
                         double span_s,
                         double min_span_s,
                         bool use_tags)
    : d_words(words),
      d_span_s(span_s),
      d_use_tags(use_tags),
      d_centre_hz(umts_known_or_nan(centre_hz)),
      d_chunk(k_read_block)
{
    const std::string me = name + ": ";
    if (!std::isfinite(span_s) || span_s < 0.0 || (span_s > 0.0 && span_s < min_span_s))
        throw std::invalid_argument(me + "span must be 0 (whole stream) or at least " +
                                    std::to_string(min_span_s) + " s (got " +
                                    std::to_string(span_s) + ")");
    if (!(samp_rate_hz >= 0.0) || !std::isfinite(samp_rate_hz))
        throw std::invalid_argument(me + "sample rate must be positive (got " +
                                    std::to_string(samp_rate_hz) + ")");
    if (samp_rate_hz == 0.0 && !use_tags)
        throw std::invalid_argument(me + "sample rate 0 (from rx_rate tags) needs use_tags");
}

/* Samples are dropped from here until the next retune unless the core accepts the rate
 * and centre. */
std::string span_feeder::configure(double rate_hz, double centre_hz)
{
    d_rate_hz = rate_hz;
    d_centre_hz = centre_hz;
    d_configured = false;
    const std::string err = configure_core();
    d_configured = err.empty();
    return err;
}

double span_feeder::time_s(uint64_t item) const
{
    return d_rate_hz > 0.0 ? d_origin_s + (item - d_origin_item) / d_rate_hz : d_origin_s;
}

void span_feeder::retune(double rate_hz, double centre_hz, uint64_t item)
{
    if (!(rate_hz > 0.0) || !std::isfinite(rate_hz)) {
        d_logger->warn("ignoring rx_rate {} at item {}", rate_hz, item);
        rate_hz = d_rate_hz;
    }
    centre_hz = umts_known_or_nan(centre_hz);
    if (rate_hz == d_rate_hz && umts_same_freq(centre_hz, d_centre_hz))
        return;
    finish_span(item);
    d_origin_s = time_s(item);
    d_origin_item = item;
    d_span_first = item;
    if (rate_hz > 0.0) {
        const std::string err = configure(rate_hz, centre_hz);
        if (!err.empty())
            d_logger->error("cannot {} at {} Hz, centre {} Hz: {}; samples are not {} until "
                            "the next rx_rate or rx_freq tag",
                            d_words.verb,
                            rate_hz,
                            centre_hz,
                            err,
                            d_words.verb_past);
    } else {
        d_centre_hz = centre_hz;
    }
}

void span_feeder::feed_chunk()
{
    if (d_chunk_fill == 0)
        return;
    cs_clear_error();
    if (!d_span_failed && execute(d_chunk.data(), d_chunk_fill) != CS_OK) {
        d_logger->error("{}; this span is not reported", cs_last_error());
        d_span_failed = true;
    }
    d_chunk_fill = 0;
}

void span_feeder::consume(const gr_complex* x, size_t n, uint64_t first_item)
{
    if (n == 0)
        return;
    if (!d_configured) {
        if (d_dropped == 0) {
            if (d_rate_hz > 0.0)
                d_logger->warn("{}; samples are dropped", d_words.no_target);
            else
                d_logger->warn("sample rate unknown until an rx_rate tag arrives; samples "
                               "before it are not {}",
                               d_words.verb_past);
        }
        d_dropped += n;
        d_span_first = first_item + n;
        return;
    }
    while (n > 0) {
        if (!d_span_failed) {
            cs_clear_error();
            if (!open_span()) {
                d_logger->error("{}; this span is not reported", cs_last_error());
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

/* Report the span [d_span_first, end_item) and start the next one at end_item. */
void span_feeder::finish_span(uint64_t end_item)
{
    if (d_span_fed > 0) {
        feed_chunk();
        if (!d_span_failed)
            publish(end_item);
    }
    if (d_span_fed > 0 || d_span_failed)
        close_span();
    d_span_first = end_item;
    d_span_fed = 0;
    d_chunk_fill = 0;
    d_span_failed = false;
}

void span_feeder::forecast(int noutput_items, gr_vector_int& ninput_items_required)
{
    /* one more than will be read, so the scheduler waits for input instead of calling
     * work for the sample held back; all of it once the upstream is done */
    ninput_items_required[0] = upstream_finished(*this) ? noutput_items : noutput_items + 1;
}

bool span_feeder::start()
{
    d_finished = false; /* a flowgraph may run again */
    return true;
}

bool span_feeder::stop()
{
    /* stopped before the end of the stream (tb.stop()): report what was taken; the
     * messages may reach only the sinks still running */
    if (!d_finished)
        finish_span(nitems_read(0));
    d_finished = true;
    return true;
}

int span_feeder::general_work(int,
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
        for (const umts_retune& r : umts_rx_retunes(tags, d_rate_hz, d_centre_hz)) {
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
