/* -*- c++ -*- */
/*
 * Public interface of the UMTS cell searcher block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_H
#define INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_H

#include <gnuradio/block.h>
#include <gnuradio/cellscan/api.h>
#include <cstdint>
#include <string>

namespace gr {
namespace cellscan {

/*!
 * \brief Finds every UMTS cell on one 5 MHz carrier of the stream and measures it.
 * \ingroup cellscan
 *
 * \details
 * Runs the three-step cell search of cellscan scan (P-SCH slot timing with a coarse
 * frequency search, S-SCH frame timing and code group, CPICH scrambling code, then CPICH
 * measurement of every cell, and a second round after cancelling the cells found) over
 * each span of the input, and publishes on the message port "cells" one PMT dict per cell,
 * strongest first, with the fields of the umts_cell record of cellscan scan --format jsonl:
 * type ("umts_cell"), uarfcn and band (nil when the centre is unknown), freq_hz (NaN when
 * unknown), offset_hz, psc, group, rscp_dbfs, rssi_dbfs, ecio_db, freq_error_hz,
 * frame_offset_chips (frame start at t = 0 of the stream), paths (list of dicts with
 * delay_chips and ecio_db), t_first_s, t_last_s (seconds from the start of the stream),
 * peak_ecio_db, n_paths, offset_khz, drift_ppm, cpich_z, psch_snr_db, ssch_z, round.
 * After the cells of a span it publishes one dict on the port "carrier" (type
 * "umts_carrier": uarfcn, band, freq_hz, offset_hz, rssi_dbfs, freq_error_hz (NaN
 * without cells), cells, drift_ppm, t_start_s, t_end_s).
 *
 * A span is span_s seconds of input, or with span_s = 0 the whole stream up to 1.09 s
 * (2^23 samples at 7.68 MS/s; a longer stream is searched in spans of 109 frames).
 * The last span ends with the stream, and its results are published before the block
 * reports itself done, so message sinks receive them. The samples are fed to the core in
 * the blocks cellscan scan reads, so a recording gives exactly the CLI's cells.
 *
 * The carrier: the UARFCN when one is given (needs the centre frequency); otherwise
 * offset_hz from the centre, moved to the nearest 200 kHz UARFCN raster point when snap is
 * set and the centre is known and in a UMTS band (what cellscan scan does for a recording
 * below 9.6 MS/s). With use_tags, rx_rate and rx_freq stream tags (sigmf_source, UHD)
 * replace the sample rate and centre; a change ends the span.
 */
class CELLSCAN_API umts_cell_searcher : virtual public gr::block
{
public:
    typedef std::shared_ptr<umts_cell_searcher> sptr;

    /*!
     * \brief Create the block.
     *
     * \param samp_rate sample rate in Hz (>= 3.84e6); 0 to wait for an rx_rate tag.
     * \param centre_freq RF centre in Hz; 0 when unknown (cells then carry no UARFCN).
     * \param uarfcn downlink UARFCN of the carrier to search; -1 for none.
     * \param offset_hz carrier centre relative to the stream centre in Hz (no UARFCN).
     * \param snap move the carrier to the UARFCN raster point nearest the centre plus
     *        offset_hz when the centre is known.
     * \param band band name such as "UMTS-I" for numbering; empty for any band.
     * \param span_s seconds of input per search; 0 for the whole stream.
     * \param use_tags take the rate and centre from rx_rate and rx_freq tags.
     * \param freq_range_hz coarse frequency search +- this, in Hz.
     * \param freq_step_hz its grid step in Hz.
     * \param max_drift_ppm sample-clock drift searched in step 1, in ppm.
     * \param max_cells at most this many cells per span.
     * \param p_false false-alarm probability of one CPICH code test on noise.
     * \param path_threshold_db echoes reported down to this far below the strongest path.
     * \param cancellation search again after cancelling the cells found.
     */
    static sptr make(double samp_rate,
                     double centre_freq,
                     int uarfcn = -1,
                     double offset_hz = 0.0,
                     bool snap = true,
                     const std::string& band = "",
                     double span_s = 0.0,
                     bool use_tags = true,
                     double freq_range_hz = 25e3,
                     double freq_step_hz = 5e3,
                     double max_drift_ppm = 0.0,
                     unsigned max_cells = 32,
                     double p_false = 1e-6,
                     double path_threshold_db = 15.0,
                     bool cancellation = true);

    /*! \brief Sample rate in use, in Hz (0 while waiting for an rx_rate tag). */
    virtual double samp_rate() const = 0;

    /*! \brief Centre frequency in use, in Hz; NaN when unknown. */
    virtual double centre_freq() const = 0;

    /*! \brief Carrier searched, relative to the centre, in Hz. */
    virtual double carrier_offset_hz() const = 0;

    /*! \brief Spans searched so far. */
    virtual uint64_t num_searches() const = 0;

    /*! \brief Cells published so far. */
    virtual uint64_t num_cells() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_CELL_SEARCHER_H */
