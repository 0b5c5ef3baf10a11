#!/bin/sh
# Reader benchmark driver: builds bench_readers and bench_kernels (Release) in BUILD_DIR,
# prints the machine, then runs the reader benchmark (1 GiB file per datatype, written to,
# timed in, and deleted from DIR) and the conversion-only benchmark.
#
#   bench/run_readers.sh [DIR [BUILD_DIR]]
#     DIR        scratch directory for the big files (default /tmp/cellscan-bench)
#     BUILD_DIR  CMake build directory (default build-bench beside this script's project)
# Environment: SIZE_MIB (default 1024), RUNS (default 3), DATATYPES (default: all).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
dir=${1:-/tmp/cellscan-bench}
build=${2:-$src/build-bench}
size=${SIZE_MIB:-1024}
runs=${RUNS:-3}

need_kib=$(( (size + 64) * 1024 ))
mkdir -p "$dir"
free_kib=$(df -Pk "$dir" | awk 'NR==2 {print $4}')
if [ "$free_kib" -lt "$need_kib" ]; then
    echo "run_readers.sh: $dir has ${free_kib} KiB free, needs ${need_kib} KiB" >&2
    exit 1
fi

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DENABLE_GNURADIO=OFF >/dev/null
cmake --build "$build" -j2 --target bench_readers bench_kernels >/dev/null

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
family=$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
echo "# machine: $cpu (family $family, model $model), $(nproc) cores"
echo "# kernel: $(uname -r), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# cat: $(command -v cat) ($(cat --version | head -n1))"
# shellcheck disable=SC2086
"$build/bench/bench_readers" -d "$dir" -s "$size" -r "$runs" ${DATATYPES:-}
echo "# load average after the reader runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$build/bench/bench_kernels"
rmdir "$dir" 2>/dev/null || true
