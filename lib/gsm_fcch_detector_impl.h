/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_FCCH_DETECTOR_IMPL_H
#define INCLUDED_CELLSCAN_GSM_FCCH_DETECTOR_IMPL_H

#include <gnuradio/cellscan/gsm_fcch_detector.h>
#include <cellscan/gsm_fcch.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class gsm_fcch_detector_impl : public gsm_fcch_detector
{
private:
    const double d_rate_hz;
    const uint64_t d_hold; // samples held back: more than the detector's decision delay
    cs_gsm_fcch_detector d_det = nullptr;
    /* Samples consumed but not yet written: stream items [nitems_written, nitems_read). */
    std::vector<gr_complex> d_fifo;
    size_t d_fifo_head = 0;
    uint64_t d_fed = 0;      // stream items fed to the detector
    bool d_flushed = false;  // end of stream: the detector was flushed
    bool d_late_warned = false;
    bool d_rate_warned = false;
    std::atomic<uint64_t> d_detections{ 0 };

    size_t fifo_size() const { return d_fifo.size() - d_fifo_head; }
    void tag_detections();
    void check_rate(uint64_t first, uint64_t n);

public:
    gsm_fcch_detector_impl(double samp_rate,
                           double channel_offset_hz,
                           double max_offset_hz,
                           double false_alarms_per_hour);
    ~gsm_fcch_detector_impl() override;

    uint64_t num_detections() const override { return d_detections; }
    double threshold() const override { return cs_gsm_fcch_detector_threshold(d_det); }
    double holdback_s() const override { return d_hold / d_rate_hz; }

    void forecast(int noutput_items, gr_vector_int& ninput_items_required) override;
    int general_work(int noutput_items,
                     gr_vector_int& ninput_items,
                     gr_vector_const_void_star& input_items,
                     gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_FCCH_DETECTOR_IMPL_H */
