/* Resolving a scenario: channel frequencies, centre and rate defaults, timing defaults drawn
 * from the seed, and the joint solution of emitter powers and noise level. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cellscan/bands.h"
#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "synth_internal.h"

#define DEFAULT_UMTS_CENTRE_HZ 2140e6   /* UARFCN 10700, band I */
#define DEFAULT_GSM_RATE_UNIT_HZ (13e6 / 12.0) /* 4 samples per GSM symbol */
#define DEFAULT_UMTS_RATE_UNIT_HZ 3.84e6
#define USABLE_FRACTION 0.8             /* emitters within +-0.4 fs by default */

static double db_to_lin(double db) { return pow(10.0, db / 10.0); }
static double lin_to_db(double x) { return 10.0 * log10(x); }

/* GSM ARFCN → frequency; band from the emitter, else the scenario, else by number. */
static int gsm_freq(const cs_synth_scenario *sc, char *band, int arfcn, int uplink,
                    const char *what, size_t i, double *freq)
{
    const char *name = *band ? band : (*sc->band ? sc->band : NULL);
    const cs_band *b = NULL;
    if (cs_channel_freq(CS_STANDARD_GSM, name, arfcn, uplink, freq, &b) != CS_OK)
        return cs_error(CS_EINVAL, "%s[%zu]: ARFCN %d is not a GSM %s channel%s%s", what, i, arfcn,
                        uplink ? "uplink" : "downlink", name ? " of band " : "", name ? name : "");
    snprintf(band, CS_SYNTH_NAME_CHARS, "%s", cs_band_name(b));
    return CS_OK;
}

static int resolve_frequencies(cs_synth_scenario *sc)
{
    int rc;
    for (size_t i = 0; i < sc->num_gsm; i++) {
        cs_synth_gsm *g = &sc->gsm[i];
        if ((rc = gsm_freq(sc, g->band, g->arfcn, 0, "gsm", i, &g->c.freq_hz))) return rc;
        g->c.bandwidth_hz = 2 * CS_SYNTH_GSM_HALF_BW_HZ;
    }
    for (size_t i = 0; i < sc->num_bursts; i++) {
        cs_synth_gsm_bursts *b = &sc->bursts[i];
        if ((rc = gsm_freq(sc, b->band, b->arfcn, b->uplink, "gsm_bursts", i, &b->c.freq_hz)))
            return rc;
        b->c.bandwidth_hz = 2 * CS_SYNTH_GSM_HALF_BW_HZ;
    }
    for (size_t i = 0; i < sc->num_umts; i++) {
        cs_synth_umts *u = &sc->umts[i];
        u->c.bandwidth_hz = 2 * CS_SYNTH_UMTS_HALF_BW_HZ;
        if (u->uarfcn < 0) continue;
        const cs_band *b = NULL;
        if (cs_channel_freq(CS_STANDARD_UMTS, *u->band ? u->band : NULL, u->uarfcn, 0,
                            &u->c.freq_hz, &b) != CS_OK)
            return cs_error(CS_EINVAL, "umts[%zu]: UARFCN %d is not a UMTS downlink channel%s%s", i,
                            u->uarfcn, *u->band ? " of band " : "", u->band);
        snprintf(u->band, sizeof u->band, "%s", cs_band_name(b));
    }
    /* Centre: middle of the emitters with a channel number, else band I. */
    if (isnan(sc->centre_freq_hz)) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < sc->num_gsm; i++) lo = fmin(lo, sc->gsm[i].c.freq_hz), hi = fmax(hi, sc->gsm[i].c.freq_hz);
        for (size_t i = 0; i < sc->num_bursts; i++) lo = fmin(lo, sc->bursts[i].c.freq_hz), hi = fmax(hi, sc->bursts[i].c.freq_hz);
        for (size_t i = 0; i < sc->num_umts; i++)
            if (sc->umts[i].uarfcn >= 0) lo = fmin(lo, sc->umts[i].c.freq_hz), hi = fmax(hi, sc->umts[i].c.freq_hz);
        sc->centre_freq_hz = isfinite(lo) ? 0.5 * (lo + hi) : DEFAULT_UMTS_CENTRE_HZ;
    }
    for (size_t i = 0; i < sc->num_umts; i++) {
        cs_synth_umts *u = &sc->umts[i];
        if (u->uarfcn >= 0) continue;
        u->c.freq_hz = sc->centre_freq_hz;
        const cs_band *b = cs_band_lookup(CS_STANDARD_UMTS, u->c.freq_hz, 1.0, &u->uarfcn, NULL);
        if (b) snprintf(u->band, sizeof u->band, "%s", cs_band_name(b));
        else u->uarfcn = -1;
    }
    return CS_OK;
}

/* Largest distance of an emitter's band edge from the centre. */
static double max_edge_hz(const cs_synth_scenario *sc)
{
    double m = 0.0;
    for (size_t i = 0; i < sc->num_gsm; i++)
        m = fmax(m, fabs(sc->gsm[i].c.freq_hz + sc->gsm[i].c.freq_error_hz - sc->centre_freq_hz) + CS_SYNTH_GSM_HALF_BW_HZ);
    for (size_t i = 0; i < sc->num_bursts; i++)
        m = fmax(m, fabs(sc->bursts[i].c.freq_hz + sc->bursts[i].c.freq_error_hz - sc->centre_freq_hz) + CS_SYNTH_GSM_HALF_BW_HZ);
    for (size_t i = 0; i < sc->num_umts; i++)
        m = fmax(m, fabs(sc->umts[i].c.freq_hz + sc->umts[i].c.freq_error_hz - sc->centre_freq_hz) + CS_SYNTH_UMTS_HALF_BW_HZ);
    return m + fabs(sc->rx.cfo_hz) + fabs(sc->rx.ppm) * 1e-6 * sc->centre_freq_hz;
}

static int resolve_rate(cs_synth_scenario *sc)
{
    const double need_hz = 2.0 * max_edge_hz(sc) / USABLE_FRACTION;
    if (isnan(sc->sample_rate_hz)) {
        const double unit = sc->num_umts ? DEFAULT_UMTS_RATE_UNIT_HZ : DEFAULT_GSM_RATE_UNIT_HZ;
        double k = ceil(need_hz / unit - 1e-9);
        if (sc->num_umts && k < 2) k = 2; /* 7.68 MS/s: 2 samples per chip */
        if (k < 1) k = 1;
        sc->sample_rate_hz = k * unit;
    }
    const double half = 0.5 * sc->sample_rate_hz;
    char what[64];
    for (size_t kind = 0; kind < 3; kind++) {
        size_t n = kind == 0 ? sc->num_gsm : kind == 1 ? sc->num_bursts : sc->num_umts;
        for (size_t i = 0; i < n; i++) {
            const cs_synth_common *c = kind == 0 ? &sc->gsm[i].c : kind == 1 ? &sc->bursts[i].c : &sc->umts[i].c;
            const double edge = fabs(c->freq_hz + c->freq_error_hz - sc->centre_freq_hz) + 0.5 * c->bandwidth_hz;
            if (kind == 0) cs_synth_gsm_label(&sc->gsm[i], what, sizeof what);
            else if (kind == 1) cs_synth_bursts_label(&sc->bursts[i], what, sizeof what);
            else cs_synth_umts_label(&sc->umts[i], what, sizeof what);
            if (edge > half)
                return cs_error(CS_EINVAL, "%s at %.4f MHz does not fit in the recording band "
                                "%.4f +- %.4f MHz: raise the rate or move the centre frequency",
                                what, c->freq_hz * 1e-6, sc->centre_freq_hz * 1e-6, half * 1e-6);
        }
    }
    if (sc->num_umts && sc->sample_rate_hz < CS_SYNTH_UMTS_MIN_RATE_HZ)
        return cs_error(CS_EINVAL, "UMTS needs a sample rate of at least %.4f MHz (got %g Hz)",
                        CS_SYNTH_UMTS_MIN_RATE_HZ * 1e-6, sc->sample_rate_hz);
    return CS_OK;
}

/* Frame timing defaults, each emitter from its own stream. */
static int resolve_timing(cs_synth_scenario *sc)
{
    for (size_t i = 0; i < sc->num_gsm; i++) {
        cs_synth_gsm *g = &sc->gsm[i];
        cs_rng r;
        if (cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_DEFAULTS, SYNTH_CLASS_GSM, i), &r)) return CS_ENOMEM;
        const int64_t fn = (int64_t)cs_rng_below(r, CS_GSM_HYPERFRAME);
        const double t = cs_rng_uniform(r) * CS_GSM_FRAME_S;
        cs_rng_destroy(r);
        if (g->first_fn < 0) g->first_fn = fn;
        if (isnan(g->first_frame_s)) g->first_frame_s = t;
    }
    for (size_t i = 0; i < sc->num_bursts; i++) {
        cs_synth_gsm_bursts *b = &sc->bursts[i];
        if (b->cell >= (int)sc->num_gsm)
            return cs_error(CS_EINVAL, "gsm_bursts[%zu]: cell %d does not exist (%zu GSM cells)", i,
                            b->cell, sc->num_gsm);
        const int cell = b->cell >= 0 ? b->cell : (sc->num_gsm ? 0 : -1);
        if (cell >= 0) {
            b->first_fn = sc->gsm[cell].first_fn;
            b->first_frame_s = sc->gsm[cell].first_frame_s;
            if (b->tsc < 0) b->tsc = sc->gsm[cell].bcc;
            b->cell = cell;
        } else {
            cs_rng r;
            if (cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_DEFAULTS, SYNTH_CLASS_BURSTS, i), &r)) return CS_ENOMEM;
            const int64_t fn = (int64_t)cs_rng_below(r, CS_GSM_HYPERFRAME);
            const double t = cs_rng_uniform(r) * CS_GSM_FRAME_S;
            cs_rng_destroy(r);
            if (b->first_fn < 0) b->first_fn = fn;
            if (isnan(b->first_frame_s)) b->first_frame_s = t;
            if (b->tsc < 0) b->tsc = 0;
        }
        for (size_t k = 0; k < b->num_intervals; k++)
            if (b->intervals_s[k][0] >= sc->duration_s)
                return cs_error(CS_EINVAL, "gsm_bursts[%zu]: interval %g-%g s starts after the end of "
                                "the %g s recording", i, b->intervals_s[k][0], b->intervals_s[k][1],
                                sc->duration_s);
    }
    for (size_t i = 0; i < sc->num_umts; i++) {
        cs_synth_umts *u = &sc->umts[i];
        cs_rng r;
        if (cs_rng_create(sc->seed, synth_stream(SYNTH_STREAM_DEFAULTS, SYNTH_CLASS_UMTS, i), &r)) return CS_ENOMEM;
        const double off = (double)cs_rng_below(r, CS_UMTS_FRAME_CHIPS);
        cs_rng_destroy(r);
        if (isnan(u->frame_offset_chips)) u->frame_offset_chips = off;
    }
    return CS_OK;
}

/* A bursts file fixes the C0's BSIC, cell identity and frame numbers. */
static int resolve_bursts_files(cs_synth_scenario *sc)
{
    for (size_t i = 0; i < sc->num_gsm; i++) {
        cs_synth_gsm *g = &sc->gsm[i];
        if (!g->bursts_file) continue;
        synth_burst_file *f;
        int rc = synth_burst_file_load(g->bursts_file, &f);
        if (rc) return rc;
        const synth_burst_file_info *info = synth_burst_file_get_info(f);
        if (info->ncc < 0) {
            synth_burst_file_free(f);
            return cs_error(CS_EFORMAT, "%s: no SCH burst decodes: cannot tell the BSIC", g->bursts_file);
        }
        g->ncc = info->ncc;
        g->bcc = info->bcc;
        g->first_fn = info->fn_first;
        if (info->have_cell_id) {
            g->mcc = info->cell_id.mcc;
            g->mnc = info->cell_id.mnc;
            g->mnc_digits = info->cell_id.mnc_digits;
            g->lac = info->cell_id.lac;
            g->ci = info->cell_id.ci;
        }
        synth_burst_file_free(f);
    }
    return CS_OK;
}

/* Fading Doppler default: the profile's test speed at the carrier. */
static int resolve_fading(cs_synth_common *c, const char *what)
{
    if (!c->fading[0] || !strcmp(c->fading, "none")) {
        if (isnan(c->doppler_hz)) c->doppler_hz = 0.0;
        return CS_OK;
    }
    const cs_channel_profile *p = cs_channel_profile_find(c->fading);
    if (!p) {
        char names[256] = "";
        for (size_t k = 0; k < cs_channel_profile_count(); k++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "", cs_channel_profile_at(k)->name);
        }
        return cs_error(CS_EINVAL, "%s: unknown fading profile '%s' (known: none, %s)", what, c->fading, names);
    }
    snprintf(c->fading, sizeof c->fading, "%s", p->name);
    if (isnan(c->doppler_hz)) c->doppler_hz = cs_doppler_hz(p->speed_kmh, c->freq_hz);
    if (c->doppler_hz > 5000.0) return cs_error(CS_EINVAL, "%s: Doppler %g Hz above 5000 Hz", what, c->doppler_hz);
    return CS_OK;
}

/* Powers relative to N0 = 1 W/Hz, then scaled to the requested level. UMTS: per carrier,
 * Io = N / (1 - S) with S = sum of (Ec/Io) / (CPICH share), P_i = (Ec/Io)_i Io / share_i. */
static int resolve_powers(cs_synth_scenario *sc)
{
    double total = sc->sample_rate_hz; /* noise over the band */
    for (size_t i = 0; i < sc->num_gsm; i++) {
        sc->gsm[i].c.power_dbfs = db_to_lin(sc->gsm[i].snr_db) * CS_GSM_NOISE_BW_HZ;
        total += sc->gsm[i].c.power_dbfs;
    }
    for (size_t i = 0; i < sc->num_bursts; i++) {
        sc->bursts[i].c.power_dbfs = db_to_lin(sc->bursts[i].snr_db) * CS_GSM_NOISE_BW_HZ;
        total += sc->bursts[i].c.power_dbfs;
    }
    for (size_t i = 0; i < sc->num_umts; i++) {
        double cp, pc, ps, ss, oc;
        int rc = synth_umts_power_split(&sc->umts[i], &cp, &pc, &ps, &ss, &oc);
        if (rc) return rc;
        sc->umts[i].ocns_db = oc > 0 ? lin_to_db(oc) : -INFINITY;
    }
    for (size_t i = 0; i < sc->num_umts; i++) {
        const double f = sc->umts[i].c.freq_hz;
        int first = 1;
        for (size_t k = 0; k < i; k++) first &= sc->umts[k].c.freq_hz != f;
        if (!first) continue;
        double s = 0.0;
        for (size_t k = i; k < sc->num_umts; k++)
            if (sc->umts[k].c.freq_hz == f)
                s += db_to_lin(sc->umts[k].ecio_db) / db_to_lin(sc->umts[k].cpich_db);
        if (s >= 1.0 - 1e-9)
            return cs_error(CS_EINVAL, "UMTS cells on %.4f MHz: the Ec/Io requests are infeasible: "
                            "the sum over cells of (Ec/Io)/(CPICH share) is %.3f and must stay "
                            "below 1 (lower the Ec/Io values or raise cpich_db)", f * 1e-6, s);
        const double io = CS_UMTS_NOISE_BW_HZ / (1.0 - s);
        for (size_t k = i; k < sc->num_umts; k++) {
            cs_synth_umts *u = &sc->umts[k];
            if (u->c.freq_hz != f) continue;
            u->c.power_dbfs = db_to_lin(u->ecio_db) * io / db_to_lin(u->cpich_db);
            u->io_dbfs = io;
            total += u->c.power_dbfs;
        }
    }
    /* N0 in W/Hz of full scale (1 W = 0 dBFS). */
    const double n0 = isnan(sc->noise_dbfs) ? db_to_lin(sc->power_dbfs) / total
                                            : db_to_lin(sc->noise_dbfs) / sc->sample_rate_hz;
    sc->n0_dbfs_per_hz = lin_to_db(n0);
    sc->noise_power_dbfs = lin_to_db(n0 * sc->sample_rate_hz);
    for (size_t i = 0; i < sc->num_gsm; i++) sc->gsm[i].c.power_dbfs = lin_to_db(sc->gsm[i].c.power_dbfs * n0);
    for (size_t i = 0; i < sc->num_bursts; i++) sc->bursts[i].c.power_dbfs = lin_to_db(sc->bursts[i].c.power_dbfs * n0);
    for (size_t i = 0; i < sc->num_umts; i++) {
        cs_synth_umts *u = &sc->umts[i];
        u->c.power_dbfs = lin_to_db(u->c.power_dbfs * n0);
        u->io_dbfs = lin_to_db(u->io_dbfs * n0);
        u->cpich_dbfs = u->c.power_dbfs + u->cpich_db;
    }
    if (sc->noise_power_dbfs > 0.0 || lin_to_db(total * n0) > 0.0)
        return cs_error(CS_EINVAL, "the recording's mean power would be %.1f dBFS, above full "
                        "scale: lower noise_dbfs", lin_to_db(total * n0));
    return CS_OK;
}

/* Where each emitter appears in the file: (f - f_LO) / (1 + e), f_LO = fc (1 + e) + cfo. */
static void resolve_offsets(cs_synth_scenario *sc)
{
    const double e = sc->rx.ppm * 1e-6;
    const double lo = sc->centre_freq_hz * (1.0 + e) + sc->rx.cfo_hz;
    for (size_t i = 0; i < sc->num_gsm; i++)
        sc->gsm[i].c.offset_hz = (sc->gsm[i].c.freq_hz + sc->gsm[i].c.freq_error_hz - lo) / (1.0 + e);
    for (size_t i = 0; i < sc->num_bursts; i++)
        sc->bursts[i].c.offset_hz = (sc->bursts[i].c.freq_hz + sc->bursts[i].c.freq_error_hz - lo) / (1.0 + e);
    for (size_t i = 0; i < sc->num_umts; i++)
        sc->umts[i].c.offset_hz = (sc->umts[i].c.freq_hz + sc->umts[i].c.freq_error_hz - lo) / (1.0 + e);
}

int cs_synth_scenario_resolve(cs_synth_scenario *sc)
{
    if (sc->resolved) return CS_OK;
    if (sc->num_gsm + sc->num_bursts + sc->num_umts == 0 && sc->content == CS_SYNTH_SIGNAL_ONLY)
        return cs_error(CS_EINVAL, "a signal-only recording needs at least one emitter");
    int rc = resolve_bursts_files(sc);
    if (!rc) rc = resolve_frequencies(sc);
    if (!rc) rc = resolve_rate(sc);
    if (!rc) rc = synth_array_resolve(sc);
    if (!rc) rc = synth_motion_resolve(sc);
    if (!rc) rc = resolve_timing(sc);
    char what[48];
    for (size_t i = 0; !rc && i < sc->num_gsm; i++) {
        snprintf(what, sizeof what, "gsm[%zu]", i);
        rc = resolve_fading(&sc->gsm[i].c, what);
    }
    for (size_t i = 0; !rc && i < sc->num_bursts; i++) {
        snprintf(what, sizeof what, "gsm_bursts[%zu]", i);
        rc = resolve_fading(&sc->bursts[i].c, what);
    }
    for (size_t i = 0; !rc && i < sc->num_umts; i++) {
        snprintf(what, sizeof what, "umts[%zu]", i);
        rc = resolve_fading(&sc->umts[i].c, what);
    }
    if (!rc) rc = resolve_powers(sc);
    if (rc) return rc;
    resolve_offsets(sc);
    const double n = floor(sc->duration_s * sc->sample_rate_hz + 0.5);
    if (n < 1 || n > 1e12)
        return cs_error(CS_EINVAL, "duration %g s at %g Hz gives %.0f samples", sc->duration_s,
                        sc->sample_rate_hz, n);
    sc->num_samples = (uint64_t)n;
    sc->resolved = 1;
    return CS_OK;
}
