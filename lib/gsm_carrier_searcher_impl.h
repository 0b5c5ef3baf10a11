/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_IMPL_H
#define INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_IMPL_H

#include "span_feeder.h"
#include <gnuradio/cellscan/gsm_carrier_searcher.h>
#include <cellscan/gsm_scanner.h>
#include <atomic>
#include <string>

namespace gr {
namespace cellscan {

class gsm_carrier_searcher_impl : public gsm_carrier_searcher, public span_feeder
{
private:
    const std::string d_band;
    cs_gsm_scanner_config d_config; // rate and centre follow the tags
    cs_gsm_scanner d_scanner = nullptr; // the current span's scan; null between spans
    std::atomic<uint64_t> d_scans{ 0 };
    std::atomic<uint64_t> d_carriers{ 0 };

    std::string configure_core() override;
    bool open_span() override;
    int execute(const gr_complex* x, size_t n) override;
    void publish(uint64_t end_item) override;
    void close_span() override;

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

    double samp_rate() const override { return rate_hz(); }
    double centre_freq() const override { return centre_hz(); }
    uint64_t num_scans() const override { return d_scans; }
    uint64_t num_carriers() const override { return d_carriers; }
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_IMPL_H */
