/* GSM scanner: consistency of a channel's SCH and FCCH detections (internal). */
#ifndef CELLSCAN_GSM_SCAN_VALIDATE_H
#define CELLSCAN_GSM_SCAN_VALIDATE_H

#include "gsm_scan_internal.h"

/* Mark the SCH decodes that agree with the largest consistent group; fill its timing.
 * Returns how many agree (0 when n is 0). */
int cs_gsm_scan_validate_sch(scan_sch *v, size_t n, carrier_timing *timing);

/* Mark the FCCHs consistent with the timing, or with each other when it is unknown.
 * Returns how many. */
int cs_gsm_scan_validate_fcch(scan_fcch *v, size_t n, const carrier_timing *timing);

/* Same BSIC and frame timing (frame numbers and times agree). */
int cs_gsm_scan_sch_agree(const scan_sch *a, const scan_sch *b);
/* An FCCH in an FCCH frame of the timing. */
int cs_gsm_scan_fcch_fits(const scan_fcch *f, const carrier_timing *t);
/* Two FCCHs of one carrier: frames apart in the 51-multiframe's pattern, same frequency. */
int cs_gsm_scan_fcch_agree(const scan_fcch *a, const scan_fcch *b);

/* Inverse-variance mean offset of the valid FCCHs, outliers (4 sigma) removed, and with
 * `more` (NULL: none; FCCHs past the stored ones, already screened) added; the error grows
 * when their spread exceeds their bounds. `used` (NULL: not wanted) gets the stored ones'
 * sums. Returns how many were used. */
int cs_gsm_scan_frequency(const scan_fcch *v, size_t n, const freq_sums *more, double *mean_hz,
                          double *sigma_hz, freq_sums *used);

#endif
