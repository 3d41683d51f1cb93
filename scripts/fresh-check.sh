#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian 12: builds a minimal system
# with debootstrap in a temporary directory, clones this repository into it, and
# runs `bash scripts/test.sh` and `bash scripts/demo.sh` (until the gateway is
# online) there as a new user would. Slow (tens of minutes: every package is
# downloaded, everything is built without a compiler cache); not part of .ci/run,
# run before every release and record its result in docs/reliability.md.
#
#   scripts/fresh-check.sh [REV]      REV: the commit to clone (default HEAD;
#                                     uncommitted changes are not part of a clone)
#   scripts/fresh-check.sh --cleanup-test   only the mount/unmount/delete path
#
# Environment: LYKTA_FRESH_MIRROR (default: the host's apt mirror for Debian
# bookworm), LYKTA_FRESH_DIR (parent of the temporary root, default /var/tmp),
# LYKTA_FRESH_KEEP=1 (leave the root in place after unmounting, for a look).
# Needs root, debootstrap, git and util-linux's unshare. Exit 0 only when both
# commands passed.
#
# Safety: everything that mounts (debootstrap itself, which bind-mounts the
# host's /dev in some environments, and the chroot's /proc, /sys, /dev) runs in
# a private mount and PID namespace (unshare), so no mount is ever visible to the
# host and every process left in the chroot dies with the namespace. The chroot's
# /dev is a tmpfs with its own device nodes and devpts instance, never a bind of
# the host's /dev. Before the root is deleted, /dev, /proc, /sys and anything
# else under it are unmounted (lazily if busy) and the mount table is checked:
# if anything is still mounted under the root it is left in place and the script
# fails; the delete itself is `rm --one-file-system`.
set -euo pipefail

log() { echo "fresh-check: $*"; }
die() { echo "fresh-check: $*" >&2; exit 2; }

# mounts_under DIR: every mount point at or below DIR, as the kernel lists them
# (/proc/self/mountinfo field 5), deepest first.
mounts_under() {
  awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# unmount_under DIR: unmounts everything at or below DIR, lazily when busy.
unmount_under() {
  local m
  for m in $(mounts_under "$1"); do
    umount "$m" 2>/dev/null && continue
    umount -l "$m" 2>/dev/null && { log "$m busy: unmounted lazily"; continue; }
    echo "fresh-check: cannot unmount $m" >&2
  done
}

# remove_root DIR: unmounts, checks that nothing is mounted under DIR any more,
# then deletes it without crossing into another file system. Refuses otherwise.
remove_root() {
  local root=$1 left
  unmount_under "$root"
  left=$(mounts_under "$root")
  if [ -n "$left" ]; then
    echo "fresh-check: still mounted under $root, NOT deleting it:" >&2
    echo "$left" >&2
    return 1
  fi
  if [ "${LYKTA_FRESH_KEEP:-0}" = 1 ]; then
    log "kept $root (nothing mounted under it)"
    return 0
  fi
  rm -rf --one-file-system -- "$root"
}

# mount_chroot ROOT: the kernel file systems a chroot needs. /dev is a tmpfs
# with the usual nodes and a private devpts instance (the tests use ptys).
mount_chroot() {
  local r=$1
  mkdir -p "$r/proc" "$r/sys" "$r/dev"
  mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys"
  mount -t tmpfs -o mode=0755,nosuid dev "$r/dev"
  local spec name type major minor
  for spec in null:c:1:3 zero:c:1:5 full:c:1:7 random:c:1:8 urandom:c:1:9 tty:c:5:0; do
    IFS=: read -r name type major minor <<<"$spec"
    mknod -m 0666 "$r/dev/$name" "$type" "$major" "$minor"
  done
  mkdir -p "$r/dev/pts" "$r/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$r/dev/pts"
  ln -s pts/ptmx "$r/dev/ptmx"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$r/dev/shm"
  ln -s /proc/self/fd "$r/dev/fd"
  ln -s /proc/self/fd/0 "$r/dev/stdin"
  ln -s /proc/self/fd/1 "$r/dev/stdout"
  ln -s /proc/self/fd/2 "$r/dev/stderr"
}

# host_mirror: the Debian (not -security) URI of the host's apt sources, in
# either the deb822 (.sources) or the one-line (.list) format.
host_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    uri=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ && u != "" { print u; exit }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { if ($(i+1) == "bookworm") print $i; break } }' "$f" | head -1)
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  echo http://deb.debian.org/debian
}

# in_chroot ROOT COMMAND: a login-like clean environment, as root in the clone.
in_chroot() {
  chroot "$1" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/lykta && $2"
}

# inside ROOT MIRROR SHA REPO: runs in the private namespaces (see the top).
inside() {
  local root=$1 mirror=$2 sha=$3 repo=$4
  # Expanded now: the trap runs at exit, after this function's locals are gone
  # (with `set -u` the late expansion failed and turned a pass into exit 1).
  # shellcheck disable=SC2064
  trap "unmount_under '$root'" EXIT
  log "debootstrap --variant=minbase bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log" >&2; die "debootstrap failed (log $root.debootstrap.log)"; }
  # What a chroot lacks and an installed system has: name resolution for apt,
  # a hosts file, and no service starts from package scripts (mosquitto's
  # postinst would otherwise start a broker on the host's port 1883).
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  [ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d" && chmod 0755 "$root/usr/sbin/policy-rc.d"
  git clone --quiet --no-checkout "$repo" "$root/root/lykta"
  git -C "$root/root/lykta" checkout --quiet --detach "$sha"
  mount_chroot "$root"

  local test_rc=0 demo_rc=0
  log "bash scripts/test.sh (output: $root.test.log)"
  in_chroot "$root" 'bash scripts/test.sh' > "$root.test.log" 2>&1 || test_rc=$?
  grep -E 'tests passed|\(Failed\)|\(Timeout\)|\(SEGFAULT\)|Could NOT|CMake Error' "$root.test.log" | sed 's/^/fresh-check:   /' || true
  log "bash scripts/demo.sh until the gateway is online (output: $root.demo.log)"
  in_chroot "$root" 'LYKTA_DEMO_UNTIL_ONLINE=1 LYKTA_DEMO_SECONDS=120 bash scripts/demo.sh' > "$root.demo.log" 2>&1 || demo_rc=$?
  grep -E '^demo: gateway' "$root.demo.log" | sed 's/^/fresh-check:   /' || true
  log "result: test.sh exit $test_rc, demo.sh exit $demo_rc ($(git -C "$root/root/lykta" log -1 --format='%h %s'))"
  [ "$test_rc" = 0 ] && [ "$demo_rc" = 0 ]
}

# cleanup_test ROOT: the delete path with the dangerous case built on purpose: a
# directory standing in for the host's /dev bind-mounted at ROOT/dev and kept
# busy by a process, plus the chroot mounts. Passes when the stand-in survives
# intact and ROOT is gone.
cleanup_test() {
  local root=$1 sentinel
  sentinel=$(mktemp -d "${LYKTA_FRESH_DIR:-/var/tmp}/lykta-fresh-sentinel.XXXXXX")
  echo keep > "$sentinel/must-survive"
  mkdir -p "$root/dev" "$root/mnt/host-dev" "$root/usr/bin"
  unshare --mount --propagation private --pid --fork bash -c "
    set -euo pipefail
    $(declare -f mounts_under unmount_under mount_chroot log)
    mount_chroot '$root'
    mount --bind '$sentinel' '$root/mnt/host-dev'
    (cd '$root/mnt/host-dev' && sleep 300) &   # keeps it busy: umount must go lazy
    sleep 0.2
    unmount_under '$root'
  "
  # And in this (the host's) namespace, the same dangerous mount with no namespace.
  mount --bind "$sentinel" "$root/dev"
  (cd "$root/dev" && exec sleep 300) &
  local holder=$!
  # Wait for the holder to be inside the mount before deleting (no sleep as sync).
  for _ in $(seq 1 100); do [ "$(readlink "/proc/$holder/cwd")" = "$root/dev" ] && break; sleep 0.05; done
  # First with umount failing: the check must refuse to delete anything.
  local refused=0
  (umount() { return 1; } && remove_root "$root") 2>/dev/null || refused=1
  [ "$refused" = 1 ] && [ "$(cat "$sentinel/must-survive" 2>/dev/null)" = keep ] && [ -d "$root/dev" ] ||
    { echo "fresh-check: cleanup test FAILED: deleted with a mount left (sentinel $sentinel)" >&2; exit 1; }
  log "cleanup test: with a mount that would not go, the root was left alone"
  local rc=0
  remove_root "$root" || rc=$?
  kill "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  if [ "$rc" = 0 ] && [ ! -e "$root" ] && [ "$(cat "$sentinel/must-survive")" = keep ]; then
    log "cleanup test passed: busy bind mount unmounted lazily, root deleted, the bind-mounted directory intact"
    rm -rf --one-file-system -- "$sentinel"
  else
    echo "fresh-check: cleanup test FAILED (remove_root exit $rc; root $root; sentinel $sentinel)" >&2
    exit 1
  fi
}

if [ "${1:-}" = --inside ]; then
  shift
  inside "$@"
  exit
fi

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mount need it)"
for tool in debootstrap git unshare chroot; do
  command -v "$tool" >/dev/null || die "needs $tool (apt-get install -y debootstrap git util-linux coreutils)"
done
cd "$(dirname "$0")/.."
script=$PWD/scripts/fresh-check.sh

root=$(mktemp -d "${LYKTA_FRESH_DIR:-/var/tmp}/lykta-fresh.XXXXXX")
# An installed system's / is 0755; mktemp's 0700 keeps mosquitto (after it drops
# to its own user) from reading /etc/hosts.allow, and tcpd then denies loopback.
chmod 0755 "$root"
trap 'remove_root "$root" || exit 3' EXIT

if [ "${1:-}" = --cleanup-test ]; then
  trap - EXIT
  cleanup_test "$root"
  exit 0
fi

sha=$(git rev-parse --verify "${1:-HEAD}^{commit}")
[ -z "$(git status --porcelain --untracked-files=no)" ] || log "note: uncommitted changes are not part of the check (it clones $sha)"
mirror=${LYKTA_FRESH_MIRROR:-$(host_mirror)}
log "root $root, commit $(git log -1 --format='%h %s' "$sha")"
rc=0
unshare --mount --propagation private --pid --fork --mount-proc \
  bash "$script" --inside "$root" "$mirror" "$sha" "$(git rev-parse --path-format=absolute --git-common-dir)" || rc=$?
log "logs kept: $root.debootstrap.log $root.test.log $root.demo.log"
if [ "$rc" = 0 ]; then log "PASS: both README commands work on a fresh Debian 12"; else log "FAIL (exit $rc)"; fi
exit "$rc"
