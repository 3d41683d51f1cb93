#!/usr/bin/env bash
# Lykta benchmarks: one command, loopback only, bounded (about 6-10 minutes on
# 2 cores after the build). Installs what is missing (scripts/setup.sh), builds
# the `bench` preset (Release with the hidden [.bench] Catch2 cases), prints the
# machine, then a table: figure | measured (median of RUNS) | reference | ratio.
# Prints numbers; asserts nothing. docs/benchmarks.md explains each figure.
# Usage: scripts/bench.sh [RUNS]      (default 3; LYKTA_BENCH_ONLY=dali,mqtt,... for a subset:
#        dali,commission,groups,mqtt,policy,daemon,modbus,operations,crew)
# Env: LYKTA_BENCH_BIN=DIR uses binaries from DIR and skips setup and build.
# Every benchmark lives in bench/ (C++ programs and their Python drivers);
# this is their one entry point (scripts/fleet.sh runs bench/fleet*.py).
set -euo pipefail
case "${1:-}" in
  -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
esac
cd "$(dirname "$0")/.."
runs=${1:-3}
bin=${LYKTA_BENCH_BIN:-}
if [ -z "$bin" ]; then
  scripts/setup.sh
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake --preset bench "${launcher[@]}" >/dev/null
  cmake --build build-bench -j "${LYKTA_JOBS:-$(nproc)}" \
    --target lyktad lyktactl lykta-sim dali_bench bench_modbus unit_policy unit_mqtt >/dev/null
  bin=build-bench/bin
fi

echo "== machine"
echo "cpu:     $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "cores:   $(nproc) online ($(grep -c ^processor /proc/cpuinfo) total)"
echo "kernel:  $(uname -sr)"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other work on the machine skews times)"
echo "build:   $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null || echo '?') ($bin)"
echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)   commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "== results ($runs runs each; progress on stderr)"
only=()
[ -n "${LYKTA_BENCH_ONLY:-}" ] && only=(--only "$LYKTA_BENCH_ONLY")
exec /usr/bin/python3 bench/table.py --runs "$runs" --bin "$bin" "${only[@]}" \
  --markdown "$(dirname "$bin")/bench-results.md"
