/* -*- c++ -*- */
/*
 * Public interface of the UMTS front end block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_FRONTEND_H
#define INCLUDED_CELLSCAN_UMTS_FRONTEND_H

#include <gnuradio/block.h>
#include <gnuradio/cellscan/api.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Brings one 5 MHz UMTS carrier of the stream to 7.68 MS/s, matched-filtered.
 * \ingroup cellscan
 *
 * \details
 * The front end of cellscan scan's UMTS search: impulse blanking, the carrier moved to
 * 0 Hz, resampling to 7.68 MS/s (2 samples per chip) and the root-raised-cosine matched
 * filter (roll-off 0.22). Output sample m is the carrier at m / 7.68e6 s after the first
 * input sample, so the UMTS P-SCH Sync and CPICH Measurement blocks after it see the
 * stream's timing. The output carries rx_rate (7.68e6) and, when the centre is known,
 * rx_freq (centre plus carrier offset) tags at its start and after every retune; rx_time
 * tags move to the matching output sample; other tags are not passed on.
 *
 * With use_tags, rx_rate and rx_freq tags replace the sample rate and centre; a new rate
 * restarts the filters.
 */
class CELLSCAN_API umts_frontend : virtual public gr::block
{
public:
    typedef std::shared_ptr<umts_frontend> sptr;

    /*!
     * \brief Create the block.
     *
     * \param samp_rate input sample rate in Hz (>= 3.84e6); 0 to wait for an rx_rate tag.
     * \param carrier_offset_hz carrier centre relative to the input's centre, in Hz.
     * \param use_tags take the rate (and the centre, for rx_freq) from rx_rate and rx_freq
     *        tags.
     */
    static sptr make(double samp_rate, double carrier_offset_hz = 0.0, bool use_tags = true);

    /*! \brief Input sample rate in use, in Hz (0 while waiting for an rx_rate tag). */
    virtual double samp_rate() const = 0;

    /*! \brief Input samples blanked as impulses so far. */
    virtual uint64_t blanked() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_FRONTEND_H */
