/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_IMPL_H
#define INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_IMPL_H

#include <gnuradio/cellscan/gsm_carrier_searcher.h>
#include <cellscan/gsm_scanner.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class gsm_carrier_searcher_impl : public gsm_carrier_searcher
{
private:
    const std::string d_band;
    const double d_span_s;
    const bool d_use_tags;
    cs_gsm_scanner_config d_config; // rate and centre follow the tags
    bool d_configured = false;      // d_config holds a rate and centre the core accepts
    cs_gsm_scanner d_scanner = nullptr; // the current span's scan; null between spans

    uint64_t d_span_items = 0; // input samples per span at the current rate (0: unlimited)
    uint64_t d_span_first = 0; // stream item of the span's first sample
    uint64_t d_span_fed = 0;   // samples of the span taken (fed or in d_chunk)
    bool d_span_failed = false; // the core refused a block: the span is not reported
    std::vector<gr_complex> d_chunk; // the next block for the core
    size_t d_chunk_fill = 0;
    /* Stream time: t(item) = d_origin_s + (item - d_origin_item) / rate. */
    double d_origin_s = 0.0;
    uint64_t d_origin_item = 0;
    std::atomic<uint64_t> d_scans{ 0 };
    std::atomic<uint64_t> d_carriers{ 0 };
    uint64_t d_dropped = 0;
    bool d_finished = false; // the end of the stream was handled

    std::string configure(double rate_hz, double centre_hz);
    void retune(double rate_hz, double centre_hz, uint64_t item);
    void consume(const gr_complex* x, size_t n, uint64_t first_item);
    void feed_chunk();
    void finish_span(uint64_t end_item);
    void publish(uint64_t end_item);
    double time_s(uint64_t item) const;

public:
    gsm_carrier_searcher_impl(double samp_rate,
                              double centre_freq,
                              const std::string& band,
                              double span_s,
                              bool use_tags,
                              double max_offset_hz,
                              double fcch_false_alarms_per_hour,
                              double min_snr_db,
                              bool downlink_only);
    ~gsm_carrier_searcher_impl() override;

    double samp_rate() const override { return d_config.sample_rate_hz; }
    double centre_freq() const override { return d_config.centre_hz; }
    uint64_t num_scans() const override { return d_scans; }
    uint64_t num_carriers() const override { return d_carriers; }

    void forecast(int noutput_items, gr_vector_int& ninput_items_required) override;
    bool start() override;
    bool stop() override;
    int general_work(int noutput_items,
                     gr_vector_int& ninput_items,
                     gr_vector_const_void_star& input_items,
                     gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_IMPL_H */
