/* -*- c++ -*- */
/*
 * What the GSM carrier searcher publishes: cs_gsm_scanner results as PMT dicts with the
 * fields, order of meaning and formulas of the CLI's gsm_channel, gsm_carrier and
 * gsm_activity records (apps/cellscan/scan_gsm.c), values unrounded; the Python side
 * (gsm_report.py) prints them with the CLI's keys and decimals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_REPORT_H
#define INCLUDED_CELLSCAN_GSM_REPORT_H

#include <cellscan/gsm_scanner.h>
#include <pmt/pmt.h>
#include <vector>

namespace gr {
namespace cellscan {

/* t0_s: stream time of the scan's first sample (the CLI's t0, added to every time). */
pmt::pmt_t gsm_channel_dict(const cs_gsm_channel_power& p);
pmt::pmt_t gsm_carrier_dict(const cs_gsm_carrier& k, double t0_s);
pmt::pmt_t gsm_activity_dict(const cs_gsm_activity_record& a, double t0_s);

/* The scan's summary ("gsm_scan"): receiver error, noise floor, counts, span and input. */
pmt::pmt_t gsm_scan_dict(const cs_gsm_scan_results& r,
                         double rate_hz,
                         double centre_hz,
                         double t_start_s,
                         double t_end_s);

/* A PMT vector holding these items. */
inline pmt::pmt_t gsm_vector(const std::vector<pmt::pmt_t>& items)
{
    pmt::pmt_t v = pmt::make_vector(items.size(), pmt::PMT_NIL);
    for (size_t i = 0; i < items.size(); i++)
        pmt::vector_set(v, i, items[i]);
    return v;
}

/* A double as PMT (NaN and infinities stay: the Python side writes null). */
inline pmt::pmt_t gsm_num(double x) { return pmt::from_double(x); }

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_REPORT_H */
