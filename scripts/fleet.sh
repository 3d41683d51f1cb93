#!/usr/bin/env bash
# Fleet simulation: N gateways (default 50) against one local mosquitto, a
# platform on an MQTT v5 shared subscription, end-to-end command latency,
# per-gateway message rates and a topic-isolation check. Loopback only; about
# 2-3 minutes for N=50 on 2 cores. Builds the `bench` preset unless
# LYKTA_BENCH_BIN names a directory with lyktad and lykta-sim.
# Usage: scripts/fleet.sh [N] [fleet.py options: --rate, --seconds, --idle-seconds, --heartbeat-s]
#        scripts/fleet.sh --cluster rabbitmq|aedes|mosquitto [N] [fleet_cluster.py options:
#          --real, --rate, --seconds, --kill-at, --heartbeat-s, --retry-s]
#   a 3-node cluster on loopback, up to 20 real lyktad + `lykta-sim fleet` for
#   the rest, one node SIGKILLed mid-run and restarted (scripts/setup.sh --fleet
#   installs the brokers; docs/scaling.md, docs/benchmarks.md).
set -euo pipefail
script=fleet.py
if [ "${1:-}" = --cluster ]; then
  script=fleet_cluster.py
  shift
fi
cd "$(dirname "$0")/.."
bin=${LYKTA_BENCH_BIN:-}
if [ -z "$bin" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake --preset bench "${launcher[@]}" >/dev/null
  cmake --build build-bench -j "${LYKTA_JOBS:-$(nproc)}" --target lyktad lykta-sim >/dev/null
  bin=build-bench/bin
fi
ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true   # one socket per gateway, per side
LYKTA_BIN=$(cd "$bin" && pwd) exec /usr/bin/python3 "bench/$script" "$@"
