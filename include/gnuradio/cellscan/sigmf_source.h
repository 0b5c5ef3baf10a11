/* -*- c++ -*- */
/*
 * Public interface of the recording source block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_SIGMF_SOURCE_H
#define INCLUDED_CELLSCAN_SIGMF_SOURCE_H

#include <gnuradio/cellscan/api.h>
#include <gnuradio/sync_block.h>
#include <cstdint>
#include <string>

namespace gr {
namespace cellscan {

/*!
 * \brief Streams a SigMF recording (or a raw IQ file) as complex float samples.
 * \ingroup cellscan
 *
 * \details
 * One complex output per channel of the recording (core:num_channels), full scale 1.0
 * whatever the file's datatype. Like a UHD source, it tags the first sample, every
 * capture boundary and the first sample after each repeat with rx_time (tuple of
 * uint64 whole seconds and double fractional seconds, from the capture's core:datetime,
 * else counted from 0 at the start of the recording), rx_rate (double, Hz) and rx_freq
 * (double, Hz; only when the centre frequency is known). The flowgraph ends at the end
 * of the file unless repeat is set. A file that cannot be opened or is malformed makes
 * the constructor throw std::runtime_error with a one-line message naming the file.
 */
class CELLSCAN_API sigmf_source : virtual public gr::sync_block
{
public:
    typedef std::shared_ptr<sigmf_source> sptr;

    /*!
     * \brief Open a recording.
     *
     * \param filename .sigmf-meta, .sigmf-data or the basename of a SigMF pair; a raw
     *        IQ file when raw_format is set.
     * \param repeat start again at the beginning at the end of the file.
     * \param raw_format empty for SigMF; for a raw file its datatype ("cf32", "ci16",
     *        "ci8", "cu8", or a SigMF name such as "ci16_le").
     * \param raw_rate_hz sample rate of a raw file in Hz (> 0 when raw_format is set).
     * \param raw_freq_hz RF centre of a raw file in Hz; 0 when unknown.
     * \param raw_channels interleaved channels in a raw file (1 or more).
     */
    static sptr make(const std::string& filename,
                     bool repeat = false,
                     const std::string& raw_format = "",
                     double raw_rate_hz = 0.0,
                     double raw_freq_hz = 0.0,
                     unsigned raw_channels = 1);

    /*! \brief Channels (outputs available) in the recording. */
    virtual unsigned num_channels() const = 0;

    /*! \brief Sample rate of the recording in Hz. */
    virtual double sample_rate_hz() const = 0;

    /*! \brief RF centre of the first capture in Hz; NaN when unknown. */
    virtual double centre_freq_hz() const = 0;

    /*! \brief Samples per channel in the file. */
    virtual uint64_t num_samples() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_SIGMF_SOURCE_H */
