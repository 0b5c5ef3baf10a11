/* -*- c++ -*- */
/*
 * rx_rate / rx_freq stream tags (sigmf_source, UHD sources) as the UMTS blocks read them:
 * grouped by sample, each group with the rate and centre in force from that sample on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#ifndef INCLUDED_CELLSCAN_UMTS_TAGS_H
#define INCLUDED_CELLSCAN_UMTS_TAGS_H

#include <gnuradio/block.h>
#include <algorithm>
#include <cmath>
#include <vector>

namespace gr {
namespace cellscan {

struct umts_retune {
    uint64_t item;    /* stream item the values apply from */
    double rate_hz;   /* the rate before it when the group has no rx_rate */
    double centre_hz; /* the centre before it when the group has no rx_freq */
};

/* 0 and non-finite centre frequencies both mean "unknown" (NAN). */
inline double umts_known_or_nan(double centre_hz)
{
    return std::isfinite(centre_hz) && centre_hz != 0.0 ? centre_hz : NAN;
}

inline bool umts_same_freq(double a, double b)
{
    return a == b || (std::isnan(a) && std::isnan(b));
}

/* The rx_rate / rx_freq groups among tags (from get_tags_in_range), in stream order;
 * rate_hz and centre_hz are the values in force before the first tag. Tags whose value is
 * not a real number are ignored. */
inline std::vector<umts_retune>
umts_rx_retunes(std::vector<tag_t> tags, double rate_hz, double centre_hz)
{
    static const pmt::pmt_t k_rx_rate = pmt::mp("rx_rate");
    static const pmt::pmt_t k_rx_freq = pmt::mp("rx_freq");
    std::stable_sort(tags.begin(), tags.end(), tag_t::offset_compare);
    std::vector<umts_retune> out;
    for (const tag_t& t : tags) {
        const bool rate = pmt::eq(t.key, k_rx_rate), freq = pmt::eq(t.key, k_rx_freq);
        if ((!rate && !freq) || !pmt::is_number(t.value) || pmt::is_complex(t.value))
            continue;
        if (out.empty() || out.back().item != t.offset)
            out.push_back({ t.offset, rate_hz, centre_hz });
        if (rate)
            rate_hz = out.back().rate_hz = pmt::to_double(t.value);
        else
            centre_hz = out.back().centre_hz = pmt::to_double(t.value);
    }
    return out;
}

} // namespace cellscan
} // namespace gr

#endif /* INCLUDED_CELLSCAN_UMTS_TAGS_H */
