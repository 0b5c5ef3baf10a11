/* FFTW plans made and destroyed under one process-wide lock: FFTW's planner is not
 * thread-safe, and every core object that uses FFTW must go through these (internal). */
#ifndef CELLSCAN_FFT_PLAN_H
#define CELLSCAN_FFT_PLAN_H

#include <fftw3.h>

/* A 1-D complex single-precision plan: from FFTW wisdom when it has one for the size
 * (built in, the system's, or the file CELLSCAN_FFTW_WISDOM names: sizes none has are
 * measured once, overwriting `in` and `out`, and added to the file), else FFTW_ESTIMATE
 * (no timing runs). See fft_plan.c for the environment variables. */
fftwf_plan cs_fft_plan_dft_1d(int n, fftwf_complex *in, fftwf_complex *out, int sign);

/* Destroy a plan made above; NULL is ignored. */
void cs_fft_plan_destroy(fftwf_plan plan);

#endif
