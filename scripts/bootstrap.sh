#!/usr/bin/env bash
# One-step set-up for a fresh Debian 12 machine (run as root, from the repository):
#   scripts/bootstrap.sh demo   install packages, build, run the main job on a built-in sample
#   scripts/bootstrap.sh test   install packages, build, run the whole test suite
# Builds go to build/ (and build-asan/ for the sanitizer run of the C tests).
set -euo pipefail
mode=${1:-demo}
case "$mode" in demo|test) ;; *) echo "usage: $0 demo|test" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
jobs=$(nproc 2>/dev/null || echo 2)

# Debian 12 packages: the core (VOLK, FFTW, liquid-dsp, jansson), GNU Radio with pybind11
# for the module, UHD for live capture, numpy/matplotlib for Python front ends and tests.
packages=(build-essential cmake pkg-config git bzip2
          libvolk2-dev libfftw3-dev libliquid-dev libjansson-dev
          gnuradio gnuradio-dev pybind11-dev python3-pybind11 libuhd-dev
          python3-numpy python3-matplotlib python3-yaml libspdlog-dev libgmp-dev)
if [ "$mode" = test ]; then
  packages+=(clang libclang-rt-14-dev llvm)   # sanitizer build and libFuzzer targets
  packages+=(gr-gsm)                          # the peer: generated C0 must decode with it
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "== installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "== building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build -j"$jobs"

if [ "$mode" = demo ]; then
  exec scripts/demo.sh build
fi

echo "== every core, CLI and end-to-end test under AddressSanitizer + UndefinedBehaviorSanitizer"
echo "   (build-asan/; the GNU Radio module needs an uninstrumented Python, so it is left out)"
# -O1: sanitizers' usual level (assertions stay on); -O0 makes the DSP tests needlessly slow.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DENABLE_GNURADIO=OFF -DENABLE_SANITIZERS=ON \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest -j"$jobs" --output-on-failure)

echo "== libFuzzer: replay the seed corpora and fuzz each target for 30 s (build-fuzz/)"
# Only the fuzz targets: coverage instrumentation would slow every other test several-fold.
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DENABLE_GNURADIO=OFF -DENABLE_FUZZ=ON \
  -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_sigmf_meta fuzz_raw_reader
(cd build-fuzz && ctest -j"$jobs" -L fuzz --output-on-failure)

echo "== full test suite (build/)"
cd build && ctest -j"$jobs" --output-on-failure
