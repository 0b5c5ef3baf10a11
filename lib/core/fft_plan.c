/* FFTW planning under one process-wide lock (see fft_plan.h). */
#include "fft_plan.h"

#include <pthread.h>

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;

fftwf_plan cs_fft_plan_dft_1d(int n, fftwf_complex *in, fftwf_complex *out, int sign)
{
    pthread_mutex_lock(&planner_lock);
    fftwf_plan plan = fftwf_plan_dft_1d(n, in, out, sign, FFTW_ESTIMATE);
    pthread_mutex_unlock(&planner_lock);
    return plan;
}

void cs_fft_plan_destroy(fftwf_plan plan)
{
    if (!plan) return;
    pthread_mutex_lock(&planner_lock);
    fftwf_destroy_plan(plan);
    pthread_mutex_unlock(&planner_lock);
}
