#!/usr/bin/env bash
# The main job on a built-in generated sample: generate a GSM 900 + UMTS 900 recording with
# known truth, then describe it and find its carriers. Usage: scripts/demo.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
cellscan="$build/apps/cellscan"
out=${DEMO_DIR:-demo}
mkdir -p "$out"
sample="$out/sample"

echo "== cellscan synth: 3 GSM carriers and 2 UMTS cells around 940 MHz, 0.2 s at 15.36 MHz"
"$cellscan" synth --freq 940e6 --rate 15.36e6 --duration 0.2 --seed 7 \
  --gsm 30:4:0:20 --cell-id 262:02:318:11225 --gsm 24:2:5:12 --gsm 36:1:1:8 \
  --umts 366:-11:2980 --umts 100:-17:2980 -o "$sample"
echo
echo "== cellscan info $sample.sigmf-meta"
"$cellscan" info "$sample.sigmf-meta"
echo
echo "== cellscan spectrum --occupied-only (GSM ARFCNs)"
"$cellscan" spectrum --occupied-only "$sample.sigmf-meta"
echo
echo "== cellscan spectrum --raster umts --occupied-only (UMTS carriers)"
"$cellscan" spectrum --raster umts --occupied-only "$sample.sigmf-meta"
if "$cellscan" --help | grep -q '^  scan '; then
  echo
  echo "== cellscan scan (detect and identify every carrier and cell)"
  "$cellscan" scan "$sample.sigmf-meta"
fi
echo
echo "Truth of the sample: $sample.truth.json"
