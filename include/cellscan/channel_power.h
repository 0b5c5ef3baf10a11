/* Power per channel: an averaged PSD (Welch) integrated over every GSM ARFCN, UMTS UARFCN or
 * fixed-width bin that fits in a recording's usable bandwidth, with a robust noise floor,
 * the SNR of each channel and an occupied flag.
 *
 *   cs_channel_power_params p;
 *   cs_channel_power_params_init(&p);
 *   p.raster = CS_RASTER_GSM; p.sample_rate_hz = 4e6; p.centre_hz = 941e6;
 *   cs_channel_power cp;
 *   if (cs_channel_power_create(&p, &cp) != CS_OK) puts(cs_last_error());
 *   while (more) cs_channel_power_execute(cp, buf, n);       (streaming, any block size)
 *   size_t nch = cs_channel_power_num_channels(cp);
 *   const cs_channel *ch = cs_channel_power_channels(cp);
 *   cs_channel_result *r = malloc(nch * sizeof *r);
 *   cs_channel_power_results(cp, r);                          (r[i] belongs to ch[i])
 *   cs_channel_power_destroy(cp);
 *
 * Definitions (all powers relative to full scale, 0 dBFS = |x|^2 = 1):
 * - usable band: the central 80% of the sample rate; the outer 10% on each side is the
 *   receiver's anti-alias rolloff. The noise floor comes from the usable band only; a
 *   channel is measured when its centre is in it and no part of it is in the outer 5%.
 * - power_dbfs: PSD integrated over the channel's bandwidth_hz (GSM 200 kHz, UMTS 3.84 MHz,
 *   bins: the bin width), edge bins by the fraction inside.
 * - noise_dbfs: the noise floor density times bandwidth_hz. The floor is the 2nd percentile
 *   of the per-bin PSD over the usable band (robust when most channels are occupied),
 *   corrected for that percentile's bias below the mean of noise-only bins.
 * - snr_db: 10 log10((P - N) / N), carrier power over noise in the same bandwidth; -inf
 *   (never NAN) when P <= N.
 * - occupied: snr_db >= threshold_db. On the UMTS raster, whose 3.84 MHz windows overlap,
 *   only carrier centres: local maxima of window power whose half-power width is 3.4 to
 *   4.3 MHz (not a cluster of GSM carriers), placed at the raster position nearest the
 *   midpoint of the half-power edges (within one 200 kHz step on real, tilted spectra),
 *   strongest first, each at least 3.84 MHz from every stronger one.
 */
#ifndef CELLSCAN_CHANNEL_POWER_H
#define CELLSCAN_CHANNEL_POWER_H

#include "cellscan/export.h"
#include "cellscan/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the band is divided into channels. */
typedef enum cs_raster {
    CS_RASTER_GSM = 0, /* ARFCNs, 200 kHz apart */
    CS_RASTER_UMTS,    /* every UARFCN (200 kHz raster, 100 kHz where a band has additional
                          channels; 200 kHz offsets when the centre is unknown), each measured
                          over 3.84 MHz; occupied only at carrier centres */
    CS_RASTER_BINS     /* fixed-width bins of bin_hz, one centred on the recording centre */
} cs_raster;

/* One measured channel. */
typedef struct cs_channel {
    int number;          /* ARFCN or UARFCN; -1 when none (bins, unknown centre, out of band) */
    const char *band;    /* canonical band name (see bands.h); NULL when none */
    int uplink;          /* 1 for an uplink channel, 0 for downlink */
    double freq_hz;      /* nominal channel centre; NAN when the recording centre is unknown */
    double offset_hz;    /* channel centre relative to the recording centre */
    double bandwidth_hz; /* bandwidth integrated for power_dbfs and noise_dbfs */
} cs_channel;

/* What was measured on one channel. */
typedef struct cs_channel_result {
    double power_dbfs; /* total power in bandwidth_hz */
    double noise_dbfs; /* noise floor power in the same bandwidth */
    double snr_db;     /* 10 log10((P - N) / N); -INFINITY when P <= N */
    int occupied;      /* 1 when snr_db >= threshold_db */
} cs_channel_result;

typedef struct cs_channel_power_params {
    cs_raster raster;
    const char *band;       /* band name (bands.h, e.g. "E-GSM900", "DCS1800", "UMTS-I");
                               NULL: every band of the raster's standard that covers the
                               channel, preferring the first in the band table */
    double sample_rate_hz;  /* > 0 */
    double centre_hz;       /* RF centre of the recording; NAN when unknown */
    double bin_hz;          /* CS_RASTER_BINS: width and spacing of the bins */
    unsigned nfft;          /* FFT size, power of two 16..1048576; 0: about 5 kHz bins for
                               GSM and bins, 20 kHz for UMTS */
    double threshold_db;    /* occupied when snr_db >= this; NAN: 6 dB */
} cs_channel_power_params;

typedef struct cs_channel_power_s *cs_channel_power;

/* Defaults: GSM raster, no band, rate 0 (must be set), centre NAN, bin 0, nfft 0,
 * threshold NAN. */
CS_API void cs_channel_power_params_init(cs_channel_power_params *p);

/* Build the channel list and the PSD estimator. Fails with CS_EINVAL on bad parameters,
 * CS_ENOTFOUND for an unknown band name or when no channel fits in the usable band. */
CS_API int cs_channel_power_create(const cs_channel_power_params *p, cs_channel_power *out);

/* Accumulate n samples (full scale 1.0) into the averaged PSD; any block size. */
CS_API int cs_channel_power_execute(cs_channel_power q, const cs_cf32 *x, size_t n);

/* Channels, ordered by frequency; valid until destroy. */
CS_API size_t cs_channel_power_num_channels(cs_channel_power q);
CS_API const cs_channel *cs_channel_power_channels(cs_channel_power q);

/* Measure every channel from the PSD averaged so far into out[num_channels].
 * CS_ENOTFOUND when fewer than nfft samples have been seen (no spectrum yet). */
CS_API int cs_channel_power_results(cs_channel_power q, cs_channel_result *out);

/* Noise floor density estimate in dBFS/Hz; NAN before the first complete segment. */
CS_API double cs_channel_power_noise_density_dbfs_hz(cs_channel_power q);

/* FFT size and number of averaged segments so far. */
CS_API unsigned cs_channel_power_nfft(cs_channel_power q);
CS_API uint64_t cs_channel_power_num_segments(cs_channel_power q);

/* The averaged PSD for plots: psd_dbfs[nfft] is the power in each bin in dBFS (summing the
 * bins' linear powers gives the total power), offset_hz[nfft] each bin's centre relative
 * to the recording centre, from -fs/2 upwards (DC at index nfft/2). Either pointer may be
 * NULL. CS_ENOTFOUND before the first complete segment. */
CS_API int cs_channel_power_psd(cs_channel_power q, float *psd_dbfs, double *offset_hz);

/* Forget the accumulated spectrum (channels are kept). */
CS_API void cs_channel_power_reset(cs_channel_power q);

/* Safe on NULL. */
CS_API void cs_channel_power_destroy(cs_channel_power q);

#ifdef __cplusplus
}
#endif

#endif
