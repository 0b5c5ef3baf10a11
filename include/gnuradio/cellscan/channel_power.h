/* -*- c++ -*- */
/*
 * Public interface of the per-channel power block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_CHANNEL_POWER_H
#define INCLUDED_CELLSCAN_CHANNEL_POWER_H

#include <gnuradio/cellscan/api.h>
#include <gnuradio/sync_block.h>
#include <cstdint>
#include <string>

namespace gr {
namespace cellscan {

/*!
 * \brief Measures the power of every GSM, UMTS or fixed-width channel in the band.
 * \ingroup cellscan
 *
 * \details
 * Accumulates an averaged spectrum of the input and, every integration period, publishes
 * one report on the message port "power": a PMT dict with the scalars t_start_s and
 * t_end_s (the period, in seconds from the start of the stream), sample_rate_hz,
 * centre_hz (NaN when unknown), raster, nfft, segments and noise_density_dbfs_hz, and one
 * vector per column with an element per channel, ordered by frequency: number (s32, ARFCN
 * or UARFCN, -1 when none), band (symbols, nil when none), uplink (u8), freq_hz (f64, NaN
 * when the centre is unknown), offset_hz, bandwidth_hz, power_dbfs, noise_dbfs, snr_db
 * (f64, -inf when the power does not exceed the noise floor) and occupied (u8).
 * A period cut short by the end of the stream is not reported.
 *
 * With use_tags, rx_rate and rx_freq stream tags (from sigmf_source or a UHD source)
 * replace the sample rate and centre frequency; a change starts a new period.
 */
class CELLSCAN_API channel_power : virtual public gr::sync_block
{
public:
    typedef std::shared_ptr<channel_power> sptr;

    /*!
     * \brief Create the block.
     *
     * \param raster "gsm" (ARFCNs), "umts" (UARFCNs) or "bins" (bin_hz wide bins).
     * \param band band name such as "E-GSM900", "DCS1800" or "UMTS-I"; empty for any band.
     * \param samp_rate sample rate in Hz; 0 to wait for an rx_rate tag (needs use_tags).
     * \param centre_freq RF centre in Hz; 0 or NaN when unknown (channels then carry
     *        offsets only).
     * \param integration_s length of one measurement period in seconds.
     * \param use_tags take the rate and centre from rx_rate and rx_freq tags.
     * \param bin_hz width of one bin for the "bins" raster, in Hz.
     * \param threshold_db a channel is occupied when its SNR reaches this, in dB.
     * \param nfft FFT size, a power of two; 0 picks one for the raster.
     */
    static sptr make(const std::string& raster,
                     const std::string& band,
                     double samp_rate,
                     double centre_freq,
                     double integration_s,
                     bool use_tags = true,
                     double bin_hz = 0.0,
                     double threshold_db = 6.0,
                     unsigned nfft = 0);

    /*! \brief Sample rate in use, in Hz (0 while waiting for an rx_rate tag). */
    virtual double samp_rate() const = 0;

    /*! \brief Centre frequency in use, in Hz; NaN when unknown. */
    virtual double centre_freq() const = 0;

    /*! \brief Reports published so far. */
    virtual uint64_t num_reports() const = 0;
};

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_CHANNEL_POWER_H */
