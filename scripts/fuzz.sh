#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time
# (default 60 s) on its corpus in tests/fuzz/corpus/<name>/. New inputs found
# go to a scratch dir; a crash leaves its input in build-fuzz/ and fails.
#   scripts/fuzz.sh [seconds] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DLYKTA_FUZZ=ON -DLYKTA_TESTS=OFF >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls tests/fuzz/fuzz_*.cpp | sed 's|.*/fuzz_\(.*\)\.cpp|\1|'))
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
for t in "${targets[@]}"; do
  scratch=$(mktemp -d)
  echo "fuzz: $t for ${seconds}s"
  (cd build-fuzz && ./bin/fuzz_"$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -print_final_stats=1 "$scratch" "../tests/fuzz/corpus/$t") 2>&1 | tail -12
  rm -rf "$scratch"
done
