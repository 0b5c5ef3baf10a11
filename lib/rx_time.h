/* -*- c++ -*- */
/*
 * rx_time values for stream tags: SigMF core:datetime (ISO 8601) to whole and fractional
 * seconds since the Unix epoch, as UHD's rx_time tag carries them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_RX_TIME_H
#define INCLUDED_CELLSCAN_RX_TIME_H

#include <pmt/pmt.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/* A point in time: whole seconds plus a fraction in [0, 1). */
struct rx_time {
    int64_t secs = 0;
    double frac_s = 0.0;

    /* This time plus dt_s seconds (dt_s >= 0), normalised. */
    rx_time plus(double dt_s) const;

    /* The rx_time tag value: (uint64 secs, double frac); times before 1970 clamp to 0. */
    pmt::pmt_t to_pmt() const;
};

/* Parse the UTC time "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (the Z may be missing).
 * Returns false, leaving *out alone, when text is not such a time. */
bool parse_iso8601(const char* text, rx_time* out);

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_RX_TIME_H */
