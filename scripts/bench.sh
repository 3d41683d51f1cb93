#!/bin/sh
# Benchmarks: print numbers, assert nothing. Build first (scripts/build.sh).
set -eu
cd "$(dirname "$0")/.."
bin=${LYKTA_BIN:-build/bin}
cmake --build build -j2 --target dali_bench >/dev/null
"$bin/dali_bench"
scripts/dali_footprint.py
