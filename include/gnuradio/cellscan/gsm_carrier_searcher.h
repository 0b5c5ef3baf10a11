/* -*- c++ -*- */
/*
 * Public interface of the GSM carrier searcher block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_H
#define INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_H

#include <gnuradio/block.h>
#include <gnuradio/cellscan/api.h>
#include <cstdint>
#include <string>

namespace gr {
namespace cellscan {

/*!
 * \brief Finds every GSM carrier and every burst in a wideband stream (cellscan scan's GSM
 * scanner).
 * \ingroup cellscan
 *
 * \details
 * Runs the GSM scan of cellscan scan over each span of the input: every ARFCN of the
 * stream's usable band (the central 80%) is channelized; each downlink channel gets a
 * coherent FCCH search, SCH decoding to BSIC and frame number one frame after every FCCH
 * and wherever the decoded frame timing predicts one, and burst activity per timeslot;
 * uplink channels get burst activity. At the end of a span the detections are combined
 * per carrier and over carriers (the receiver's frequency error in ppm).
 *
 * The results leave as PMT dicts, with the fields of the records of cellscan scan
 * --format jsonl (values unrounded; times in seconds from the start of the stream; NaN
 * where the CLI writes null):
 *  - "channels": one "gsm_channel" dict per channel scanned: arfcn and band (nil when
 *    unknown), link, freq_hz, offset_hz, power_dbfs, noise_dbfs, snr_db, carrier,
 *    offset_khz;
 *  - "carriers": one "gsm_carrier" dict per carrier found: arfcn, band, freq_hz,
 *    offset_hz, freq_error_hz, power_dbfs, snr_db, fcch_count, bsic (a dict with ncc and
 *    bcc, or nil), frame_numbers (of the first 4096 SCHs: memory stays bounded on an
 *    endless stream; sch_count counts all), t_first_s, t_last_s, freq_error_sigma_hz, noise_dbfs,
 *    fcch_detections, sch_count, sch_attempts, first_fn, first_fn_time_s,
 *    envelope_ratio, evidence ("sch", "fcch" or "power"), offset_khz, bsic_text;
 *  - "activities": one "gsm_activity" dict per channel with bursts (non-C0 downlink and
 *    uplink): arfcn, band, link, timeslots, bursts, power_dbfs, intervals (pairs of
 *    start and end times), freq_hz, offset_hz, timeslot_reference ("c0" or "relative"),
 *    bursts_per_ts, snr_db, duty_cycle, active_s, envelope_ratio, offset_khz;
 *  - "scan": one "gsm_scan" dict per span after the others: receiver_ppm (NaN without
 *    FCCH carriers), receiver_ppm_sigma, receiver_ppm_carriers, carriers, activities,
 *    channels, noise_dbfs_hz, fcch_threshold, max_offset_hz, sample_rate_hz, centre_hz,
 *    duration_s, t_start_s, t_end_s.
 *
 * A span is span_s seconds of input, or with span_s = 0 the whole stream (the scan
 * streams in bounded memory). The last span ends with the stream, and its results are
 * published before the block reports itself done, so message sinks receive them. The
 * samples reach the core in the 65536-sample blocks cellscan scan reads, so a recording
 * gives exactly the CLI's records.
 *
 * With use_tags, rx_rate and rx_freq stream tags (SigMF Source, UHD) replace the sample
 * rate and centre; a change ends the span.
 */
class CELLSCAN_API gsm_carrier_searcher : virtual public gr::block
{
public:
    typedef std::shared_ptr<gsm_carrier_searcher> sptr;

    /*!
     * \brief Create the block.
     *
     * \param samp_rate sample rate in Hz (>= 400e3); 0 to wait for an rx_rate tag.
     * \param centre_freq RF centre in Hz; 0 when unknown (channels then by offset only).
     * \param band GSM band name such as "E-GSM900" for numbering; empty: by frequency.
     * \param span_s seconds of input per scan; 0 for the whole stream.
     * \param use_tags take the rate and centre from rx_rate and rx_freq tags.
     * \param max_offset_hz FCCH frequency search +- this, in Hz; 0: 25 kHz or 20 ppm.
     * \param fcch_false_alarms_per_hour design FCCH false alarms per channel-hour; 0: 6.
     * \param min_snr_db a carrier found by its power alone needs this Es/N0, in dB.
     * \param downlink_only skip the uplink channels (handset burst activity).
     */
    static sptr make(double samp_rate,
                     double centre_freq,
                     const std::string& band = "",
                     double span_s = 0.0,
                     bool use_tags = true,
                     double max_offset_hz = 0.0,
                     double fcch_false_alarms_per_hour = 0.0,
                     double min_snr_db = 6.0,
                     bool downlink_only = false);

    /*! \brief Sample rate in use, in Hz (0 while waiting for an rx_rate tag). */
    virtual double samp_rate() const = 0;

    /*! \brief Centre frequency in use, in Hz; NaN when unknown. */
    virtual double centre_freq() const = 0;

    /*! \brief Spans scanned so far. */
    virtual uint64_t num_scans() const = 0;

    /*! \brief Carriers published so far. */
    virtual uint64_t num_carriers() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_CARRIER_SEARCHER_H */
