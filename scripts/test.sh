#!/usr/bin/env bash
# Sets up the machine, builds, and runs the whole test suite (unit + black-box).
# Exits non-zero on any failure. Labels: unit, integration, reliability, fuzz.
#   scripts/test.sh           debug build, all tests
#   scripts/test.sh asan      the same under ASan + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
bash scripts/setup.sh
bash scripts/build.sh "$preset"
# The fuzz targets need clang (build-fuzz/); ctest's `fuzz` label runs each for
# 20 s and skips them when they are not built. LYKTA_FUZZ=0 leaves them out.
if [ "${LYKTA_FUZZ:-1}" != 0 ] && command -v clang++ >/dev/null; then bash scripts/fuzz.sh --build; fi
ctest --preset "$preset" -j "${LYKTA_TEST_JOBS:-2}" --timeout 600
