/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_IMPL_H
#define INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_IMPL_H

#include "span_feeder.h"
#include "umts_report.h"
#include <gnuradio/cellscan/umts_cell_searcher.h>
#include <cellscan/umts_searcher.h>
#include <atomic>
#include <string>

namespace gr {
namespace cellscan {

class umts_cell_searcher_impl : public umts_cell_searcher, public span_feeder
{
private:
    const int d_uarfcn;
    const double d_offset_hz;
    const bool d_snap;
    const std::string d_band;
    cs_umts_searcher_params d_params; // rate and carrier follow the tags
    umts_carrier d_carrier;
    cs_umts_searcher d_searcher = nullptr; // null while no search can run
    std::atomic<uint64_t> d_searches{ 0 };
    std::atomic<uint64_t> d_cells{ 0 };

    std::string configure_core() override;
    bool open_span() override { return true; } // one searcher, reset after each span
    int execute(const gr_complex* x, size_t n) override;
    void publish(uint64_t end_item) override;
    void close_span() override;
    double chips_mod_frame(uint64_t item) const;

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

    double samp_rate() const override { return rate_hz(); }
    double centre_freq() const override { return centre_hz(); }
    double carrier_offset_hz() const override { return d_carrier.offset_hz; }
    uint64_t num_searches() const override { return d_searches; }
    uint64_t num_cells() const override { return d_cells; }
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_IMPL_H */
