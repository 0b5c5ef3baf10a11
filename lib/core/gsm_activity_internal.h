/* GSM burst activity: a view of the detector's ticks (1/8 slot sums of |x|^2 and |x|^4),
 * for tests that check the accumulation bit for bit. Not part of the public API. */
#ifndef CELLSCAN_GSM_ACTIVITY_INTERNAL_H
#define CELLSCAN_GSM_ACTIVITY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cellscan/gsm_activity.h"

typedef struct cs_gsm_activity_tick {
    float s2, s4; /* sums of |x|^2, |x|^4; s4 = -1 with n = 0: a tick skipped as quiet */
    uint32_t n;   /* samples */
} cs_gsm_activity_tick;

/* Copies the closed ticks the detector holds, oldest first, up to max of them, into out;
 * returns how many it holds and sets *first_tick to the index of the oldest. */
size_t cs_gsm_activity_ticks(const cs_gsm_activity q, int64_t *first_tick,
                             cs_gsm_activity_tick *out, size_t max);

#endif
