# shellcheck shell=bash
# Makes a Docker engine available and running, from the distribution's own packages (no
# download.docker.com, no registry). Shared by scripts/setup.sh and install.sh; needs common.sh.
#
#   ensure_docker      install if dockerd is missing, start it if it is not answering, wait for it
#
# Without systemd or OpenRC (containers, CI runners) dockerd is started in the background with its
# log in ${SKIFF_DOCKERD_LOG:-/var/log/dockerd.log}.

docker_ok() { timeout 15 docker info >/dev/null 2>&1; }

install_docker_engine() {
  if command -v apt-get >/dev/null 2>&1; then
    apt_install docker.io
  elif command -v dnf >/dev/null 2>&1; then
    say "dnf install moby-engine"
    as_root dnf install -y moby-engine >&2 || as_root dnf install -y docker >&2 || die "dnf could not install a Docker engine"
  elif command -v zypper >/dev/null 2>&1; then
    as_root zypper --non-interactive install docker >&2 || die "zypper could not install docker"
  elif command -v pacman >/dev/null 2>&1; then
    as_root pacman -S --noconfirm --needed docker >&2 || die "pacman could not install docker"
  elif command -v apk >/dev/null 2>&1; then
    as_root apk add docker >&2 || die "apk could not install docker"
  else
    die "no Docker engine and no known package manager: install Docker, then run this again"
  fi
  command -v dockerd >/dev/null 2>&1 || die "the Docker package was installed but dockerd is still not on PATH"
}

start_docker_engine() {
  if is_systemd; then
    say "systemctl enable --now docker"
    as_root systemctl enable --now docker >&2 || die "systemctl could not start docker (see: journalctl -u docker)"
  elif is_openrc; then
    say "rc-service docker start"
    as_root rc-update add docker default >&2 || true
    as_root rc-service docker start >&2 || die "rc-service could not start docker"
  elif pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is already running; waiting for it to answer"
  else
    local log=${SKIFF_DOCKERD_LOG:-/var/log/dockerd.log}
    say "starting dockerd in the background (no systemd or OpenRC; log: $log)"
    as_root sh -c "nohup setsid dockerd </dev/null >>'$log' 2>&1 &" || die "could not start dockerd"
  fi
}

wait_docker() {
  local timeout=${1:-90} waited=0
  until docker_ok; do
    if [ "$waited" -ge "$timeout" ]; then
      local log=${SKIFF_DOCKERD_LOG:-/var/log/dockerd.log}
      [ -f "$log" ] && { say "last lines of $log:"; tail -n 20 "$log" >&2; }
      docker info 2>&1 | tail -n 5 >&2 || true
      die "the Docker engine did not answer 'docker info' within ${timeout}s"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

ensure_docker() {
  if command -v docker >/dev/null 2>&1 && docker_ok; then
    say "Docker engine is running ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    return 0
  fi
  if command -v docker >/dev/null 2>&1 && timeout 15 docker info 2>&1 | grep -qi 'permission denied'; then
    die "dockerd runs but $(id -un) may not use it: add yourself to the docker group (sudo usermod -aG docker $(id -un)) and log in again, or run as root"
  fi
  command -v dockerd >/dev/null 2>&1 || install_docker_engine
  command -v docker >/dev/null 2>&1 || die "dockerd is installed but the docker client is not on PATH"
  start_docker_engine
  wait_docker 90
  say "Docker engine is running ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
}
