/* Averaged power spectrum (Welch): 4-term Blackman-Harris window, 50% overlap, streaming.
 *
 * Calibration: each bin holds the power that falls in it, so summing bins over a band gives
 * the power in that band. White noise of power P sums to P over all bins; a complex tone
 * of amplitude A sums to A^2 over its main lobe (0 dBFS at full scale, 1.0). The peak bin
 * of a tone reads 10 log10(1 / 2.0044) = -3.02 dB below that when the tone sits on a bin
 * centre (the window's equivalent noise bandwidth is 2.0044 bins), down to -3.85 dB midway
 * between bins (scalloping).
 *
 *   cs_psd p;
 *   cs_psd_create(1024, &p);
 *   cs_psd_execute(p, x, n);     (any block sizes; samples carry over between calls)
 *   cs_psd_get(p, power);        (power[1024], index 0 = -fs/2, DC at index 512)
 *   cs_psd_destroy(p);
 */
#ifndef CELLSCAN_PSD_H
#define CELLSCAN_PSD_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_psd_s *cs_psd;

/* Equivalent noise bandwidth of the window, in bins. */
#define CS_PSD_ENBW_BINS 2.0044

/* nfft: a power of two, 16 .. 1048576. */
CS_API int cs_psd_create(unsigned nfft, cs_psd *out);

/* Feed n samples; every complete segment (nfft samples, hop nfft/2) is added. */
CS_API int cs_psd_execute(cs_psd q, const cs_cf32 *x, size_t n);

/* Segments averaged so far. */
CS_API uint64_t cs_psd_num_segments(cs_psd q);

CS_API unsigned cs_psd_nfft(cs_psd q);

/* Average linear power per bin, ordered from -fs/2 up (bin k at (k - nfft/2) fs / nfft).
 * CS_ENOTFOUND before the first complete segment. */
CS_API int cs_psd_get(cs_psd q, double *power);

/* Forget everything averaged and any partial segment. */
CS_API void cs_psd_reset(cs_psd q);

/* Safe on NULL. */
CS_API void cs_psd_destroy(cs_psd q);

#ifdef __cplusplus
}
#endif

#endif
