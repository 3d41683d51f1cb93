#!/usr/bin/env bash
# The whole stack on this machine: a private mosquitto on a free loopback port,
# two simulated DALI buses, a simulated meter + cabinet I/O module, and lyktad
# with config/demo.yaml; then streams the gateway's MQTT traffic.
# Ctrl-C stops everything. LYKTA_DEMO_SECONDS=N stops it after N seconds.
# LYKTA_DEMO_UNTIL_ONLINE=1 stops it as soon as the gateway publishes its status
# `online` (exit 0), or fails (exit 1) if that has not happened within
# LYKTA_DEMO_SECONDS (default 300) or lyktad exits first: scripts/fresh-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "${LYKTA_DEMO_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
  bash scripts/build.sh default
fi
bin=${LYKTA_BIN:-$root/build/bin}

work=$(mktemp -d /tmp/lykta-demo.XXXXXX)
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  echo "demo: stopped"
}
trap cleanup EXIT INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_line() {  # wait_line FILE PATTERN: a started process printed its port
  for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "demo: $1 never printed '$2'" >&2; cat "$1" >&2; return 1
}

broker_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$broker_port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" 2> "$work/mosquitto.log" & pids+=($!)

# Simulators pick their own free ports and print them first.
"$bin/lykta-sim" dali --listen 127.0.0.1:0 --gear 24 --frame-log "$work/dali1.frames" > "$work/dali1.out" 2> "$work/dali1.log" & pids+=($!)
"$bin/lykta-sim" dali --listen 127.0.0.1:0 --gear 24 --frame-log "$work/dali2.frames" > "$work/dali2.out" 2> "$work/dali2.log" & pids+=($!)
"$bin/lykta-sim" modbus --listen 127.0.0.1:0 > "$work/modbus.out" 2> "$work/modbus.log" & pids+=($!)
wait_line "$work/dali1.out" '^listening'
wait_line "$work/dali2.out" '^listening'
wait_line "$work/modbus.out" '^listening'
port_of() { sed -n 's/^listening 127.0.0.1:\([0-9]*\).*/\1/p' "$1" | head -1; }
dali1=$(port_of "$work/dali1.out"); dali2=$(port_of "$work/dali2.out"); modbus=$(port_of "$work/modbus.out")

sed -e "s|127.0.0.1:1883|127.0.0.1:$broker_port|" \
    -e "s|127.0.0.1:55825|127.0.0.1:$dali1|" \
    -e "s|127.0.0.1:55826|127.0.0.1:$dali2|" \
    -e "s|port: 1502|port: $modbus|" \
    -e "s|/tmp/lykta-demo/|$work/|" \
    config/demo.yaml > "$work/lykta.yaml"
mkdir -p "$work/templates" && cp config/templates/*.yaml "$work/templates/" 2>/dev/null || true

echo "demo: broker 127.0.0.1:$broker_port, DALI sims :$dali1 :$dali2, Modbus sim :$modbus, work dir $work"
echo "demo: try   mosquitto_pub -p $broker_port -t lykta/bastad-c01/request/area/set -m '{\"area\":\"torget\",\"level\":30}'"
mosquitto_sub -h 127.0.0.1 -p "$broker_port" -v -t 'lykta/#' > >(tee "$work/traffic") & pids+=($!)
"$bin/lyktad" --config "$work/lykta.yaml" 2> >(sed 's/^/lyktad: /' >&2) & pids+=($!)
lyktad_pid=$!

if [ "${LYKTA_DEMO_UNTIL_ONLINE:-0}" = 1 ]; then
  for _ in $(seq 1 "$((${LYKTA_DEMO_SECONDS:-300} * 10))"); do
    if grep -q '^lykta/bastad-c01/status .*"state":"online"' "$work/traffic" 2>/dev/null; then
      echo "demo: gateway online"
      exit 0
    fi
    kill -0 "$lyktad_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "demo: gateway not online (lyktad exited or ${LYKTA_DEMO_SECONDS:-300} s passed)" >&2
  exit 1
elif [ -n "${LYKTA_DEMO_SECONDS:-}" ]; then
  for _ in $(seq 1 "$((LYKTA_DEMO_SECONDS * 10))"); do kill -0 "$lyktad_pid" 2>/dev/null || break; sleep 0.1; done
else
  wait "$lyktad_pid" || true
fi
