#!/bin/sh
# Detection and measurement curves of the UMTS cell search (bench/RESULTS.md, UMTS section).
# Usage: bench/run_umts_curves.sh BUILD_DIR [TRIALS]   (default 200 trials per point)
# One core per invocation, at low priority; about 12 minutes of one core with 200 trials
# (the signal generator takes most of it).
set -e
B=${1:?usage: run_umts_curves.sh BUILD_DIR [TRIALS]}
T=${2:-200}
C="nice -n 15 $B/bench/bench_umts_curves"
echo "## AWGN, 100 ms and 200 ms"
$C --trials "$T" --duration 0.1,0.2 --ecio -26:-14:1
echo "## noise only, 100 ms (false cells per carrier)"
$C --trials $((5 * T)) --duration 0.1 --noise-only
echo "## multipath fading: 3GPP case 1 (2 paths, 3 km/h)"
$C --trials "$T" --duration 0.1,0.2 --ecio -24:-12:2 --fading CASE1
echo "## multipath fading: ITU Pedestrian A, 30 Hz Doppler"
$C --trials "$T" --duration 0.1,0.2 --ecio -24:-12:2 --fading PA --doppler 30
