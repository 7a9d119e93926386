#!/usr/bin/env bash
# Prepares this machine for `npm test`: dependencies, a running Docker engine, the system tools the
# node agent uses, and the local test image. Idempotent: a second run only checks.
# Debian 12 (root, or a developer with sudo). Nothing is pulled from an image registry.
#
#   ./scripts/setup.sh && npm test
#
# SKIFF_TEST_ARM64=1 (and CI=true) also installs qemu-user and the arm64 cross tools for test/build/arm64-qemu.test.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export SKIFF_SCRIPT=setup
# shellcheck source=scripts/lib/common.sh
. scripts/lib/common.sh
# shellcheck source=scripts/lib/docker.sh
. scripts/lib/docker.sh

test_image=skiff-test/busybox:latest

# ---- 1. node_modules (the project's own Node 24 comes from npm, see package.json) -------------
install_node_modules() {
  if [ -f node_modules/.package-lock.json ] && ! [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "node_modules is up to date"
  else
    command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20+ with npm (it only bootstraps; the project runs on the Node 24 from node_modules)"
    say "npm ci (node_modules is missing or older than package-lock.json)"
    # --loglevel=error: npm runs on the bootstrap Node here, so every Node-24 package warns EBADENGINE
    npm ci --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed"
  fi
  [ -x node_modules/.bin/node ] || die "node_modules/.bin/node is missing: the node-linux-$(uname -m) optional dependency did not install"
  local v
  v=$(node_modules/.bin/node --version)
  case "$v" in v24.*) ;; *) die "node_modules/.bin/node is $v, expected v24.x" ;; esac
}

# ---- 2. system packages -------------------------------------------------------------------------
install_packages() {
  local want=(busybox-static iptables iproute2 xz-utils)
  if [ "${SKIFF_TEST_ARM64:-}" = 1 ] || [ "${CI:-}" = true ]; then
    want+=(qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross binutils-aarch64-linux-gnu)
  fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    warn "not a Debian system: make sure busybox (static), iptables, iproute2 and xz are installed"
    return 0
  fi
  local missing
  mapfile -t missing < <(apt_missing "${want[@]}")
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  else
    say "packages present: ${want[*]}"
  fi
}

# ---- 3. the test image: busybox-static as a one-layer image made locally -----------------------
build_test_image() ( # a subshell, so the EXIT trap removes the scratch rootfs on every path
  if docker image inspect "$test_image" >/dev/null 2>&1; then
    say "image $test_image exists"
    return 0
  fi
  local busybox=/bin/busybox
  [ -x "$busybox" ] || die "$busybox not found (apt-get install busybox-static)"
  file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked' && die "$busybox is dynamically linked: install busybox-static"
  say "building $test_image from $busybox"
  local root
  root=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$root'" EXIT
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var}
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  cp "$busybox" "$root/bin/busybox"
  # what `busybox --install -s` does inside the image, done from outside (no chroot, no /proc)
  local applet
  while read -r applet; do
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done < <("$busybox" --list-full)
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -c . |
    docker import -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["/bin/sh"]' - "$test_image" >/dev/null ||
    die "docker import failed"
  local out
  out=$(docker run --rm --network none "$test_image" sh -c 'echo hello from $(uname -m)') ||
    die "the engine cannot run a container from $test_image"
  say "$test_image: $out"
)

[ "$(uname -s)" = Linux ] || die "skiff runs on Linux only"
install_node_modules
install_packages
ensure_docker
build_test_image
say "ready: npm test"
