/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_BURST_ACTIVITY_IMPL_H
#define INCLUDED_CELLSCAN_GSM_BURST_ACTIVITY_IMPL_H

#include <gnuradio/cellscan/gsm_burst_activity.h>
#include <cellscan/gsm_activity.h>
#include <atomic>

namespace gr {
namespace cellscan {

class gsm_burst_activity_impl : public gsm_burst_activity
{
private:
    const double d_rate_hz;
    const uint64_t d_period_items; // 0: report at the end only
    cs_gsm_activity d_act = nullptr;
    uint64_t d_next_report = 0;    // stream item of the next periodic report
    bool d_finished = false;       // the end of the stream was reported
    std::atomic<uint64_t> d_reports{ 0 };

    void report(uint64_t end_item, bool final);

public:
    gsm_burst_activity_impl(double samp_rate,
                            double report_period_s,
                            double noise_dbfs,
                            double false_alarms_per_hour,
                            double max_gap_s);
    ~gsm_burst_activity_impl() override;

    uint64_t num_reports() const override { return d_reports; }

    void forecast(int noutput_items, gr_vector_int& ninput_items_required) override;
    int general_work(int noutput_items,
                     gr_vector_int& ninput_items,
                     gr_vector_const_void_star& input_items,
                     gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_BURST_ACTIVITY_IMPL_H */
