/* -*- c++ -*- */
/*
 * Public interface of the GSM FCCH detector block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_FCCH_DETECTOR_H
#define INCLUDED_CELLSCAN_GSM_FCCH_DETECTOR_H

#include <gnuradio/block.h>
#include <gnuradio/cellscan/api.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Finds the frequency-correction bursts (FCCH) of one GSM channel and tags them.
 * \ingroup cellscan
 *
 * \details
 * Input: one channel's complex baseband at samp_rate (at least 2 * (max_offset_hz +
 * 12 kHz) around the tone), the channel centred at channel_offset_hz from the stream
 * centre (0: centred, e.g. a channel filter's output or a narrow recording). The core's
 * coherent tone detector (cellscan's gsm_fcch.h, the one cellscan scan runs on every
 * ARFCN) looks for the +67.7 kHz tone of an FCCH burst within +- max_offset_hz of
 * where a nominal carrier puts it, at a threshold set for false_alarms_per_hour on noise.
 *
 * Samples pass through unchanged, but are held back a short time (holdback_s(): the
 * detector's decision delay) so that every detection can be tagged where its burst
 * starts: the key "gsm_fcch" on the sample of the burst's first bit (+-1 symbol), with a
 * dict value: offset_hz (carrier frequency error: measured tone minus nominal),
 * offset_sigma_hz (its Cramer-Rao standard deviation), power (tone power, input units),
 * power_dbfs, snr_db (Es/N0 of the burst, noise in 270.833 kHz), statistic, threshold,
 * t_start_s (burst start, seconds from the start of the stream). The same dict, with
 * "offset" (the tagged sample) added, goes to the message port "fcch". The end of the
 * stream is examined before the block finishes, so a burst there is tagged too.
 */
class CELLSCAN_API gsm_fcch_detector : virtual public gr::block
{
public:
    typedef std::shared_ptr<gsm_fcch_detector> sptr;

    /*!
     * \brief Create the block.
     *
     * \param samp_rate input sample rate in Hz.
     * \param channel_offset_hz the channel's centre relative to the stream centre, in Hz.
     * \param max_offset_hz carrier frequency error searched, +- this, in Hz (1e3 .. 90e3).
     * \param false_alarms_per_hour design false alarms per hour of noise input.
     */
    static sptr make(double samp_rate,
                     double channel_offset_hz = 0.0,
                     double max_offset_hz = 25e3,
                     double false_alarms_per_hour = 6.0);

    /*! \brief Bursts detected so far. */
    virtual uint64_t num_detections() const = 0;

    /*! \brief Detection threshold on the statistic. */
    virtual double threshold() const = 0;

    /*! \brief How long samples are held back, in seconds. */
    virtual double holdback_s() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_FCCH_DETECTOR_H */
