/* Band tables: GSM.md's checks, TS 45.005 / TS 25.101 formulas, edge channels, round trips. */
#include "cellscan/bands.h"
#include "cellscan/status.h"
#include "cs_test.h"

static double gsm_freq(const char *band, int n, int uplink)
{
    double f = NAN;
    int st = cs_channel_freq(CS_STANDARD_GSM, band, n, uplink, &f, NULL);
    return st == CS_OK ? f : NAN;
}

static double umts_freq(const char *band, int n, int uplink)
{
    double f = NAN;
    int st = cs_channel_freq(CS_STANDARD_UMTS, band, n, uplink, &f, NULL);
    return st == CS_OK ? f : NAN;
}

/* GSM.md's table, written independently of lib/core/bands.c: uplink in MHz. */
static double gsm_uplink_mhz(const char *band, int n)
{
    if (!strcmp(band, "GSM450")) return 450.6 + 0.2 * (n - 259);
    if (!strcmp(band, "GSM480")) return 479.0 + 0.2 * (n - 306);
    if (!strcmp(band, "GSM850")) return 824.2 + 0.2 * (n - 128);
    if (!strcmp(band, "DCS1800")) return 1710.2 + 0.2 * (n - 512);
    if (!strcmp(band, "PCS1900")) return 1850.2 + 0.2 * (n - 512);
    return n <= 124 ? 890.0 + 0.2 * n : 890.0 + 0.2 * (n - 1024); /* P-, E-, R-GSM900 */
}

static double gsm_duplex_mhz(const char *band)
{
    if (!strcmp(band, "GSM450") || !strcmp(band, "GSM480")) return 10;
    if (!strcmp(band, "DCS1800")) return 95;
    if (!strcmp(band, "PCS1900")) return 80;
    return 45;
}

static void check_gsm_doc(void)
{
    /* GSM.md: "ARFCN 30 → 941.0 MHz down; 93 → 953.6; DCS 725 → 1847.8". */
    CS_CHECK_NEAR(gsm_freq(NULL, 30, 0), 941.0e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq(NULL, 93, 0), 953.6e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("DCS1800", 725, 0), 1847.8e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq(NULL, 725, 0), 1847.8e6, 1e-3); /* 512..885 default to DCS */
    CS_CHECK_NEAR(gsm_freq(NULL, 30, 1), 896.0e6, 1e-3);
    /* Edges of each band. */
    CS_CHECK_NEAR(gsm_freq("GSM450", 259, 1), 450.6e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("GSM450", 293, 0), 467.4e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("GSM480", 340, 0), 495.8e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("GSM850", 128, 0), 869.2e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("GSM850", 251, 0), 893.8e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("E-GSM900", 0, 0), 935.0e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("E-GSM900", 975, 1), 880.2e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("E-GSM900", 1023, 0), 934.8e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("R-GSM900", 955, 1), 876.2e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("DCS1800", 885, 0), 1879.8e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("PCS1900", 512, 0), 1930.2e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("PCS1900", 810, 1), 1909.8e6, 1e-3);
    /* Channels a band does not have. */
    CS_CHECK(isnan(gsm_freq("P-GSM900", 0, 0)));
    CS_CHECK(isnan(gsm_freq("E-GSM900", 960, 0)));
    CS_CHECK(isnan(gsm_freq("PCS1900", 811, 0)));
    CS_CHECK(isnan(gsm_freq(NULL, 500, 0)));
    CS_CHECK(isnan(gsm_freq("UMTS-I", 30, 0))); /* wrong standard */
    /* DCS/PCS ambiguity: the band decides. */
    CS_CHECK_NEAR(gsm_freq("PCS1900", 600, 0), 1947.8e6, 1e-3);
    CS_CHECK_NEAR(gsm_freq("DCS1800", 600, 0), 1822.8e6, 1e-3);
}

static void check_umts_doc(void)
{
    /* UMTS.md: N = 5 (F - offset); TS 25.101 edges, and the additional channels. */
    CS_CHECK_NEAR(umts_freq(NULL, 10562, 0), 2112.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq(NULL, 10838, 0), 2167.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-I", 9612, 1), 1922.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-I", 9888, 1), 1977.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq(NULL, 2937, 0), 927.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq(NULL, 3088, 0), 957.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-VIII", 2712, 1), 882.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-VIII", 2863, 1), 912.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq(NULL, 4357, 0), 871.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq(NULL, 4458, 0), 891.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-V", 1007, 0), 871.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-V", 1087, 0), 887.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-V", 782, 1), 826.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-V", 862, 1), 842.5e6, 1e-3);
    CS_CHECK(isnan(umts_freq("UMTS-V", 1008, 0))); /* between additional channels */
    CS_CHECK_NEAR(umts_freq(NULL, 9662, 0), 1932.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq(NULL, 9938, 0), 1987.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-II", 412, 0), 1932.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-II", 687, 0), 1987.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-II", 12, 1), 1852.5e6, 1e-3);
    CS_CHECK(isnan(umts_freq("UMTS-II", 413, 0)));
    CS_CHECK_NEAR(umts_freq("UMTS-IV", 1537, 0), 2112.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-IV", 1738, 0), 2152.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-IV", 1887, 0), 2112.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-IV", 2087, 0), 2152.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-IV", 1312, 1), 1712.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-IV", 1862, 1), 1752.5e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-III", 1162, 0), 1807.4e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-III", 1288, 1), 1782.6e6, 1e-3);
    CS_CHECK_NEAR(umts_freq("UMTS-VI", 1062, 0), 882.5e6, 1e-3);
}

/* Every channel of every band and link: formula, ordering, number -> frequency -> number. */
static void check_round_trips(void)
{
    size_t total = 0;
    for (size_t i = 0; i < cs_band_count(); i++) {
        const cs_band *b = cs_band_at(i);
        const char *name = cs_band_name(b);
        for (int ul = 0; ul <= 1; ul++) {
            int nums[512];
            size_t n = cs_band_channels(b, ul, nums, 512);
            CS_CHECK_MSG(n > 0 && n <= 512, "%s has %zu channels", name, n);
            double prev = -1, lo, hi;
            cs_band_edges(b, ul, &lo, &hi);
            for (size_t k = 0; k < n && k < 512; k++) {
                double f;
                int back = -1;
                CS_CHECK(cs_band_channel_freq(b, nums[k], ul, &f) == CS_OK);
                CS_CHECK_MSG(f > prev, "%s channel %d not in frequency order", name, nums[k]);
                CS_CHECK(f >= lo && f <= hi);
                prev = f;
                CS_CHECK(cs_band_channel_number(b, f, ul, 1.0, &back) == CS_OK);
                CS_CHECK_MSG(back == nums[k], "%s %d -> %.1f Hz -> %d", name, nums[k], f, back);
                /* Off by 40 kHz: still the nearest channel within 50 kHz (every channel is
                 * at least 100 kHz from its neighbours), none within 30 kHz. */
                CS_CHECK(cs_band_channel_number(b, f + 40e3, ul, 50e3, &back) == CS_OK &&
                         back == nums[k]);
                CS_CHECK(cs_band_channel_number(b, f + 40e3, ul, 30e3, &back) == CS_ENOTFOUND);
                if (cs_band_standard(b) == CS_STANDARD_GSM) {
                    double want = (gsm_uplink_mhz(name, nums[k]) + (ul ? 0 : gsm_duplex_mhz(name)));
                    CS_CHECK_MSG(fabs(f - want * 1e6) < 1e-3, "%s %d: %.1f Hz, want %.1f MHz",
                                 name, nums[k], f, want);
                } else {
                    /* On the 200 kHz raster (N/5 MHz plus an integer offset) or 100 kHz
                     * off it (the additional channels' .1 MHz offsets). */
                    double rem = fmod(f - nums[k] * 200e3, 100e3);
                    CS_CHECK_MSG(fabs(rem) < 1e-3, "%s %d: %.1f Hz not on N/5 + offset", name,
                                 nums[k], f);
                }
                total++;
            }
        }
    }
    printf("%zu channels checked\n", total);
    CS_CHECK(total > 2000);
}

static void check_names_and_lookup(void)
{
    CS_CHECK(cs_band_find("E-GSM900") && !strcmp(cs_band_name(cs_band_find("egsm")), "E-GSM900"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("GSM900")), "E-GSM900"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("gsm 1800")), "DCS1800"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("PCS")), "PCS1900"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("p_gsm_900")), "P-GSM900"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("B1")), "UMTS-I"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("band8")), "UMTS-VIII"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("VIII")), "UMTS-VIII"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("umts2100")), "UMTS-I"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("WCDMA900")), "UMTS-VIII"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("umts-iv")), "UMTS-IV"));
    CS_CHECK(!strcmp(cs_band_name(cs_band_find("900")), "E-GSM900")); /* bare: GSM */
    CS_CHECK(cs_band_find("GSM123") == NULL);
    CS_CHECK(cs_band_find("") == NULL);
    CS_CHECK(cs_band_find(NULL) == NULL);
    CS_CHECK(cs_band_find("umts") == NULL);

    int n = -1, ul = -1;
    const cs_band *b = cs_band_lookup(CS_STANDARD_GSM, 941.0e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "P-GSM900") && n == 30 && ul == 0);
    b = cs_band_lookup(CS_STANDARD_GSM, 935.0e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "E-GSM900") && n == 0 && ul == 0);
    b = cs_band_lookup(CS_STANDARD_GSM, 896.0e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "P-GSM900") && n == 30 && ul == 1);
    b = cs_band_lookup(CS_STANDARD_GSM, 1847.8e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "DCS1800") && n == 725 && ul == 0);
    /* 1860 MHz: DCS1800 downlink before PCS1900 uplink. */
    b = cs_band_lookup(CS_STANDARD_GSM, 1860.0e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "DCS1800") && ul == 0);
    CS_CHECK(cs_band_lookup(CS_STANDARD_GSM, 941.1e6, 1.0, &n, &ul) == NULL);
    CS_CHECK(cs_band_lookup(CS_STANDARD_GSM, 100e6, 1e6, &n, &ul) == NULL);
    /* A tie between two channels goes to the lower number. */
    CS_CHECK(cs_band_channel_number(cs_band_find("P-GSM900"), 941.1e6, 0, 100e3, &n) == CS_OK &&
             n == 30);
    b = cs_band_lookup(CS_STANDARD_UMTS, 2140.0e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "UMTS-I") && n == 10700 && ul == 0);
    b = cs_band_lookup(CS_STANDARD_UMTS, 1932.5e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "UMTS-II") && n == 412);
    b = cs_band_lookup(CS_STANDARD_UMTS, 947.6e6, 1.0, &n, &ul);
    CS_CHECK(b && !strcmp(cs_band_name(b), "UMTS-VIII") && n == 3038);
}

int main(void)
{
    check_gsm_doc();
    check_umts_doc();
    check_round_trips();
    check_names_and_lookup();
    return cs_test_done();
}
