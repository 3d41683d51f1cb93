#!/usr/bin/env bash
# Soak: the full stack (mosquitto, lykta-sim dali + modbus, lyktad) for N minutes
# under random requests, bus faults and broker restarts; prints RSS / CPU / fd
# samples and the RSS slope (KB/min). See docs/reliability.md.
#   scripts/soak.sh [N_MINUTES=3]        uses build/bin (LYKTA_BIN to override)
set -euo pipefail
cd "$(dirname "$0")/.."
export LYKTA_BIN=${LYKTA_BIN:-$PWD/build/bin} LYKTA_SOURCE=$PWD PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 -W ignore tests/reliability/soak.py "${1:-3}"
