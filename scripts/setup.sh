#!/usr/bin/env bash
# Installs everything Lykta needs to build, test and run its demo, from Debian 12
# packages only. Idempotent: packages already present are skipped. Run as root
# (or with sudo available).
#   scripts/setup.sh           what build, tests (CI) and the demo need
#   scripts/setup.sh --fleet   also the broker clusters of scripts/fleet.sh --cluster:
#                              redis-server (Debian) and aedes (npm, pinned, in
#                              LYKTA_FLEET_PREFIX, default /opt/lykta-fleet)
#   scripts/setup.sh --ecosystem  also Node-RED (npm, pinned, in LYKTA_ECOSYSTEM_PREFIX,
#                              default /opt/lykta-ecosystem) for tests/ecosystem (ctest label ecosystem)
set -euo pipefail
fleet=0
ecosystem=0
for arg in "$@"; do
  case $arg in --fleet) fleet=1 ;; --ecosystem) ecosystem=1 ;; esac
done

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
  rabbitmq-server                # tests/fleet: the 3-node cluster test (ctest label fleet)
  python3-jinja2                 # tests/integration/test_ha_discovery.py renders Home Assistant's templates with it
  libmicrohttpd-dev libcrypt-dev  # the crew page (docs/crew-page.md): HTTP in the event loop, yescrypt
  chromium chromium-driver python3-selenium  # tests/integration/test_crew_page.py drives a real browser
)
# Node.js and npm (Debian 12: Node 18) for aedes; redis-server for its shared state.
# A newer Node.js installed otherwise (NodeSource: its own npm) is used as it is.
if [ "$fleet" = 1 ]; then
  packages+=(redis-server)
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi
if [ "$ecosystem" = 1 ]; then
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
  if [ ${#missing[@]} -gt 0 ] || [ "$fleet" = 1 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  fi
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The brokers' packages install system services; the fleet tests and benchmarks
# run their own nodes in temporary directories and stop them by PID, so the
# services stay stopped and disabled (no machine-wide broker on 5672/1883/6379).
# Without systemd the init script is asked to stop only a service that runs:
# rabbitmq-server's stop calls rabbitmqctl, which starts a machine-wide
# `epmd -daemon` (on all interfaces, outliving everything) when none is there.
for service in rabbitmq-server:rabbitmq redis-server:redis; do
  user=${service#*:} service=${service%%:*}
  dpkg-query -W -f='${Status}' "$service" 2>/dev/null | grep -q "install ok installed" || continue
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now "$service" >/dev/null 2>&1 || true
  else
    if pgrep -u "$user" >/dev/null 2>&1; then $SUDO service "$service" stop >/dev/null 2>&1 || true; fi
    $SUDO update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi
done

# Node-RED from npm for tests/ecosystem (deploy/node-red/'s flow): 4.1.x runs on
# Node.js >= 18.5 (its engines), so on Debian 12's own Node 18 and on Node 20.
if [ "$ecosystem" = 1 ]; then
  eco_prefix=${LYKTA_ECOSYSTEM_PREFIX:-/opt/lykta-ecosystem}
  pin=node-red@4.1.8
  have=$(node -p "require('$eco_prefix/node_modules/node-red/package.json').version" 2>/dev/null || true)
  if [ "node-red@$have" = "$pin" ]; then
    echo "setup: Node-RED present in $eco_prefix ($pin)"
  else
    echo "setup: installing $pin into $eco_prefix (Node.js $(node --version))"
    $SUDO mkdir -p "$eco_prefix"
    (cd "$eco_prefix" && $SUDO npm install --no-audit --no-fund --save-exact "$pin")
  fi
fi

[ "$fleet" = 1 ] || exit 0
# aedes from npm, pinned to versions that run on the Node.js present: the 1.x
# line needs Node >= 20 (engines), Debian 12's own Node 18 gets the 0.x line.
prefix=${LYKTA_FLEET_PREFIX:-/opt/lykta-fleet}
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -ge 20 ]; then
  pins=(aedes@1.2.0 aedes-persistence-redis@11.2.2 mqemitter-redis@7.2.1)
else
  pins=(aedes@0.51.3 aedes-persistence-redis@10.0.0 mqemitter-redis@6.1.0)
fi
want=$(printf '%s\n' "${pins[@]}")
have=$(cd "$prefix" 2>/dev/null && for p in "${pins[@]}"; do
  n=${p%@*}; [ -f "node_modules/$n/package.json" ] && echo "$n@$(node -p "require('./node_modules/$n/package.json').version")"
done || true)
if [ "$want" = "$have" ]; then
  echo "setup: aedes present in $prefix (${pins[*]})"
else
  echo "setup: installing ${pins[*]} into $prefix (Node.js $(node --version))"
  $SUDO mkdir -p "$prefix"
  (cd "$prefix" && $SUDO npm install --no-audit --no-fund --save-exact "${pins[@]}")
fi
