/* -*- c++ -*- */
/*
 * Public interface of the GSM SCH decoder block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_GSM_SCH_DECODER_H
#define INCLUDED_CELLSCAN_GSM_SCH_DECODER_H

#include <gnuradio/cellscan/api.h>
#include <gnuradio/sync_block.h>
#include <cstdint>

namespace gr {
namespace cellscan {

/*!
 * \brief Decodes the synchronisation bursts (SCH) of one GSM carrier: BSIC and frame
 * number.
 * \ingroup cellscan
 *
 * \details
 * Input: one channel's complex baseband at samp_rate (250 kS/s .. 100 MS/s), the channel
 * centred at channel_offset_hz from the stream centre. The SCH follows every FCCH one
 * TDMA frame later; the block finds the FCCHs from the "gsm_fcch" stream tags of a GSM
 * FCCH Detector upstream (use_fcch_tags), or runs its own FCCH search with
 * max_offset_hz and false_alarms_per_hour. At each expected SCH it runs the core's SCH
 * receiver (cellscan's gsm_sch_sync.h: training-sequence timing, channel estimate,
 * soft equaliser, Viterbi decoding and parity check), with the carrier's frequency error
 * averaged over its FCCHs. Once an SCH decodes, its frame number predicts every later
 * SCH (FN mod 51 = 1, 11, 21, 31, 41), which are decoded too, until 10 in a row fail.
 *
 * Every decoded SCH (parity checked) is published on the message port "sch" as a dict:
 * type ("gsm_sch"), t_start_s (burst start, seconds from the start of the stream),
 * offset (its sample), fn, t1, t2, t3, ncc, bcc, snr_db (Es/N0 from the channel
 * estimate's residual), power_dbfs (channel energy), training_corr, quality (Viterbi
 * path agreement with the soft bits, 1 = all), freq_error_hz (the carrier frequency
 * error used) and predicted (true when the position came from an earlier SCH's frame
 * number, false when from an FCCH). An SCH whose burst reaches the last 0.75 ms of the
 * stream is not decoded. Samples pass through unchanged when the output is connected.
 */
class CELLSCAN_API gsm_sch_decoder : virtual public gr::sync_block
{
public:
    typedef std::shared_ptr<gsm_sch_decoder> sptr;

    /*!
     * \brief Create the block.
     *
     * \param samp_rate input sample rate in Hz.
     * \param channel_offset_hz the channel's centre relative to the stream centre, in Hz.
     * \param use_fcch_tags take the FCCHs from "gsm_fcch" tags; false: search for them.
     * \param max_offset_hz own FCCH search: carrier frequency error searched, +- Hz.
     * \param false_alarms_per_hour own FCCH search: design false alarms per hour.
     */
    static sptr make(double samp_rate,
                     double channel_offset_hz = 0.0,
                     bool use_fcch_tags = true,
                     double max_offset_hz = 25e3,
                     double false_alarms_per_hour = 6.0);

    /*! \brief SCH positions tried so far. */
    virtual uint64_t num_attempts() const = 0;

    /*! \brief SCHs decoded so far. */
    virtual uint64_t num_decoded() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_GSM_SCH_DECODER_H */
