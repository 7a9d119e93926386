# shellcheck shell=bash
# Shared by scripts/setup.sh and install.sh (sourced, never run). Messages go to stderr so that
# functions can return values on stdout. Set SKIFF_SCRIPT to name the caller in messages.

say() { printf '[%s] %s\n' "${SKIFF_SCRIPT:-skiff}" "$*" >&2; }
warn() { printf '[%s] warning: %s\n' "${SKIFF_SCRIPT:-skiff}" "$*" >&2; }
die() {
  printf '[%s] error: %s\n' "${SKIFF_SCRIPT:-skiff}" "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "'$*' needs root: run this script as root or install sudo"
  fi
}

is_systemd() { [ -d /run/systemd/system ]; }
is_openrc() { [ -d /run/openrc ] && command -v rc-service >/dev/null 2>&1; }

# apt-get with a one-time `update`. Waits for the dpkg/apt locks (another apt may be running, e.g. a
# provisioning step) instead of failing.
_skiff_apt_updated=
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install these packages with your distribution's tools: $*"
  if [ -z "$_skiff_apt_updated" ]; then
    say "apt-get update"
    local tries=0 out
    until out=$(as_root apt-get -o DPkg::Lock::Timeout=600 update -qq 2>&1); do
      tries=$((tries + 1))
      if [ "$tries" -ge 120 ] || ! grep -qiE 'lock|in use' <<<"$out"; then
        printf '%s\n' "$out" >&2
        die "apt-get update failed"
      fi
      [ "$tries" = 1 ] && say "waiting for another apt/dpkg to release its lock"
      sleep 5
    done
    _skiff_apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2 ||
    die "apt-get install $* failed"
}

# Prints the Debian packages among "$@" that are not installed.
apt_missing() {
  local p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || printf '%s\n' "$p"
  done
}
