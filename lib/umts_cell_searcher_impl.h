/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_IMPL_H
#define INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_IMPL_H

#include "umts_report.h"
#include <gnuradio/cellscan/umts_cell_searcher.h>
#include <cellscan/umts_searcher.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class umts_cell_searcher_impl : public umts_cell_searcher
{
private:
    const int d_uarfcn;
    const double d_offset_hz;
    const bool d_snap;
    const std::string d_band;
    const double d_span_s;
    const bool d_use_tags;
    cs_umts_searcher_params d_params; // rate and carrier follow the tags
    double d_centre_hz = NAN;
    umts_carrier d_carrier;
    cs_umts_searcher d_searcher = nullptr; // null while no search can run

    uint64_t d_span_items = 0; // input samples per span at the current rate
    uint64_t d_span_first = 0; // stream item of the span's first sample
    uint64_t d_span_fed = 0;   // samples of the span taken (fed or in d_chunk)
    bool d_span_failed = false; // the core refused a block: the span is not reported
    std::vector<gr_complex> d_chunk; // the next block for the core
    size_t d_chunk_fill = 0;
    /* Stream time: t(item) = d_origin_s + (item - d_origin_item) / rate. */
    double d_origin_s = 0.0;
    uint64_t d_origin_item = 0;
    std::atomic<uint64_t> d_searches{ 0 };
    std::atomic<uint64_t> d_cells{ 0 };
    uint64_t d_dropped = 0;
    bool d_finished = false; // the end of the stream was handled

    std::string configure(double rate_hz, double centre_hz);
    void retune(double rate_hz, double centre_hz, uint64_t item);
    void consume(const gr_complex* x, size_t n, uint64_t first_item);
    void feed_chunk();
    void finish_span(uint64_t end_item);
    void publish(uint64_t end_item);
    double time_s(uint64_t item) const;
    double chips_mod_frame(uint64_t item) const;
    bool upstream_done(int available) const;

public:
    umts_cell_searcher_impl(double samp_rate,
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
                            bool cancellation);
    ~umts_cell_searcher_impl() override;

    double samp_rate() const override { return d_params.input_rate_hz; }
    double centre_freq() const override { return d_centre_hz; }
    double carrier_offset_hz() const override { return d_carrier.offset_hz; }
    uint64_t num_searches() const override { return d_searches; }
    uint64_t num_cells() const override { return d_cells; }

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

#endif /* INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_IMPL_H */
