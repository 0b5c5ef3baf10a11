/* -*- c++ -*- */
/*
 * Public interface of the GSM burst activity block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_BURST_ACTIVITY_H
#define INCLUDED_CELLSCAN_GSM_BURST_ACTIVITY_H

#include <gnuradio/block.h>
#include <gnuradio/cellscan/api.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Burst activity of one GSM channel: which timeslots carry bursts, how many, how
 * strong, and when the channel was active.
 * \ingroup cellscan
 *
 * \details
 * Input: one GSM channel (downlink or uplink) at samp_rate (>= 100 kS/s), filtered to
 * the channel (about +-100 kHz; wider input counts the neighbours' power too). The
 * core's activity detector (cellscan's gsm_activity.h, the one cellscan scan runs on
 * every channel) fits a slot grid (577 us slots, 8 per 4.615 ms frame) to the stream's
 * power and calls a slot a burst when its power stands above the noise by a threshold
 * set for false_alarms_per_hour on noise. The noise is noise_dbfs per sample when given
 * (finite), else estimated from the quietest slots (then a carrier on in every slot,
 * like a C0, counts as noise). Timeslot numbers are relative: slot count mod 8 from the
 * grid's origin, slot_origin_s.
 *
 * Every report_period_s of stream (0: only at the end), and always at the end of the
 * stream before the block finishes, one dict on the message port "activity", covering
 * the stream so far: type ("gsm_burst_activity"), t_start_s (0), t_end_s, final (true at
 * the end), slots, bursts, timeslots (relative timeslots with bursts), bursts_per_ts,
 * power_per_ts_dbfs, burst_power_dbfs (signal plus noise), noise_dbfs, threshold_db,
 * duty_cycle, envelope_ratio (m4/m2^2 - 1 of the burst samples: 0 for a clean GMSK
 * burst, 1 for noise-like signals), t_first_s, t_last_s, slot_origin_s, intervals
 * (pairs of start and end times in seconds; gaps over max_gap_s split them) and
 * intervals_truncated. Samples pass through unchanged when the output is connected.
 */
class CELLSCAN_API gsm_burst_activity : virtual public gr::block
{
public:
    typedef std::shared_ptr<gsm_burst_activity> sptr;

    /*!
     * \brief Create the block.
     *
     * \param samp_rate input sample rate in Hz.
     * \param report_period_s seconds of stream between reports; 0: only at the end.
     * \param noise_dbfs noise power per sample in dBFS; NaN: estimated.
     * \param false_alarms_per_hour slots wrongly called bursts per hour of noise.
     * \param max_gap_s gaps longer than this split activity intervals, in seconds.
     */
    static sptr make(double samp_rate,
                     double report_period_s = 0.0,
                     double noise_dbfs = NAN,
                     double false_alarms_per_hour = 1.0,
                     double max_gap_s = 0.15);

    /*! \brief Reports published so far. */
    virtual uint64_t num_reports() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_BURST_ACTIVITY_H */
