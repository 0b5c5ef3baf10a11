/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_SCH_DECODER_IMPL_H
#define INCLUDED_CELLSCAN_GSM_SCH_DECODER_IMPL_H

#include <gnuradio/cellscan/gsm_sch_decoder.h>
#include <cellscan/gsm_fcch.h>
#include <cellscan/gsm_sch_sync.h>
#include <atomic>
#include <vector>

namespace gr {
namespace cellscan {

class gsm_sch_decoder_impl : public gsm_sch_decoder
{
private:
    struct pending {
        double t_expected_s; // expected burst start, stream time
        bool predicted;      // from an SCH's frame number (else from an FCCH)
    };

    const double d_rate_hz;
    const bool d_use_tags;
    cs_gsm_sch_sync d_sch = nullptr;
    cs_gsm_fcch_detector d_fcch = nullptr; // own FCCH search (without tags)
    std::vector<gr_complex> d_ring;        // recent samples, stream items from d_ring_first
    uint64_t d_ring_first = 0;
    std::vector<pending> d_pending;
    /* the carrier's frequency error: inverse-variance mean over its FCCHs */
    double d_offset_hz = 0.0, d_offset_w = 0.0;
    /* frame timing from the last SCH */
    bool d_have_timing = false;
    uint32_t d_ref_fn = 0;
    double d_ref_t = 0.0, d_last_sch_t = -1.0;
    unsigned d_misses = 0;
    std::atomic<uint64_t> d_attempts{ 0 };
    std::atomic<uint64_t> d_decoded{ 0 };

    void on_fcch(double t_start_s, double offset_hz, double sigma_hz);
    void add_pending(double t_expected_s, bool predicted);
    void predict_next(double after_s);
    void decode_ready();
    void decode(const pending& p);
    void append(const gr_complex* x, size_t n);

public:
    gsm_sch_decoder_impl(double samp_rate,
                         double channel_offset_hz,
                         bool use_fcch_tags,
                         double max_offset_hz,
                         double false_alarms_per_hour);
    ~gsm_sch_decoder_impl() override;

    uint64_t num_attempts() const override { return d_attempts; }
    uint64_t num_decoded() const override { return d_decoded; }

    int work(int noutput_items,
             gr_vector_const_void_star& input_items,
             gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_SCH_DECODER_IMPL_H */
