/* 64-point inverse DFT (unnormalised, e^{+j 2 pi n k / 64}) with AVX, for the GSM
 * scanner's burst-activity streams: the channelizer runs one per channel and block
 * (about 190 000 a second at 20 MS/s), where FFTW's plan costs twice as many instructions
 * with its dispatch. Internal. */
#ifndef CELLSCAN_GSM_IFFT64_H
#define CELLSCAN_GSM_IFFT64_H

#include "cellscan/types.h"

/* 1 when the CPU runs cs_gsm_ifft64 (AVX), and VOLK_GENERIC is not set (then FFTW is
 * used, the baseline path). */
int cs_gsm_ifft64_available(void);

/* out[k] = sum over n of in[n] e^{+j 2 pi n k / 64}; in and out must not overlap.
 * Only after cs_gsm_ifft64_available() said yes. */
void cs_gsm_ifft64(const cs_cf32 *in, cs_cf32 *out);

/* The same of in[n] w2[2n] (w2: 64 real weights, each twice), the weighting fused into
 * the loads. */
void cs_gsm_ifft64_weighted(const cs_cf32 *in, const float *w2, cs_cf32 *out);

/* sum over n < 64 of |in[n] w2[2n]|^2: the output's power straight from the bins
 * (Parseval), with the same fused weighting. */
float cs_gsm_weighted_energy64(const cs_cf32 *in, const float *w2);

#endif
