#!/usr/bin/env bash
# Modbus polling benchmark: bench_modbus (10 SDM630-class devices, 10 ms
# refresh) against lykta-sim modbus and against an independent server
# (Debian's python3-pymodbus), then 32 devices for the RSS figure, then both
# servers again with pipelining (network `pipeline: 10`; after the others, so
# bench/table.py keeps reading the first four blocks as before).
# Run by bench/table.py (scripts/bench.sh) as bench/modbus.sh BIN_DIR (default build-bench/bin, else build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  bin=build-bench/bin
  [ -x "$bin/bench_modbus" ] || bin=build/bin
fi
work=$(mktemp -d /tmp/lykta-bench-modbus.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
wait_port() {  # wait_port FILE: the server printed "listening 127.0.0.1:PORT"
  for _ in $(seq 1 100); do
    port=$(sed -n 's/^listening 127.0.0.1:\([0-9]*\).*/\1/p' "$1" | head -1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  echo "bench: $1 never printed its port" >&2; return 1
}

touch "$work/sim.out" "$work/py.out"
"$bin/lykta-sim" modbus --listen 127.0.0.1:0 > "$work/sim.out" 2> "$work/sim.log" & pids+=($!)
sim=$(wait_port "$work/sim.out")
/usr/bin/python3 bench/pymodbus_server.py > "$work/py.out" 2> "$work/py.log" & pids+=($!)
py=$(wait_port "$work/py.out")
sleep 0.5  # pymodbus prints before its asyncio server accepts

"$bin/bench_modbus" --port "$sim" --label "lykta-sim (libmodbus)"
"$bin/bench_modbus" --port "$sim" --floor
"$bin/bench_modbus" --port "$py" --label "pymodbus 3.0"
"$bin/bench_modbus" --port "$py" --floor
"$bin/bench_modbus" --port "$sim" --devices 32 --refresh 1 --seconds 3 --label "lykta-sim, 32 devices at 1 s"
"$bin/bench_modbus" --port "$sim" --pipeline 10 --label "lykta-sim (libmodbus), pipelined"
"$bin/bench_modbus" --port "$py" --pipeline 10 --label "pymodbus 3.0, pipelined"
