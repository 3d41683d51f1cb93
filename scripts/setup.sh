#!/usr/bin/env bash
# Installs everything Lykta needs to build, test and run its demo, from Debian 12
# packages only. Idempotent: packages already present are skipped. Run as root
# (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libpaho-mqttpp-dev libpaho-mqtt-dev mosquitto mosquitto-clients
  libyaml-cpp-dev libspdlog-dev catch2 libmodbus-dev libsqlite3-dev sqlite3
  libasio-dev nlohmann-json3-dev libcli11-dev libhowardhinnant-date-dev tzdata
  systemd
  python3 python3-paho-mqtt python3-pymodbus python3-serial-asyncio libxml2-utils openssl procps
  clang libclang-rt-14-dev
  libssl-dev   # Paho C++'s CMake package calls find_package(OpenSSL); libpaho-mqtt-dev does not depend on it
  file         # CPack's DEB generator (scripts/package.sh) reads shared-library dependencies with it
  python3-astral python3-ephem   # policy: regenerate tests/data/policy/solar_reference.csv
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
