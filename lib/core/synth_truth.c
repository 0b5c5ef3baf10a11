/* Ground truth of a generated recording: one object per emitter (also attached to its
 * SigMF annotation as "cellscan:truth") and the whole truth document. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <complex.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "synth_internal.h"
#include "synth_truth.h"

#define MAX_LISTED_SCH 1000

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }
static double db2lin(double db) { return pow(10.0, db / 10.0); }

/* Sample index of true time t in the recording (reference error stretches time). */
static double sample_of(const cs_synth_scenario *sc, double t_s)
{
    return t_s * sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
}

static void put_common(json_t *o, const cs_synth_scenario *sc, const cs_synth_common *c)
{
    const double nominal_offset = c->freq_hz - sc->centre_freq_hz;
    json_object_set_new(o, "freq_hz", num(c->freq_hz));
    json_object_set_new(o, "nominal_offset_hz", num(nominal_offset));
    json_object_set_new(o, "offset_hz", num(c->offset_hz));
    json_object_set_new(o, "freq_error_hz", num(c->offset_hz - nominal_offset));
    json_object_set_new(o, "tx_freq_error_hz", num(c->freq_error_hz));
    json_object_set_new(o, "power_dbfs", num(c->power_dbfs));
    json_object_set_new(o, "bandwidth_hz", num(c->bandwidth_hz));
    json_object_set_new(o, "fading", json_string(c->fading[0] ? c->fading : "none"));
    json_object_set_new(o, "doppler_hz", num(c->doppler_hz));
    json_object_set_new(o, "bearing_deg", num(c->bearing_deg));
    json_object_set_new(o, "elevation_deg", num(c->elevation_deg));
    json_object_set_new(o, "location", isnan(c->lat_deg) ? json_null() : json_pack("[f, f]", c->lat_deg, c->lon_deg));
    const unsigned M = sc->array.num_elements;
    if (M == 0) return;
    /* Array: where it comes from in the array frame, and the phase each channel sees
     * (geometry alone, and with the channel's gain/phase error). */
    cs_cf32 a[CS_SYNTH_MAX_ELEMENTS];
    synth_array_steering(sc, c->freq_hz + c->freq_error_hz, c->bearing_deg, c->elevation_deg, a);
    json_t *geo = json_array(), *chan = json_array();
    for (unsigned m = 0; m < M; m++) {
        json_array_append_new(geo, json_real(cargf(a[m]) * 180.0 / M_PI));
        json_array_append_new(chan, json_real(cargf(a[m] * synth_array_channel_gain(sc, m)) * 180.0 / M_PI));
    }
    json_object_set_new(o, "array_azimuth_deg", json_real(synth_array_azimuth_deg(sc, c->bearing_deg)));
    json_object_set_new(o, "steering_phase_deg", geo);
    json_object_set_new(o, "channel_phase_deg", chan);
}

/* Every capture interval: where the receiver is, where it points, and each emitter's
 * bearing, distance and antenna/path gain. */
static json_t *motion_truth(const cs_synth_scenario *sc)
{
    if (!synth_motion_active(sc)) return json_null();
    enum { MAX_ROWS = 20000 };
    const double fs_true = sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
    json_t *rows = json_array();
    const double step = sc->motion.capture_interval_s;
    const cs_synth_common *em[3];
    size_t n[3] = { sc->num_gsm, sc->num_bursts, sc->num_umts };
    uint64_t k;
    for (k = 0; llround(k * step * fs_true) < (long long)sc->num_samples && k < MAX_ROWS; k++) {
        const double t = k * step;
        double pos[3] = { NAN, NAN, NAN };
        synth_motion_position(sc, t, pos);
        json_t *e = json_array();
        for (int kind = 0; kind < 3; kind++)
            for (size_t i = 0; i < n[kind]; i++) {
                em[kind] = kind == 0 ? &sc->gsm[i].c : kind == 1 ? &sc->bursts[i].c : &sc->umts[i].c;
                double d;
                const double b = synth_motion_bearing_deg(sc, em[kind], t, &d);
                json_array_append_new(e, json_pack("{s:f, s:o, s:f}", "bearing_deg", b, "distance_m", num(d),
                                                   "gain_db", 10.0 * log10(synth_motion_power_gain(sc, em[kind], t))));
            }
        json_array_append_new(rows, json_pack("{s:f, s:I, s:o, s:o, s:o, s:f, s:o}", "t_s", t, "sample",
                                              (json_int_t)llround(t * fs_true), "lat_deg", num(pos[0]),
                                              "lon_deg", num(pos[1]), "alt_m", num(pos[2]), "heading_deg",
                                              synth_motion_heading_deg(sc, t), "emitters", e));
    }
    return json_pack("{s:s, s:o, s:b}", "track_csv", "BASENAME.track.csv: t_s,sample,lat_deg,lon_deg,alt_m,heading_deg",
                     "rows", rows, "rows_truncated", k == MAX_ROWS);
}

static json_t *array_truth(const cs_synth_scenario *sc)
{
    const cs_synth_array *a = &sc->array;
    if (a->num_elements == 0) return json_null();
    json_t *o = synth_array_to_json(sc), *pos = json_array();
    for (unsigned m = 0; m < a->num_elements; m++)
        json_array_append_new(pos, json_pack("[f,f,f]", a->positions_m[m][0], a->positions_m[m][1],
                                             a->positions_m[m][2]));
    json_object_set_new(o, "positions_m", pos);
    json_object_set_new(o, "convention", json_string("body frame +x boresight, +y left, +z up (m); "
                        "a_m = exp(+j 2 pi (r_m . u) / lambda) at the emitter's own frequency; "
                        "array azimuth clockwise from boresight = bearing - heading_deg"));
    const double fs_true = sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6);
    json_object_set_new(o, "calibration_samples",
                        json_pack("[I, I]", (json_int_t)0, (json_int_t)llround(a->calibration_s * fs_true)));
    return o;
}

json_t *synth_truth_gsm(const cs_synth_scenario *sc, size_t i)
{
    const cs_synth_gsm *g = &sc->gsm[i];
    json_t *o = json_object();
    char label[64], mnc[8];
    cs_synth_gsm_label(g, label, sizeof label);
    snprintf(mnc, sizeof mnc, "%0*d", g->mnc_digits, g->mnc);
    json_object_set_new(o, "type", json_string("gsm_carrier"));
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "index", json_integer((json_int_t)i));
    json_object_set_new(o, "arfcn", json_integer(g->arfcn));
    json_object_set_new(o, "band", json_string(g->band));
    json_object_set_new(o, "link", json_string("downlink"));
    json_object_set_new(o, "bsic", json_pack("{s:i, s:i}", "ncc", g->ncc, "bcc", g->bcc));
    json_object_set_new(o, "snr_db", json_real(g->snr_db));
    json_object_set_new(o, "first_fn", json_integer(g->first_fn));
    json_object_set_new(o, "first_frame_s", num(g->first_frame_s));
    json_object_set_new(o, "first_frame_sample", num(sample_of(sc, g->first_frame_s)));
    json_object_set_new(o, "ccch", json_string(g->combined_ccch ? "combined" : "non-combined"));
    json_object_set_new(o, "cell_id", json_pack("{s:i, s:s, s:i, s:i}", "mcc", g->mcc, "mnc", mnc,
                                                "lac", g->lac, "ci", g->ci));
    json_object_set_new(o, "bursts_file", g->bursts_file ? json_string(g->bursts_file) : json_null());
    /* SCH frames whose burst lies wholly inside the recording. */
    json_t *fns = json_array();
    const double end_s = sc->num_samples / (sc->sample_rate_hz * (1.0 + sc->rx.ppm * 1e-6));
    int truncated = 0;
    for (int64_t k = -1;; k++) {
        const double t0 = g->first_frame_s + (double)k * CS_GSM_FRAME_S;
        if (t0 + CS_GSM_BURST_BITS / CS_GSM_SYMBOL_RATE_HZ > end_s) break;
        const uint32_t fn = (uint32_t)((g->first_fn + k + CS_GSM_HYPERFRAME_FRAMES) % CS_GSM_HYPERFRAME_FRAMES);
        if (t0 < 0 || fn % 51 % 10 != 1) continue;
        if (json_array_size(fns) == MAX_LISTED_SCH) {
            truncated = 1;
            break;
        }
        json_array_append_new(fns, json_integer(fn));
    }
    json_object_set_new(o, "sch_frame_numbers", fns);
    json_object_set_new(o, "sch_list_truncated", json_boolean(truncated));
    put_common(o, sc, &g->c);
    return o;
}

json_t *synth_truth_bursts(const cs_synth_scenario *sc, size_t i)
{
    const cs_synth_gsm_bursts *b = &sc->bursts[i];
    json_t *o = json_object(), *ts = json_array(), *iv = json_array();
    char label[64];
    cs_synth_bursts_label(b, label, sizeof label);
    for (int t = 0; t < 8; t++)
        if (b->timeslot_mask >> t & 1u) json_array_append_new(ts, json_integer(t));
    for (size_t k = 0; k < b->num_intervals; k++)
        json_array_append_new(iv, json_pack("[f, f]", b->intervals_s[k][0],
                                            fmin(b->intervals_s[k][1], sc->duration_s)));
    json_object_set_new(o, "type", json_string("gsm_activity"));
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "index", json_integer((json_int_t)i));
    json_object_set_new(o, "arfcn", json_integer(b->arfcn));
    json_object_set_new(o, "band", json_string(b->band));
    json_object_set_new(o, "link", json_string(b->uplink ? "uplink" : "downlink"));
    json_object_set_new(o, "timeslots", ts);
    json_object_set_new(o, "tsc", json_integer(b->tsc));
    json_object_set_new(o, "snr_db", json_real(b->snr_db));
    json_object_set_new(o, "cell", json_integer(b->cell));
    json_object_set_new(o, "intervals", iv);
    json_object_set_new(o, "pattern", json_string("TCH/F: every frame but FN mod 26 = 25"));
    json_object_set_new(o, "first_fn", json_integer(b->first_fn));
    const double delay = b->uplink ? CS_GSM_UPLINK_DELAY_SYMBOLS / CS_GSM_SYMBOL_RATE_HZ : 0.0;
    json_object_set_new(o, "first_frame_s", num(b->first_frame_s + delay));
    json_object_set_new(o, "first_frame_sample", num(sample_of(sc, b->first_frame_s + delay)));
    put_common(o, sc, &b->c);
    return o;
}

/* Io of u's carrier as seen after an RRC matched filter (TS 25.215 RSSI): the shaped
 * signals lose 1 - rolloff/4 of their power, the noise keeps N0 * chip rate. */
static double rrc_io_lin(const cs_synth_scenario *sc, const cs_synth_umts *u)
{
    double io = db2lin(sc->n0_dbfs_per_hz) * CS_UMTS_NOISE_BW_HZ;
    for (size_t k = 0; k < sc->num_umts; k++)
        if (sc->umts[k].c.freq_hz == u->c.freq_hz)
            io += db2lin(sc->umts[k].c.power_dbfs) * (1.0 - CS_SYNTH_UMTS_ROLLOFF / 4.0);
    return io;
}

json_t *synth_truth_umts(const cs_synth_scenario *sc, size_t i)
{
    const cs_synth_umts *u = &sc->umts[i];
    json_t *o = json_object();
    char label[64];
    cs_synth_umts_label(u, label, sizeof label);
    double cp, pc, ps, ss, oc;
    synth_umts_power_split(u, &cp, &pc, &ps, &ss, &oc);
    const double p = u->c.power_dbfs;
    json_object_set_new(o, "type", json_string("umts_cell"));
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "index", json_integer((json_int_t)i));
    json_object_set_new(o, "psc", json_integer(u->psc));
    json_object_set_new(o, "group", json_integer(u->psc / 8));
    json_object_set_new(o, "scrambling_code", json_integer(cs_umts_psc_code_number(u->psc)));
    json_object_set_new(o, "uarfcn", u->uarfcn >= 0 ? json_integer(u->uarfcn) : json_null());
    json_object_set_new(o, "band", json_string(u->band));
    json_object_set_new(o, "ecio_db", json_real(u->ecio_db));
    json_object_set_new(o, "ecio_rrc_db", num(u->cpich_dbfs - 10.0 * log10(rrc_io_lin(sc, u))));
    json_object_set_new(o, "rscp_dbfs", num(u->cpich_dbfs));
    json_object_set_new(o, "rssi_dbfs", num(u->io_dbfs));
    json_object_set_new(o, "rssi_rrc_dbfs", num(10.0 * log10(rrc_io_lin(sc, u))));
    json_object_set_new(o, "channels_dbfs",
                        json_pack("{s:o, s:o, s:o, s:o, s:o}", "cpich", num(p + u->cpich_db),
                                  "pccpch", num(p + u->pccpch_db), "psch", num(p + u->psch_db),
                                  "ssch", num(p + u->ssch_db),
                                  "ocns_total", num(oc > 0 ? p + 10.0 * log10(oc) : -INFINITY)));
    json_object_set_new(o, "sch_sign", json_integer(u->sch_sign));
    json_object_set_new(o, "ocns_codes_sf128", json_integer(u->ocns_codes));
    json_object_set_new(o, "frame_offset_chips", num(u->frame_offset_chips));
    const double t0 = u->frame_offset_chips / CS_UMTS_CHIP_RATE_HZ;
    json_object_set_new(o, "first_frame_s", num(t0));
    json_object_set_new(o, "first_frame_sample", num(sample_of(sc, t0)));
    json_object_set_new(o, "pulse", json_string("root-raised cosine, roll-off 0.22"));
    put_common(o, sc, &u->c);
    return o;
}

json_t *synth_truth_document(const cs_synth_scenario *sc, json_t *emitters, const char *basename,
                             const cs_synth_result *res)
{
    json_t *doc = json_object();
    const double e = sc->rx.ppm * 1e-6;
    const double n0 = db2lin(sc->n0_dbfs_per_hz);
    const double fs_dt = cs_datatype_full_scale(sc->datatype);
    /* Rounding to integers adds step^2/12 per component (step = 1/full scale). */
    const double q = (sc->datatype == CS_DT_CF32_LE || sc->datatype == CS_DT_CF32_BE ||
                      sc->datatype == CS_DT_CF64_LE || sc->datatype == CS_DT_CF64_BE)
                         ? 0.0
                         : 2.0 / (12.0 * fs_dt * fs_dt);
    json_object_set_new(doc, "generator", json_string("cellscan synth"));
    json_object_set_new(doc, "version", json_string(cs_version()));
    json_object_set_new(doc, "scenario", cs_synth_scenario_to_json_value(sc));
    json_t *rec = json_object();
    const char *slash = strrchr(basename, '/');
    json_object_set_new(rec, "basename", json_string(slash ? slash + 1 : basename)); /* no directory:
                                                           the same job anywhere gives the same truth */
    json_object_set_new(rec, "datatype", json_string(cs_datatype_name(sc->datatype)));
    json_object_set_new(rec, "sample_rate_hz", json_real(sc->sample_rate_hz));
    json_object_set_new(rec, "centre_freq_hz", json_real(sc->centre_freq_hz));
    json_object_set_new(rec, "num_samples", json_integer((json_int_t)sc->num_samples));
    json_object_set_new(rec, "duration_s", json_real(sc->num_samples / sc->sample_rate_hz));
    json_object_set_new(rec, "num_channels", json_integer(sc->array.num_elements ? sc->array.num_elements : 1));
    json_object_set_new(rec, "output", json_string(sc->array.num_elements ? sc->array.output : "sigmf"));
    json_object_set_new(rec, "content", json_string(sc->content == CS_SYNTH_SIGNAL_ONLY ? "signal" :
                                                    sc->content == CS_SYNTH_NOISE_ONLY ? "noise" : "all"));
    if (res) {
        json_object_set_new(rec, "clipped_components", json_integer((json_int_t)res->clipped_components));
        json_object_set_new(rec, "measured_power_dbfs", num(res->measured_power_dbfs));
    }
    json_object_set_new(doc, "recording", rec);
    json_t *noise = json_object();
    json_object_set_new(noise, "n0_dbfs_per_hz", num(sc->n0_dbfs_per_hz));
    json_object_set_new(noise, "power_dbfs", num(sc->noise_power_dbfs));
    json_object_set_new(noise, "power_270k_dbfs", num(10.0 * log10(n0 * CS_GSM_NOISE_BW_HZ)));
    json_object_set_new(noise, "power_3m84_dbfs", num(10.0 * log10(n0 * CS_UMTS_NOISE_BW_HZ)));
    json_object_set_new(noise, "quantization_dbfs", q > 0 ? num(10.0 * log10(q)) : json_null());
    json_object_set_new(noise, "present", json_boolean(sc->content != CS_SYNTH_SIGNAL_ONLY));
    json_object_set_new(doc, "noise", noise);
    json_t *rx = json_object();
    json_object_set_new(rx, "ppm", json_real(sc->rx.ppm));
    json_object_set_new(rx, "cfo_hz", json_real(sc->rx.cfo_hz));
    json_object_set_new(rx, "true_sample_rate_hz", json_real(sc->sample_rate_hz * (1.0 + e)));
    json_object_set_new(rx, "true_lo_hz", json_real(sc->centre_freq_hz * (1.0 + e) + sc->rx.cfo_hz));
    json_object_set_new(rx, "iq_gain_db", json_real(sc->rx.iq_gain_db));
    json_object_set_new(rx, "iq_phase_deg", json_real(sc->rx.iq_phase_deg));
    json_object_set_new(rx, "dc_dbfs", num(sc->rx.dc_dbfs));
    json_object_set_new(rx, "dc_phase_deg", json_real(sc->rx.dc_phase_deg));
    json_object_set_new(doc, "receiver", rx);
    json_object_set_new(doc, "array", array_truth(sc));
    json_object_set_new(doc, "motion", motion_truth(sc));
    json_object_set_new(doc, "emitters", emitters);
    json_object_set_new(doc, "seed", json_integer((json_int_t)sc->seed));
    return doc;
}
