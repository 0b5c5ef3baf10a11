/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_SIGMF_SOURCE_IMPL_H
#define INCLUDED_CELLSCAN_SIGMF_SOURCE_IMPL_H

#include "rx_time.h"
#include <gnuradio/cellscan/sigmf_source.h>
#include <cellscan/recording.h>
#include <vector>

namespace gr {
namespace cellscan {

class sigmf_source_impl : public sigmf_source
{
private:
    cs_recording d_rec = nullptr;
    const cs_recording_info* d_info = nullptr;
    const bool d_repeat;
    std::vector<rx_time> d_capture_time; // rx_time of each capture's first sample
    std::vector<gr_complex> d_frames;    // interleaved frames of a multichannel file
    bool d_warned_empty = false;

    void tag_captures(uint64_t pos, size_t n_frames, uint64_t first_item, size_t n_outputs);
    void tag_capture(uint64_t item, size_t capture, size_t n_outputs);

public:
    sigmf_source_impl(const std::string& filename,
                      bool repeat,
                      const std::string& raw_format,
                      double raw_rate_hz,
                      double raw_freq_hz,
                      unsigned raw_channels);
    ~sigmf_source_impl() override;

    unsigned num_channels() const override { return d_info->num_channels; }
    double sample_rate_hz() const override { return d_info->sample_rate_hz; }
    double centre_freq_hz() const override { return d_info->captures[0].frequency_hz; }
    uint64_t num_samples() const override { return d_info->num_samples; }

    bool check_topology(int ninputs, int noutputs) override;
    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_SIGMF_SOURCE_IMPL_H */
