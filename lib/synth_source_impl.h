/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_SYNTH_SOURCE_IMPL_H
#define INCLUDED_CELLSCAN_SYNTH_SOURCE_IMPL_H

#include <gnuradio/cellscan/synth_source.h>
#include <cellscan/synth.h>
#include <vector>

namespace gr {
namespace cellscan {

class synth_source_impl : public synth_source
{
private:
    cs_synth_scenario* d_scenario = nullptr; // resolved; the generator borrows it
    cs_synth d_synth = nullptr;
    unsigned d_channels = 1;
    uint64_t d_total = 0;                  // samples per channel to stream, 0 = endless
    std::string d_truth;                   // truth document (JSON text)
    std::vector<gr_complex> d_frames;      // interleaved frames of an array

    void release();
    void tag_start(size_t n_outputs);

public:
    synth_source_impl(const std::string& scenario,
                      double sample_rate_hz,
                      double centre_freq_hz,
                      int64_t seed,
                      double duration_s);
    ~synth_source_impl() override;

    unsigned num_channels() const override { return d_channels; }
    double sample_rate_hz() const override { return d_scenario->sample_rate_hz; }
    double centre_freq_hz() const override { return d_scenario->centre_freq_hz; }
    uint64_t num_samples() const override { return d_total; }
    std::string truth_json() const override { return d_truth; }

    bool check_topology(int ninputs, int noutputs) override;
    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_SYNTH_SOURCE_IMPL_H */
