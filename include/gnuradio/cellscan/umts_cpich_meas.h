/* -*- c++ -*- */
/*
 * Public interface of the UMTS CPICH measurement block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_CPICH_MEAS_H
#define INCLUDED_CELLSCAN_UMTS_CPICH_MEAS_H

#include <gnuradio/cellscan/api.h>
#include <gnuradio/sync_block.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Measures the CPICH of one known UMTS cell, period after period.
 * \ingroup cellscan
 *
 * \details
 * Input: one carrier at 7.68 MS/s, sample 0 at the start of the stream (the UMTS Front
 * End's output). The cell is given by its primary scrambling code and frame timing:
 * either as parameters (psc and frame_offset_chips, the frame start in chips after the
 * stream's first sample, as the UMTS Cell Searcher and cellscan scan report it), or by a
 * umts_cell dict arriving on the message port "cell" (connect a UMTS Cell Searcher's
 * "cells" port: its paths become the measured paths). With psc -1 the first cell that
 * arrives is measured; otherwise only that PSC. Measurement starts at the next period.
 *
 * Every period (a whole number of 10 ms frames) it publishes on the port "meas" one PMT
 * dict: type ("umts_cpich"), psc, rscp_dbfs (CPICH power over the paths, noise removed),
 * rssi_dbfs (power of the samples measured), ecio_db, freq_error_hz (from the CPICH
 * phase; NaN when too weak), frame_offset_chips (tracked frame start, at t = 0 of the
 * stream), drift_ppm (sample-clock drift from the timing track; NaN when unknown),
 * symbols, n_paths, paths (delay_chips, ecio_db), t_start_s and t_end_s. The timing and
 * drift found in one period carry over to the next. A period cut short by the end of the
 * stream is not reported.
 */
class CELLSCAN_API umts_cpich_meas : virtual public gr::sync_block
{
public:
    typedef std::shared_ptr<umts_cpich_meas> sptr;

    /*!
     * \brief Create the block.
     *
     * \param psc primary scrambling code 0 .. 511; -1 for the first cell that arrives.
     * \param frame_offset_chips frame start in chips (0 .. 38400) at t = 0 of the stream;
     *        -1 to wait for a cell message.
     * \param period_s measurement period in seconds (rounded to whole 10 ms frames).
     * \param track move the despreading point with the path (timing drift).
     */
    static sptr make(int psc = -1,
                     double frame_offset_chips = -1.0,
                     double period_s = 0.1,
                     bool track = true);

    /*! \brief The PSC measured; -1 before a cell is known. */
    virtual int psc() const = 0;

    /*! \brief Measurements published so far. */
    virtual uint64_t num_measurements() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_CPICH_MEAS_H */
