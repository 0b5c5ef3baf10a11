/* -*- c++ -*- */
/*
 * gsm_burst_activity: feeds a cs_gsm_activity and publishes its results every period and
 * at the end of the stream. The final report must leave before the block is done, so
 * the block holds one sample back until its upstream is done (stream_end.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gsm_burst_activity_impl.h"
#include "gsm_report.h"
#include "stream_end.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_port = pmt::mp("activity");

pmt::pmt_t db_pmt(double power)
{
    return pmt::from_double(power > 0.0 ? 10.0 * std::log10(power) : NAN);
}
} // namespace

gsm_burst_activity::sptr gsm_burst_activity::make(double samp_rate,
                                                  double report_period_s,
                                                  double noise_dbfs,
                                                  double false_alarms_per_hour,
                                                  double max_gap_s)
{
    return gnuradio::make_block_sptr<gsm_burst_activity_impl>(
        samp_rate, report_period_s, noise_dbfs, false_alarms_per_hour, max_gap_s);
}

gsm_burst_activity_impl::gsm_burst_activity_impl(double samp_rate,
                                                 double report_period_s,
                                                 double noise_dbfs,
                                                 double false_alarms_per_hour,
                                                 double max_gap_s)
    : gr::block("gsm_burst_activity",
                gr::io_signature::make(1, 1, sizeof(gr_complex)),
                gr::io_signature::make(0, 1, sizeof(gr_complex))),
      d_rate_hz(samp_rate),
      d_period_items(report_period_s > 0.0 && std::isfinite(report_period_s)
                         ? static_cast<uint64_t>(std::llround(report_period_s * samp_rate))
                         : 0)
{
    const std::string me = "gsm_burst_activity: ";
    if (!(report_period_s >= 0.0) || !std::isfinite(report_period_s) ||
        (report_period_s > 0.0 && d_period_items == 0))
        throw std::invalid_argument(me + "report period must be 0 (at the end) or a "
                                         "positive number of seconds (got " +
                                    std::to_string(report_period_s) + ")");
    cs_gsm_activity_config c;
    cs_gsm_activity_config_init(&c);
    c.sample_rate_hz = samp_rate;
    c.noise_power = std::isfinite(noise_dbfs) ? std::pow(10.0, noise_dbfs / 10.0) : NAN;
    c.false_alarms_per_hour = false_alarms_per_hour;
    c.max_gap_s = max_gap_s;
    cs_clear_error();
    if (cs_gsm_activity_create(&c, &d_act) != CS_OK)
        throw std::invalid_argument(me + cs_last_error());
    d_next_report = d_period_items;
    message_port_register_out(k_port);
}

gsm_burst_activity_impl::~gsm_burst_activity_impl() { cs_gsm_activity_destroy(d_act); }

void gsm_burst_activity_impl::report(uint64_t end_item, bool final)
{
    cs_gsm_activity_result r;
    cs_clear_error();
    if (cs_gsm_activity_results(d_act, &r) != CS_OK) {
        d_logger->error("{}", cs_last_error());
        return;
    }
    std::vector<pmt::pmt_t> slots;
    pmt::pmt_t per_ts = pmt::make_vector(8, pmt::PMT_NIL);
    pmt::pmt_t power_ts = pmt::make_vector(8, pmt::PMT_NIL);
    for (size_t t = 0; t < 8; t++) {
        if (r.bursts_per_ts[t] > 0)
            slots.push_back(pmt::from_long(static_cast<long>(t)));
        pmt::vector_set(per_ts, t, pmt::from_long(static_cast<long>(r.bursts_per_ts[t])));
        pmt::vector_set(
            power_ts, t, r.bursts_per_ts[t] > 0 ? db_pmt(r.power_per_ts[t]) : pmt::from_double(NAN));
    }
    pmt::pmt_t intervals = pmt::make_vector(r.num_intervals, pmt::PMT_NIL);
    for (size_t i = 0; i < r.num_intervals; i++)
        pmt::vector_set(intervals,
                        i,
                        pmt::cons(pmt::from_double(r.intervals[i][0]),
                                  pmt::from_double(r.intervals[i][1])));
    using pmt::dict_add;
    using pmt::mp;
    pmt::pmt_t d = pmt::make_dict();
    d = dict_add(d, mp("type"), mp("gsm_burst_activity"));
    d = dict_add(d, mp("t_start_s"), pmt::from_double(0.0));
    d = dict_add(d, mp("t_end_s"), pmt::from_double(end_item / d_rate_hz));
    d = dict_add(d, mp("final"), pmt::from_bool(final));
    d = dict_add(d, mp("slots"), pmt::from_long(static_cast<long>(r.slots)));
    d = dict_add(d, mp("bursts"), pmt::from_long(static_cast<long>(r.bursts)));
    d = dict_add(d, mp("timeslots"), gsm_vector(slots));
    d = dict_add(d, mp("bursts_per_ts"), per_ts);
    d = dict_add(d, mp("power_per_ts_dbfs"), power_ts);
    d = dict_add(d, mp("burst_power_dbfs"), db_pmt(r.bursts ? r.burst_power : 0.0));
    d = dict_add(d, mp("noise_dbfs"), db_pmt(r.noise_power));
    d = dict_add(d, mp("threshold_db"), db_pmt(r.threshold));
    d = dict_add(d,
                 mp("duty_cycle"),
                 pmt::from_double(r.slots ? double(r.bursts) / double(r.slots) : NAN));
    d = dict_add(d, mp("envelope_ratio"), pmt::from_double(r.envelope_ratio));
    d = dict_add(d, mp("t_first_s"), pmt::from_double(r.t_first_s));
    d = dict_add(d, mp("t_last_s"), pmt::from_double(r.t_last_s));
    d = dict_add(d, mp("slot_origin_s"), pmt::from_double(r.slot_origin_s));
    d = dict_add(d, mp("intervals"), intervals);
    d = dict_add(d, mp("intervals_truncated"), pmt::from_bool(r.intervals_truncated != 0));
    message_port_pub(k_port, d);
    d_reports++;
}

void gsm_burst_activity_impl::forecast(int noutput_items, gr_vector_int& ninput_items_required)
{
    /* one more than will be read until the upstream is done (the final report) */
    ninput_items_required[0] = upstream_finished(*this) ? noutput_items : noutput_items + 1;
}

int gsm_burst_activity_impl::general_work(int noutput_items,
                                          gr_vector_int& ninput_items,
                                          gr_vector_const_void_star& input_items,
                                          gr_vector_void_star& output_items)
{
    const bool last = upstream_done(*this, ninput_items[0]);
    int n = last ? ninput_items[0] : ninput_items[0] - 1;
    if (!output_items.empty())
        n = std::min(n, noutput_items);
    if (n <= 0 && !(last && !d_finished))
        return 0;
    n = std::max(n, 0);
    auto in = static_cast<const gr_complex*>(input_items[0]);
    const uint64_t first = nitems_read(0);
    int done = 0;
    while (done < n) { /* periodic reports at their exact sample */
        int take = n - done;
        if (d_period_items > 0)
            take = static_cast<int>(std::min<uint64_t>(take, d_next_report - (first + done)));
        cs_gsm_activity_execute(d_act, reinterpret_cast<const cs_cf32*>(in + done), take);
        done += take;
        if (d_period_items > 0 && first + done == d_next_report) {
            report(d_next_report, false);
            d_next_report += d_period_items;
        }
    }
    if (!output_items.empty())
        std::memcpy(output_items[0], in, n * sizeof(gr_complex));
    if (last && n == ninput_items[0] && !d_finished) {
        report(first + n, true);
        d_finished = true;
    }
    consume_each(n);
    return output_items.empty() ? 0 : n;
}

} // namespace cellscan
} // namespace gr
