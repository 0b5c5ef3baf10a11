/* Internal measure of the frame synchroniser (not part of the public API). */
#ifndef CELLSCAN_UMTS_FRAME_SYNC_INTERNAL_H
#define CELLSCAN_UMTS_FRAME_SYNC_INTERNAL_H

#include "cellscan/umts_frame_sync.h"

/* How steadily the P-SCH correlation turns from one slot to the next: |sum of p(k + 1)
 * conj(p(k))| over sum |p(k)|^2, times sqrt(slots). A cell's P-SCH keeps its phase (it only
 * turns by the frequency error), about z / (1 + SNR) for a P-SCH of per-slot SNR SNR and
 * score z; a peak of the P-SCH map made of noise, or of other cells' channels that repeat
 * every frame, has no such phase: about 1. */
double umts_frame_sync_coherence_z(cs_umts_frame_sync f);

#endif
