/* -*- c++ -*- */
/*
 * Carrier numbering and cell dicts of the UMTS blocks: the same rules and formulas as
 * apps/cellscan/scan_umts.c (number(), plan_carriers(), cell_record()), so a flowgraph
 * reports what the CLI reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "umts_report.h"
#include <cellscan/bands.h>
#include <cellscan/status.h>
#include <cmath>

namespace gr {
namespace cellscan {

namespace {
const double k_half_chip_rate_hz = 1.92e6; /* half the 3.84 MHz carrier */
const double k_raster_hz = 200e3;          /* UARFCN raster */
const double k_chips_per_frame = 38400.0;

double db(double x) { return 10.0 * std::log10(x); }

/* Number a carrier when the stream centre is known (the CLI's number()). */
void number(umts_carrier* c, double centre_hz, const std::string& band_name)
{
    c->freq_hz = NAN;
    c->uarfcn = -1;
    c->band.clear();
    if (!std::isfinite(centre_hz))
        return;
    c->freq_hz = centre_hz + c->offset_hz;
    int n = -1, up = 0;
    const cs_band* b = nullptr;
    if (!band_name.empty()) {
        b = cs_band_find(band_name.c_str());
        if (b && cs_band_channel_number(b, c->freq_hz, 0, 1e3, &n) != CS_OK)
            b = nullptr;
    } else {
        b = cs_band_lookup(CS_STANDARD_UMTS, c->freq_hz, 1e3, &n, &up);
        if (b && up)
            b = nullptr;
    }
    if (b) {
        c->uarfcn = n;
        c->band = cs_band_name(b);
    }
}
} // namespace

std::string umts_plan_carrier(double rate_hz,
                              double centre_hz,
                              int uarfcn,
                              double offset_hz,
                              bool snap,
                              const std::string& band,
                              umts_carrier* out)
{
    umts_carrier c;
    if (uarfcn >= 0) {
        if (!std::isfinite(centre_hz))
            return "UARFCN " + std::to_string(uarfcn) +
                   " needs the centre frequency (give it, or rx_freq tags)";
        double freq_hz;
        if (cs_channel_freq(CS_STANDARD_UMTS,
                            band.empty() ? nullptr : band.c_str(),
                            uarfcn,
                            0,
                            &freq_hz,
                            nullptr) != CS_OK)
            return std::to_string(uarfcn) + " is not a downlink UARFCN" +
                   (band.empty() ? "" : " of " + band);
        c.offset_hz = freq_hz - centre_hz;
        number(&c, centre_hz, band);
    } else if (snap && std::isfinite(centre_hz)) {
        /* the raster point itself when the frequency is on it, else the nearest one; the
         * given offset when that is in no UMTS band (cellscan scan's single carrier) */
        c.offset_hz = offset_hz;
        number(&c, centre_hz, band);
        if (c.uarfcn >= 0) {
            const cs_band* b = cs_band_find(c.band.c_str());
            double freq_hz;
            if (b && cs_band_channel_freq(b, c.uarfcn, 0, &freq_hz) == CS_OK)
                c.offset_hz = freq_hz - centre_hz;
            number(&c, centre_hz, band);
        } else {
            const double near_hz = std::round((centre_hz + offset_hz) / k_raster_hz) * k_raster_hz;
            c.offset_hz = near_hz - centre_hz;
            number(&c, centre_hz, band);
            if (c.uarfcn < 0) {
                c.offset_hz = offset_hz;
                number(&c, centre_hz, band);
            }
        }
    } else {
        c.offset_hz = offset_hz;
        number(&c, centre_hz, band);
    }
    if (std::fabs(c.offset_hz) + k_half_chip_rate_hz > rate_hz / 2.0 * (1 + 1e-9))
        return "a UMTS carrier " + std::to_string(std::lround(c.offset_hz)) +
               " Hz from the centre does not fit in " + std::to_string(rate_hz / 1e6) +
               " MS/s";
    *out = c;
    return "";
}

pmt::pmt_t umts_uarfcn_pmt(const umts_carrier& c)
{
    return c.uarfcn >= 0 ? pmt::from_long(c.uarfcn) : pmt::PMT_NIL;
}

pmt::pmt_t umts_band_pmt(const umts_carrier& c)
{
    return c.band.empty() ? pmt::PMT_NIL : pmt::string_to_symbol(c.band);
}

pmt::pmt_t umts_cell_dict(const umts_carrier& carrier,
                          const cs_umts_cell& cell,
                          double t0_s,
                          double t0_chips)
{
    using pmt::dict_add;
    using pmt::mp;
    /* a vector: Python sees a list (a cons list would become nested pairs) */
    pmt::pmt_t paths = pmt::make_vector(cell.n_paths, pmt::PMT_NIL);
    for (size_t k = 0; k < cell.n_paths; k++) {
        pmt::pmt_t p = pmt::make_dict();
        p = dict_add(p, mp("delay_chips"), umts_num(cell.path[k].delay_chips));
        p = dict_add(p, mp("ecio_db"), umts_num(db(cell.path[k].rscp / cell.rssi)));
        pmt::vector_set(paths, k, p);
    }
    /* frame timing of the stream, not of the span: frames repeat every 38400 chips */
    double frame_chips = cell.frame_offset_chips + t0_chips;
    if (frame_chips >= k_chips_per_frame)
        frame_chips -= k_chips_per_frame;

    pmt::pmt_t d = pmt::make_dict();
    d = dict_add(d, mp("type"), mp("umts_cell"));
    d = dict_add(d, mp("uarfcn"), umts_uarfcn_pmt(carrier));
    d = dict_add(d, mp("band"), umts_band_pmt(carrier));
    d = dict_add(d, mp("freq_hz"), umts_num(carrier.freq_hz));
    d = dict_add(d, mp("offset_hz"), umts_num(carrier.offset_hz));
    d = dict_add(d, mp("psc"), pmt::from_long(cell.psc));
    d = dict_add(d, mp("group"), pmt::from_long(cell.group));
    d = dict_add(d, mp("rscp_dbfs"), umts_num(db(cell.rscp)));
    d = dict_add(d, mp("rssi_dbfs"), umts_num(db(cell.rssi)));
    d = dict_add(d, mp("ecio_db"), umts_num(db(cell.rscp / cell.rssi)));
    d = dict_add(d, mp("freq_error_hz"), umts_num(cell.freq_error_hz));
    d = dict_add(d, mp("frame_offset_chips"), umts_num(frame_chips));
    d = dict_add(d, mp("paths"), paths);
    d = dict_add(d, mp("t_first_s"), umts_num(t0_s + cell.t_first_s));
    d = dict_add(d, mp("t_last_s"), umts_num(t0_s + cell.t_last_s));
    d = dict_add(d, mp("peak_ecio_db"), umts_num(db(cell.peak_rscp / cell.rssi)));
    d = dict_add(d, mp("n_paths"), pmt::from_long(static_cast<long>(cell.n_paths)));
    d = dict_add(d, mp("offset_khz"), umts_num(carrier.offset_hz / 1e3));
    d = dict_add(d, mp("drift_ppm"), umts_num(cell.drift_ppm));
    d = dict_add(d, mp("cpich_z"), umts_num(cell.cpich_z));
    d = dict_add(d, mp("psch_snr_db"), umts_num(cell.psch_snr > 0 ? db(cell.psch_snr) : NAN));
    d = dict_add(d, mp("ssch_z"), umts_num(cell.ssch_z));
    d = dict_add(d, mp("round"), pmt::from_long(cell.round));
    return d;
}

pmt::pmt_t umts_carrier_dict(const umts_carrier& carrier,
                             cs_umts_searcher searcher,
                             size_t cells,
                             double t_start_s,
                             double t_end_s)
{
    using pmt::dict_add;
    using pmt::mp;
    double sigma_ppm;
    const double drift_ppm = cs_umts_searcher_drift_ppm(searcher, &sigma_ppm);
    const double rssi = cs_umts_searcher_rssi(searcher);
    pmt::pmt_t d = pmt::make_dict();
    d = dict_add(d, mp("type"), mp("umts_carrier"));
    d = dict_add(d, mp("uarfcn"), umts_uarfcn_pmt(carrier));
    d = dict_add(d, mp("band"), umts_band_pmt(carrier));
    d = dict_add(d, mp("freq_hz"), umts_num(carrier.freq_hz));
    d = dict_add(d, mp("offset_hz"), umts_num(carrier.offset_hz));
    d = dict_add(d, mp("rssi_dbfs"), umts_num(rssi > 0 ? db(rssi) : NAN));
    d = dict_add(d, mp("freq_error_hz"), umts_num(cs_umts_searcher_freq_error_hz(searcher)));
    d = dict_add(d, mp("cells"), pmt::from_long(static_cast<long>(cells)));
    d = dict_add(d, mp("drift_ppm"), umts_num(drift_ppm));
    d = dict_add(d, mp("t_start_s"), umts_num(t_start_s));
    d = dict_add(d, mp("t_end_s"), umts_num(t_end_s));
    return d;
}

} // namespace cellscan
} // namespace gr
