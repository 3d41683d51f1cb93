#!/usr/bin/env bash
# Builds the release binaries and a .deb under build-release/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release
(cd build-release && cpack -G DEB)
ls -1 build-release/*.deb
