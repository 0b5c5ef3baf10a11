/* GSM synchronisation burst (SCH) receiver: timing and channel estimate from the 64-bit
 * extended training sequence, soft-output equaliser, soft-decision Viterbi decoding and
 * the parity check, giving BSIC and frame number (TS 45.002 §5.2.5, TS 45.003 §4.7).
 *
 * It works on a segment of one channel's complex baseband stream around where an SCH is
 * expected (one TDMA frame after an FCCH, see gsm_fcch.h):
 *  1. remove the carrier's frequency offset and the GMSK rotation (j^-n), interpolating
 *     the segment to 4 samples per symbol through a +-Rs/2 low-pass;
 *  2. correlate with the training symbols over expected +- search: burst timing to a
 *     fraction of a symbol;
 *  3. resample at the symbol instants, least-squares channel estimate (num_taps taps)
 *     from the training, noise from its residual;
 *  4. max-log-MAP equaliser (gsm_equaliser.h) with tails and training pinned: 78 coded
 *     soft bits -> Viterbi -> parity (gsm_coding.h).
 *
 *   cs_gsm_sch_sync_config c; cs_gsm_sch_sync_config_init(&c); c.sample_rate_hz = 625e3;
 *   cs_gsm_sch_sync s; cs_gsm_sch_sync_create(&c, &s);
 *   cs_gsm_sch_sync_result r;
 *   cs_gsm_sch_sync_execute(s, seg, n, t_expected_s, 10e-6, offset_hz, &r);
 *   if (r.sch.valid) printf("BSIC %d-%d FN %u\n", r.sch.ncc, r.sch.bcc, r.sch.fn);
 */
#ifndef CELLSCAN_GSM_SCH_SYNC_H
#define CELLSCAN_GSM_SCH_SYNC_H

#include "cellscan/export.h"
#include "cellscan/gsm_coding.h"
#include "cellscan/gsm_equaliser.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_gsm_sch_sync_config {
    double sample_rate_hz;     /* segment rate, 250e3 .. 100e6 */
    double centre_offset_hz;   /* where the nominal carrier sits in the stream (0: centred) */
    int num_taps;              /* channel estimate length in symbols, 1..6 (default 5) */
} cs_gsm_sch_sync_config;

typedef struct cs_gsm_sch_sync_result {
    cs_gsm_sch_result sch;     /* the decode: parity_ok, valid, BSIC, T1 T2 T3, FN */
    double t_start_s;          /* burst start (bit 0) found from the training, segment time */
    double training_corr;      /* |correlation| / (signal norm * 8): 1 = clean training */
    double snr_db;             /* Es/N0: channel energy over the fit residual (noise in the
                                  +-Rs/2 band the receiver keeps) */
    double power;              /* channel energy sum |h|^2 (input units) */
    int num_taps;
    cs_cf32 taps[CS_GSM_EQ_MAX_TAPS];
    float soft[CS_GSM_BURST_BITS]; /* equaliser LLRs (> 0: bit 0) */
} cs_gsm_sch_sync_result;

typedef struct cs_gsm_sch_sync_s *cs_gsm_sch_sync;

/* Defaults: rate 0 (must be set), centred, 5 taps. */
CS_API void cs_gsm_sch_sync_config_init(cs_gsm_sch_sync_config *c);

CS_API int cs_gsm_sch_sync_create(const cs_gsm_sch_sync_config *c, cs_gsm_sch_sync *out);

/* Look for an SCH starting at expected_start_s +- search_s (x[0] is at time 0) in a
 * carrier offset by freq_offset_hz from nominal. The segment should reach 12 symbols
 * beyond the search range on both sides; samples it lacks count as zero. Returns CS_OK
 * whenever it ran (res->sch.valid says whether an SCH decoded), CS_EINVAL for bad
 * arguments (search_s beyond 100 symbols, times not finite). */
CS_API int cs_gsm_sch_sync_execute(cs_gsm_sch_sync q, const cs_cf32 *x, size_t n,
                                   double expected_start_s, double search_s,
                                   double freq_offset_hz, cs_gsm_sch_sync_result *res);

/* Samples the segment needs before and after expected_start_s for a given search. */
CS_API double cs_gsm_sch_sync_margin_s(double search_s);

CS_API void cs_gsm_sch_sync_destroy(cs_gsm_sch_sync q);

#ifdef __cplusplus
}
#endif

#endif
