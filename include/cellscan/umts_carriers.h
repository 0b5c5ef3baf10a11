/* Where the UMTS carriers of a wideband recording are: from an averaged power spectrum
 * (cs_psd), every position on a 100 kHz grid whose 3.2 MHz core is flat and whose level
 * there (a mean with narrowband spikes such as a DC offset clipped) stands clear of the
 * 2.4 .. 2.6 MHz shoulder (the gap to a neighbour 5 MHz away) on at least one side,
 * strongest first, at least 4.2 MHz apart;
 * the centre is then refined to the middle of the carrier's -3 dB edges and snapped to the
 * 200 kHz UARFCN raster when the recording's centre frequency is known. A carrier too
 * weak to see in the spectrum is not found here (cs_umts_sweep_windows plans a search
 * of the positions left). */
#ifndef CELLSCAN_UMTS_CARRIERS_H
#define CELLSCAN_UMTS_CARRIERS_H

#include <stddef.h>

#include "cellscan/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_umts_carrier_guess {
    double offset_hz;  /* carrier centre relative to the recording centre */
    double power_db;   /* in-band power (spikes clipped) over the shoulders (dB) */
} cs_umts_carrier_guess;

/* psd[nfft]: linear power per bin from -fs/2 up (cs_psd_get). centre_hz: NAN when unknown.
 * min_contrast_db: in-band over shoulders needed (3 dB finds a carrier 3 dB above the noise).
 * Writes up to max
 * guesses and returns how many. */
CS_API size_t cs_umts_find_carriers(const double *psd, unsigned nfft, double sample_rate_hz,
                                    double centre_hz, double min_contrast_db,
                                    cs_umts_carrier_guess *out, size_t max);

#ifdef __cplusplus
}
#endif

#endif
