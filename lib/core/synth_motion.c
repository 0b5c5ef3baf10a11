/* Moving receiver and hand-turned antenna: receiver position and antenna heading over time,
 * the bearing of located emitters from where the receiver is, the antenna's gain towards
 * them and the path loss; plus the scenario's "receiver_track" and "antenna" objects. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cellscan/status.h"
#include "synth_internal.h"

#define DEG (M_PI / 180.0)
#define EARTH_RADIUS_M 6371008.8 /* mean radius: bearings and distances on the sphere */

void synth_motion_init(cs_synth_motion *m)
{
    memset(m, 0, sizeof *m);
    m->capture_interval_s = 0.1;
    m->beamwidth_deg = 60.0;
    m->front_back_db = 20.0;
}

int synth_motion_active(const cs_synth_scenario *sc)
{
    return sc->motion.num_track > 0 || sc->motion.num_heading > 0 || sc->motion.antenna[0];
}

/* Linear interpolation in a table of rows (t, v1, v2, ...), held at the ends. */
static void interp(const double *rows, size_t n, size_t width, double t, double *out)
{
    size_t k = 0;
    while (k + 1 < n && rows[(k + 1) * width] <= t) k++;
    const double *a = rows + k * width;
    if (k + 1 >= n || t <= a[0]) {
        memcpy(out, a + 1, (width - 1) * sizeof *out);
        return;
    }
    const double *b = a + width, f = (t - a[0]) / (b[0] - a[0]);
    for (size_t i = 1; i < width; i++) out[i - 1] = a[i] + f * (b[i] - a[i]);
}

int synth_motion_position(const cs_synth_scenario *sc, double t_s, double pos[3])
{
    if (sc->motion.num_track == 0) return 0;
    interp(&sc->motion.track[0][0], sc->motion.num_track, 4, t_s, pos);
    return 1;
}

double synth_motion_heading_deg(const cs_synth_scenario *sc, double t_s)
{
    if (sc->motion.num_heading == 0) return sc->array.heading_deg;
    double h;
    interp(&sc->motion.heading[0][0], sc->motion.num_heading, 2, t_s, &h);
    return h;
}

/* Initial great-circle bearing (compass) and distance from (lat1, lon1) to (lat2, lon2). */
static void bearing_distance(double lat1, double lon1, double lat2, double lon2, double *bearing_deg,
                             double *dist_m)
{
    const double p1 = lat1 * DEG, p2 = lat2 * DEG, dl = (lon2 - lon1) * DEG;
    const double y = sin(dl) * cos(p2), x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl);
    double b = atan2(y, x) / DEG;
    *bearing_deg = b < 0 ? b + 360.0 : b;
    const double a = sin((p2 - p1) / 2) * sin((p2 - p1) / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    *dist_m = 2.0 * EARTH_RADIUS_M * atan2(sqrt(a), sqrt(1.0 - a));
}

double synth_motion_bearing_deg(const cs_synth_scenario *sc, const cs_synth_common *c, double t_s,
                                double *dist_m)
{
    double pos[3], b, d;
    if (!isnan(c->lat_deg) && synth_motion_position(sc, t_s, pos)) {
        bearing_distance(pos[0], pos[1], c->lat_deg, c->lon_deg, &b, &d);
        if (dist_m) *dist_m = d;
        return b;
    }
    if (dist_m) *dist_m = NAN;
    return c->bearing_deg;
}

/* Power gain (linear) of the antenna at `off_deg` from its boresight: ((1 + cos)/2)^k with
 * k setting the 3 dB beamwidth, never below the front-to-back floor. */
static double pattern_gain(const cs_synth_motion *m, double off_deg)
{
    if (!m->antenna[0]) return 1.0;
    const double half = 0.5 * m->beamwidth_deg * DEG;
    const double k = log(0.5) / log(0.5 * (1.0 + cos(half)));
    const double g = pow(0.5 * (1.0 + cos(off_deg * DEG)), k);
    const double floor_lin = pow(10.0, -m->front_back_db / 10.0);
    return g > floor_lin ? g : floor_lin;
}

double synth_motion_power_gain(const cs_synth_scenario *sc, const cs_synth_common *c, double t_s)
{
    double d, d0;
    const double b = synth_motion_bearing_deg(sc, c, t_s, &d);
    double g = pattern_gain(&sc->motion, b - synth_motion_heading_deg(sc, t_s));
    if (sc->motion.path_loss_exponent > 0 && isfinite(d)) {
        synth_motion_bearing_deg(sc, c, 0.0, &d0);
        if (d > 1.0 && d0 > 1.0) g *= pow(d / d0, -sc->motion.path_loss_exponent);
    }
    return g;
}

int cs_synth_scenario_set_track_linear(cs_synth_scenario *sc, double lat_deg, double lon_deg,
                                       double alt_m, double speed_mps, double course_deg)
{
    if (fabs(lat_deg) > 90 || fabs(lon_deg) > 180 || !(speed_mps >= 0 && speed_mps < 1e4))
        return cs_error(CS_EINVAL, "receiver position %g, %g or speed %g m/s out of range", lat_deg,
                        lon_deg, speed_mps);
    cs_synth_motion *m = &sc->motion;
    const double T = sc->duration_s, d = speed_mps * T / EARTH_RADIUS_M, th = course_deg * DEG;
    const double p1 = lat_deg * DEG, l1 = lon_deg * DEG;
    /* destination on the sphere after distance d along the initial course */
    const double p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(th));
    const double l2 = l1 + atan2(sin(th) * sin(d) * cos(p1), cos(d) - sin(p1) * sin(p2));
    double row0[4] = { 0.0, lat_deg, lon_deg, alt_m }, row1[4] = { T, p2 / DEG, remainder(l2 / DEG, 360.0), alt_m };
    memcpy(m->track[0], row0, sizeof row0);
    m->num_track = 1;
    if (speed_mps > 0) {
        memcpy(m->track[1], row1, sizeof row1);
        m->num_track = 2;
    }
    sc->resolved = 0;
    return CS_OK;
}

int cs_synth_scenario_set_turn(cs_synth_scenario *sc, double start_deg, double rate_dps)
{
    cs_synth_motion *m = &sc->motion;
    m->heading[0][0] = 0.0;
    m->heading[0][1] = start_deg;
    m->heading[1][0] = sc->duration_s;
    m->heading[1][1] = start_deg + rate_dps * sc->duration_s;
    m->num_heading = 2;
    sc->resolved = 0;
    return CS_OK;
}

int synth_motion_resolve(cs_synth_scenario *sc)
{
    cs_synth_motion *m = &sc->motion;
    for (size_t k = 1; k < m->num_track; k++)
        if (!(m->track[k][0] > m->track[k - 1][0]))
            return cs_error(CS_EINVAL, "receiver_track: point times must increase (point %zu)", k);
    for (size_t k = 1; k < m->num_heading; k++)
        if (!(m->heading[k][0] > m->heading[k - 1][0]))
            return cs_error(CS_EINVAL, "antenna.heading: times must increase (row %zu)", k);
    if (m->antenna[0] && strcmp(m->antenna, "raised-cosine"))
        return cs_error(CS_EINVAL, "antenna.pattern '%s' is not \"raised-cosine\"", m->antenna);
    if (!(m->beamwidth_deg > 1 && m->beamwidth_deg < 359) || !(m->front_back_db >= 0 && m->front_back_db <= 80))
        return cs_error(CS_EINVAL, "antenna: beamwidth must be 1..359 deg and front/back 0..80 dB");
    if (!(m->capture_interval_s >= 1e-3))
        return cs_error(CS_EINVAL, "receiver_track.capture_interval_s must be at least 1 ms");
    if (m->antenna[0] && sc->array.num_elements)
        return cs_error(CS_EINVAL, "a directional antenna and a receiver array exclude each other");
    return CS_OK;
}

/* ---- scenario file ---------------------------------------------------------------- */

static int rows(json_t *v, const char *what, const char *key, size_t min_w, size_t max_w, double *dst,
                size_t stride, size_t *n)
{
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > CS_SYNTH_MAX_TRACK)
        return cs_error(CS_EINVAL, "%s: %s must list 1..%d rows", what, key, CS_SYNTH_MAX_TRACK);
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *r = json_array_get(v, i);
        size_t w = json_array_size(r);
        if (!json_is_array(r) || w < min_w || w > max_w)
            return cs_error(CS_EINVAL, "%s: %s[%zu] must hold %zu..%zu numbers", what, key, i, min_w, max_w);
        for (size_t j = 0; j < stride; j++) {
            json_t *x = j < w ? json_array_get(r, j) : NULL;
            if (x && !json_is_number(x)) return cs_error(CS_EINVAL, "%s: %s[%zu][%zu] must be a number", what, key, i, j);
            dst[i * stride + j] = x ? json_number_value(x) : 0.0;
        }
        if (stride == 4 && (fabs(dst[i * 4 + 1]) > 90 || fabs(dst[i * 4 + 2]) > 180))
            return cs_error(CS_EINVAL, "%s: %s[%zu]: latitude/longitude out of range", what, key, i);
    }
    *n = json_array_size(v);
    return CS_OK;
}

static int check_only(json_t *o, const char *what, const char *name, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        int ok = 0;
        for (const char *const *k = keys; *k && !ok; k++) ok = !strcmp(*k, key);
        if (!ok) return cs_error(CS_EINVAL, "%s: %s.%s: unknown field", what, name, key);
    }
    return CS_OK;
}

static int number(json_t *o, const char *what, const char *name, const char *key, double lo, double hi, double *dst)
{
    json_t *x = json_object_get(o, key);
    if (!x) return CS_OK;
    if (!json_is_number(x) || !(json_number_value(x) >= lo && json_number_value(x) <= hi))
        return cs_error(CS_EINVAL, "%s: %s.%s must be a number from %g to %g", what, name, key, lo, hi);
    *dst = json_number_value(x);
    return CS_OK;
}

int synth_motion_from_json(cs_synth_scenario *sc, json_t *root, const char *what)
{
    cs_synth_motion *m = &sc->motion;
    json_t *t = json_object_get(root, "receiver_track"), *a = json_object_get(root, "antenna");
    int rc = CS_OK;
    if (t && !json_is_null(t)) {
        static const char *const keys[] = { "points", "capture_interval_s", "path_loss_exponent", NULL };
        if (!json_is_object(t)) return cs_error(CS_EINVAL, "%s: receiver_track: must be an object", what);
        if ((rc = check_only(t, what, "receiver_track", keys))) return rc;
        if ((rc = rows(json_object_get(t, "points"), what, "receiver_track.points", 3, 4, &m->track[0][0], 4,
                       &m->num_track)))
            return rc;
        if ((rc = number(t, what, "receiver_track", "capture_interval_s", 1e-3, 1e5, &m->capture_interval_s))) return rc;
        if ((rc = number(t, what, "receiver_track", "path_loss_exponent", 0, 10, &m->path_loss_exponent))) return rc;
    }
    if (a && !json_is_null(a)) {
        static const char *const keys[] = { "pattern", "beamwidth_deg", "front_back_db", "heading", NULL };
        if (!json_is_object(a)) return cs_error(CS_EINVAL, "%s: antenna: must be an object", what);
        if ((rc = check_only(a, what, "antenna", keys))) return rc;
        json_t *p = json_object_get(a, "pattern");
        if (p && (!json_is_string(p) || strlen(json_string_value(p)) >= sizeof m->antenna))
            return cs_error(CS_EINVAL, "%s: antenna.pattern must be \"raised-cosine\"", what);
        if (p) snprintf(m->antenna, sizeof m->antenna, "%s", json_string_value(p));
        if ((rc = number(a, what, "antenna", "beamwidth_deg", 1, 359, &m->beamwidth_deg))) return rc;
        if ((rc = number(a, what, "antenna", "front_back_db", 0, 80, &m->front_back_db))) return rc;
        json_t *h = json_object_get(a, "heading");
        if (h && (rc = rows(h, what, "antenna.heading", 2, 2, &m->heading[0][0], 2, &m->num_heading))) return rc;
    }
    return CS_OK;
}

static json_t *table(const double *v, size_t n, size_t w)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array();
        for (size_t j = 0; j < w; j++) json_array_append_new(r, json_real(v[i * w + j]));
        json_array_append_new(a, r);
    }
    return a;
}

void synth_motion_to_json(const cs_synth_scenario *sc, json_t *o)
{
    const cs_synth_motion *m = &sc->motion;
    if (m->num_track)
        json_object_set_new(o, "receiver_track",
                            json_pack("{s:o, s:f, s:f}", "points", table(&m->track[0][0], m->num_track, 4),
                                      "capture_interval_s", m->capture_interval_s, "path_loss_exponent",
                                      m->path_loss_exponent));
    else
        json_object_set_new(o, "receiver_track", json_null());
    if (m->antenna[0] || m->num_heading) {
        json_t *a = json_pack("{s:s, s:f, s:f}", "pattern", m->antenna[0] ? m->antenna : "omni",
                              "beamwidth_deg", m->beamwidth_deg, "front_back_db", m->front_back_db);
        if (!m->antenna[0]) json_object_del(a, "pattern");
        if (m->num_heading) json_object_set_new(a, "heading", table(&m->heading[0][0], m->num_heading, 2));
        json_object_set_new(o, "antenna", a);
    } else {
        json_object_set_new(o, "antenna", json_null());
    }
}
