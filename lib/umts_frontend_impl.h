/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_FRONTEND_IMPL_H
#define INCLUDED_CELLSCAN_UMTS_FRONTEND_IMPL_H

#include <gnuradio/cellscan/umts_frontend.h>
#include <cellscan/umts_frontend.h>
#include <deque>

namespace gr {
namespace cellscan {

class umts_frontend_impl : public umts_frontend
{
private:
    const double d_offset_hz;
    const bool d_use_tags;
    double d_rate_hz = 0.0;
    double d_centre_hz = NAN;
    cs_umts_frontend d_fe = nullptr; // null while the rate is unknown or refused
    uint64_t d_in_base = 0;          // input item the front end's time 0 is
    uint64_t d_out_base = 0;         // output item of its first output
    uint64_t d_blanked_before = 0;   // blanked by earlier front ends
    bool d_announce = false;         // rx_rate / rx_freq tags due at d_announce_at
    uint64_t d_announce_at = 0;
    std::deque<tag_t> d_time_tags;   // rx_time tags waiting for their output sample
    uint64_t d_dropped = 0;

    std::string configure(double rate_hz, double centre_hz, uint64_t item);
    size_t fit(size_t n_in, size_t space) const;
    void emit_tags(uint64_t produced_end);

public:
    umts_frontend_impl(double samp_rate, double carrier_offset_hz, bool use_tags);
    ~umts_frontend_impl() override;

    double samp_rate() const override { return d_rate_hz; }
    uint64_t blanked() const override;

    void forecast(int noutput_items, gr_vector_int& ninput_items_required) override;
    int general_work(int noutput_items,
                     gr_vector_int& ninput_items,
                     gr_vector_const_void_star& input_items,
                     gr_vector_void_star& output_items) override;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_FRONTEND_IMPL_H */
