/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_CPICH_MEAS_IMPL_H
#define INCLUDED_CELLSCAN_UMTS_CPICH_MEAS_IMPL_H

#include <gnuradio/cellscan/umts_cpich_meas.h>
#include <cellscan/umts_cpich.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class umts_cpich_meas_impl : public umts_cpich_meas
{
private:
    const int d_want_psc;
    const uint64_t d_period_items; // whole frames
    const bool d_track;
    /* the cell, known once psc >= 0, and its timing */
    std::atomic<int> d_psc{ -1 };
    double d_frame_start = -1.0; // frame start in samples after d_anchor
    uint64_t d_anchor = 0;
    double d_drift_ppm = 0.0;
    std::vector<int> d_path_delays{ 0 };
    cs_umts_cpich_meas d_meas = nullptr; // the current period's, null when none runs

    uint64_t d_period_start = 0; // stream item of the current period's first sample
    uint64_t d_block_start = 0;  // stream item of the next block
    std::vector<gr_complex> d_buf; // stream samples from d_block_start on
    std::vector<float> d_poly[4];  // one block in the core's layout
    std::atomic<uint64_t> d_published{ 0 };

    void on_cell(const pmt::pmt_t& msg);
    void start_period();
    void finish_period();
    void run_block(size_t n, size_t avail);

public:
    umts_cpich_meas_impl(int psc, double frame_offset_chips, double period_s, bool track);
    ~umts_cpich_meas_impl() override;

    int psc() const override { return d_psc; }
    uint64_t num_measurements() const override { return d_published; }

    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_CPICH_MEAS_IMPL_H */
