/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_PSCH_SYNC_IMPL_H
#define INCLUDED_CELLSCAN_UMTS_PSCH_SYNC_IMPL_H

#include <gnuradio/cellscan/umts_psch_sync.h>
#include <cellscan/umts_psch_sync.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class umts_psch_sync_impl : public umts_psch_sync
{
private:
    const uint64_t d_period_items; // samples per integration period
    cs_umts_psch_sync d_psch = nullptr;
    uint64_t d_period_start = 0; // stream item where the current period began
    /* candidates of the last period: their slot boundaries are tagged in this one */
    std::vector<cs_umts_psch_candidate> d_tagging;
    std::vector<pmt::pmt_t> d_tag_values;
    std::atomic<uint64_t> d_periods{ 0 };
    bool d_rate_warned = false;

    void finish_period(uint64_t end_item);
    void tag_slots(uint64_t from, uint64_t to);
    void check_rate(uint64_t first, uint64_t n);

public:
    umts_psch_sync_impl(unsigned integration_slots,
                        double freq_range_hz,
                        double freq_step_hz,
                        unsigned max_candidates,
                        double threshold_z);
    ~umts_psch_sync_impl() override;

    uint64_t num_periods() const override { return d_periods; }

    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_PSCH_SYNC_IMPL_H */
