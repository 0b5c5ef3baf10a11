/* -*- c++ -*- */
/*
 * sigmf_source: streams a cs_recording to one output per channel and tags capture
 * boundaries the way gr-uhd's source does (rx_time, rx_rate, rx_freq).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sigmf_source_impl.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
/* Frames read per call into the interleave buffer: bounds memory for any file size. */
constexpr size_t max_read_frames = 65536;

/* The core's last message, naming the file when the core did not. */
std::string open_error(const std::string& filename, int status)
{
    std::string msg = cs_last_error();
    if (msg.empty())
        msg = cs_strerror(status);
    if (msg.find(filename) == std::string::npos)
        msg = filename + ": " + msg;
    return msg;
}
} // namespace

sigmf_source::sptr sigmf_source::make(const std::string& filename,
                                      bool repeat,
                                      const std::string& raw_format,
                                      double raw_rate_hz,
                                      double raw_freq_hz,
                                      unsigned raw_channels)
{
    return gnuradio::make_block_sptr<sigmf_source_impl>(
        filename, repeat, raw_format, raw_rate_hz, raw_freq_hz, raw_channels);
}

sigmf_source_impl::sigmf_source_impl(const std::string& filename,
                                     bool repeat,
                                     const std::string& raw_format,
                                     double raw_rate_hz,
                                     double raw_freq_hz,
                                     unsigned raw_channels)
    : gr::sync_block("sigmf_source",
                     gr::io_signature::make(0, 0, 0),
                     gr::io_signature::make(1, -1, sizeof(gr_complex))),
      d_repeat(repeat)
{
    cs_clear_error();
    int rc;
    if (raw_format.empty()) {
        rc = cs_recording_open(filename.c_str(), &d_rec);
    } else {
        cs_raw_params raw = {};
        rc = cs_datatype_parse(raw_format.c_str(), &raw.datatype);
        raw.sample_rate_hz = raw_rate_hz;
        raw.frequency_hz = raw_freq_hz == 0.0 ? NAN : raw_freq_hz;
        raw.num_channels = raw_channels;
        if (rc == CS_OK)
            rc = cs_recording_open_raw(filename.c_str(), &raw, &d_rec);
    }
    if (rc != CS_OK)
        throw std::runtime_error("sigmf_source: " + open_error(filename, rc));
    d_info = cs_recording_get_info(d_rec);

    /* rx_time of each capture: its core:datetime, else carried on from the last capture
     * that had one, else the time since the start of the recording. */
    const double rate_hz = d_info->sample_rate_hz;
    d_capture_time.resize(d_info->num_captures);
    bool have_anchor = false;
    rx_time anchor;
    uint64_t anchor_sample = 0;
    for (size_t i = 0; i < d_info->num_captures; i++) {
        const cs_capture& c = d_info->captures[i];
        rx_time t;
        if (parse_iso8601(c.datetime, &t)) {
            have_anchor = true;
            anchor = t;
            anchor_sample = c.sample_start;
        } else if (c.datetime[0] != '\0') {
            d_logger->warn("{}: capture {} has an unreadable core:datetime '{}'",
                           filename,
                           i,
                           c.datetime);
        }
        d_capture_time[i] = have_anchor ? anchor.plus((c.sample_start - anchor_sample) / rate_hz)
                                        : rx_time().plus(c.sample_start / rate_hz);
    }
    d_logger->trace("{}: {} channel(s), {} samples at {} Hz, {} capture(s)",
                    filename,
                    d_info->num_channels,
                    d_info->num_samples,
                    rate_hz,
                    d_info->num_captures);
}

sigmf_source_impl::~sigmf_source_impl() { cs_recording_destroy(d_rec); }

bool sigmf_source_impl::check_topology(int, int noutputs)
{
    if (static_cast<unsigned>(noutputs) > d_info->num_channels) {
        d_logger->error("{}: {} outputs connected but the recording has {} channel(s)",
                        d_info->data_path,
                        noutputs,
                        d_info->num_channels);
        return false;
    }
    return true;
}

void sigmf_source_impl::tag_capture(uint64_t item, size_t capture, size_t n_outputs)
{
    static const pmt::pmt_t k_time = pmt::mp("rx_time");
    static const pmt::pmt_t k_rate = pmt::mp("rx_rate");
    static const pmt::pmt_t k_freq = pmt::mp("rx_freq");
    const pmt::pmt_t src = pmt::mp(alias());
    const pmt::pmt_t time = d_capture_time[capture].to_pmt();
    const pmt::pmt_t rate = pmt::from_double(d_info->sample_rate_hz);
    const double freq_hz = d_info->captures[capture].frequency_hz;
    for (size_t out = 0; out < n_outputs; out++) {
        add_item_tag(out, item, k_time, time, src);
        add_item_tag(out, item, k_rate, rate, src);
        if (std::isfinite(freq_hz))
            add_item_tag(out, item, k_freq, pmt::from_double(freq_hz), src);
    }
}

/* Tags for frames [pos, pos + n_frames) of the file, written from stream item first_item:
 * the capture in force at the start of each pass, then every later capture boundary. */
void sigmf_source_impl::tag_captures(uint64_t pos,
                                     size_t n_frames,
                                     uint64_t first_item,
                                     size_t n_outputs)
{
    if (pos == 0)
        tag_capture(first_item, cs_recording_capture_at(d_rec, 0), n_outputs);
    const cs_capture* begin = d_info->captures;
    const cs_capture* end = begin + d_info->num_captures;
    const cs_capture* c = std::lower_bound(
        begin, end, std::max<uint64_t>(pos, 1), [](const cs_capture& a, uint64_t s) {
            return a.sample_start < s;
        });
    for (; c != end && c->sample_start < pos + n_frames; c++)
        tag_capture(first_item + (c->sample_start - pos), c - begin, n_outputs);
}

int sigmf_source_impl::work(int noutput_items,
                            gr_vector_const_void_star&,
                            gr_vector_void_star& output_items)
{
    if (d_info->num_samples == 0) {
        if (!d_warned_empty)
            d_logger->warn("{}: the recording holds no samples", d_info->data_path);
        d_warned_empty = true;
        return WORK_DONE;
    }
    const size_t n_outputs = output_items.size();
    const unsigned n_channels = d_info->num_channels;
    size_t produced = 0;
    while (produced < static_cast<size_t>(noutput_items)) {
        const uint64_t pos = cs_recording_tell(d_rec);
        const size_t want =
            std::min(static_cast<size_t>(noutput_items) - produced, max_read_frames);
        auto out0 = static_cast<gr_complex*>(output_items[0]) + produced;
        gr_complex* dst = out0;
        if (n_channels > 1) {
            d_frames.resize(want * n_channels);
            dst = d_frames.data();
        }
        size_t got = 0;
        if (cs_recording_read(d_rec, dst, want, &got) != CS_OK) {
            d_logger->error("{}", cs_last_error());
            return produced > 0 ? static_cast<int>(produced) : WORK_DONE;
        }
        if (got == 0) {
            if (!d_repeat)
                break;
            if (cs_recording_seek(d_rec, 0) != CS_OK) {
                d_logger->error("{}", cs_last_error());
                break;
            }
            continue;
        }
        if (n_channels > 1) {
            for (size_t ch = 0; ch < n_outputs; ch++) {
                auto out = static_cast<gr_complex*>(output_items[ch]) + produced;
                for (size_t k = 0; k < got; k++)
                    out[k] = d_frames[k * n_channels + ch];
            }
        }
        tag_captures(pos, got, nitems_written(0) + produced, n_outputs);
        produced += got;
    }
    return produced > 0 ? static_cast<int>(produced) : WORK_DONE;
}

} // namespace cellscan
} // namespace gr
