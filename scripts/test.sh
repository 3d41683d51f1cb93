#!/usr/bin/env bash
# Sets up the machine, builds, and runs the whole test suite (unit + black-box).
# Exits non-zero on any failure.
#   scripts/test.sh           debug build, all tests
#   scripts/test.sh asan      the same under ASan + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
bash scripts/setup.sh
bash scripts/build.sh "$preset"
ctest --preset "$preset" -j "${LYKTA_TEST_JOBS:-2}" --timeout 600
