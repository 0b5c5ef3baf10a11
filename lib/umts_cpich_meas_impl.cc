/* -*- c++ -*- */
/*
 * umts_cpich_meas: one cs_umts_cpich_meas per period over 10 ms blocks (with the core's
 * look-ahead) of the stream; the timing and drift it measures seed the next period.
 * Blocks are numbered from the period's start, so the core never walks from the start
 * of a long stream.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_cpich_meas_impl.h"
#include <gnuradio/io_signature.h>
#include <cellscan/status.h>
#include <cellscan/umts_frame_sync.h>
#include <cellscan/umts_frontend.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gr {
namespace cellscan {

namespace {
const pmt::pmt_t k_in_port = pmt::mp("cell");
const pmt::pmt_t k_out_port = pmt::mp("meas");
const size_t k_block = CS_UMTS_FRAME_SAMPLES;         /* one frame per core block */
const size_t k_look = CS_UMTS_BLOCK_LOOKAHEAD;
const double k_frame = CS_UMTS_FRAME_SAMPLES;

/* x modulo one frame, in [0, 76800) */
double frame_mod(double x)
{
    double r = std::fmod(x, k_frame);
    if (r < 0)
        r += k_frame;
    return r < k_frame ? r : 0.0;
}

double db(double x) { return 10.0 * std::log10(x); }

double dict_number(const pmt::pmt_t& d, const char* key, double fallback)
{
    const pmt::pmt_t v = pmt::dict_ref(d, pmt::mp(key), pmt::PMT_NIL);
    return pmt::is_number(v) && !pmt::is_complex(v) ? pmt::to_double(v) : fallback;
}
} // namespace

umts_cpich_meas::sptr
umts_cpich_meas::make(int psc, double frame_offset_chips, double period_s, bool track)
{
    return gnuradio::make_block_sptr<umts_cpich_meas_impl>(
        psc, frame_offset_chips, period_s, track);
}

umts_cpich_meas_impl::umts_cpich_meas_impl(int psc,
                                           double frame_offset_chips,
                                           double period_s,
                                           bool track)
    : gr::sync_block("umts_cpich_meas",
                     gr::io_signature::make(1, 1, sizeof(gr_complex)),
                     gr::io_signature::make(0, 0, 0)),
      d_want_psc(psc),
      d_period_items(k_block * static_cast<uint64_t>(std::max(1.0, std::round(period_s / 0.01)))),
      d_track(track)
{
    const std::string me = "umts_cpich_meas: ";
    if (psc < -1 || psc > 511)
        throw std::invalid_argument(me + "PSC " + std::to_string(psc) +
                                    " is outside 0 .. 511 (or -1: from a cell message)");
    if (!(period_s > 0.0) || !(period_s <= 100.0))
        throw std::invalid_argument(me + "period must be between 0 and 100 s (got " +
                                    std::to_string(period_s) + ")");
    if (frame_offset_chips != -1.0 &&
        !(frame_offset_chips >= 0.0 && frame_offset_chips < k_frame / 2))
        throw std::invalid_argument(me + "frame offset " + std::to_string(frame_offset_chips) +
                                    " chips is outside 0 .. 38400 (or -1)");
    if (frame_offset_chips >= 0.0 && psc < 0)
        throw std::invalid_argument(me + "a frame offset needs the PSC it belongs to");
    if (psc >= 0 && frame_offset_chips >= 0.0) {
        d_psc = psc;
        d_frame_start = 2.0 * frame_offset_chips;
    }
    for (auto& a : d_poly)
        a.resize((k_block + k_look) / 2 + 1);
    message_port_register_in(k_in_port);
    message_port_register_out(k_out_port);
    set_msg_handler(k_in_port, [this](const pmt::pmt_t& msg) { on_cell(msg); });
}

umts_cpich_meas_impl::~umts_cpich_meas_impl() { cs_umts_cpich_meas_destroy(d_meas); }

/* A cell to measure (from the searcher): taken when none is yet, and the PSC fits. */
void umts_cpich_meas_impl::on_cell(const pmt::pmt_t& msg)
{
    if (d_psc >= 0 || !pmt::is_dict(msg))
        return;
    const double psc = dict_number(msg, "psc", -1);
    const double chips = dict_number(msg, "frame_offset_chips", NAN);
    if (psc < 0 || psc > 511 || !(chips >= 0 && chips < k_frame / 2) ||
        (d_want_psc >= 0 && static_cast<int>(psc) != d_want_psc))
        return;
    d_frame_start = 2.0 * chips; /* at stream item 0 */
    d_anchor = 0;
    const double drift = dict_number(msg, "drift_ppm", NAN);
    d_drift_ppm = std::isfinite(drift) ? drift : 0.0;
    d_path_delays.assign(1, 0);
    const pmt::pmt_t paths = pmt::dict_ref(msg, pmt::mp("paths"), pmt::PMT_NIL);
    if (pmt::is_vector(paths))
        for (size_t i = 1; i < pmt::length(paths) && i < CS_UMTS_MAX_PATHS; i++) {
            const double delay = dict_number(pmt::vector_ref(paths, i), "delay_chips", NAN);
            if (std::isfinite(delay) && delay > 0)
                d_path_delays.push_back(static_cast<int>(std::lround(2.0 * delay)));
        }
    d_psc = static_cast<int>(psc);
    d_logger->info("measuring PSC {} (frame offset {:.2f} chips, {} path(s)) from the next "
                   "period",
                   d_psc.load(),
                   chips,
                   d_path_delays.size());
}

/* A measurement for the period starting at d_period_start, when a cell is known. */
void umts_cpich_meas_impl::start_period()
{
    cs_umts_cpich_meas_destroy(d_meas);
    d_meas = nullptr;
    if (d_psc < 0)
        return;
    /* frames at (F + 76800 k)(1 + drift) after the anchor: the one at the period start */
    const double scale = 1.0 + d_drift_ppm * 1e-6;
    d_frame_start = frame_mod(d_frame_start - (d_period_start - d_anchor) / scale);
    d_anchor = d_period_start;
    cs_umts_cpich_meas_params p;
    cs_umts_cpich_meas_params_init(&p);
    p.psc = d_psc;
    p.frame_start_samples = d_frame_start;
    p.drift_ppm = d_drift_ppm;
    p.n_paths = d_path_delays.size();
    std::copy(d_path_delays.begin(), d_path_delays.end(), p.path_delay_samples);
    p.track = d_track ? 1 : 0;
    cs_clear_error();
    if (cs_umts_cpich_meas_create(&p, &d_meas) != CS_OK) {
        d_logger->error("{}", cs_last_error());
        d_meas = nullptr;
    }
}

void umts_cpich_meas_impl::run_block(size_t n, size_t avail)
{
    cs_umts_deinterleave(d_buf.data(), avail, d_poly[0].data(), d_poly[1].data(),
                         d_poly[2].data(), d_poly[3].data());
    const cs_umts_block b = { { d_poly[0].data(), d_poly[2].data() },
                              { d_poly[1].data(), d_poly[3].data() },
                              d_block_start - d_period_start,
                              n,
                              avail };
    cs_umts_cpich_meas_execute(d_meas, &b);
}

/* Publish the period's measurement and carry its timing over. */
void umts_cpich_meas_impl::finish_period()
{
    cs_umts_cpich_meas_result r;
    cs_clear_error();
    if (!d_meas || cs_umts_cpich_meas_result_get(d_meas, &r) != CS_OK)
        return;
    double rscp = 0.0;
    for (size_t i = 0; i < r.n_paths; i++)
        rscp += std::max(r.path[i].power, 0.0);
    pmt::pmt_t paths = pmt::make_vector(r.n_paths, pmt::PMT_NIL);
    for (size_t i = 0; i < r.n_paths; i++) {
        pmt::pmt_t p = pmt::make_dict();
        const double delay_chips = (r.path[i].delay_samples - r.path[0].delay_samples) / 2;
        p = pmt::dict_add(p, pmt::mp("delay_chips"), pmt::from_double(delay_chips));
        p = pmt::dict_add(p, pmt::mp("ecio_db"), pmt::from_double(db(r.path[i].power / r.rssi)));
        pmt::vector_set(paths, i, p);
    }
    const double frame_chips = frame_mod(d_period_start + r.timing_start_samples) / 2.0;
    using pmt::dict_add;
    using pmt::mp;
    pmt::pmt_t d = pmt::make_dict();
    d = dict_add(d, mp("type"), mp("umts_cpich"));
    d = dict_add(d, mp("psc"), pmt::from_long(d_psc));
    d = dict_add(d, mp("rscp_dbfs"), pmt::from_double(db(rscp)));
    d = dict_add(d, mp("rssi_dbfs"), pmt::from_double(db(r.rssi)));
    d = dict_add(d, mp("ecio_db"), pmt::from_double(db(rscp / r.rssi)));
    d = dict_add(d, mp("freq_error_hz"), pmt::from_double(r.freq_hz));
    d = dict_add(d, mp("frame_offset_chips"), pmt::from_double(frame_chips));
    d = dict_add(d, mp("drift_ppm"), pmt::from_double(r.drift_ppm));
    d = dict_add(d, mp("symbols"), pmt::from_long(static_cast<long>(r.symbols)));
    d = dict_add(d, mp("n_paths"), pmt::from_long(static_cast<long>(r.n_paths)));
    d = dict_add(d, mp("paths"), paths);
    d = dict_add(d, mp("t_start_s"), pmt::from_double(d_period_start / CS_UMTS_WORK_RATE_HZ));
    d = dict_add(d, mp("t_end_s"),
                 pmt::from_double((d_period_start + d_period_items) / CS_UMTS_WORK_RATE_HZ));
    message_port_pub(k_out_port, d);
    d_published++;
    /* the tracked timing (at the period start) and drift seed the next period */
    d_frame_start = frame_mod(r.timing_start_samples);
    if (std::isfinite(r.drift_ppm))
        d_drift_ppm = r.drift_ppm;
}

int umts_cpich_meas_impl::work(int noutput_items,
                               gr_vector_const_void_star& input_items,
                               gr_vector_void_star&)
{
    auto in = static_cast<const gr_complex*>(input_items[0]);
    d_buf.insert(d_buf.end(), in, in + noutput_items);
    while (d_buf.size() >= k_block + k_look) {
        if (d_block_start == d_period_start)
            start_period();
        if (d_meas)
            run_block(k_block, k_block + k_look);
        d_buf.erase(d_buf.begin(), d_buf.begin() + k_block);
        d_block_start += k_block;
        if (d_block_start == d_period_start + d_period_items) {
            finish_period();
            d_period_start = d_block_start;
        }
    }
    return noutput_items;
}

} // namespace cellscan
} // namespace gr
