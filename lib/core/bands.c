/* The GSM (TS 45.005 §2) and UMTS FDD (TS 25.101 §5.4) band table and channel arithmetic. */
#include "cellscan/bands.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellscan/status.h"

/* Both standards number channels on a 200 kHz grid: GSM 0.2 MHz per ARFCN, UMTS
 * N = 5 F_MHz. A run of channels first, first+step, ..., last sits at
 * first_khz + (n - first) * 200 kHz. */
#define CS_NUMBER_KHZ 200

typedef struct run {
    int first, last, step;
    long first_khz;
} run;

#define MAX_RUNS 4

struct cs_band {
    const char *name;
    cs_standard standard;
    run ul[MAX_RUNS]; /* ordered by frequency; unused runs have step 0 */
    run dl[MAX_RUNS];
    const char *aliases[6];   /* normalised (lower case, no ' ', '-', '_') */
    const char *numerals[4];  /* UMTS: band numbers and nicknames after a "umts"/"band" prefix */
};

/* GSM: one run per link, same ARFCNs, downlink = uplink + duplex spacing. */
#define GSM_LINKS(first, last, ul_khz, duplex_khz) \
    { { (first), (last), 1, (ul_khz) } }, { { (first), (last), 1, (ul_khz) + (duplex_khz) } }

static const struct cs_band bands[] = {
    { "GSM450", CS_STANDARD_GSM, GSM_LINKS(259, 293, 450600, 10000),
      { "gsm450", "450" }, { 0 } },
    { "GSM480", CS_STANDARD_GSM, GSM_LINKS(306, 340, 479000, 10000),
      { "gsm480", "480" }, { 0 } },
    { "GSM850", CS_STANDARD_GSM, GSM_LINKS(128, 251, 824200, 45000),
      { "gsm850", "850" }, { 0 } },
    { "P-GSM900", CS_STANDARD_GSM, GSM_LINKS(1, 124, 890200, 45000),
      { "pgsm900", "pgsm" }, { 0 } },
    /* E- and R-GSM: numbers 975..1023 / 955..1023 lie below ARFCN 0 (890 + 0.2 (n - 1024)). */
    { "E-GSM900", CS_STANDARD_GSM,
      { { 975, 1023, 1, 880200 }, { 0, 124, 1, 890000 } },
      { { 975, 1023, 1, 925200 }, { 0, 124, 1, 935000 } },
      { "egsm900", "egsm", "gsm900", "900" }, { 0 } },
    { "R-GSM900", CS_STANDARD_GSM,
      { { 955, 1023, 1, 876200 }, { 0, 124, 1, 890000 } },
      { { 955, 1023, 1, 921200 }, { 0, 124, 1, 935000 } },
      { "rgsm900", "rgsm" }, { 0 } },
    { "DCS1800", CS_STANDARD_GSM, GSM_LINKS(512, 885, 1710200, 95000),
      { "dcs1800", "dcs", "gsm1800", "1800" }, { 0 } },
    { "PCS1900", CS_STANDARD_GSM, GSM_LINKS(512, 810, 1850200, 80000),
      { "pcs1900", "pcs", "gsm1900", "1900" }, { 0 } },
    /* UMTS: N = 5 (F - offset); "additional" channels use offsets ending in .1 MHz. */
    { "UMTS-I", CS_STANDARD_UMTS,
      { { 9612, 9888, 1, 1922400 } },
      { { 10562, 10838, 1, 2112400 } },
      { "umtsi" }, { "i", "1", "2100" } },
    { "UMTS-II", CS_STANDARD_UMTS,
      { { 9262, 9538, 1, 1852400 }, { 12, 287, 25, 1852500 } },
      { { 9662, 9938, 1, 1932400 }, { 412, 687, 25, 1932500 } },
      { "umtsii" }, { "ii", "2", "1900" } },
    { "UMTS-III", CS_STANDARD_UMTS,
      { { 937, 1288, 1, 1712400 } },
      { { 1162, 1513, 1, 1807400 } },
      { "umtsiii" }, { "iii", "3", "1800" } },
    { "UMTS-IV", CS_STANDARD_UMTS,
      { { 1312, 1513, 1, 1712400 }, { 1662, 1862, 25, 1712500 } },
      { { 1537, 1738, 1, 2112400 }, { 1887, 2087, 25, 2112500 } },
      { "umtsiv", "aws" }, { "iv", "4", "1700" } },
    { "UMTS-V", CS_STANDARD_UMTS,
      { { 4132, 4233, 1, 826400 }, { 782, 787, 5, 826500 }, { 807, 812, 5, 831500 },
        { 837, 862, 25, 837500 } },
      { { 4357, 4458, 1, 871400 }, { 1007, 1012, 5, 871500 }, { 1032, 1037, 5, 876500 },
        { 1062, 1087, 25, 882500 } },
      { "umtsv" }, { "v", "5", "850" } },
    { "UMTS-VI", CS_STANDARD_UMTS,
      { { 4162, 4188, 1, 832400 }, { 812, 837, 25, 832500 } },
      { { 4387, 4413, 1, 877400 }, { 1037, 1062, 25, 877500 } },
      { "umtsvi" }, { "vi", "6", "800" } },
    { "UMTS-VIII", CS_STANDARD_UMTS,
      { { 2712, 2863, 1, 882400 } },
      { { 2937, 3088, 1, 927400 } },
      { "umtsviii" }, { "viii", "8", "900" } },
};

#define NUM_BANDS (sizeof bands / sizeof bands[0])

size_t cs_band_count(void) { return NUM_BANDS; }

const cs_band *cs_band_at(size_t i) { return i < NUM_BANDS ? &bands[i] : NULL; }

const char *cs_band_name(const cs_band *b) { return b ? b->name : NULL; }

cs_standard cs_band_standard(const cs_band *b) { return b->standard; }

static const run *link_runs(const cs_band *b, int uplink) { return uplink ? b->ul : b->dl; }

static double run_freq_hz(const run *r, int n)
{
    return 1e3 * (double)(r->first_khz + (long)(n - r->first) * CS_NUMBER_KHZ);
}

static int run_has(const run *r, int n)
{
    return r->step > 0 && n >= r->first && n <= r->last && (n - r->first) % r->step == 0;
}

/* Lower case without ' ', '-', '_'; returns 0 when it does not fit. */
static int normalise(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    for (; *in; in++) {
        if (*in == ' ' || *in == '-' || *in == '_') continue;
        if (k + 1 >= cap) return 0;
        out[k++] = (char)tolower((unsigned char)*in);
    }
    out[k] = '\0';
    return k > 0;
}

const cs_band *cs_band_find(const char *name)
{
    char key[32];
    if (!name || !normalise(name, key, sizeof key)) return NULL;
    for (size_t i = 0; i < NUM_BANDS; i++)
        for (size_t a = 0; a < 6 && bands[i].aliases[a]; a++)
            if (!strcmp(key, bands[i].aliases[a])) return &bands[i];
    /* UMTS by number: an optional "umts"/"wcdma"/"utra" then "band"/"b", then a roman or
     * arabic band number or the band's nickname ("umts2100"). A bare nickname is GSM's. */
    const char *rest = key;
    int prefixed = 0;
    static const char *const prefixes[] = { "umts", "wcdma", "utra" };
    for (size_t p = 0; p < 3; p++)
        if (!strncmp(rest, prefixes[p], strlen(prefixes[p]))) {
            rest += strlen(prefixes[p]);
            prefixed = 1;
            break;
        }
    if (!strncmp(rest, "band", 4)) {
        rest += 4;
        prefixed = 1;
    } else if (rest[0] == 'b' && rest[1]) {
        rest += 1;
        prefixed = 1;
    }
    for (size_t i = 0; i < NUM_BANDS; i++) {
        if (bands[i].standard != CS_STANDARD_UMTS) continue;
        for (size_t a = 0; a < 4 && bands[i].numerals[a]; a++) {
            const char *num = bands[i].numerals[a];
            int nickname = isdigit((unsigned char)num[0]) && strlen(num) > 1;
            if (nickname && !prefixed) continue;
            if (!strcmp(rest, num)) return &bands[i];
        }
    }
    return NULL;
}

void cs_band_edges(const cs_band *b, int uplink, double *low_hz, double *high_hz)
{
    double lo = INFINITY, hi = -INFINITY;
    const run *r = link_runs(b, uplink);
    for (int k = 0; k < MAX_RUNS && r[k].step; k++) {
        double f0 = run_freq_hz(&r[k], r[k].first), f1 = run_freq_hz(&r[k], r[k].last);
        if (f0 < lo) lo = f0;
        if (f1 > hi) hi = f1;
    }
    if (low_hz) *low_hz = lo;
    if (high_hz) *high_hz = hi;
}

int cs_band_channel_freq(const cs_band *b, int number, int uplink, double *freq_hz)
{
    if (!b) return cs_error(CS_EINVAL, "no band given");
    const run *r = link_runs(b, uplink);
    for (int k = 0; k < MAX_RUNS && r[k].step; k++)
        if (run_has(&r[k], number)) {
            if (freq_hz) *freq_hz = run_freq_hz(&r[k], number);
            return CS_OK;
        }
    return cs_error(CS_ENOTFOUND, "%s has no %s channel %d", b->name,
                    uplink ? "uplink" : "downlink", number);
}

int cs_band_channel_number(const cs_band *b, double freq_hz, int uplink, double max_error_hz,
                           int *number)
{
    if (!b || !isfinite(freq_hz)) return cs_error(CS_EINVAL, "no band or frequency given");
    const run *r = link_runs(b, uplink);
    int best = -1;
    double best_err = INFINITY;
    for (int k = 0; k < MAX_RUNS && r[k].step; k++) {
        /* The two members of the run around freq_hz (clamped to the run). */
        double step_hz = 1e3 * CS_NUMBER_KHZ * r[k].step;
        double pos = floor((freq_hz - run_freq_hz(&r[k], r[k].first)) / step_hz);
        long max_pos = (r[k].last - r[k].first) / r[k].step;
        pos = fmax(-1.0, fmin(pos, (double)max_pos)); /* far-off frequencies: the edges */
        for (long j = (long)pos; j <= (long)pos + 1; j++) {
            long c = j < 0 ? 0 : j > max_pos ? max_pos : j;
            int n = r[k].first + (int)c * r[k].step;
            double err = fabs(run_freq_hz(&r[k], n) - freq_hz);
            if (err < best_err || (err == best_err && n < best)) {
                best_err = err;
                best = n;
            }
        }
    }
    if (best < 0 || !(best_err <= max_error_hz))
        return cs_error(CS_ENOTFOUND, "%.6f MHz is not a %s %s channel", freq_hz / 1e6,
                        b->name, uplink ? "uplink" : "downlink");
    if (number) *number = best;
    return CS_OK;
}

typedef struct numbered {
    double freq_hz;
    int number;
} numbered;

static int by_freq(const void *a, const void *b)
{
    const numbered *x = a, *y = b;
    return (x->freq_hz > y->freq_hz) - (x->freq_hz < y->freq_hz);
}

size_t cs_band_channels(const cs_band *b, int uplink, int *numbers, size_t max)
{
    /* Largest link: DCS1800, 374 channels; UMTS additional channels interleave with the
     * regular ones, hence the sort. */
    numbered all[512];
    size_t count = 0;
    const run *r = link_runs(b, uplink);
    for (int k = 0; k < MAX_RUNS && r[k].step; k++)
        for (int n = r[k].first; n <= r[k].last && count < 512; n += r[k].step) {
            all[count].freq_hz = run_freq_hz(&r[k], n);
            all[count].number = n;
            count++;
        }
    qsort(all, count, sizeof all[0], by_freq);
    for (size_t i = 0; numbers && i < count && i < max; i++) numbers[i] = all[i].number;
    return count;
}

const cs_band *cs_band_lookup(cs_standard standard, double freq_hz, double max_error_hz,
                              int *number, int *uplink)
{
    for (int ul = 0; ul <= 1; ul++)
        for (size_t i = 0; i < NUM_BANDS; i++) {
            int n;
            if (bands[i].standard != standard) continue;
            if (cs_band_channel_number(&bands[i], freq_hz, ul, max_error_hz, &n) != CS_OK)
                continue;
            if (number) *number = n;
            if (uplink) *uplink = ul;
            return &bands[i];
        }
    cs_clear_error();
    return NULL;
}

int cs_channel_freq(cs_standard standard, const char *band_name, int number, int uplink,
                    double *freq_hz, const cs_band **band_out)
{
    if (band_name) {
        const cs_band *b = cs_band_find(band_name);
        if (!b || b->standard != standard)
            return cs_error(CS_ENOTFOUND, "unknown %s band '%s'",
                            standard == CS_STANDARD_GSM ? "GSM" : "UMTS", band_name);
        int st = cs_band_channel_freq(b, number, uplink, freq_hz);
        if (st == CS_OK && band_out) *band_out = b;
        return st;
    }
    for (size_t i = 0; i < NUM_BANDS; i++) {
        if (bands[i].standard != standard) continue;
        if (cs_band_channel_freq(&bands[i], number, uplink, freq_hz) == CS_OK) {
            cs_clear_error();
            if (band_out) *band_out = &bands[i];
            return CS_OK;
        }
    }
    return cs_error(CS_ENOTFOUND, "no %s band has %s channel %d",
                    standard == CS_STANDARD_GSM ? "GSM" : "UMTS",
                    uplink ? "uplink" : "downlink", number);
}
