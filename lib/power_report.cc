/* -*- c++ -*- */
/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "power_report.h"
#include <utility>
#include <vector>

namespace gr {
namespace cellscan {

pmt::pmt_t make_power_report(const power_report_period& period,
                             const cs_channel* ch,
                             const cs_channel_result* r,
                             size_t n)
{
    std::vector<int32_t> number(n);
    std::vector<uint8_t> uplink(n), occupied(n);
    std::vector<double> freq_hz(n), offset_hz(n), bandwidth_hz(n), power_dbfs(n),
        noise_dbfs(n), snr_db(n);
    pmt::pmt_t band = pmt::make_vector(n, pmt::PMT_NIL);
    for (size_t i = 0; i < n; i++) {
        number[i] = ch[i].number;
        if (ch[i].band)
            pmt::vector_set(band, i, pmt::mp(ch[i].band));
        uplink[i] = ch[i].uplink ? 1 : 0;
        freq_hz[i] = ch[i].freq_hz;
        offset_hz[i] = ch[i].offset_hz;
        bandwidth_hz[i] = ch[i].bandwidth_hz;
        power_dbfs[i] = r[i].power_dbfs;
        noise_dbfs[i] = r[i].noise_dbfs;
        snr_db[i] = r[i].snr_db;
        occupied[i] = r[i].occupied ? 1 : 0;
    }

    /* In reading order; added last-first because pmt::dict_add prepends new keys. */
    const std::pair<const char*, pmt::pmt_t> fields[] = {
        { "t_start_s", pmt::from_double(period.t_start_s) },
        { "t_end_s", pmt::from_double(period.t_end_s) },
        { "sample_rate_hz", pmt::from_double(period.sample_rate_hz) },
        { "centre_hz", pmt::from_double(period.centre_hz) },
        { "raster", pmt::mp(period.raster) },
        { "nfft", pmt::from_long(period.nfft) },
        { "segments", pmt::from_uint64(period.segments) },
        { "noise_density_dbfs_hz", pmt::from_double(period.noise_density_dbfs_hz) },
        { "number", pmt::init_s32vector(n, number) },
        { "band", band },
        { "uplink", pmt::init_u8vector(n, uplink) },
        { "freq_hz", pmt::init_f64vector(n, freq_hz) },
        { "offset_hz", pmt::init_f64vector(n, offset_hz) },
        { "bandwidth_hz", pmt::init_f64vector(n, bandwidth_hz) },
        { "power_dbfs", pmt::init_f64vector(n, power_dbfs) },
        { "noise_dbfs", pmt::init_f64vector(n, noise_dbfs) },
        { "snr_db", pmt::init_f64vector(n, snr_db) },
        { "occupied", pmt::init_u8vector(n, occupied) },
    };
    pmt::pmt_t dict = pmt::make_dict();
    for (size_t i = sizeof fields / sizeof fields[0]; i-- > 0;)
        dict = pmt::dict_add(dict, pmt::mp(fields[i].first), fields[i].second);
    return dict;
}

} // namespace cellscan
} // namespace gr
