/* GSM scanner: consistency of a channel's SCH and FCCH detections (internal). */
#ifndef CELLSCAN_GSM_SCAN_VALIDATE_H
#define CELLSCAN_GSM_SCAN_VALIDATE_H

#include "gsm_scan_internal.h"

typedef struct carrier_timing {
    int known;
    uint32_t ref_fn;  /* TS0 of frame ref_fn starts at ref_t */
    double ref_t;
    double frame_s;   /* frame period in recording time */
    int ncc, bcc;
} carrier_timing;

/* Mark the SCH decodes that agree with the largest consistent group; fill its timing.
 * Returns how many agree (0 when n is 0). */
int cs_gsm_scan_validate_sch(scan_sch *v, size_t n, carrier_timing *timing);

/* Mark the FCCHs consistent with the timing, or with each other when it is unknown.
 * Returns how many. */
int cs_gsm_scan_validate_fcch(scan_fcch *v, size_t n, const carrier_timing *timing);

/* Inverse-variance mean offset of the valid FCCHs, outliers (4 sigma) removed; the
 * error grows when their spread exceeds their bounds. Returns how many were used. */
int cs_gsm_scan_frequency(const scan_fcch *v, size_t n, double *mean_hz, double *sigma_hz);

#endif
