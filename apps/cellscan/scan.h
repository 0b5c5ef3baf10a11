/* `cellscan scan`: the pieces shared by the command (cmd_scan.c) and its detectors
 * (scan_umts.c; scan_gsm.c and others add themselves to the table in cmd_scan.c). A
 * detector reads the recording as often as it needs (scan_read), adds its records to the
 * report and its estimate of the receiver's reference error to the summary. */
#ifndef CELLSCAN_SCAN_H
#define CELLSCAN_SCAN_H

#include <stdint.h>

#include "cellscan/recording.h"
#include "report.h"

#define SCAN_MAX_CARRIERS 32

typedef struct scan_options {
    double cal_db;              /* NAN: none */
    const char *band;           /* --band: restrict numbering to this band, or NULL */
    double start_s, duration_s; /* span of each recording (duration NAN: to the end) */
    unsigned rx;                /* channel of a multichannel recording */
    /* UMTS */
    double umts_freq_range_hz, umts_freq_step_hz, umts_max_ppm, umts_p_false, umts_path_db;
    unsigned umts_max_cells;
    int umts_cancellation;
    double umts_sweep_s;        /* automatic mode: sweep the positions left over this span (0: off,
                                   NAN: 0.1 s within a CPU budget) */
    size_t n_umts_offsets;      /* --umts-offset / --uarfcn: carriers to search */
    double umts_offset_hz[SCAN_MAX_CARRIERS];
    size_t n_uarfcn;
    int uarfcn[SCAN_MAX_CARRIERS];
    /* GSM */
    double gsm_max_offset_hz;   /* FCCH search +-HZ; 0: max(25 kHz, 20 ppm) */
    double gsm_fcch_per_hour;   /* FCCH false alarms per channel-hour; 0: 6 */
    double gsm_min_snr_db;      /* carrier by power alone; NAN: 6 dB */
    int gsm_downlink_only;      /* skip uplink channels (activity) */
} scan_options;

typedef struct scan_file {
    const char *path;
    cs_recording rec;
    const cs_recording_info *info;
    double centre_hz;           /* RF centre, NAN when unknown */
    uint64_t first, count;      /* span to scan, samples */
} scan_file;

/* Receiver reference error estimates, combined by inverse variance in the summary. */
typedef struct scan_ppm {
    double sum_w, sum_wx;
} scan_ppm;

void scan_ppm_add(scan_ppm *p, double ppm, double sigma_ppm);

/* Feed the span of the scanned channel to fn in blocks (fn returns 0 to go on). Returns 0,
 * or -1 after printing "cellscan: FILE: problem". */
int scan_read(const scan_file *f, unsigned rx, int (*fn)(void *ctx, const cs_cf32 *x, size_t n),
              void *ctx);
/* The same in blocks of `block` samples (scan_read: 65536). */
int scan_read_blocks(const scan_file *f, unsigned rx, size_t block,
                     int (*fn)(void *ctx, const cs_cf32 *x, size_t n), void *ctx);

typedef struct scan_detector {
    const char *name;           /* as --standard spells it */
    void (*layout)(void);       /* register table columns */
    /* 0, or -1 after printing the error (its records are then dropped) */
    int (*run)(const scan_file *f, const scan_options *o, report *rep, scan_ppm *ppm);
} scan_detector;

extern const scan_detector scan_umts_detector;
extern const scan_detector scan_gsm_detector;

#endif
