/* Standard multipath profiles: tap delays (s), average powers (dB) and Doppler kinds as the
 * cited tables give them. */
#include <ctype.h>
#include <math.h>

#include "cellscan/impairments.h"

#define US 1e-6
#define NS 1e-9
#define C_TAP(d, p) { (d), (p), CS_FADING_RAYLEIGH, 0.0, 0.0 }
/* COST 207 "RICE" spectrum: 0.41 classical + 0.91 direct path at 0.7 f_d, K = 0.91/0.41 */
#define RICE_TAP(d, p) { (d), (p), CS_FADING_RICE, 3.4625, 0.7 }

static const cs_channel_profile profiles[] = {
    /* 3GPP TS 45.005 Annex C.3, "typical case for urban area (TUx)", 6-tap setting */
    { "TU", "GSM typical urban", "3GPP TS 45.005 Annex C.3 (TU, 6 taps)", 50.0, 6,
      { C_TAP(0.0 * US, -3.0), C_TAP(0.2 * US, 0.0), C_TAP(0.5 * US, -2.0), C_TAP(1.6 * US, -6.0),
        C_TAP(2.3 * US, -8.0), C_TAP(5.0 * US, -10.0) } },
    /* TS 45.005 Annex C.3, "typical case for rural area (RAx)", 6-tap setting, tap 1 RICE */
    { "RA", "GSM rural area", "3GPP TS 45.005 Annex C.3 (RA, 6 taps)", 250.0, 6,
      { RICE_TAP(0.0 * US, 0.0), C_TAP(0.1 * US, -4.0), C_TAP(0.2 * US, -8.0),
        C_TAP(0.3 * US, -12.0), C_TAP(0.4 * US, -16.0), C_TAP(0.5 * US, -20.0) } },
    /* TS 45.005 Annex C.3, "typical case for hilly terrain (HTx)", 6-tap setting */
    { "HT", "GSM hilly terrain", "3GPP TS 45.005 Annex C.3 (HT, 6 taps)", 100.0, 6,
      { C_TAP(0.0 * US, 0.0), C_TAP(0.1 * US, -1.5), C_TAP(0.3 * US, -4.5), C_TAP(0.5 * US, -7.5),
        C_TAP(15.0 * US, -8.0), C_TAP(17.2 * US, -17.7) } },
    /* TS 45.005 Annex C.3, "profile for equalisation test (EQx)" */
    { "EQ", "GSM equaliser test", "3GPP TS 45.005 Annex C.3 (EQ, 6 taps)", 50.0, 6,
      { C_TAP(0.0 * US, 0.0), C_TAP(3.2 * US, 0.0), C_TAP(6.4 * US, 0.0), C_TAP(9.6 * US, 0.0),
        C_TAP(12.8 * US, 0.0), C_TAP(16.0 * US, 0.0) } },
    /* 3GPP TS 25.101 Annex B.2.2, Table B.1 "propagation conditions for multipath fading
     * environments", classical Doppler */
    { "CASE1", "UMTS fading case 1", "3GPP TS 25.101 Annex B.2.2 Table B.1 (case 1)", 3.0, 2,
      { C_TAP(0.0, 0.0), C_TAP(976.0 * NS, -10.0) } },
    { "CASE2", "UMTS fading case 2", "3GPP TS 25.101 Annex B.2.2 Table B.1 (case 2)", 3.0, 3,
      { C_TAP(0.0, 0.0), C_TAP(976.0 * NS, 0.0), C_TAP(20000.0 * NS, 0.0) } },
    { "CASE3", "UMTS fading case 3", "3GPP TS 25.101 Annex B.2.2 Table B.1 (case 3)", 120.0, 4,
      { C_TAP(0.0, 0.0), C_TAP(260.0 * NS, -3.0), C_TAP(521.0 * NS, -6.0),
        C_TAP(781.0 * NS, -9.0) } },
    /* ITU-R M.1225 Annex 2, tapped-delay-line parameters of the outdoor-to-indoor and
     * pedestrian and of the vehicular test environments, channels A and B */
    { "PA", "ITU pedestrian A", "ITU-R M.1225 Annex 2 (pedestrian, channel A)", 3.0, 4,
      { C_TAP(0.0, 0.0), C_TAP(110.0 * NS, -9.7), C_TAP(190.0 * NS, -19.2),
        C_TAP(410.0 * NS, -22.8) } },
    { "PB", "ITU pedestrian B", "ITU-R M.1225 Annex 2 (pedestrian, channel B)", 3.0, 6,
      { C_TAP(0.0, 0.0), C_TAP(200.0 * NS, -0.9), C_TAP(800.0 * NS, -4.9),
        C_TAP(1200.0 * NS, -8.0), C_TAP(2300.0 * NS, -7.8), C_TAP(3700.0 * NS, -23.9) } },
    { "VA", "ITU vehicular A", "ITU-R M.1225 Annex 2 (vehicular, channel A)", 120.0, 6,
      { C_TAP(0.0, 0.0), C_TAP(310.0 * NS, -1.0), C_TAP(710.0 * NS, -9.0),
        C_TAP(1090.0 * NS, -10.0), C_TAP(1730.0 * NS, -15.0), C_TAP(2510.0 * NS, -20.0) } },
};

#define N_PROFILES (sizeof profiles / sizeof profiles[0])

size_t cs_channel_profile_count(void) { return N_PROFILES; }

const cs_channel_profile *cs_channel_profile_at(size_t i)
{
    return i < N_PROFILES ? &profiles[i] : NULL;
}

const cs_channel_profile *cs_channel_profile_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N_PROFILES; i++) {
        const char *a = profiles[i].name, *b = name;
        while (*a && *b && toupper((unsigned char)*a) == toupper((unsigned char)*b))
            a++, b++;
        if (!*a && !*b)
            return &profiles[i];
    }
    return NULL;
}

double cs_doppler_hz(double speed_kmh, double carrier_hz)
{
    return speed_kmh / 3.6 * carrier_hz / 299792458.0;
}
