#!/usr/bin/env bash
# libFuzzer targets (tests/fuzz/fuzz_<name>.cpp), built with clang in build-fuzz/
# and run on their committed corpus tests/fuzz/corpus/<name>/ (read-only: new
# inputs go to a scratch dir). A crash leaves its input as
# build-fuzz/crash-<target>-<sha1> and makes the script fail.
#   scripts/fuzz.sh [seconds] [target...]   build, then run each for `seconds` (default 60)
#   scripts/fuzz.sh --build [target...]     build only
#   scripts/fuzz.sh --run seconds [target...]  run what is built; exit 77 (skip) if nothing is
# Uses ccache when CCACHE_DIR is set; builds with at most LYKTA_FUZZ_JOBS (2) jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=all
case "${1:-}" in --build) mode=build; shift ;; --run) mode=run; shift ;; esac
seconds=60
if [ "$mode" != build ]; then seconds=${1:-60}; shift || true; fi
dir=${LYKTA_FUZZ_DIR:-build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls tests/fuzz/fuzz_*.cpp | sed 's|.*/fuzz_\(.*\)\.cpp|\1|'))

if [ "$mode" != run ]; then
  launcher=()
  if [ -n "${CCACHE_DIR:-}" ] && command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DLYKTA_FUZZ=ON -DLYKTA_TESTS=OFF "${launcher[@]}" >/dev/null
  cmake --build "$dir" -j "${LYKTA_FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"
fi
[ "$mode" != build ] || exit 0

built=0
for t in "${targets[@]}"; do
  binary="$dir/bin/fuzz_$t"
  if [ ! -x "$binary" ]; then echo "fuzz: $t not built ($binary), skipped"; continue; fi
  built=$((built + 1))
  scratch=$(mktemp -d)
  echo "fuzz: $t for ${seconds}s"
  status=0
  "$binary" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$dir/crash-$t-" -print_final_stats=1 "$scratch" "tests/fuzz/corpus/$t" \
      >"$scratch.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
      "$scratch.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$scratch.log"
    rm -rf "$scratch" "$scratch.log"
    echo "fuzz: $t FAILED (exit $status)"
    exit 1
  fi
  rm -rf "$scratch" "$scratch.log"
done
[ "$built" -gt 0 ] || { echo "fuzz: no fuzz binaries in $dir/bin (scripts/fuzz.sh --build)"; exit 77; }
