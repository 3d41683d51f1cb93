#!/usr/bin/env bash
# Sets up the machine, builds, and runs the whole test suite (unit + black-box).
# Exits non-zero on any failure. Labels: unit, integration, reliability, fuzz.
#   scripts/test.sh           debug build, all tests
#   scripts/test.sh asan      the same under ASan + UBSan (opt-in: not in CI)
#   scripts/test.sh tsan      the same under ThreadSanitizer (opt-in: not in CI;
#     LYKTA_TEST_LABELS / LYKTA_TEST_REGEX narrow it, docs/reliability.md)
#   LYKTA_TEST_LABELS=unit scripts/test.sh asan    only the unit tests (a ctest -L regex)
#   LYKTA_TEST_REGEX='modbus' scripts/test.sh tsan  only tests whose name matches (ctest -R)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
bash scripts/setup.sh
bash scripts/build.sh "$preset"
# The fuzz targets need clang (build-fuzz/); ctest's `fuzz` label runs each for
# 20 s and skips them when they are not built. LYKTA_FUZZ=0 leaves them out.
if [ "${LYKTA_FUZZ:-1}" != 0 ] && command -v clang++ >/dev/null; then bash scripts/fuzz.sh --build; fi
reports=""
if [ "$preset" = asan ] || [ "$preset" = tsan ]; then
  # Every sanitized process (unit binaries, and the lyktad / lykta-sim the
  # black-box tests start) writes its reports here: most black-box tests stop
  # the daemon without looking at its exit code, so a report on its stderr
  # alone (a leak at exit, a use-after-free during shutdown, a data race)
  # would pass unseen.
  reports=$PWD/build-$preset/sanitizer-reports
  rm -rf "$reports" && mkdir -p "$reports"
fi
if [ "$preset" = asan ]; then
  export ASAN_OPTIONS="log_path=$reports/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  # (unit_mqtt suppresses a Paho-internal leak; the list of used suppressions is no report)
  export LSAN_OPTIONS="print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
if [ "$preset" = tsan ]; then
  export TSAN_OPTIONS="log_path=$reports/tsan:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
fi
# Every temporary file and directory the tests make (brokers' configs, stores,
# sockets, process logs) goes under one directory for this run: removed when
# the run passes, kept and named when it fails. Mode 0755 (mktemp gives 0700):
# mosquitto, after dropping to its own user, reads and writes in there.
tests_tmp=$(mktemp -d "${TMPDIR:-/tmp}/lykta-tests.XXXXXX")
chmod 0755 "$tests_tmp"
export TMPDIR=$tests_tmp
status=0
ctest --preset "$preset" -j "${LYKTA_TEST_JOBS:-2}" --timeout 600 ${LYKTA_TEST_LABELS:+-L "$LYKTA_TEST_LABELS"} \
  ${LYKTA_TEST_REGEX:+-R "$LYKTA_TEST_REGEX"} || status=$?
if [ -n "$reports" ] && [ -n "$(ls -A "$reports")" ]; then
  echo "sanitizer reports ($reports):"
  cat "$reports"/*
  status=1
fi
if [ "$status" = 0 ]; then
  rm -rf --one-file-system "$tests_tmp"
else
  echo "the tests' temporary files are kept in $tests_tmp"
fi
exit "$status"
