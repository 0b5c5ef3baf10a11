/* -*- c++ -*- */
/*
 * GSM scan results as PMT dicts: the same fields and formulas as the records of
 * apps/cellscan/scan_gsm.c (channel_record, carrier_record, activity_record), so a
 * flowgraph prints what the CLI prints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "gsm_report.h"
#include <cmath>
#include <string>
#include <vector>

namespace gr {
namespace cellscan {

namespace {
using pmt::dict_add;
using pmt::mp;

pmt::pmt_t arfcn_pmt(int arfcn)
{
    return arfcn >= 0 ? pmt::from_long(arfcn) : pmt::PMT_NIL;
}

pmt::pmt_t text_pmt(const char* s) { return s ? pmt::string_to_symbol(s) : pmt::PMT_NIL; }

pmt::pmt_t long_pmt(uint64_t v) { return pmt::from_long(static_cast<long>(v)); }

/* The channel keys every record starts with (the CLI's channel_keys). */
pmt::pmt_t start(const char* type, int arfcn, const char* band)
{
    pmt::pmt_t d = pmt::make_dict();
    d = dict_add(d, mp("type"), mp(type));
    d = dict_add(d, mp("arfcn"), arfcn_pmt(arfcn));
    d = dict_add(d, mp("band"), text_pmt(band));
    return d;
}
} // namespace

pmt::pmt_t gsm_channel_dict(const cs_gsm_channel_power& p)
{
    pmt::pmt_t d = start("gsm_channel", p.arfcn, p.band);
    d = dict_add(d, mp("link"), mp(p.uplink ? "uplink" : "downlink"));
    d = dict_add(d, mp("freq_hz"), gsm_num(p.freq_hz));
    d = dict_add(d, mp("offset_hz"), gsm_num(p.offset_hz));
    d = dict_add(d, mp("power_dbfs"), gsm_num(p.power_dbfs));
    d = dict_add(d, mp("noise_dbfs"), gsm_num(p.noise_dbfs));
    d = dict_add(d, mp("snr_db"), gsm_num(std::isfinite(p.snr_db) ? p.snr_db : NAN));
    d = dict_add(d, mp("carrier"), pmt::from_bool(p.carrier != 0));
    d = dict_add(d, mp("offset_khz"), gsm_num(p.offset_hz / 1e3));
    return d;
}

pmt::pmt_t gsm_carrier_dict(const cs_gsm_carrier& k, double t0_s)
{
    pmt::pmt_t d = start("gsm_carrier", k.arfcn, k.band);
    d = dict_add(d, mp("freq_hz"), gsm_num(k.freq_hz));
    d = dict_add(d, mp("offset_hz"), gsm_num(k.offset_hz));
    d = dict_add(d, mp("freq_error_hz"), gsm_num(k.freq_error_hz));
    d = dict_add(d, mp("power_dbfs"), gsm_num(k.power_dbfs));
    d = dict_add(d, mp("snr_db"), gsm_num(k.snr_db));
    d = dict_add(d, mp("fcch_count"), long_pmt(k.fcch_count));
    pmt::pmt_t bsic = pmt::PMT_NIL;
    if (k.ncc >= 0) {
        bsic = pmt::make_dict();
        bsic = dict_add(bsic, mp("ncc"), pmt::from_long(k.ncc));
        bsic = dict_add(bsic, mp("bcc"), pmt::from_long(k.bcc));
    }
    d = dict_add(d, mp("bsic"), bsic);
    pmt::pmt_t fns = pmt::make_vector(k.num_frame_numbers, pmt::PMT_NIL);
    for (size_t i = 0; i < k.num_frame_numbers; i++)
        pmt::vector_set(fns, i, long_pmt(k.frame_numbers[i]));
    d = dict_add(d, mp("frame_numbers"), fns);
    d = dict_add(d, mp("t_first_s"), gsm_num(t0_s + k.t_first_s));
    d = dict_add(d, mp("t_last_s"), gsm_num(t0_s + k.t_last_s));
    /* beyond the report contract, as the CLI adds them */
    d = dict_add(d, mp("freq_error_sigma_hz"), gsm_num(k.freq_error_sigma_hz));
    d = dict_add(d, mp("noise_dbfs"), gsm_num(k.noise_dbfs));
    d = dict_add(d, mp("fcch_detections"), long_pmt(k.fcch_detections));
    d = dict_add(d, mp("sch_count"), long_pmt(k.sch_count));
    d = dict_add(d, mp("sch_attempts"), long_pmt(k.sch_attempts));
    d = dict_add(d,
                 mp("first_fn"),
                 k.num_frame_numbers ? long_pmt(k.frame_numbers[0]) : pmt::PMT_NIL);
    d = dict_add(d, mp("first_fn_time_s"), gsm_num(t0_s + k.first_fn_time_s));
    d = dict_add(d, mp("envelope_ratio"), gsm_num(k.envelope_ratio));
    d = dict_add(d, mp("evidence"), text_pmt(k.evidence));
    d = dict_add(d, mp("offset_khz"), gsm_num(k.offset_hz / 1e3));
    const std::string bsic_text =
        k.ncc >= 0 ? std::to_string(k.ncc) + "-" + std::to_string(k.bcc) : "-";
    d = dict_add(d, mp("bsic_text"), mp(bsic_text));
    return d;
}

pmt::pmt_t gsm_activity_dict(const cs_gsm_activity_record& a, double t0_s)
{
    pmt::pmt_t d = start("gsm_activity", a.arfcn, a.band);
    d = dict_add(d, mp("link"), mp(a.uplink ? "uplink" : "downlink"));
    std::vector<pmt::pmt_t> slots;
    for (int t = 0; t < 8; t++)
        if (a.timeslot_mask & (1u << t))
            slots.push_back(pmt::from_long(t));
    d = dict_add(d, mp("timeslots"), gsm_vector(slots));
    d = dict_add(d, mp("bursts"), long_pmt(a.bursts));
    d = dict_add(d, mp("power_dbfs"), gsm_num(a.power_dbfs));
    pmt::pmt_t intervals = pmt::make_vector(a.num_intervals, pmt::PMT_NIL);
    double active_s = 0.0; /* summed as the CLI sums it */
    for (size_t i = 0; i < a.num_intervals; i++) {
        pmt::vector_set(intervals,
                        i,
                        pmt::cons(gsm_num(t0_s + a.intervals[i][0]),
                                  gsm_num(t0_s + a.intervals[i][1])));
        active_s += a.intervals[i][1] - a.intervals[i][0];
    }
    d = dict_add(d, mp("intervals"), intervals);
    d = dict_add(d, mp("freq_hz"), gsm_num(a.freq_hz));
    d = dict_add(d, mp("offset_hz"), gsm_num(a.offset_hz));
    d = dict_add(d, mp("timeslot_reference"), mp(a.timeslot_reference ? "c0" : "relative"));
    pmt::pmt_t per_ts = pmt::make_vector(8, pmt::PMT_NIL);
    for (size_t t = 0; t < 8; t++)
        pmt::vector_set(per_ts, t, long_pmt(a.bursts_per_ts[t]));
    d = dict_add(d, mp("bursts_per_ts"), per_ts);
    d = dict_add(d, mp("snr_db"), gsm_num(a.snr_db));
    d = dict_add(d, mp("duty_cycle"), gsm_num(a.duty_cycle));
    d = dict_add(d, mp("active_s"), gsm_num(active_s));
    d = dict_add(d, mp("envelope_ratio"), gsm_num(a.envelope_ratio));
    d = dict_add(d, mp("offset_khz"), gsm_num(a.offset_hz / 1e3));
    return d;
}

pmt::pmt_t gsm_scan_dict(const cs_gsm_scan_results& r,
                         double rate_hz,
                         double centre_hz,
                         double t_start_s,
                         double t_end_s)
{
    pmt::pmt_t d = pmt::make_dict();
    d = dict_add(d, mp("type"), mp("gsm_scan"));
    d = dict_add(d,
                 mp("receiver_ppm"),
                 gsm_num(r.receiver_ppm_carriers ? r.receiver_ppm : NAN));
    d = dict_add(d,
                 mp("receiver_ppm_sigma"),
                 gsm_num(r.receiver_ppm_carriers ? r.receiver_ppm_sigma : NAN));
    d = dict_add(d, mp("receiver_ppm_carriers"), long_pmt(r.receiver_ppm_carriers));
    d = dict_add(d, mp("carriers"), long_pmt(r.num_carriers));
    d = dict_add(d, mp("activities"), long_pmt(r.num_activities));
    d = dict_add(d, mp("channels"), long_pmt(r.num_channels));
    d = dict_add(d,
                 mp("noise_dbfs_hz"),
                 gsm_num(r.noise_dbfs_hz));
    d = dict_add(d, mp("fcch_threshold"), gsm_num(r.fcch_threshold));
    d = dict_add(d, mp("max_offset_hz"), gsm_num(r.max_offset_hz));
    d = dict_add(d, mp("sample_rate_hz"), gsm_num(rate_hz));
    d = dict_add(d, mp("centre_hz"), gsm_num(centre_hz));
    d = dict_add(d, mp("duration_s"), gsm_num(r.duration_s));
    d = dict_add(d, mp("t_start_s"), gsm_num(t_start_s));
    d = dict_add(d, mp("t_end_s"), gsm_num(t_end_s));
    return d;
}

} // namespace cellscan
} // namespace gr
