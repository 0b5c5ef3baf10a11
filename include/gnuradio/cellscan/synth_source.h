/* -*- c++ -*- */
/*
 * Public interface of the generator source block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_SYNTH_SOURCE_H
#define INCLUDED_CELLSCAN_SYNTH_SOURCE_H

#include <gnuradio/cellscan/api.h>
#include <gnuradio/sync_block.h>
#include <cstdint>
#include <string>

namespace gr {
namespace cellscan {

/*!
 * \brief Streams the signal of a `cellscan synth` scenario live: GSM and UMTS emitters,
 * channel, receiver impairments and noise, as complex float samples.
 * \ingroup cellscan
 *
 * \details
 * The samples are exactly those `cellscan synth` writes as cf32_le for the same scenario,
 * overrides and seed (full scale 1.0, never quantised: the scenario's datatype is
 * ignored). One complex output per receiver channel: 1, or the elements of the
 * scenario's array (channel m = element m, as `--array-output interleaved` stores them);
 * connect up to that many. The first sample carries, like a UHD source, rx_time (tuple
 * of uint64 0 and double 0.0: time counts from the start of the stream), rx_rate (double,
 * the nominal sample rate in Hz) and rx_freq (double, the RF centre in Hz), plus truth: a
 * PMT string holding the JSON truth document `cellscan synth` writes as BASENAME.truth.json
 * (recording.basename null, no clipped_components or measured_power_dbfs). The stream
 * ends after the duration, or never (duration_s 0). A scenario that cannot be read or
 * resolved makes the constructor throw std::runtime_error with the core's one-line
 * message.
 */
class CELLSCAN_API synth_source : virtual public gr::sync_block
{
public:
    typedef std::shared_ptr<synth_source> sptr;

    /*!
     * \brief Build the generator of a scenario.
     *
     * \param scenario path of a JSON or YAML scenario file (.yaml/.yml; a truth.json works
     *        too), or the scenario itself as JSON text (starting with '{').
     * \param sample_rate_hz sample rate in Hz, overriding the scenario's; 0 = the
     *        scenario's (or its default, chosen from the emitters).
     * \param centre_freq_hz RF centre in Hz, overriding the scenario's; 0 = the scenario's.
     * \param seed random seed, overriding the scenario's; -1 = the scenario's (default 1).
     * \param duration_s seconds to stream, then end; 0 = endless; -1 = the scenario's
     *        duration_s (default 0.1 s).
     */
    static sptr make(const std::string& scenario,
                     double sample_rate_hz = 0.0,
                     double centre_freq_hz = 0.0,
                     int64_t seed = -1,
                     double duration_s = 0.0);

    /*! \brief Receiver channels (outputs available): 1, or the array's elements. */
    virtual unsigned num_channels() const = 0;

    /*! \brief Sample rate in Hz. */
    virtual double sample_rate_hz() const = 0;

    /*! \brief RF centre in Hz. */
    virtual double centre_freq_hz() const = 0;

    /*! \brief Samples per channel the stream holds; 0 when endless. */
    virtual uint64_t num_samples() const = 0;

    /*! \brief The truth document (JSON text), as the truth tag carries it. */
    virtual std::string truth_json() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_SYNTH_SOURCE_H */
