#!/bin/sh
# Detection and measurement curves of the UMTS cell search (bench/RESULTS.md, UMTS section).
# Usage: bench/run_umts_curves.sh BUILD_DIR [TRIALS]   (default 200 trials per point)
# Runs on one core per invocation; about 25 minutes with 200 trials on a 2.6 GHz core.
set -e
B=${1:?usage: run_umts_curves.sh BUILD_DIR [TRIALS]}
T=${2:-200}
C=$B/bench/bench_umts_curves
echo "## AWGN, 100 ms and 200 ms"
$C --trials "$T" --duration 0.1,0.2 --ecio -26:-14:2
echo "## noise only, 100 ms (false cells per carrier)"
$C --trials "$T" --duration 0.1 --noise-only
echo "## multipath fading: 3GPP case 1 (2 paths, 3 km/h), 100 ms"
$C --trials "$T" --duration 0.1 --ecio -22:-14:4 --fading CASE1
echo "## multipath fading: ITU Pedestrian A, 30 Hz Doppler, 200 ms"
$C --trials "$T" --duration 0.2 --ecio -22:-14:4 --fading PA --doppler 30
