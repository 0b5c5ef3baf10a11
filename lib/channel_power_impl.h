/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_CHANNEL_POWER_IMPL_H
#define INCLUDED_CELLSCAN_CHANNEL_POWER_IMPL_H

#include <gnuradio/cellscan/channel_power.h>
#include <cellscan/channel_power.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class channel_power_impl : public channel_power
{
private:
    const std::string d_raster_name;
    const std::string d_band;
    cs_channel_power_params d_params; // rate and centre follow the tags when d_use_tags
    const double d_integration_s;
    const bool d_use_tags;
    cs_channel_power d_cp = nullptr; // null until the sample rate is known
    std::vector<cs_channel_result> d_results;

    uint64_t d_period_items = 0; // samples per period at the current rate
    uint64_t d_period_start = 0; // stream item where the current period began
    uint64_t d_period_fill = 0;  // samples accumulated in the current period
    /* Stream time: t(item) = d_origin_s + (item - d_origin_item) / rate, continuous
     * across rate changes. */
    double d_origin_s = 0.0;
    uint64_t d_origin_item = 0;
    std::atomic<uint64_t> d_reports{ 0 }; // read from other threads through num_reports()
    uint64_t d_dropped = 0; // samples seen while no measurement could run

    std::string configure(double rate_hz, double centre_hz, bool strict);
    void retune(double rate_hz, double centre_hz, uint64_t item);
    void consume(const gr_complex* x, size_t n, uint64_t first_item);
    void publish(uint64_t end_item);
    double time_s(uint64_t item) const;

public:
    channel_power_impl(const std::string& raster,
                       const std::string& band,
                       double samp_rate,
                       double centre_freq,
                       double integration_s,
                       bool use_tags,
                       double bin_hz,
                       double threshold_db,
                       unsigned nfft);
    ~channel_power_impl() override;

    double samp_rate() const override { return d_params.sample_rate_hz; }
    double centre_freq() const override { return d_params.centre_hz; }
    uint64_t num_reports() const override { return d_reports; }

    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_CHANNEL_POWER_IMPL_H */
