#!/usr/bin/env bash
# Configures and builds Lykta. Usage: scripts/build.sh [preset]   (default|asan|release)
# Binaries land in build/bin (build-asan/bin, build-release/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "${LYKTA_JOBS:-$(nproc)}"
