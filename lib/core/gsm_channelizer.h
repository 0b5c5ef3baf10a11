/* Overlap-save FFT channelizer (internal to the GSM scanner): one forward FFT of the
 * wideband input per block, then for every output a handful of bins around its centre,
 * weighted by a frequency-domain response, and a small inverse FFT. An output is a
 * narrow stream at rate fs * K / N whose sample i stands for input time i * N / K
 * (zero-phase filter: no delay), mixed down from centre_hz. How exactly depends on the
 * output's phase mode: CHZ_EXACT undoes the bin rounding too (a rotator), CHZ_BLOCK keeps
 * the phase continuous from block to block but leaves the stream's 0 Hz at the nearest
 * bin (centre_hz - residual: the consumer adds the residual to what it measures), and
 * CHZ_POWER does no phase work at all (for power measurements only).
 *
 * Outputs can be switched on and off between blocks (the scanner opens a channel's
 * full-band stream only once an FCCH shows there is something to decode); the forward
 * spectrum of each block can be read too (power spectrum for the noise floor). */
#ifndef CELLSCAN_GSM_CHANNELIZER_H
#define CELLSCAN_GSM_CHANNELIZER_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/types.h"

typedef struct cs_gsm_channelizer_s *cs_gsm_channelizer;

typedef enum cs_gsm_chz_phase { CHZ_EXACT = 0, CHZ_BLOCK, CHZ_POWER } cs_gsm_chz_phase;

/* fft_size N (power of two, >= 64) and overlap N/4: every block adds 3N/4 input samples.
 * The spectra of the last `depth` blocks (1..1024) are kept, so a consumer can take every
 * output of a few blocks in a row (one channel's state stays in cache while it does). */
int cs_gsm_channelizer_create(double rate_hz, unsigned fft_size, unsigned depth,
                              cs_gsm_channelizer *out);

/* Add an output centred at centre_hz (relative to the input's 0 Hz) with k_bins (power of
 * two, <= N) bins: flat within +-pass_hz, raised-cosine taper to zero at +-stop_hz (both
 * clipped to the output band). Returns its index (>= 0) or a negative status. New outputs
 * start disabled. */
int cs_gsm_channelizer_add(cs_gsm_channelizer q, double centre_hz, unsigned k_bins,
                           double pass_hz, double stop_hz, cs_gsm_chz_phase mode);

/* centre_hz minus the frequency of the stream's 0 Hz (0 for CHZ_EXACT). */
double cs_gsm_channelizer_residual(cs_gsm_channelizer q, int output);

/* Enable or disable an output. An output enabled later starts at the next block; its
 * sample index keeps counting from the input start (the samples it missed are skipped). */
void cs_gsm_channelizer_enable(cs_gsm_channelizer q, int output, int on);
/* The same, with output from block number `first_block` on (blocks count from 0). */
void cs_gsm_channelizer_enable_from(cs_gsm_channelizer q, int output, int on,
                                    uint64_t first_block);
int cs_gsm_channelizer_enabled(cs_gsm_channelizer q, int output);

/* Output rate, decimation (input samples per output sample), and noise fraction: mean
 * |W|^2 over the output band (white input noise of density N0 gives N0 * rate * beta). */
double cs_gsm_channelizer_rate(cs_gsm_channelizer q, int output);
unsigned cs_gsm_channelizer_decimation(cs_gsm_channelizer q, int output);
double cs_gsm_channelizer_noise_fraction(cs_gsm_channelizer q, int output);

/* An output's power response: for its k bins (k values each, inverse-FFT order) the
 * frequency relative to centre_hz and |W|^2 there. Returns k. */
unsigned cs_gsm_channelizer_response(cs_gsm_channelizer q, int output, double *freq_hz,
                                     double *weight2);

/* Input samples per block (3N/4). */
size_t cs_gsm_channelizer_hop(cs_gsm_channelizer q);

/* Feed input; returns the number of complete blocks now ready (0 or more): call
 * cs_gsm_channelizer_next_block() that many times. Input is copied. */
int cs_gsm_channelizer_push(cs_gsm_channelizer q, const cs_cf32 *x, size_t n);

/* The same without the copy: x is read where it lies until cs_gsm_channelizer_release()
 * (or the next push or finish), which copies the less than a block that later blocks
 * still need. x must stay unchanged until then. */
int cs_gsm_channelizer_push_ref(cs_gsm_channelizer q, const cs_cf32 *x, size_t n);
int cs_gsm_channelizer_release(cs_gsm_channelizer q);

/* End of input: pad with zeros so the last samples come out. */
int cs_gsm_channelizer_finish(cs_gsm_channelizer q);

/* Process the next ready block (the forward FFT): returns 1 when a block was processed, 0
 * when none is ready. After it, every output enabled before it can be computed for the
 * block with cs_gsm_channelizer_output(). */
int cs_gsm_channelizer_next_block(cs_gsm_channelizer q);

/* Compute the last block's output samples of an output: pointer, count (0 when the output
 * is disabled or was enabled after the block) and the index of the first of them in that
 * output's stream. The samples live in scratch memory shared by all outputs: they stay
 * valid until the next call of this function or of next_block. */
const cs_cf32 *cs_gsm_channelizer_output(cs_gsm_channelizer q, int output, size_t *n,
                                         uint64_t *first_index);
/* The same for block number `block`, one of the last `depth` processed (count 0 else). */
const cs_cf32 *cs_gsm_channelizer_output_at(cs_gsm_channelizer q, int output, uint64_t block,
                                            size_t *n, uint64_t *first_index);
/* Blocks processed so far, and the number of spectra kept. */
uint64_t cs_gsm_channelizer_blocks(cs_gsm_channelizer q);
unsigned cs_gsm_channelizer_depth(cs_gsm_channelizer q);

/* The last block's spectrum (N bins, FFT order, unnormalised, input zero-padded at the
 * very start and end) and the index of the block's first valid input sample. */
const cs_cf32 *cs_gsm_channelizer_spectrum(cs_gsm_channelizer q);
unsigned cs_gsm_channelizer_fft_size(cs_gsm_channelizer q);
/* The spectrum of block number `block` (one of the last `depth` processed; NULL else) and
 * its first input sample (negative for the first block: leading zeros). */
const cs_cf32 *cs_gsm_channelizer_spectrum_at(cs_gsm_channelizer q, uint64_t block,
                                              int64_t *start);
/* What an output's samples would average to in power over block `block`'s whole FFT
 * window (Parseval: the sum of |X W|^2 over its bins), without computing them; -1 when
 * the block is no longer held. Noise of density N0 gives N0 * rate * beta on average. */
double cs_gsm_channelizer_band_power(cs_gsm_channelizer q, int output, uint64_t block);

/* The FFT bin an output is centred on (its stream's 0 Hz), in -N/2..N/2. */
int cs_gsm_channelizer_centre_bin(cs_gsm_channelizer q, int output);

void cs_gsm_channelizer_destroy(cs_gsm_channelizer q);

#endif
