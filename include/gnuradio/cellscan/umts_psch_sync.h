/* -*- c++ -*- */
/*
 * Public interface of the UMTS P-SCH slot synchroniser block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_PSCH_SYNC_H
#define INCLUDED_CELLSCAN_UMTS_PSCH_SYNC_H

#include <gnuradio/cellscan/api.h>
#include <gnuradio/sync_block.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Finds the UMTS slot timing (P-SCH) and tags the slot boundaries.
 * \ingroup cellscan
 *
 * \details
 * Step 1 of the UMTS cell search on one carrier at 7.68 MS/s (the UMTS Front End's
 * output; a 7.68 MS/s recording centred on the carrier also works, without the matched
 * filter's gain): the primary synchronisation code is correlated over a coarse frequency
 * grid and accumulated non-coherently over integration_slots slots (0.667 ms each); the
 * strongest peaks, each a cell or an echo, become candidates. Samples pass through
 * unchanged.
 *
 * After each integration period the block publishes on the message port "candidates" one
 * PMT dict: t_start_s, t_end_s (the period, seconds from the start of the stream), slots
 * and candidates, a list of dicts (strongest first) with slot_offset_samples (P-SCH start
 * in the slot, 0 .. 5120, sub-sample), freq_hz (coarse frequency offset), snr_db (P-SCH
 * energy per slot over the noise) and z (detection statistic). It then tags, in the next
 * period's samples, every slot boundary of every candidate with the key "umts_slot" and a
 * dict value: rank (0 = strongest), timing_samples (where the slot starts relative to the
 * tagged sample, -0.5 .. 0.5), freq_hz, snr_db and z. The first period has no tags.
 */
class CELLSCAN_API umts_psch_sync : virtual public gr::sync_block
{
public:
    typedef std::shared_ptr<umts_psch_sync> sptr;

    /*!
     * \brief Create the block.
     *
     * \param integration_slots slots per integration period (2 .. 15000).
     * \param freq_range_hz frequency search +- this, in Hz.
     * \param freq_step_hz its grid step, in Hz.
     * \param max_candidates at most this many candidates per period (1 .. 256).
     * \param threshold_z candidate threshold on the noise-normalised peak.
     */
    static sptr make(unsigned integration_slots = 150,
                     double freq_range_hz = 25e3,
                     double freq_step_hz = 5e3,
                     unsigned max_candidates = 4,
                     double threshold_z = 6.0);

    /*! \brief Integration periods completed so far. */
    virtual uint64_t num_periods() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_PSCH_SYNC_H */
