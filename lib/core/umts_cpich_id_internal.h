/* Internal controls of the CPICH code identification (not part of the public API). */
#ifndef CELLSCAN_UMTS_CPICH_ID_INTERNAL_H
#define CELLSCAN_UMTS_CPICH_ID_INTERNAL_H

#include "cellscan/umts_cpich.h"

/* Use a different stretch of symbols_per_frame symbols in each frame (frame f from symbol
 * f * spf mod 150 on) instead of the first ones: the CPICH of a strong cell repeats every
 * frame, so with the same stretch its cross-correlation with a tested code repeats too,
 * does not average out and lets a wrong code cross the noise threshold far more often
 * than p_false says. Early decisions are checked after every spf symbols. Call before the
 * first execute. */
int umts_cpich_id_set_rotation(cs_umts_cpich_id id);

#endif
