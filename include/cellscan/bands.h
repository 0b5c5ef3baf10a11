/* GSM and UMTS bands: the one table of channel numbers (ARFCN, UARFCN) and frequencies.
 *
 * GSM (TS 45.005 §2): GSM450, GSM480, GSM850, P-GSM900, E-GSM900, R-GSM900, DCS1800,
 * PCS1900; uplink Fu(n) and downlink Fd(n) = Fu(n) + duplex spacing; 200 kHz raster.
 * UMTS FDD (TS 25.101 §5.4): bands I, II, III, IV, V, VI, VIII; UARFCN N = 5 (F - offset)
 * with F in MHz, separately numbered for uplink and downlink, including the "additional"
 * channels 100 kHz off the 200 kHz raster in bands II, IV, V and VI.
 *
 * Bands overlap: P-, E- and R-GSM900 share ARFCNs 1..124; DCS1800 and PCS1900 share the
 * numbers 512..810 (the band name tells them apart); the DCS1800 downlink overlaps the
 * PCS1900 uplink, the GSM850 downlink the E-GSM900 uplink. Lookups without a band take the
 * first match in table order (the order listed above), downlink before uplink.
 */
#ifndef CELLSCAN_BANDS_H
#define CELLSCAN_BANDS_H

#include <stddef.h>

#include "cellscan/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cs_standard { CS_STANDARD_GSM = 0, CS_STANDARD_UMTS = 1 } cs_standard;

typedef struct cs_band cs_band; /* opaque table entry; pointers stay valid forever */

/* Number of bands in the table and the i-th (0-based; NULL when out of range). */
CS_API size_t cs_band_count(void);
CS_API const cs_band *cs_band_at(size_t i);

/* A band by name: the canonical names above ("E-GSM900", "DCS1800", "UMTS-I", ...) and
 * common spellings, ignoring case, spaces, '-' and '_' ("egsm", "GSM900" = E-GSM900,
 * "GSM1800", "pcs", "B1", "band8", "UMTS2100", "VIII", "wcdma900"). NULL when unknown. */
CS_API const cs_band *cs_band_find(const char *name);

/* Canonical name ("E-GSM900", "UMTS-VIII") and standard of a band. */
CS_API const char *cs_band_name(const cs_band *b);
CS_API cs_standard cs_band_standard(const cs_band *b);

/* Lowest and highest channel centre of the band's uplink (uplink = 1) or downlink, in Hz. */
CS_API void cs_band_edges(const cs_band *b, int uplink, double *low_hz, double *high_hz);

/* Centre frequency of channel `number` (ARFCN or UARFCN) of the band's uplink or downlink.
 * CS_ENOTFOUND when the band has no such channel on that link. */
CS_API int cs_band_channel_freq(const cs_band *b, int number, int uplink, double *freq_hz);

/* The channel of the band's uplink or downlink whose centre is nearest freq_hz, when it is
 * within max_error_hz; CS_ENOTFOUND otherwise. A tie goes to the lower number. */
CS_API int cs_band_channel_number(const cs_band *b, double freq_hz, int uplink,
                                  double max_error_hz, int *number);

/* The band's channel numbers on one link, ordered by frequency, written to numbers[0..max)
 * (numbers may be NULL). Returns how many the link has. */
CS_API size_t cs_band_channels(const cs_band *b, int uplink, int *numbers, size_t max);

/* Identify a frequency: the first band of `standard` (table order, every downlink before
 * any uplink) with a channel centre within max_error_hz. Sets *number and *uplink (either
 * may be NULL) and returns the band, or NULL when none matches. */
CS_API const cs_band *cs_band_lookup(cs_standard standard, double freq_hz, double max_error_hz,
                                     int *number, int *uplink);

/* Frequency of a channel number of a standard. band_name NULL: the first band in table
 * order that has the number on that link (so GSM 512..810 means DCS1800; pass "PCS1900"
 * for PCS). *band_out (may be NULL) receives the band. CS_ENOTFOUND for an unknown band
 * name or a number the band (or no band) has. */
CS_API int cs_channel_freq(cs_standard standard, const char *band_name, int number, int uplink,
                           double *freq_hz, const cs_band **band_out);

#ifdef __cplusplus
}
#endif

#endif
