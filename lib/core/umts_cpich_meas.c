/* CPICH measurement of a known cell: RSCP per path with the noise bias removed, sub-chip
 * timing, fine frequency, timing track and drift, RSSI (see umts_cpich.h). */
#include "cellscan/umts_cpich.h"

#include <complex.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/umts_codes.h"
#include "umts_cpich_meas_internal.h"

void cs_umts_cpich_meas_params_init(cs_umts_cpich_meas_params *p)
{
    memset(p, 0, sizeof *p);
    p->n_paths = 1;
    p->track = 1;
}

void cs_umts_cpich_meas_destroy(cs_umts_cpich_meas m)
{
    if (!m) return;
    free(m->track_t);
    free(m->track_tau);
    free(m->track_w);
    free(m);
}

int cs_umts_cpich_meas_create(const cs_umts_cpich_meas_params *p, cs_umts_cpich_meas *out)
{
    *out = NULL;
    if (p->psc < 0 || p->psc >= CS_UMTS_NUM_PSC)
        return cs_error(CS_EINVAL, "umts cpich: PSC %d outside 0 .. 511", p->psc);
    if (!(p->frame_start_samples >= 0 && p->frame_start_samples < UMTS_FRAME_SAMPLES))
        return cs_error(CS_EINVAL, "umts cpich: frame start %g outside 0 .. 76800", p->frame_start_samples);
    if (p->n_paths < 1 || p->n_paths > CS_UMTS_MAX_PATHS)
        return cs_error(CS_EINVAL, "umts cpich: %zu paths (1 .. %d)", p->n_paths, CS_UMTS_MAX_PATHS);
    if (!(fabs(p->drift_ppm) <= 1000.0))
        return cs_error(CS_EINVAL, "umts cpich: drift %g ppm is out of range", p->drift_ppm);
    int dmin = 0, dmax = 0;
    for (size_t i = 0; i < p->n_paths; i++) {
        if (p->path_delay_samples[i] < dmin) dmin = p->path_delay_samples[i];
        if (p->path_delay_samples[i] > dmax) dmax = p->path_delay_samples[i];
    }
    if (dmax - dmin + SYM_SAMPLES + 8 > CS_UMTS_BLOCK_LOOKAHEAD)
        return cs_error(CS_EINVAL, "umts cpich: path delays span %d samples (at most %d)", dmax - dmin,
                        CS_UMTS_BLOCK_LOOKAHEAD - SYM_SAMPLES - 8);
    cs_umts_cpich_meas m = calloc(1, sizeof *m);
    if (!m) return cs_error(CS_ENOMEM, "umts cpich: out of memory");
    m->p = *p;
    m->k = umts_kernels_get();
    m->dmin = dmin;
    m->dmax = dmax;
    m->track_t = malloc(MAX_TRACK * sizeof(double));
    m->track_tau = malloc(MAX_TRACK * sizeof(double));
    m->track_w = malloc(MAX_TRACK * sizeof(double));
    if (!m->track_t || !m->track_tau || !m->track_w) {
        cs_umts_cpich_meas_destroy(m);
        return cs_error(CS_ENOMEM, "umts cpich: out of memory");
    }
    umts_code_words(p->psc, 0, UMTS_FRAME_WORDS, m->iw, m->qw);
    m->next_sym = -(long)floor(p->frame_start_samples / SYM_SAMPLES) - 1;
    for (int i = 0; i < SYMS_PER_FRAME; i++) m->ring_sym[i] = LONG_MIN;
    m->frame_index = LONG_MIN;
    m->unrot = m->unrot_step = 1.0;
    m->acquiring = ACQUIRE_FRAMES;
    m->t_first = NAN;
    *out = m;
    return CS_OK;
}

static void point_add(point *q, double complex d, double w)
{
    q->energy += w * creal(d * conj(d));
    q->symbols++;
    q->w_symbols += w;
    if (!q->in_pair) {
        q->pair = d;
        q->in_pair = 1;
        return;
    }
    double complex s = q->pair + d, df = q->pair - d;
    q->pair_power += w * (creal(s * conj(s)) / 4.0);
    q->pair_noise += w * (creal(df * conj(df)) / 2.0);
    q->pairs++;
    q->w_pairs += w;
    q->in_pair = 0;
}

/* Close a frame of the timing track: fit the main path, store, move the DLL. During the
 * first frames (acquisition) a half-chip neighbour with more power than the on-time
 * point moves the despreading point at once, and the path statistics start again from
 * there: the P-SCH timing can be a sample or two off at low SNR, beyond the reach of the
 * three-point fit. */
static void frame_close(cs_umts_cpich_meas m, double t_mid)
{
    frame_acc *f = &m->fr;
    if (m->acquiring > 0 && f->symbols >= 20 && f->pairs > 0) {
        m->acquiring--;
        const double noise = f->noise / (double)f->pairs, n = (double)f->symbols;
        const double z = (f->energy[1] / n / noise - 1.0) * sqrt(n);
        int step = 0;
        if (f->energy[0] > f->energy[1] && f->energy[0] >= f->energy[2]) step = -1;
        else if (f->energy[2] > f->energy[1] && f->energy[2] > f->energy[0]) step = 1;
        if (step && z > 3.0) {
            m->dll += step;
            memset(m->pt, 0, sizeof m->pt);
            memset(f, 0, sizeof *f);
            m->acquiring++; /* look again next frame */
            return;
        }
        if (z > 3.0) m->acquiring = 0;
    }
    if (f->symbols >= 20 && f->pairs > 0) {
        double noise = f->noise / (double)f->pairs, pw[3];
        for (int d = 0; d < 3; d++) pw[d] = f->energy[d] / (double)f->symbols - noise;
        double z = (f->energy[1] / (double)f->symbols / noise - 1.0) * sqrt((double)f->symbols);
        if (z > 8.0 && pw[1] > 0) {
            double tau, a;
            cs_umts_rc_fit(pw[0], pw[1], pw[2], &tau, &a);
            if (m->n_track < MAX_TRACK) {
                m->track_t[m->n_track] = t_mid;
                m->track_tau[m->n_track] = (double)m->dll / UMTS_SPC + tau;
                m->track_w[m->n_track] = z * z;
                m->n_track++;
            }
            if (m->p.track) {
                m->smooth = 0.5 * m->smooth + 0.5 * tau;
                if (m->smooth > DLL_STEP) {
                    m->dll++;
                    m->smooth -= 0.5;
                } else if (m->smooth < -DLL_STEP) {
                    m->dll--;
                    m->smooth += 0.5;
                }
            }
        }
    }
    memset(f, 0, sizeof *f);
}

/* Despread every window of one symbol (path i, offset d: sample p0 + delay_i + d - 1; the
 * side points on every SIDE_EVERY-th symbol only) in one pass over the code chips: v[i][d]. */
static void despread_symbol(cs_umts_cpich_meas m, const cs_umts_block *b, long long p0,
                            long in_frame, int sides, double complex v[][3])
{
    const float *wr[3 * CS_UMTS_MAX_PATHS], *wi[3 * CS_UMTS_MAX_PATHS];
    float er[3 * CS_UMTS_MAX_PATHS], ei[3 * CS_UMTS_MAX_PATHS];
    size_t n = 0;
    long d_main = -1; /* window of the main path's on-time point */
    for (size_t i = 0; i < m->p.n_paths; i++)
        for (int d = 0; d < 3; d++) {
            if ((d != 1 && !sides) || m->dropped[i]) continue;
            if (i == 0 && d == 1) d_main = (long)n;
            const uint64_t off = (uint64_t)(p0 + m->p.path_delay_samples[i] + d - 1) - b->first;
            const int ph = (int)(off & 1);
            wr[n] = b->re[ph] + off / 2;
            wi[n] = b->im[ph] + off / 2;
            n++;
        }
    const size_t w0 = (size_t)in_frame * SYM_WORDS;
    if (m->half_symbols < HALF_SYMBOLS && d_main >= 0) {
        /* The main path's two halves give the frequency's coarsest lag: despread every
         * window by halves (one pass over the samples as before) and add them up, rather
         * than despreading the main window a second time. */
        const float *hr[3 * CS_UMTS_MAX_PATHS], *hi[3 * CS_UMTS_MAX_PATHS];
        float br[3 * CS_UMTS_MAX_PATHS], bi[3 * CS_UMTS_MAX_PATHS];
        for (size_t k = 0; k < n; k++) {
            hr[k] = wr[k] + SYM_CHIPS / 2;
            hi[k] = wi[k] + SYM_CHIPS / 2;
        }
        m->k->despread_multi(wr, wi, n, m->iw + w0, m->qw + w0, SYM_WORDS / 2, er, ei);
        m->k->despread_multi(hr, hi, n, m->iw + w0 + SYM_WORDS / 2, m->qw + w0 + SYM_WORDS / 2,
                             SYM_WORDS / 2, br, bi);
        const double complex a = er[d_main] + I * ei[d_main], bh = br[d_main] + I * bi[d_main];
        const double complex prod = bh * conj(a);
        m->half_acc += prod;
        m->half_mag += sqrt(creal(prod) * creal(prod) + cimag(prod) * cimag(prod)); /* not hypot: slow */
        m->half_n++;
        m->half_symbols++;
        for (size_t k = 0; k < n; k++) {
            er[k] += br[k];
            ei[k] += bi[k];
        }
    } else {
        m->k->despread_multi(wr, wi, n, m->iw + w0, m->qw + w0, SYM_WORDS, er, ei);
    }
    n = 0;
    for (size_t i = 0; i < m->p.n_paths; i++)
        for (int d = 0; d < 3; d++) {
            if ((d != 1 && !sides) || m->dropped[i]) continue;
            v[i][d] = er[n] + I * ei[n];
            n++;
        }
}

/* Thinned, the same symbol of the frame before is not measured (the pairs kept move): the
 * frame lag's products come from the nearest symbol measured within THIN_LAG_REACH of it,
 * turned to a frame's lag by the frequency measured before thinning (its error over a few
 * symbols is negligible), so the finest frequency still spans the whole input. 0: none. */
#define THIN_LAG_REACH 6
static int thinned_frame_lag(const cs_umts_cpich_meas m, long sym)
{
    if (!isfinite(m->thin_freq_hz)) return 0;
    for (int d = 0; d <= THIN_LAG_REACH; d++)
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            const long lag = SYMS_PER_FRAME + sgn * d, slot = umts_mod(sym - lag, SYMS_PER_FRAME);
            if (m->ring_sym[slot] == sym - lag) return (int)lag;
        }
    return 0;
}

static void symbol(cs_umts_cpich_meas m, const cs_umts_block *b, long long p0, long sym)
{
    const long in_frame = umts_mod(sym, SYMS_PER_FRAME);
    const long frame = (sym - in_frame) / SYMS_PER_FRAME;
    if (frame != m->frame_index) {
        if (m->frame_index != LONG_MIN) {
            /* middle of the frame closed (thinned, its first symbol may be left out) */
            const long first = m->thin > 1 ? in_frame : 0;
            frame_close(m, (double)p0 - (double)(first * SYM_SAMPLES) - SYMS_PER_FRAME * SYM_SAMPLES / 2.0);
            umts_cpich_meas_prune(m);
            umts_cpich_meas_thin_decide(m);
        }
        m->frame_index = frame;
    }
    /* the half-chip neighbours only shape the timing fit: every SIDE_EVERY-th symbol is
     * enough (thinned: about as many); weights for time alike */
    double w_on, w_side, per_side;
    const int sides = umts_cpich_meas_sides(m, sym, &w_on, &w_side, &per_side);
    /* The pairs behind the RSCP need the CPICH phase steady over two symbols: turn it
     * back by the frequency measured so far (lag-1 products of the main path). */
    /* The estimate is refreshed every 16 symbols and the phasor turned by one symbol's
     * step in between (exactly recomputed at each refresh): no atan2 and cexp per symbol. */
    const int refresh = m->lag_n[0] >= 20 && (m->lag_n[0] & 15) == 4;
    if (refresh) {
        m->f_run = carg(m->lag_acc[0]) / (2.0 * M_PI * T_SYM);
        m->unrot_step = cexp(-I * 2.0 * M_PI * m->f_run * T_SYM);
    }
    const long gap = m->have_phase ? sym - m->phase_sym : 0;
    m->phase = fmod(m->phase + 2.0 * M_PI * m->f_run * T_SYM * (double)gap, 2.0 * M_PI);
    if (refresh || gap != 1) m->unrot = cexp(-I * m->phase);
    else m->unrot *= m->unrot_step;
    m->phase_sym = sym;
    m->have_phase = 1;
    const double complex unrot = m->unrot;
    double complex main_d = 0, dv[CS_UMTS_MAX_PATHS][3];
    despread_symbol(m, b, p0, in_frame, sides, dv);
    for (size_t i = 0; i < m->p.n_paths; i++)
        for (int d = 0; d < 3; d++) {
            if ((d != 1 && !sides) || m->dropped[i]) continue;
            const double complex v = dv[i][d];
            point_add(&m->pt[i][d], v * unrot, d == 1 ? w_on : w_side);
            if (i == 0) {
                m->fr.energy[d] += creal(v * conj(v)) * (d == 1 ? 1.0 : per_side);
                if (d == 1) main_d = v;
            }
        }
    /* timing track noise from consecutive symbols (thinned: within a pair only) */
    frame_acc *f = &m->fr;
    if (m->thin > 1 && gap != 1) f->have_prev = 0;
    if (f->have_prev) {
        double complex df = main_d * unrot - f->prev;
        f->noise += creal(df * conj(df)) / 2.0;
        f->pairs++;
    }
    f->prev = main_d * unrot;
    f->have_prev = 1;
    f->symbols++;
    /* frequency lags */
    static const int lags[3] = { 1, 10, SYMS_PER_FRAME };
    for (int l = 0; l < 3; l++) {
        const int lag = l == 2 && m->thin > 1 ? thinned_frame_lag(m, sym) : lags[l];
        if (lag == 0) continue;
        const int slot = (int)umts_mod(sym - lag, SYMS_PER_FRAME);
        if (m->ring_sym[slot] == sym - lag) {
            double complex prod = main_d * conj(m->ring[slot]);
            if (lag != lags[l]) prod *= cexp(I * 2.0 * M_PI * m->thin_freq_hz * (lags[l] - lag) * T_SYM);
            m->lag_acc[l] += w_on * prod;
            m->lag_mag[l] += w_on * sqrt(creal(prod) * creal(prod) + cimag(prod) * cimag(prod));
            m->lag_n[l]++;
        }
    }
    const int slot = (int)umts_mod(sym, SYMS_PER_FRAME);
    m->ring[slot] = main_d;
    m->ring_sym[slot] = sym;
    /* RSSI over the main window, both sample phases, every 8th symbol */
    if ((sym & 7) == 0) {
        const uint64_t off = (uint64_t)p0 - b->first;
        double e = 0.0;
        for (int ph = 0; ph < 2; ph++) {
            const size_t o = (size_t)(off + (uint64_t)ph);
            e += m->k->energy(b->re[o & 1] + o / 2, SYM_CHIPS) + m->k->energy(b->im[o & 1] + o / 2, SYM_CHIPS);
        }
        m->rssi_sum += w_on * e;
        m->rssi_n += w_on * SYM_SAMPLES;
    }
    if (isnan(m->t_first)) m->t_first = (double)p0;
    m->t_last = (double)p0 + SYM_SAMPLES;
    m->dll_sum += w_on * (double)m->dll;
    m->w_symbols += w_on;
    m->symbols++;
    umts_cpich_meas_prune(m);
}

int cs_umts_cpich_meas_execute(cs_umts_cpich_meas m, const cs_umts_block *b)
{
    const uint64_t end = b->first + b->n, avail_end = b->first + b->avail;
    const double scale = 1.0 + m->p.drift_ppm * 1e-6;
    for (;; m->next_sym++) {
        double nominal = m->p.frame_start_samples + (double)SYM_SAMPLES * (double)m->next_sym;
        long long p0 = llround(nominal * scale) + m->dll;
        long long lo = p0 + m->dmin - 1, hi = p0 + m->dmax + 1 + SYM_SAMPLES;
        if (lo < 0) continue;
        if ((uint64_t)lo >= end) break;
        if ((uint64_t)lo < b->first || (uint64_t)hi > avail_end || umts_cpich_meas_thinned(m, m->next_sym))
            continue;
        symbol(m, b, p0, m->next_sym);
    }
    return CS_OK;
}

/* Finest consistent frequency from the lag products: each finer lag is used when the
 * coarser estimate pins its ambiguity and its own phasors are coherent enough. */
static void frequency(const cs_umts_cpich_meas m, cs_umts_cpich_meas_result *r)
{
    static const int lags[3] = { 1, 10, SYMS_PER_FRAME };
    r->freq_hz = NAN;
    r->freq_coherence = 0.0;
    double f = NAN, sigma = INFINITY;
    /* Halves of a symbol apart first (range +-15 kHz, the lag-1 phase only +-7.5 kHz: a
     * carrier taken from a weak P-SCH can be 8 kHz off), when they pin lag 1's ambiguity. */
    if (m->half_n >= 10 && m->half_mag > 0) {
        const double coh = cabs(m->half_acc) / m->half_mag, T = T_SYM / 2.0;
        const double ph_sigma = sqrt(fmax(1.0 - coh * coh, 1e-12) / (2.0 * coh * coh * (double)m->half_n));
        if (coh >= 0.2 && ph_sigma / (2.0 * M_PI * T) * T_SYM <= 1.0 / 6.0) {
            f = carg(m->half_acc) / (2.0 * M_PI * T);
            sigma = ph_sigma / (2.0 * M_PI * T);
        }
    }
    for (int l = 0; l < 3; l++) {
        if (m->lag_n[l] < 10 || m->lag_mag[l] <= 0) break;
        const double T = lags[l] * T_SYM, coh = cabs(m->lag_acc[l]) / m->lag_mag[l];
        if (coh < 0.2) break;
        double fl = carg(m->lag_acc[l]) / (2.0 * M_PI * T);
        if (!isnan(f)) {
            if (sigma * T > 1.0 / 6.0) break; /* ambiguity not resolved with confidence */
            fl += round((f - fl) * T) / T;
        }
        f = fl;
        /* phase noise of the mean phasor, rough but monotone in SNR and count */
        double ph_sigma = sqrt(fmax(1.0 - coh * coh, 1e-12) / (2.0 * coh * coh * (double)m->lag_n[l]));
        sigma = ph_sigma / (2.0 * M_PI * T);
        r->freq_coherence = coh;
    }
    r->freq_hz = f;
}

/* Weighted straight line through the timing track: drift = 2 * slope (chips per sample). */
static void drift(const cs_umts_cpich_meas m, cs_umts_cpich_meas_result *r)
{
    r->drift_ppm = NAN;
    r->drift_sigma_ppm = NAN;
    if (m->n_track < 3) return;
    double sw = 0, st = 0, sy = 0;
    for (size_t i = 0; i < m->n_track; i++) {
        sw += m->track_w[i];
        st += m->track_w[i] * m->track_t[i];
        sy += m->track_w[i] * m->track_tau[i];
    }
    const double tm = st / sw, ym = sy / sw;
    double stt = 0, sty = 0;
    for (size_t i = 0; i < m->n_track; i++) {
        double dt = m->track_t[i] - tm;
        stt += m->track_w[i] * dt * dt;
        sty += m->track_w[i] * dt * (m->track_tau[i] - ym);
    }
    if (stt <= 0) return;
    const double slope = sty / stt;
    double res = 0;
    for (size_t i = 0; i < m->n_track; i++) {
        double e = m->track_tau[i] - ym - slope * (m->track_t[i] - tm);
        res += m->track_w[i] * e * e;
    }
    const double var = res / sw * (double)m->n_track / (double)(m->n_track - 2);
    const double slope_sigma = sqrt(var / (stt / sw * (double)m->n_track));
    r->drift_ppm = m->p.drift_ppm + 2.0 * slope * 1e6;
    r->drift_sigma_ppm = 2.0 * slope_sigma * 1e6;
}

double umts_cpich_meas_freq_hz(cs_umts_cpich_meas m)
{
    cs_umts_cpich_meas_result r;
    frequency(m, &r);
    return r.freq_hz;
}

int cs_umts_cpich_meas_result_get(cs_umts_cpich_meas m, cs_umts_cpich_meas_result *r)
{
    memset(r, 0, sizeof *r);
    r->freq_hz = r->drift_ppm = r->drift_sigma_ppm = NAN;
    r->symbols = m->symbols;
    if (m->fr.symbols > 0) frame_close(m, m->t_last - SYMS_PER_FRAME * SYM_SAMPLES / 2.0);
    if (m->symbols < 20)
        return cs_error(CS_ENOTFOUND, "umts cpich: %zu symbols measured, 20 needed", m->symbols);
    r->rssi = m->rssi_n > 0 ? m->rssi_sum / m->rssi_n : 0.0;
    r->t_first_sample = m->t_first;
    r->t_last_sample = m->t_last;
    /* per-symbol noise: the main on-time point has the most pairs */
    const point *q0 = &m->pt[0][1];
    r->noise_per_symbol = q0->pairs ? q0->pair_noise / q0->w_pairs : 0.0;
    const double norm = 1.0 / ((double)SYM_CHIPS * SYM_CHIPS);
    double tau_main = 0.0;
    r->n_paths = m->p.n_paths;
    for (size_t i = 0; i < m->p.n_paths; i++) {
        double pw[3];
        const point *q = m->pt[i];
        for (int d = 0; d < 3; d++) {
            double noise = q[d].pairs ? q[d].pair_noise / q[d].w_pairs : 0.0;
            pw[d] = q[d].pairs ? q[d].pair_power / q[d].w_pairs - noise / 2.0 : 0.0;
        }
        double tau, a;
        cs_umts_rc_fit(pw[0], pw[1], pw[2], &tau, &a);
        if (i == 0) tau_main = tau;
        cs_umts_path_result *pr = &r->path[i];
        pr->power = a * norm;
        pr->delay_samples = (double)m->p.path_delay_samples[i] + UMTS_SPC * tau;
        const double noise = q[1].pairs ? q[1].pair_noise / q[1].w_pairs : 0.0;
        pr->z = noise > 0 && q[1].symbols
                    ? (q[1].energy / q[1].w_symbols / noise - 1.0) * sqrt((double)q[1].symbols)
                    : 0.0;
    }
    for (size_t i = 1; i < r->n_paths; i++) r->path[i].delay_samples -= r->path[0].delay_samples;
    r->path[0].delay_samples = 0.0;
    double start = m->p.frame_start_samples + m->dll_sum / m->w_symbols + UMTS_SPC * tau_main;
    r->timing_start_samples = umts_mod((long)floor(start), UMTS_FRAME_SAMPLES) + (start - floor(start));
    frequency(m, r);
    drift(m, r);
    return CS_OK;
}
