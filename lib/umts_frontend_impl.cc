/* -*- c++ -*- */
/*
 * umts_frontend: runs a cs_umts_frontend over the stream; a new input rate (rx_rate tag)
 * flushes it and starts a new one whose time 0 is the tag's sample.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_frontend_impl.h"
#include "umts_tags.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_rx_rate = pmt::mp("rx_rate");
const pmt::pmt_t k_rx_freq = pmt::mp("rx_freq");
const pmt::pmt_t k_rx_time = pmt::mp("rx_time");
const int k_min_space = 16384; /* outputs per call at least: a whole 8192-sample chunk */
} // namespace

umts_frontend::sptr umts_frontend::make(double samp_rate, double carrier_offset_hz, bool use_tags)
{
    return gnuradio::make_block_sptr<umts_frontend_impl>(samp_rate, carrier_offset_hz, use_tags);
}

umts_frontend_impl::umts_frontend_impl(double samp_rate, double carrier_offset_hz, bool use_tags)
    : gr::block("umts_frontend",
                gr::io_signature::make(1, 1, sizeof(gr_complex)),
                gr::io_signature::make(1, 1, sizeof(gr_complex))),
      d_offset_hz(carrier_offset_hz),
      d_use_tags(use_tags)
{
    const std::string me = "umts_frontend: ";
    if (!(samp_rate >= 0.0) || !std::isfinite(samp_rate))
        throw std::invalid_argument(me + "sample rate must be positive (got " +
                                    std::to_string(samp_rate) + ")");
    if (samp_rate == 0.0 && !use_tags)
        throw std::invalid_argument(me + "sample rate 0 (from rx_rate tags) needs use_tags");
    if (samp_rate > 0.0) {
        const std::string err = configure(samp_rate, NAN, 0);
        if (!err.empty())
            throw std::invalid_argument(me + err);
    }
    set_tag_propagation_policy(TPP_DONT);
    set_min_noutput_items(k_min_space);
    set_min_output_buffer(4 * k_min_space);
}

umts_frontend_impl::~umts_frontend_impl() { cs_umts_frontend_destroy(d_fe); }

uint64_t umts_frontend_impl::blanked() const
{
    return d_blanked_before + (d_fe ? cs_umts_frontend_blanked(d_fe) : 0);
}

/* A new front end whose time 0 is input item `item`. Returns "" or the problem. */
std::string umts_frontend_impl::configure(double rate_hz, double centre_hz, uint64_t item)
{
    if (d_fe)
        d_blanked_before += cs_umts_frontend_blanked(d_fe);
    cs_umts_frontend_destroy(d_fe);
    d_fe = nullptr;
    d_rate_hz = rate_hz;
    d_centre_hz = centre_hz;
    cs_clear_error();
    if (cs_umts_frontend_create(rate_hz, d_offset_hz, &d_fe) != CS_OK) {
        d_fe = nullptr;
        return cs_last_error();
    }
    set_relative_rate(CS_UMTS_WORK_RATE_HZ / rate_hz);
    d_in_base = item;
    d_out_base = d_announce_at = detail() ? nitems_written(0) : 0; /* none in the constructor */
    d_announce = true;
    return "";
}

/* The most inputs whose outputs surely fit in `space`. */
size_t umts_frontend_impl::fit(size_t n_in, size_t space) const
{
    while (n_in > 0) {
        const size_t need = cs_umts_frontend_max_output(d_fe, n_in);
        if (need <= space)
            break;
        const size_t less = static_cast<size_t>((need - space) * d_rate_hz /
                                                CS_UMTS_WORK_RATE_HZ) + 1;
        n_in = n_in > less ? n_in - less : 0;
    }
    return n_in;
}

/* Tags due on outputs before produced_end. */
void umts_frontend_impl::emit_tags(uint64_t produced_end)
{
    if (d_announce && produced_end > d_announce_at) {
        add_item_tag(0, d_announce_at, k_rx_rate, pmt::from_double(CS_UMTS_WORK_RATE_HZ));
        if (std::isfinite(d_centre_hz))
            add_item_tag(
                0, d_announce_at, k_rx_freq, pmt::from_double(d_centre_hz + d_offset_hz));
        d_announce = false;
    }
    while (!d_time_tags.empty() && d_time_tags.front().offset < produced_end) {
        const tag_t& t = d_time_tags.front();
        add_item_tag(0, std::max<uint64_t>(t.offset, nitems_written(0)), t.key, t.value);
        d_time_tags.pop_front();
    }
}

void umts_frontend_impl::forecast(int, gr_vector_int& ninput_items_required)
{
    ninput_items_required[0] = 1;
}

int umts_frontend_impl::general_work(int noutput_items,
                                     gr_vector_int& ninput_items,
                                     gr_vector_const_void_star& input_items,
                                     gr_vector_void_star& output_items)
{
    auto in = static_cast<const gr_complex*>(input_items[0]);
    auto out = static_cast<gr_complex*>(output_items[0]);
    const uint64_t first = nitems_read(0);
    size_t n = static_cast<size_t>(ninput_items[0]);
    size_t produced = 0;

    std::vector<tag_t> tags;
    get_tags_in_range(tags, 0, first, first + n);
    if (d_use_tags) {
        for (const umts_retune& r : umts_rx_retunes(tags, d_rate_hz, d_centre_hz)) {
            const double rate_hz = r.rate_hz > 0.0 && std::isfinite(r.rate_hz) ? r.rate_hz
                                                                                  : d_rate_hz;
            const double centre_hz = umts_known_or_nan(r.centre_hz);
            if (rate_hz == d_rate_hz && umts_same_freq(centre_hz, d_centre_hz))
                continue;
            if (r.item > first) { /* the samples before the retune first */
                n = static_cast<size_t>(r.item - first);
                break;
            }
            if (d_fe && rate_hz == d_rate_hz) { /* new centre only: announce it */
                d_centre_hz = centre_hz;
                d_announce = true;
                d_announce_at = nitems_written(0) + produced;
                continue;
            }
            if (d_fe) { /* the old front end's tail, then the new one */
                const size_t need = cs_umts_frontend_max_output(d_fe, 0);
                if (need > static_cast<size_t>(noutput_items))
                    return 0; /* k_min_space outputs always hold a flush */
                size_t tail = 0;
                cs_umts_frontend_flush(d_fe, out, need, &tail);
                produced += tail;
                emit_tags(nitems_written(0) + produced);
            }
            const std::string err = configure(rate_hz, centre_hz, r.item);
            if (!err.empty())
                d_logger->error("cannot take the carrier at {} Hz from {} Hz: {}; samples "
                                "are dropped until the next rx_rate tag",
                                d_offset_hz,
                                rate_hz,
                                err);
            d_out_base = d_announce_at = nitems_written(0) + produced;
        }
    }

    if (!d_fe) {
        if (d_dropped == 0)
            d_logger->warn("sample rate unknown or unusable; samples are dropped");
        d_dropped += n;
        consume_each(static_cast<int>(n));
        return static_cast<int>(produced);
    }
    n = fit(n, static_cast<size_t>(noutput_items) - produced);
    size_t made = 0;
    cs_clear_error();
    if (n > 0 && cs_umts_frontend_execute(d_fe, in, n, out + produced,
                                          static_cast<size_t>(noutput_items) - produced,
                                          &made) != CS_OK)
        throw std::runtime_error("umts_frontend: " + std::string(cs_last_error()));
    produced += made;
    /* rx_time tags go to the output sample of the same time, once it exists */
    for (const tag_t& t : tags)
        if (pmt::eq(t.key, k_rx_time) && t.offset < first + n && t.offset >= d_in_base) {
            tag_t moved = t;
            moved.offset = d_out_base + static_cast<uint64_t>(std::llround(
                                            (t.offset - d_in_base) * CS_UMTS_WORK_RATE_HZ /
                                            d_rate_hz));
            d_time_tags.push_back(moved);
        }
    emit_tags(nitems_written(0) + produced);
    consume_each(static_cast<int>(n));
    return static_cast<int>(produced);
}

} // namespace cellscan
} // namespace gr
