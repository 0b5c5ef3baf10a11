/* -*- c++ -*- */
/*
 * umts_psch_sync: feeds a cs_umts_psch_sync one integration period at a time, publishes
 * its candidates and tags their slot boundaries in the following period.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_psch_sync_impl.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <cellscan/umts_frontend.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_port = pmt::mp("candidates");
const pmt::pmt_t k_slot_tag = pmt::mp("umts_slot");
const pmt::pmt_t k_rx_rate = pmt::mp("rx_rate");
const unsigned k_max_slots = 15000; /* 10 s */

double snr_db(double snr) { return snr > 0 ? 10.0 * std::log10(snr) : -INFINITY; }
} // namespace

umts_psch_sync::sptr umts_psch_sync::make(unsigned integration_slots,
                                          double freq_range_hz,
                                          double freq_step_hz,
                                          unsigned max_candidates,
                                          double threshold_z)
{
    return gnuradio::make_block_sptr<umts_psch_sync_impl>(
        integration_slots, freq_range_hz, freq_step_hz, max_candidates, threshold_z);
}

umts_psch_sync_impl::umts_psch_sync_impl(unsigned integration_slots,
                                         double freq_range_hz,
                                         double freq_step_hz,
                                         unsigned max_candidates,
                                         double threshold_z)
    : gr::sync_block("umts_psch_sync",
                     gr::io_signature::make(1, 1, sizeof(gr_complex)),
                     gr::io_signature::make(1, 1, sizeof(gr_complex))),
      d_period_items(uint64_t(integration_slots) * CS_UMTS_SLOT_SAMPLES)
{
    if (integration_slots < 2 || integration_slots > k_max_slots)
        throw std::invalid_argument("umts_psch_sync: integration of " +
                                    std::to_string(integration_slots) +
                                    " slots is outside 2 .. " + std::to_string(k_max_slots));
    cs_umts_psch_params p;
    cs_umts_psch_params_init(&p);
    p.freq_min_hz = -freq_range_hz;
    p.freq_max_hz = freq_range_hz;
    p.freq_step_hz = freq_step_hz;
    p.max_candidates = max_candidates;
    p.threshold_z = threshold_z;
    cs_clear_error();
    if (cs_umts_psch_sync_create(&p, &d_psch) != CS_OK)
        throw std::invalid_argument("umts_psch_sync: " + std::string(cs_last_error()));
    message_port_register_out(k_port);
}

umts_psch_sync_impl::~umts_psch_sync_impl() { cs_umts_psch_sync_destroy(d_psch); }

/* Select the period's candidates, publish them and tag them from end_item on. */
void umts_psch_sync_impl::finish_period(uint64_t end_item)
{
    d_tagging.clear();
    d_tag_values.clear();
    pmt::pmt_t list = pmt::make_vector(0, pmt::PMT_NIL);
    cs_clear_error();
    if (cs_umts_psch_sync_finish(d_psch) == CS_OK) {
        const size_t n = cs_umts_psch_sync_num_candidates(d_psch);
        list = pmt::make_vector(n, pmt::PMT_NIL);
        for (size_t i = 0; i < n; i++) {
            const cs_umts_psch_candidate& c = *cs_umts_psch_sync_candidate(d_psch, i);
            pmt::pmt_t d = pmt::make_dict();
            d = pmt::dict_add(d, pmt::mp("slot_offset_samples"),
                              pmt::from_double(c.slot_offset_samples));
            d = pmt::dict_add(d, pmt::mp("freq_hz"), pmt::from_double(c.freq_hz));
            d = pmt::dict_add(d, pmt::mp("snr_db"), pmt::from_double(snr_db(c.snr)));
            d = pmt::dict_add(d, pmt::mp("z"), pmt::from_double(c.z));
            pmt::vector_set(list, i, d);

            pmt::pmt_t v = pmt::make_dict();
            v = pmt::dict_add(v, pmt::mp("rank"), pmt::from_long(static_cast<long>(i)));
            v = pmt::dict_add(v, pmt::mp("timing_samples"),
                              pmt::from_double(c.slot_offset_samples - c.slot_offset_index));
            v = pmt::dict_add(v, pmt::mp("freq_hz"), pmt::from_double(c.freq_hz));
            v = pmt::dict_add(v, pmt::mp("snr_db"), pmt::from_double(snr_db(c.snr)));
            v = pmt::dict_add(v, pmt::mp("z"), pmt::from_double(c.z));
            d_tagging.push_back(c);
            d_tag_values.push_back(v);
        }
    } else {
        d_logger->warn("{}", cs_last_error());
    }
    pmt::pmt_t msg = pmt::make_dict();
    msg = pmt::dict_add(msg, pmt::mp("t_start_s"),
                        pmt::from_double(d_period_start / CS_UMTS_WORK_RATE_HZ));
    msg = pmt::dict_add(msg, pmt::mp("t_end_s"), pmt::from_double(end_item / CS_UMTS_WORK_RATE_HZ));
    msg = pmt::dict_add(msg, pmt::mp("slots"), pmt::from_double(cs_umts_psch_sync_slots(d_psch)));
    msg = pmt::dict_add(msg, pmt::mp("candidates"), list);
    message_port_pub(k_port, msg);
    d_periods++;
    cs_umts_psch_sync_reset(d_psch);
    d_period_start = end_item;
}

/* Tag the slot boundaries of the current candidates among the items [from, to). The
 * boundaries repeat every slot from the period start plus the candidate's offset. */
void umts_psch_sync_impl::tag_slots(uint64_t from, uint64_t to)
{
    const uint64_t slot = CS_UMTS_SLOT_SAMPLES;
    for (size_t i = 0; i < d_tagging.size(); i++) {
        const uint64_t phase =
            d_period_start + static_cast<uint64_t>(d_tagging[i].slot_offset_index);
        uint64_t at = from <= phase ? phase : phase + (from - phase + slot - 1) / slot * slot;
        for (; at < to; at += slot)
            add_item_tag(0, at, k_slot_tag, d_tag_values[i]);
    }
}

/* The timing assumes 7.68 MS/s: say so once when an rx_rate tag disagrees. */
void umts_psch_sync_impl::check_rate(uint64_t first, uint64_t n)
{
    if (d_rate_warned)
        return;
    std::vector<tag_t> tags;
    get_tags_in_range(tags, 0, first, first + n, k_rx_rate);
    for (const tag_t& t : tags)
        if (pmt::is_real(t.value) && pmt::to_double(t.value) != CS_UMTS_WORK_RATE_HZ) {
            d_logger->error("input at {} S/s, but the P-SCH search needs 7.68 MS/s centred "
                            "on the carrier (put a UMTS Front End before this block)",
                            pmt::to_double(t.value));
            d_rate_warned = true;
            return;
        }
}

int umts_psch_sync_impl::work(int noutput_items,
                              gr_vector_const_void_star& input_items,
                              gr_vector_void_star& output_items)
{
    auto in = static_cast<const gr_complex*>(input_items[0]);
    auto out = static_cast<gr_complex*>(output_items[0]);
    const uint64_t first = nitems_read(0);
    const uint64_t n = static_cast<uint64_t>(noutput_items);
    std::memcpy(out, in, n * sizeof(gr_complex));
    check_rate(first, n);
    uint64_t done = 0;
    while (done < n) {
        const uint64_t take =
            std::min(n - done, d_period_start + d_period_items - (first + done));
        tag_slots(first + done, first + done + take);
        cs_umts_psch_sync_execute(d_psch, in + done, take);
        done += take;
        if (first + done == d_period_start + d_period_items)
            finish_period(first + done);
    }
    return noutput_items;
}

} // namespace cellscan
} // namespace gr
