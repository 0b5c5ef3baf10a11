/* cellscan synth: generate a recording with known truth (synth.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"
#include "cellscan/synth.h"
#include "cli.h"
#include "commands.h"

#define MAX_ITEMS 256

enum {
    OPT_GSM = CLI_OPT_FIRST_FREE, OPT_UMTS, OPT_TRAFFIC, OPT_UPLINK, OPT_BAND, OPT_DURATION,
    OPT_SEED, OPT_DATATYPE, OPT_SCENARIO, OPT_POWER, OPT_NOISE, OPT_PPM, OPT_CFO, OPT_FADING,
    OPT_DOPPLER, OPT_DC, OPT_IQ_GAIN, OPT_IQ_PHASE, OPT_BURSTS_FILE, OPT_CELL_ID, OPT_COMBINED,
    OPT_FIRST_FN, OPT_CONTENT, OPT_PRINT_SCENARIO, OPT_ARRAY, OPT_HEADING, OPT_BEARING,
    OPT_ELEVATION, OPT_CAL_SECONDS, OPT_ARRAY_OUTPUT, OPT_CH_GAIN, OPT_CH_PHASE, OPT_CH_DELAY, OPT_CAL_DBFS, OPT_IQF_FRAME, OPT_POSITION,
    OPT_MOVE, OPT_LOCATION, OPT_ANTENNA, OPT_TURN, OPT_PATH_LOSS, OPT_CAPTURE_INTERVAL
};

static const char usage_text[] =
    "usage: cellscan synth [OPTIONS] -o BASENAME\n"
    "\n"
    "Generate a SigMF recording (BASENAME.sigmf-data/.sigmf-meta, one annotation per\n"
    "emitter with its truth) and BASENAME.truth.json. Deterministic for a given --seed.\n"
    "\n"
    "Emitters (repeatable):\n"
    "  --gsm ARFCN:NCC:BCC:SNR_DB        GSM BCCH carrier (C0): FCCH, SCH, BCCH (SI3/SI4),\n"
    "                                    CCCH, dummy bursts; SNR = C / N in 270.833 kHz\n"
    "  --umts PSC:ECIO_DB[:UARFCN]       UMTS cell; CPICH Ec/Io with Io = all cells on the\n"
    "                                    carrier + noise in 3.84 MHz (default: at --freq)\n"
    "  --traffic ARFCN:TS[,TS]:SNR_DB    downlink bursts in those timeslots (non-C0 carrier)\n"
    "  --uplink ARFCN:TS:T0-T1[,..]:SNR_DB  handset bursts on the uplink frequency, 3 slots\n"
    "                                    after the downlink, while t is in [T0, T1] s ('all')\n"
    "Qualifiers of the preceding --gsm:\n"
    "  --cell-id MCC:MNC:LAC:CI          SI3/SI4 identity (MNC with its digits: 02 or 002)\n"
    "  --combined-ccch                   CCCH + SDCCH/4 on timeslot 0\n"
    "  --first-fn N                      frame number of the first frame\n"
    "  --bursts-file PATH                modulate these real bursts (vf_call6 format, .bz2\n"
    "                                    or plain): BSIC, cell identity, FN from the file\n"
    "Recording:\n"
    "  --rate HZ        sample rate (default: 7.68 MHz with UMTS, else 1.0833 MHz, wider\n"
    "                   in steps when the emitters need it)\n"
    "  --freq HZ        RF centre (default: middle of the emitters)\n"
    "  --band NAME      GSM band of the ARFCNs (E-GSM900, DCS1800, PCS1900, GSM850 ...)\n"
    "  --duration S     length in seconds (default 0.1)\n"
    "  --seed N         random seed (default 1)\n"
    "  --datatype T     cf32_le (default), ci16_le, ci8, cu8, cf64_le, ...\n"
    "  --power-dbfs X   mean power of the recording in dBFS (default -15: headroom for\n"
    "                   the peaks of noise and UMTS)\n"
    "  --noise-dbfs X   set the noise power over the whole band instead\n"
    "  --content C      all (default), signal (no noise) or noise (no emitters)\n"
    "Channel and receiver:\n"
    "  --fading NAME    multipath profile for every emitter (TU, RA, HT, CASE1, PA, VA ...)\n"
    "  --doppler HZ     maximum Doppler of the fading (default: the profile's speed)\n"
    "  --ppm X          receiver reference error: sample clock and LO X ppm fast\n"
    "  --cfo HZ         extra receiver LO offset (carriers appear HZ lower)\n"
    "  --dc-dbfs X      DC offset power;  --iq-gain-db X, --iq-phase-deg X: IQ imbalance\n"
    "Receiver array (coherent channels; DF.md conventions):\n"
    "  --array ula:M[:SPACING_M] | uca:M[:RADIUS_M]   default spacing: half a wavelength\n"
    "  --heading DEG    compass azimuth of the array boresight (default 0)\n"
    "  --bearing DEG    compass bearing of the preceding emitter (default 0)\n"
    "  --elevation DEG  its elevation above the horizon (default 0)\n"
    "  --channel-gain-db G0,G1,..  --channel-phase-deg P0,..  --channel-delay-ns D0,..\n"
    "                   per-channel receiver errors (one value per element)\n"
    "  --cal-seconds S  common noise source on every channel for the first S seconds\n"
    "  --cal-dbfs X     its power per channel (default: the recording's --power-dbfs)\n"
    "  --array-output collection|interleaved|iqf   one SigMF recording per element plus\n"
    "                   BASENAME.sigmf-collection (default), one SigMF file with\n"
    "                   core:num_channels, or KrakenSDR frames BASENAME.iqf (cf32_le)\n"
    "  --iqf-frame-samples N   samples per channel in each .iqf frame (default 65536)\n"
    "Moving receiver, hand-turned antenna (captures carry core:geolocation and the heading;\n"
    "BASENAME.track.csv lists t_s,sample,lat_deg,lon_deg,alt_m,heading_deg):\n"
    "  --position LAT,LON[,ALT_M]   receiver position at t = 0\n"
    "  --move SPEED_MPS:COURSE_DEG  drive from there at that speed and course\n"
    "  --location LAT,LON  position of the preceding emitter: its bearing follows the receiver\n"
    "  --path-loss N    received power ~ distance^-N relative to t = 0 (default 0: none)\n"
    "  --antenna BEAMWIDTH_DEG[:FRONT_BACK_DB]  directional antenna, raised-cosine pattern\n"
    "                   (SNR and Ec/Io hold on its boresight)\n"
    "  --turn START_DEG:RATE_DEG_S  antenna (or array) heading turning over the recording\n"
    "  --capture-interval S   captures / track rows every S seconds (default 0.1)\n"
    "Other:\n"
    "  --scenario FILE  JSON or YAML scenario (the truth file's \"scenario\" works too);\n"
    "                   command-line options override its fields and add emitters\n"
    "  --print-scenario print the resolved scenario (JSON) and write nothing\n"
    "  -o BASENAME      output name\n";

typedef struct item {
    int opt;
    const char *arg;
    int gsm_index;   /* CLI --gsm options seen before it (qualifiers apply to the last one) */
    int last_kind;   /* 1 gsm, 2 traffic/uplink, 3 umts: the emitter given last before it */
    int kind_index;  /* how many of that kind the command line gave up to it */
} item;

/* The emitter a --bearing/--elevation qualifies. */
static cs_synth_common *qualified(cs_synth_scenario *sc, const size_t first[3], const item *it)
{
    if (it->last_kind == 1) return &sc->gsm[first[0] + (size_t)it->kind_index - 1].c;
    if (it->last_kind == 2) return &sc->bursts[first[1] + (size_t)it->kind_index - 1].c;
    if (it->last_kind == 3) return &sc->umts[first[2] + (size_t)it->kind_index - 1].c;
    return NULL;
}

/* "a,b,c" → exactly n numbers in [lo, hi], times scale. */
static int parse_list(const char *opt, const char *s, unsigned n, double lo, double hi, double scale,
                      double *out)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    unsigned k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        double v;
        if (k == n || cli_parse_double(opt, tok, lo, hi, &v)) {
            if (k == n) cli_error(opt, "more than %u values (one per array element)", n);
            return -1;
        }
        out[k++] = v * scale;
    }
    if (k != n) {
        cli_error(opt, "%u values given, the array has %u elements", k, n);
        return -1;
    }
    return 0;
}

static int apply_qualifier(cs_synth_scenario *sc, size_t first_cli_gsm, const item *it)
{
    const char *name = it->opt == OPT_CELL_ID ? "--cell-id" : it->opt == OPT_COMBINED ? "--combined-ccch"
                       : it->opt == OPT_FIRST_FN ? "--first-fn" : "--bursts-file";
    if (it->gsm_index == 0) {
        cli_error(name, "must follow a --gsm option (it qualifies that carrier)");
        return -1;
    }
    cs_synth_gsm *g = &sc->gsm[first_cli_gsm + (size_t)it->gsm_index - 1];
    unsigned long v;
    switch (it->opt) {
    case OPT_COMBINED: g->combined_ccch = 1; return 0;
    case OPT_FIRST_FN:
        if (cli_parse_uint(name, it->arg, 0, 2715647, &v)) return -1;
        g->first_fn = (int64_t)v;
        return 0;
    case OPT_BURSTS_FILE:
        free(g->bursts_file);
        g->bursts_file = strdup(it->arg);
        return g->bursts_file ? 0 : -1;
    default: break;
    }
    unsigned mcc, lac, ci;
    char mnc[8];
    int end = 0;
    if (sscanf(it->arg, "%u:%7[0-9]:%u:%u%n", &mcc, mnc, &lac, &ci, &end) != 4 || it->arg[end] ||
        mcc > 999 || (strlen(mnc) != 2 && strlen(mnc) != 3) || lac > 65535 || ci > 65535) {
        cli_error(name, "'%s' is not MCC:MNC:LAC:CI (MCC 0..999, MNC 2 or 3 digits, LAC and "
                  "CI 0..65535)", it->arg);
        return -1;
    }
    g->mcc = (int)mcc;
    g->mnc = atoi(mnc);
    g->mnc_digits = (int)strlen(mnc);
    g->lac = (int)lac;
    g->ci = (int)ci;
    return 0;
}

static int apply_common(cs_synth_scenario *sc, const char *fading, double doppler)
{
    cs_synth_common *all[3];
    size_t n[3] = { sc->num_gsm, sc->num_bursts, sc->num_umts };
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < n[k]; i++) {
            all[k] = k == 0 ? &sc->gsm[i].c : k == 1 ? &sc->bursts[i].c : &sc->umts[i].c;
            if (fading) snprintf(all[k]->fading, sizeof all[k]->fading, "%s", fading);
            if (!isnan(doppler)) all[k]->doppler_hz = doppler;
        }
    return 0;
}

int cmd_synth(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "gsm", required_argument, 0, OPT_GSM },
        { "umts", required_argument, 0, OPT_UMTS },
        { "traffic", required_argument, 0, OPT_TRAFFIC },
        { "uplink", required_argument, 0, OPT_UPLINK },
        { "cell-id", required_argument, 0, OPT_CELL_ID },
        { "combined-ccch", no_argument, 0, OPT_COMBINED },
        { "first-fn", required_argument, 0, OPT_FIRST_FN },
        { "bursts-file", required_argument, 0, OPT_BURSTS_FILE },
        { "rate", required_argument, 0, CLI_OPT_RATE },
        { "freq", required_argument, 0, CLI_OPT_FREQ },
        { "band", required_argument, 0, OPT_BAND },
        { "duration", required_argument, 0, OPT_DURATION },
        { "seed", required_argument, 0, OPT_SEED },
        { "datatype", required_argument, 0, OPT_DATATYPE },
        { "power-dbfs", required_argument, 0, OPT_POWER },
        { "noise-dbfs", required_argument, 0, OPT_NOISE },
        { "content", required_argument, 0, OPT_CONTENT },
        { "fading", required_argument, 0, OPT_FADING },
        { "doppler", required_argument, 0, OPT_DOPPLER },
        { "ppm", required_argument, 0, OPT_PPM },
        { "cfo", required_argument, 0, OPT_CFO },
        { "dc-dbfs", required_argument, 0, OPT_DC },
        { "iq-gain-db", required_argument, 0, OPT_IQ_GAIN },
        { "iq-phase-deg", required_argument, 0, OPT_IQ_PHASE },
        { "scenario", required_argument, 0, OPT_SCENARIO },
        { "print-scenario", no_argument, 0, OPT_PRINT_SCENARIO },
        { "array", required_argument, 0, OPT_ARRAY },
        { "heading", required_argument, 0, OPT_HEADING },
        { "bearing", required_argument, 0, OPT_BEARING },
        { "elevation", required_argument, 0, OPT_ELEVATION },
        { "cal-seconds", required_argument, 0, OPT_CAL_SECONDS },
        { "cal-dbfs", required_argument, 0, OPT_CAL_DBFS },
        { "iqf-frame-samples", required_argument, 0, OPT_IQF_FRAME },
        { "position", required_argument, 0, OPT_POSITION },
        { "move", required_argument, 0, OPT_MOVE },
        { "location", required_argument, 0, OPT_LOCATION },
        { "antenna", required_argument, 0, OPT_ANTENNA },
        { "turn", required_argument, 0, OPT_TURN },
        { "path-loss", required_argument, 0, OPT_PATH_LOSS },
        { "capture-interval", required_argument, 0, OPT_CAPTURE_INTERVAL },
        { "array-output", required_argument, 0, OPT_ARRAY_OUTPUT },
        { "channel-gain-db", required_argument, 0, OPT_CH_GAIN },
        { "channel-phase-deg", required_argument, 0, OPT_CH_PHASE },
        { "channel-delay-ns", required_argument, 0, OPT_CH_DELAY },
        { "output", required_argument, 0, 'o' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 },
    };
    item items[MAX_ITEMS];
    size_t n_items = 0;
    int n_gsm = 0, print_only = 0, last_kind = 0, kind_count[4] = { 0, 0, 0, 0 };
    const char *out = NULL, *scenario = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_text, stdout);
            return 0;
        }
        if (c == '?') {
            fprintf(stderr, "see 'cellscan synth --help'\n");
            return 2;
        }
        if (c == 'o') out = optarg;
        else if (c == OPT_SCENARIO) scenario = optarg;
        else if (c == OPT_PRINT_SCENARIO) print_only = 1;
        else {
            if (n_items == MAX_ITEMS) {
                cli_error("synth", "more than %d options", MAX_ITEMS);
                return 2;
            }
            if (c == OPT_GSM) n_gsm++;
            const int kind = c == OPT_GSM ? 1 : (c == OPT_TRAFFIC || c == OPT_UPLINK) ? 2 : c == OPT_UMTS ? 3 : 0;
            if (kind) {
                last_kind = kind;
                kind_count[kind]++;
            }
            items[n_items++] = (item){ c, optarg, n_gsm, last_kind, last_kind ? kind_count[last_kind] : 0 };
        }
    }
    if (optind < argc) {
        cli_error(argv[optind], "unexpected argument (see 'cellscan synth --help')");
        return 2;
    }
    if (!out && !print_only) {
        cli_error("synth", "no output: give -o BASENAME");
        return 2;
    }
    cs_synth_scenario *sc = NULL;
    if (cs_synth_scenario_create(&sc)) {
        cli_error("synth", "out of memory");
        return 1;
    }
    int status = 1;
    const char *fading = NULL;
    double doppler = NAN, v;
    double position[3] = { NAN, NAN, 0.0 }, move[2] = { 0.0, 0.0 }, turn[2] = { NAN, 0.0 };
    unsigned long u;
    cs_clear_error();
    if (scenario && cs_synth_scenario_load(sc, scenario) != CS_OK) {
        fprintf(stderr, "cellscan: %s\n", cs_last_error());
        goto done;
    }
    const size_t first_cli_gsm = sc->num_gsm;
    const size_t first[3] = { sc->num_gsm, sc->num_bursts, sc->num_umts };
    /* The array first: per-channel lists need its size, whatever the option order. */
    for (size_t i = 0; i < n_items; i++)
        if (items[i].opt == OPT_ARRAY && cs_synth_scenario_set_array_spec(sc, items[i].arg) != CS_OK) {
            fprintf(stderr, "cellscan: %s\n", cs_last_error());
            goto done;
        }
    for (size_t i = 0; i < n_items; i++) {
        const item *it = &items[i];
        int rc = CS_OK, bad = 0;
        switch (it->opt) {
        case OPT_GSM: rc = cs_synth_scenario_add_gsm_spec(sc, it->arg); break;
        case OPT_UMTS: rc = cs_synth_scenario_add_umts_spec(sc, it->arg); break;
        case OPT_TRAFFIC: rc = cs_synth_scenario_add_traffic_spec(sc, it->arg); break;
        case OPT_UPLINK: rc = cs_synth_scenario_add_uplink_spec(sc, it->arg); break;
        case OPT_CELL_ID: case OPT_COMBINED: case OPT_FIRST_FN: case OPT_BURSTS_FILE:
            bad = apply_qualifier(sc, first_cli_gsm, it);
            break;
        case CLI_OPT_RATE: bad = cli_parse_double("--rate", it->arg, 1e3, 1e10, &sc->sample_rate_hz); break;
        case CLI_OPT_FREQ: bad = cli_parse_double("--freq", it->arg, 0, 1e11, &sc->centre_freq_hz); break;
        case OPT_BAND: snprintf(sc->band, sizeof sc->band, "%s", it->arg); break;
        case OPT_DURATION: bad = cli_parse_double("--duration", it->arg, 1e-4, 1e5, &sc->duration_s); break;
        case OPT_SEED:
            bad = cli_parse_uint("--seed", it->arg, 0, (unsigned long)INT64_MAX, &u);
            sc->seed = u;
            break;
        case OPT_DATATYPE:
            if (cs_datatype_parse(it->arg, &sc->datatype) != CS_OK) {
                cli_error("--datatype", "%s", cs_last_error());
                bad = 1;
            }
            break;
        case OPT_POWER: bad = cli_parse_double("--power-dbfs", it->arg, -200, 0, &sc->power_dbfs); break;
        case OPT_NOISE: bad = cli_parse_double("--noise-dbfs", it->arg, -300, 0, &sc->noise_dbfs); break;
        case OPT_CONTENT:
            if (!strcmp(it->arg, "all")) sc->content = CS_SYNTH_ALL;
            else if (!strcmp(it->arg, "signal")) sc->content = CS_SYNTH_SIGNAL_ONLY;
            else if (!strcmp(it->arg, "noise")) sc->content = CS_SYNTH_NOISE_ONLY;
            else {
                cli_error("--content", "'%s' is not all, signal or noise", it->arg);
                bad = 1;
            }
            break;
        case OPT_FADING: fading = it->arg; break;
        case OPT_DOPPLER: bad = cli_parse_double("--doppler", it->arg, 0, 5000, &doppler); break;
        case OPT_PPM: bad = cli_parse_double("--ppm", it->arg, -1000, 1000, &sc->rx.ppm); break;
        case OPT_CFO: bad = cli_parse_double("--cfo", it->arg, -1e7, 1e7, &sc->rx.cfo_hz); break;
        case OPT_DC: bad = cli_parse_double("--dc-dbfs", it->arg, -200, 0, &sc->rx.dc_dbfs); break;
        case OPT_IQ_GAIN: bad = cli_parse_double("--iq-gain-db", it->arg, -6, 6, &v) ; sc->rx.iq_gain_db = bad ? 0 : v; break;
        case OPT_IQ_PHASE: bad = cli_parse_double("--iq-phase-deg", it->arg, -30, 30, &v); sc->rx.iq_phase_deg = bad ? 0 : v; break;
        case OPT_ARRAY: break; /* done above */
        case OPT_HEADING: bad = cli_parse_double("--heading", it->arg, -360, 360, &sc->array.heading_deg); break;
        case OPT_BEARING: case OPT_ELEVATION: {
            const char *name = it->opt == OPT_BEARING ? "--bearing" : "--elevation";
            cs_synth_common *e = qualified(sc, first, it);
            if (!e) {
                cli_error(name, "must follow the emitter (--gsm, --umts, --traffic, --uplink) it describes");
                bad = 1;
            } else if (it->opt == OPT_BEARING) {
                bad = cli_parse_double(name, it->arg, -360, 360, &e->bearing_deg);
            } else {
                bad = cli_parse_double(name, it->arg, -90, 90, &e->elevation_deg);
            }
            break;
        }
        case OPT_POSITION: {
            int end = 0, k = sscanf(it->arg, "%lf,%lf%n,%lf%n", &position[0], &position[1], &end, &position[2], &end);
            if (k < 2 || it->arg[end] || fabs(position[0]) > 90 || fabs(position[1]) > 180) {
                cli_error("--position", "'%s' is not LAT,LON[,ALT_M] in degrees and metres", it->arg);
                bad = 1;
            }
            break;
        }
        case OPT_MOVE: case OPT_TURN: {
            double *dst = it->opt == OPT_MOVE ? move : turn;
            int end = 0;
            if (sscanf(it->arg, "%lf:%lf%n", &dst[0], &dst[1], &end) != 2 || it->arg[end] ||
                !isfinite(dst[0]) || !isfinite(dst[1])) {
                cli_error(it->opt == OPT_MOVE ? "--move" : "--turn", "'%s' is not %s", it->arg,
                          it->opt == OPT_MOVE ? "SPEED_MPS:COURSE_DEG" : "START_DEG:RATE_DEG_S");
                bad = 1;
            }
            break;
        }
        case OPT_LOCATION: {
            cs_synth_common *e = qualified(sc, first, it);
            double la, lo;
            int end = 0;
            if (!e) {
                cli_error("--location", "must follow the emitter it places");
                bad = 1;
            } else if (sscanf(it->arg, "%lf,%lf%n", &la, &lo, &end) != 2 || it->arg[end] || fabs(la) > 90 ||
                       fabs(lo) > 180) {
                cli_error("--location", "'%s' is not LAT,LON in degrees", it->arg);
                bad = 1;
            } else {
                e->lat_deg = la;
                e->lon_deg = lo;
            }
            break;
        }
        case OPT_ANTENNA: {
            double bw = 0, fb = sc->motion.front_back_db;
            int end = 0, k = sscanf(it->arg, "%lf%n:%lf%n", &bw, &end, &fb, &end);
            if (k < 1 || it->arg[end] || !(bw > 1 && bw < 359) || !(fb >= 0 && fb <= 80)) {
                cli_error("--antenna", "'%s' is not BEAMWIDTH_DEG[:FRONT_BACK_DB] (1..359, 0..80)", it->arg);
                bad = 1;
            } else {
                snprintf(sc->motion.antenna, sizeof sc->motion.antenna, "raised-cosine");
                sc->motion.beamwidth_deg = bw;
                sc->motion.front_back_db = fb;
            }
            break;
        }
        case OPT_PATH_LOSS: bad = cli_parse_double("--path-loss", it->arg, 0, 10, &sc->motion.path_loss_exponent); break;
        case OPT_CAPTURE_INTERVAL:
            bad = cli_parse_double("--capture-interval", it->arg, 1e-3, 1e5, &sc->motion.capture_interval_s);
            break;
        case OPT_IQF_FRAME:
            bad = cli_parse_uint("--iqf-frame-samples", it->arg, 1024, 1u << 24, &u);
            sc->array.iqf_frame_samples = (unsigned)u;
            break;
        case OPT_CAL_DBFS: bad = cli_parse_double("--cal-dbfs", it->arg, -200, 0, &sc->array.calibration_dbfs); break;
        case OPT_CAL_SECONDS: bad = cli_parse_double("--cal-seconds", it->arg, 0, 1e5, &sc->array.calibration_s); break;
        case OPT_ARRAY_OUTPUT:
            if (strcmp(it->arg, "collection") && strcmp(it->arg, "interleaved") && strcmp(it->arg, "iqf")) {
                cli_error("--array-output", "'%s' is not collection, interleaved or iqf", it->arg);
                bad = 1;
            } else {
                snprintf(sc->array.output, sizeof sc->array.output, "%s", it->arg);
            }
            break;
        case OPT_CH_GAIN: case OPT_CH_PHASE: case OPT_CH_DELAY: {
            const char *name = it->opt == OPT_CH_GAIN ? "--channel-gain-db" : it->opt == OPT_CH_PHASE
                               ? "--channel-phase-deg" : "--channel-delay-ns";
            if (sc->array.num_elements == 0) {
                cli_error(name, "needs --array (or an array in the scenario)");
                bad = 1;
            } else if (it->opt == OPT_CH_GAIN) {
                bad = parse_list(name, it->arg, sc->array.num_elements, -20, 20, 1, sc->array.gain_db);
            } else if (it->opt == OPT_CH_PHASE) {
                bad = parse_list(name, it->arg, sc->array.num_elements, -360, 360, 1, sc->array.phase_deg);
            } else {
                bad = parse_list(name, it->arg, sc->array.num_elements, 0, 1e5, 1, sc->array.delay_ns);
            }
            break;
        }
        default: break;
        }
        if (rc != CS_OK) {
            fprintf(stderr, "cellscan: %s\n", cs_last_error());
            goto done;
        }
        if (bad) goto done;
    }
    apply_common(sc, fading, doppler);
    /* Motion last: it spans the final duration. */
    if (!isnan(position[0]) &&
        cs_synth_scenario_set_track_linear(sc, position[0], position[1], position[2], move[0], move[1]) != CS_OK) {
        fprintf(stderr, "cellscan: --position: %s\n", cs_last_error());
        goto done;
    }
    if (isnan(position[0]) && move[0] != 0.0) {
        cli_error("--move", "needs --position (where the receiver starts)");
        goto done;
    }
    if (!isnan(turn[0])) cs_synth_scenario_set_turn(sc, turn[0], turn[1]);
    if (cs_synth_scenario_resolve(sc) != CS_OK) {
        fprintf(stderr, "cellscan: %s: %s\n", scenario ? scenario : "synth", cs_last_error());
        goto done;
    }
    if (print_only) {
        char *text = cs_synth_scenario_to_json(sc);
        if (!text) goto done;
        puts(text);
        free(text);
        status = 0;
        goto done;
    }
    cs_synth_result res;
    if (cs_synth_write(sc, out, &res) != CS_OK) {
        fprintf(stderr, "cellscan: %s: %s\n", out, cs_last_error());
        goto done;
    }
    printf("%s: %llu samples at %.6g Hz (%.6g s), centre %.6f MHz, %s; %zu GSM, %zu burst, "
           "%zu UMTS emitters; noise %.2f dBFS/Hz; %.2f s to generate\n",
           out, (unsigned long long)res.num_samples, sc->sample_rate_hz,
           res.num_samples / sc->sample_rate_hz, sc->centre_freq_hz * 1e-6,
           cs_datatype_name(sc->datatype), sc->num_gsm, sc->num_bursts, sc->num_umts,
           sc->n0_dbfs_per_hz, res.elapsed_s);
    if (res.clipped_components)
        fprintf(stderr, "cellscan: %s: warning: %zu sample components clipped at full scale "
                "(lower --power-dbfs)\n", out, res.clipped_components);
    status = 0;
done:
    cs_synth_scenario_destroy(sc);
    return status;
}
