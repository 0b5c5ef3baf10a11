/* -*- c++ -*- */
/*
 * What the UMTS blocks publish: the carrier a search covers (numbered as cellscan scan
 * numbers it) and the PMT dicts of its cells, with the fields and meaning of the CLI's
 * umts_cell and umts_carrier records (values unrounded).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_REPORT_H
#define INCLUDED_CELLSCAN_UMTS_REPORT_H

#include <cellscan/umts_searcher.h>
#include <pmt/pmt.h>
#include <string>

namespace gr {
namespace cellscan {

/* One 5 MHz carrier of the stream. */
struct umts_carrier {
    double offset_hz = 0.0;   /* nominal centre relative to the stream centre */
    double freq_hz = NAN;     /* nominal centre; NAN when the stream centre is unknown */
    int uarfcn = -1;          /* -1 when unknown */
    std::string band;         /* empty when unknown */
};

/* The carrier to search, as cellscan scan picks it: the UARFCN when uarfcn >= 0 (needs the
 * centre); else offset_hz, moved to the nearest UARFCN raster point when snap is set and
 * the centre is known; numbered in `band` (empty: any UMTS band). Returns "" or the
 * problem (one line). The carrier must fit in the sample rate. */
std::string umts_plan_carrier(double rate_hz,
                              double centre_hz,
                              int uarfcn,
                              double offset_hz,
                              bool snap,
                              const std::string& band,
                              umts_carrier* out);

/* A found cell as a umts_cell dict. t0_s: stream time of the search's first sample;
 * t0_chips: the same time in chips modulo one frame (0 .. 38400), which moves the frame
 * offset from the search's start to the stream's (exact when the start is a whole number
 * of frames into the stream). */
pmt::pmt_t umts_cell_dict(const umts_carrier& carrier,
                          const cs_umts_cell& cell,
                          double t0_s,
                          double t0_chips);

/* The search's summary as a umts_carrier dict over [t_start_s, t_end_s). */
pmt::pmt_t umts_carrier_dict(const umts_carrier& carrier,
                             cs_umts_searcher searcher,
                             size_t cells,
                             double t_start_s,
                             double t_end_s);

/* The PMT for a double: NaN and infinities stay (the Python side turns them into None). */
inline pmt::pmt_t umts_num(double x) { return pmt::from_double(x); }

/* uarfcn and band of a carrier: nil when unknown. */
pmt::pmt_t umts_uarfcn_pmt(const umts_carrier& c);
pmt::pmt_t umts_band_pmt(const umts_carrier& c);

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_REPORT_H */
