/* -*- c++ -*- */
/*
 * The message channel_power publishes: one PMT dict per integration period, with scalar
 * facts about the period and one vector per column of the channel table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_POWER_REPORT_H
#define INCLUDED_CELLSCAN_POWER_REPORT_H

#include <cellscan/channel_power.h>
#include <pmt/pmt.h>
#include <cstdint>

namespace gr {
namespace cellscan {

struct power_report_period {
    double t_start_s;      /* seconds from the start of the stream */
    double t_end_s;
    double sample_rate_hz;
    double centre_hz;      /* NAN when unknown */
    const char* raster;    /* "gsm", "umts" or "bins" */
    unsigned nfft;
    uint64_t segments;     /* spectra averaged */
    double noise_density_dbfs_hz;
};

/* The report dict for n channels (ch[i] measured as r[i]). */
pmt::pmt_t make_power_report(const power_report_period& period,
                             const cs_channel* ch,
                             const cs_channel_result* r,
                             size_t n);

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_POWER_REPORT_H */
