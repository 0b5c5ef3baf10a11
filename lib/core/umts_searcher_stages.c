/* UMTS cell searcher stages: from P-SCH candidates to frame hypotheses, to identified
 * codes, to measured cells (see umts_searcher.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "umts_cpich_id_internal.h"
#include "umts_cpich_meas_internal.h"
#include "umts_frame_sync_internal.h"
#include "umts_psch_internal.h"
#include "umts_searcher_internal.h"

#define SSCH_Z_MIN 3.0       /* S-SCH word metric a candidate needs before CPICH tests */
#define PSCH_COHERENCE_MIN 1.5 /* slot-to-slot P-SCH phase steadiness (z units) it needs too */
#define SSCH_SURE_MARGIN 3.0 /* lead over the runner-up that makes one hypothesis enough */
#define ECHO_SAMPLES 600     /* same group within this: an echo of the stronger candidate */
#define PATH_BEFORE 64       /* path candidates from the P-SCH map: this early ... */
#define PATH_AFTER 512       /* ... to this late, samples */
#define PATH_MAP_Z 4.0
#define MAP_PATHS 8          /* paths per cell at most from the map (the main one included) */
#define ID_SYMBOLS 300       /* CPICH symbols aimed at for identification */
#define PSCH_CPICH_MAX_RATIO 10.0 /* P-SCH at most 10 dB above the CPICH */
#define THIN_TARGET_DB 0.1    /* RSCP standard error that lets a cell be measured thinned */
#define DEFER_MAIN_SNR 5.0   /* a P-SCH peak this strong (per-slot SNR; z > 60) is a cell ... */
#define DEFER_RATIO (1.0 / 32.0) /* ... and peaks 15 dB below it within its reach wait */

static double frame_diff(double a, double b)
{
    double d = fmod(a - b, (double)UMTS_FRAME_SAMPLES);
    if (d < -UMTS_FRAME_SAMPLES / 2.0) d += UMTS_FRAME_SAMPLES;
    if (d >= UMTS_FRAME_SAMPLES / 2.0) d -= UMTS_FRAME_SAMPLES;
    return d;
}

void search_free_round(struct cs_umts_searcher_s *s)
{
    for (size_t i = 0; i < s->n_cand; i++) {
        cs_umts_frame_sync_destroy(s->cand[i].fs);
        cs_umts_cpich_id_destroy(s->cand[i].id);
    }
    s->n_cand = 0;
}

void search_block(struct cs_umts_searcher_s *s, const cs_umts_block *b)
{
    for (size_t i = 0; i < s->n_cand; i++) {
        if (s->stage == STAGE_FRAME && s->cand[i].fs) cs_umts_frame_sync_execute(s->cand[i].fs, b);
        if (s->stage == STAGE_ID && s->cand[i].id) cs_umts_cpich_id_execute(s->cand[i].id, b);
    }
    if (s->stage == STAGE_MEAS)
        for (size_t i = 0; i < s->n_cells; i++)
            if (s->cell[i].meas && s->cell[i].round == s->round) cs_umts_cpich_meas_execute(s->cell[i].meas, b);
}

/* A candidate that sits on an already measured cell of an earlier round. */
static int known_timing(const struct cs_umts_searcher_s *s, const cs_umts_psch_candidate *c)
{
    for (size_t i = 0; i < s->n_out; i++) {
        double slot_pos = fmod(s->out[i].frame_offset_chips * UMTS_SPC, UMTS_SLOT_SAMPLES);
        double d = fmod(c->slot_offset_samples - slot_pos + 1.5 * UMTS_SLOT_SAMPLES, UMTS_SLOT_SAMPLES) -
                   UMTS_SLOT_SAMPLES / 2.0;
        if (fabs(d) < 3.0) return 1;
    }
    return 0;
}

/* Round 1, when a cancellation round follows: a weak peak within the P-SCH reach of a
 * very strong one (15 dB and more below it). Near a strong cell the map carries the
 * frame-periodic imprint of its other channels, which a 10-frame fold does not average
 * away: such peaks are nearly all junk that costs S-SCH and CPICH tests (60 symbols of 16
 * codes each). Round 2 searches there again with the strong cell's CPICH and SCH
 * cancelled, where a real cell stands out better and the imprint is gone; 15 dB below
 * the strong cell an echo of it would not be reported either. */
static int defer_to_round_two(const struct cs_umts_searcher_s *s, const cs_umts_psch_candidate *c,
                              size_t i)
{
    if (s->round != 1 || !s->p.cancellation || s->streaming) return 0;
    for (size_t j = 0; j < i; j++) {
        const cs_umts_psch_candidate *o = cs_umts_psch_sync_candidate(s->psch, j);
        if (!(o->snr >= DEFER_MAIN_SNR) || !(c->snr < DEFER_RATIO * o->snr)) continue;
        const long d = umts_mod((long)c->slot_offset_index - o->slot_offset_index + UMTS_SLOT_SAMPLES / 2,
                                UMTS_SLOT_SAMPLES) - UMTS_SLOT_SAMPLES / 2;
        if (labs(d) <= PSCH_SIDELOBE_REACH) return 1;
    }
    return 0;
}

int search_stage_psch_done(struct cs_umts_searcher_s *s)
{
    int rc = cs_umts_psch_sync_finish(s->psch);
    if (rc != CS_OK) return rc;
    search_free_round(s);
    s->n_deferred = 0;
    size_t n = cs_umts_psch_sync_num_candidates(s->psch);
    for (size_t i = 0; i < n && s->n_cand < SEARCH_MAX_CAND; i++) {
        const cs_umts_psch_candidate *c = cs_umts_psch_sync_candidate(s->psch, i);
        if (s->round > 1 && known_timing(s, c)) continue;
        if (defer_to_round_two(s, c, i)) {
            s->deferred[s->n_deferred++] = c->slot_offset_index;
            continue;
        }
        search_cand *sc = &s->cand[s->n_cand];
        memset(sc, 0, sizeof *sc);
        sc->psch = *c;
        sc->merged_into = -1;
        sc->psc = -1;
        if ((rc = cs_umts_frame_sync_create(c->slot_offset_index, c->drift_ppm, &sc->fs)) != CS_OK)
            return rc;
        s->n_cand++;
    }
    if (s->n_cand == 0) {
        s->stage = STAGE_DONE;
        return CS_OK;
    }
    /* Every cell of a carrier shares its frequency error: take the strongest candidate's. */
    if (s->round == 1) s->carrier_hz = s->derotated_hz + s->cand[0].psch.freq_hz;
    s->stage = STAGE_FRAME;
    return CS_OK;
}

int search_stage_frame_done(struct cs_umts_searcher_s *s)
{
    const double frames = (double)s->produced / UMTS_FRAME_SAMPLES;
    unsigned spf = frames > 0 ? (unsigned)ceil(ID_SYMBOLS / frames) : 150;
    if (spf < 10) spf = 10;
    if (spf > 150) spf = 150;
    if (!s->streaming) {
        double f = (double)s->poly_n / UMTS_FRAME_SAMPLES;
        spf = f > 0 ? (unsigned)ceil(ID_SYMBOLS / f) : 150;
        spf = spf < 10 ? 10 : spf > 150 ? 150 : spf;
    }
    int rc;
    for (size_t i = 0; i < s->n_cand; i++) {
        search_cand *c = &s->cand[i];
        /* a P-SCH peak whose phase wanders from slot to slot is not a cell's P-SCH: no
         * need to rank its S-SCH words */
        if (umts_frame_sync_coherence_z(c->fs) < PSCH_COHERENCE_MIN) continue;
        c->fs_ok = cs_umts_frame_sync_result_get(c->fs, &c->fsr) == CS_OK;
        if (!c->fs_ok || c->fsr.hyp[0].metric_z < SSCH_Z_MIN) continue;
        /* an echo of a stronger candidate: same group, frame start close by */
        for (size_t j = 0; j < i; j++) {
            const search_cand *o = &s->cand[j];
            if (o->fs_ok && o->merged_into < 0 && o->fsr.hyp[0].group == c->fsr.hyp[0].group &&
                fabs(frame_diff(c->fsr.hyp[0].frame_start_samples, o->fsr.hyp[0].frame_start_samples)) <=
                    ECHO_SAMPLES) {
                c->merged_into = (int)j;
                break;
            }
        }
        if (c->merged_into >= 0) continue;
        c->n_hyp = c->fsr.margin_z >= SSCH_SURE_MARGIN ? 1 : 2;
        cs_umts_code_hypothesis h[16];
        for (size_t k = 0; k < c->n_hyp; k++)
            for (int m = 0; m < 8; m++) {
                h[k * 8 + (size_t)m].psc = 8 * c->fsr.hyp[k].group + m;
                h[k * 8 + (size_t)m].frame_start_samples = c->fsr.hyp[k].frame_start_samples;
            }
        if ((rc = cs_umts_cpich_id_create(h, 8 * c->n_hyp, spf, c->psch.drift_ppm, &c->id)) != CS_OK)
            return rc;
        cs_umts_cpich_id_set_early(c->id, s->p.p_false);
        if ((rc = umts_cpich_id_set_rotation(c->id)) != CS_OK) return rc;
    }
    for (size_t i = 0; i < s->n_cand; i++) {
        cs_umts_frame_sync_destroy(s->cand[i].fs);
        s->cand[i].fs = NULL;
    }
    s->stage = STAGE_ID;
    return CS_OK;
}

static search_cell *cell_of_psc(struct cs_umts_searcher_s *s, int psc)
{
    for (size_t i = 0; i < s->n_cells; i++)
        if (s->cell[i].psc == psc) return &s->cell[i];
    return NULL;
}

static void add_path(search_cell *c, int delay)
{
    if (c->n_paths >= CS_UMTS_MAX_PATHS || delay < -PATH_BEFORE * 4 || delay > PATH_AFTER * 2) return;
    for (size_t i = 0; i < c->n_paths; i++)
        if (abs(c->path_delay[i] - delay) < 2) return;
    c->path_delay[c->n_paths++] = delay;
}

/* Echo candidates from the P-SCH map around the cell's main peak: local maxima clear of
 * the noise, of the reporting floor and of the peak's own side lobes, strongest first.
 * The noise is the larger of the folding's (1 / sqrt(slots)) and the map's own spread
 * over the window (median absolute deviation): near strong cells the map also carries
 * structure the fold does not average away (side lobes of their echoes, the S-SCH, the
 * CPICH), and its bumps are not echoes. */
static void map_paths(struct cs_umts_searcher_s *s, search_cell *c, const search_cand *sc, float *map)
{
    enum { SPAN = PATH_BEFORE + PATH_AFTER + 1 };
    if (cs_umts_psch_sync_map(s->psch, sc->psch.freq_index, map) != CS_OK) return;
    const int t0 = sc->psch.slot_offset_index;
    const double main_snr = map[t0];
    const double floor_rel = pow(10.0, -(s->p.path_threshold_db + 3.0) / 10.0);
    float w[SPAN], dev[SPAN];
    for (int d = -PATH_BEFORE; d <= PATH_AFTER; d++) w[d + PATH_BEFORE] = map[umts_mod(t0 + d, UMTS_SLOT_SAMPLES)];
    memcpy(dev, w, sizeof dev);
    const float med = umts_select_kth(dev, SPAN, SPAN / 2);
    for (int i = 0; i < SPAN; i++) dev[i] = fabsf(w[i] - med);
    const double spread = 1.4826 * umts_select_kth(dev, SPAN, SPAN / 2);
    const double noise = fmax(1.0 / sqrt(cs_umts_psch_sync_slots(s->psch)), spread);
    int cand[SPAN];
    size_t n = 0;
    for (int d = -PATH_BEFORE + 1; d < PATH_AFTER; d++) {
        const float v = w[d + PATH_BEFORE];
        if (abs(d) < 3 || v <= w[d + PATH_BEFORE - 1] || v < w[d + PATH_BEFORE + 1]) continue;
        if (v < PATH_MAP_Z * noise || v < floor_rel * main_snr) continue;
        if (v < 2.0 * main_snr * cs_umts_psch_sidelobe(d)) continue;
        size_t at = n++; /* insertion by height */
        while (at > 0 && w[cand[at - 1] + PATH_BEFORE] < v) {
            cand[at] = cand[at - 1];
            at--;
        }
        cand[at] = d;
    }
    for (size_t i = 0; i < n && c->n_paths < MAP_PATHS; i++) add_path(c, cand[i]);
}

int search_stage_id_done(struct cs_umts_searcher_s *s)
{
    int rc;
    /* identified candidates, strongest CPICH first */
    size_t order[SEARCH_MAX_CAND], n_id = 0;
    for (size_t i = 0; i < s->n_cand; i++) {
        search_cand *c = &s->cand[i];
        if (!c->id) continue;
        double best = -1.0;
        for (size_t k = 0; k < 8 * c->n_hyp; k++) {
            size_t sym = 0;
            double t = cs_umts_cpich_id_metric(c->id, k, &sym);
            if (t > best) {
                best = t;
                c->psc = 8 * c->fsr.hyp[k / 8].group + (int)(k % 8);
                c->frame_start = c->fsr.hyp[k / 8].frame_start_samples;
                c->id_symbols = sym;
            }
        }
        c->id_t = best;
        if (best < cs_umts_cpich_threshold(c->id_symbols, s->p.p_false)) {
            c->psc = -1;
            continue;
        }
        size_t at = n_id++;
        while (at > 0 && s->cand[order[at - 1]].id_t < best) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = i;
    }
    size_t first_new = s->n_cells;
    for (size_t r = 0; r < n_id; r++) {
        search_cand *c = &s->cand[order[r]];
        search_cell *cell = cell_of_psc(s, c->psc);
        if (cell) {
            if (cell->round == s->round) add_path(cell, (int)lround(frame_diff(c->frame_start, cell->frame_start)));
            continue;
        }
        if (s->n_cells >= SEARCH_MAX_CELLS) break;
        cell = &s->cell[s->n_cells++];
        memset(cell, 0, sizeof *cell);
        cell->psc = c->psc;
        cell->frame_start = c->frame_start;
        cell->cand = (int)order[r];
        cell->round = s->round;
        cell->n_paths = 1;
        cell->path_delay[0] = 0;
    }
    /* echoes merged at step 2 become path candidates of their cell */
    for (size_t i = 0; i < s->n_cand; i++) {
        const search_cand *c = &s->cand[i];
        if (c->merged_into < 0) continue;
        const search_cand *root = &s->cand[c->merged_into];
        if (root->psc < 0) continue;
        search_cell *cell = cell_of_psc(s, root->psc);
        if (!cell || cell->round != s->round) continue;
        double d = fmod(c->psch.slot_offset_index - (double)root->psch.slot_offset_index +
                        1.5 * UMTS_SLOT_SAMPLES, UMTS_SLOT_SAMPLES) - UMTS_SLOT_SAMPLES / 2.0;
        add_path(cell, (int)lround(d));
    }
    float *map = malloc(UMTS_SLOT_SAMPLES * sizeof *map);
    if (!map) return cs_error(CS_ENOMEM, "umts search: out of memory");
    for (size_t i = first_new; i < s->n_cells; i++) {
        search_cell *cell = &s->cell[i];
        const search_cand *sc = &s->cand[cell->cand];
        map_paths(s, cell, sc, map);
        cs_umts_cpich_meas_params mp;
        cs_umts_cpich_meas_params_init(&mp);
        mp.psc = cell->psc;
        mp.frame_start_samples = cell->frame_start;
        mp.drift_ppm = sc->psch.drift_ppm;
        mp.n_paths = cell->n_paths;
        memcpy(mp.path_delay_samples, cell->path_delay, cell->n_paths * sizeof(int));
        if ((rc = cs_umts_cpich_meas_create(&mp, &cell->meas)) != CS_OK) {
            free(map);
            return rc;
        }
        const size_t expected = (size_t)(s->power_n / (2 * 256));
        umts_cpich_meas_set_pruning(cell->meas, pow(10.0, -s->p.path_threshold_db / 10.0), s->p.p_false,
                                    expected);
        /* strong cells: every few pairs of symbols once their RSCP is within
         * THIN_TARGET_DB, as long as an echo at the floor would stay as significant as
         * reporting needs */
        const double z_report = (cs_umts_cpich_threshold(expected, s->p.p_false) - 1.0) * sqrt((double)expected);
        umts_cpich_meas_set_thinning(cell->meas, THIN_TARGET_DB, 1.0 * z_report);
    }
    free(map);
    for (size_t i = 0; i < s->n_cand; i++) {
        cs_umts_cpich_id_destroy(s->cand[i].id);
        s->cand[i].id = NULL;
    }
    s->stage = s->n_cells > first_new ? STAGE_MEAS : STAGE_DONE;
    if (s->stage == STAGE_DONE) search_free_round(s);
    return CS_OK;
}

/* Despreading with a frequency error df loses sinc^2(df T) per symbol: undo it (the pairs
 * of symbols behind the RSCP are phase-corrected by the measurement itself). */
static double freq_loss(double df)
{
    if (!isfinite(df)) return 1.0;
    const double x = M_PI * df * 256.0 / 3.84e6;
    const double sinc = fabs(x) < 1e-9 ? 1.0 : sin(x) / x;
    return sinc * sinc;
}

static int cmp_rscp(const void *a, const void *b)
{
    const cs_umts_cell *x = a, *y = b;
    return x->rscp < y->rscp ? 1 : x->rscp > y->rscp ? -1 : 0;
}

int search_stage_meas_done(struct cs_umts_searcher_s *s)
{
    const double rssi = cs_umts_searcher_rssi(s);
    for (size_t i = 0; i < s->n_cells; i++) {
        search_cell *cell = &s->cell[i];
        if (!cell->meas || cell->round != s->round) continue;
        cs_umts_cpich_meas_result r;
        int ok = cs_umts_cpich_meas_result_get(cell->meas, &r) == CS_OK;
        int dropped[CS_UMTS_MAX_PATHS] = { 0 }; /* measured part of the time only: never reported */
        for (size_t k = 0; ok && k < r.n_paths; k++) dropped[k] = umts_cpich_meas_dropped(cell->meas, k);
        cs_umts_cpich_meas_destroy(cell->meas);
        cell->meas = NULL;
        if (!ok) continue;
        const double t_thr = cs_umts_cpich_threshold(r.symbols, s->p.p_false);
        const double z_thr = (t_thr - 1.0) * sqrt((double)r.symbols);
        const double gain = 1.0 / freq_loss(r.freq_hz);
        /* strongest significant path, then the others within the path threshold */
        int best = -1;
        for (size_t k = 0; k < r.n_paths; k++)
            if (!dropped[k] && r.path[k].z >= z_thr && r.path[k].power > 0 &&
                (best < 0 || r.path[k].power > r.path[best].power))
                best = (int)k;
        /* The CPICH of a real cell keeps its phase from one symbol to the next (its
         * frequency could be measured); noise that crossed the energy threshold does not. */
        if (best < 0 || !isfinite(r.freq_hz) || s->n_out >= SEARCH_MAX_CELLS) continue;
        /* A P-SCH far stronger than the CPICH found at its timing is something else (a
         * side lobe or a cancellation residue of a strong cell): real cells send the P-SCH
         * a few dB below the CPICH. P-SCH Ec/Io = per-slot SNR / 256. */
        const search_cand *sc0 = &s->cand[cell->cand];
        if (sc0->psch.snr / 256.0 > PSCH_CPICH_MAX_RATIO * r.path[best].power / rssi) continue;
        cs_umts_cell *o = &s->out[s->n_out++];
        memset(o, 0, sizeof *o);
        o->psc = cell->psc;
        o->group = cell->psc / 8;
        o->rssi = rssi;
        o->round = cell->round;
        const double floor_p = r.path[best].power * pow(10.0, -s->p.path_threshold_db / 10.0);
        o->path[0].delay_chips = 0.0;
        o->path[0].rscp = r.path[best].power * gain;
        o->path[0].z = r.path[best].z;
        o->n_paths = 1;
        for (size_t k = 0; k < r.n_paths; k++) {
            if ((int)k == best || dropped[k] || r.path[k].z < z_thr || r.path[k].power < floor_p) continue;
            double dly = (r.path[k].delay_samples - r.path[best].delay_samples) / UMTS_SPC;
            int dup = 0;
            for (size_t q = 0; q < o->n_paths; q++)
                if (fabs(o->path[q].delay_chips - dly) < 0.75) dup = 1;
            if (dup) continue;
            cs_umts_cell_path *pp = &o->path[o->n_paths++];
            pp->delay_chips = dly;
            pp->rscp = r.path[k].power * gain;
            pp->z = r.path[k].z;
        }
        for (size_t q = 0; q < o->n_paths; q++) o->rscp += o->path[q].rscp;
        o->peak_rscp = o->path[0].rscp;
        o->cpich_z = r.path[best].z;
        o->freq_error_hz = s->derotated_hz + (isfinite(r.freq_hz) ? r.freq_hz : 0.0);
        double start = r.timing_start_samples + r.path[best].delay_samples;
        o->frame_offset_chips = fmod(start / UMTS_SPC + CS_UMTS_FRAME_SAMPLES, 38400.0);
        o->drift_ppm = r.drift_ppm;
        o->drift_sigma_ppm = r.drift_sigma_ppm;
        const search_cand *sc = &s->cand[cell->cand];
        o->psch_snr = sc->psch.snr;
        o->ssch_z = sc->fsr.hyp[0].metric_z;
        o->t_first_s = r.t_first_sample / UMTS_FS_HZ;
        o->t_last_s = r.t_last_sample / UMTS_FS_HZ;
    }
    search_free_round(s);
    qsort(s->out, s->n_out, sizeof s->out[0], cmp_rscp);
    if (s->n_out > s->p.max_cells) s->n_out = s->p.max_cells;
    /* carrier: frequency of the strongest cell; drift: weighted over the cells */
    s->freq_error_hz = s->n_out ? s->out[0].freq_error_hz : NAN;
    double sw = 0, sd = 0;
    for (size_t i = 0; i < s->n_out; i++)
        if (isfinite(s->out[i].drift_ppm) && s->out[i].drift_sigma_ppm > 0) {
            double w = 1.0 / (s->out[i].drift_sigma_ppm * s->out[i].drift_sigma_ppm);
            sw += w;
            sd += w * s->out[i].drift_ppm;
        }
    s->drift_ppm = sw > 0 ? sd / sw : NAN;
    s->drift_sigma_ppm = sw > 0 ? 1.0 / sqrt(sw) : NAN;
    s->stage = STAGE_DONE;
    return CS_OK;
}
