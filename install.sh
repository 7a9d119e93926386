#!/usr/bin/env bash
# Installs skiff and starts it as a service, in one command:
#
#   sudo ./install.sh                                    # a server (a whole cluster on this machine)
#   sudo ./install.sh -- --https-listen-port 7443        # flags after -- go to `skiff server`
#   sudo SKIFF_URL=https://host:6443 SKIFF_TOKEN=SK10… ./install.sh   # join as an agent instead
#
# Run it from a skiff checkout. The binary is $SKIFF_BINARY, else dist/skiff-linux-<arch> or
# dist/skiff, else it is built (npm ci && npm run build). It also installs the Docker engine from the
# distribution's packages when none is present, a systemd unit or OpenRC service (else it starts
# skiff with nohup), and skiff-killall.sh / skiff-uninstall.sh.
#
# Environment:
#   SKIFF_BINARY                 the executable to install
#   SKIFF_URL, SKIFF_TOKEN       install an agent that joins this server
#   INSTALL_SKIFF_SKIP_START=1   install but do not start (nor restart) the service
#   INSTALL_SKIFF_SKIP_DOCKER=1  do not install or start a Docker engine
#   INSTALL_SKIFF_INIT           systemd | openrc | none (default: what this machine runs)
#   INSTALL_SKIFF_BIN_DIR        default /usr/local/bin
#   INSTALL_SKIFF_DATA_DIR       default /var/lib/skiff (state store, certificates, extracted addon)
#   INSTALL_SKIFF_CONFIG_DIR     default /etc/skiff (admin kubeconfig, agent token)
#   INSTALL_SKIFF_LOG_FILE       default /var/log/skiff.log, agent: skiff-agent.log (OpenRC, nohup)
#   INSTALL_SKIFF_PID_FILE       default /run/skiff.pid, agent: skiff-agent.pid (OpenRC, nohup)
#   INSTALL_SKIFF_SYSTEMD_DIR    default /etc/systemd/system
#   INSTALL_SKIFF_OPENRC_DIR     default /etc/init.d
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export SKIFF_SCRIPT=install
[ -f "$here/scripts/lib/common.sh" ] || {
  echo "[install] error: run install.sh from a skiff checkout (scripts/lib/ is missing next to it)" >&2
  exit 1
}
# shellcheck source=scripts/lib/common.sh
. "$here/scripts/lib/common.sh"
# shellcheck source=scripts/lib/docker.sh
. "$here/scripts/lib/docker.sh"

server_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; server_args=("$@"); break ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (flags for skiff go after --: ./install.sh -- --https-listen-port 7443)" ;;
  esac
done

bin_dir=${INSTALL_SKIFF_BIN_DIR:-/usr/local/bin}
data_dir=${INSTALL_SKIFF_DATA_DIR:-/var/lib/skiff}
config_dir=${INSTALL_SKIFF_CONFIG_DIR:-/etc/skiff}
systemd_dir=${INSTALL_SKIFF_SYSTEMD_DIR:-/etc/systemd/system}
openrc_dir=${INSTALL_SKIFF_OPENRC_DIR:-/etc/init.d}
skiff=$bin_dir/skiff

if [ -n "${SKIFF_URL:-}" ] || [ -n "${SKIFF_TOKEN:-}" ]; then
  if [ -z "${SKIFF_URL:-}" ] || [ -z "${SKIFF_TOKEN:-}" ]; then die "an agent needs both SKIFF_URL and SKIFF_TOKEN"; fi
  case "$SKIFF_URL" in https://*) ;; *) die "SKIFF_URL must be https://host:port, got '$SKIFF_URL'" ;; esac
  case "$SKIFF_URL$SKIFF_TOKEN" in *[\'\"\\[:space:]]*) die "SKIFF_URL and SKIFF_TOKEN may not contain quotes, backslashes or spaces" ;; esac
  role=agent
  service="skiff-agent"
else
  role=server
  service=skiff
fi
log_file=${INSTALL_SKIFF_LOG_FILE:-/var/log/$service.log}
pid_file=${INSTALL_SKIFF_PID_FILE:-/run/$service.pid}

# ---- checks ------------------------------------------------------------------------------------
[ "$(uname -s)" = Linux ] || die "skiff runs on Linux only"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  armv6l | armv7l | armhf | i386 | i686)
    die "$(uname -m) is a 32-bit system: skiff needs a 64-bit OS (on a Raspberry Pi: 64-bit Raspberry Pi OS)" ;;
  *) die "unsupported architecture $(uname -m): skiff is built for x86_64 and arm64" ;;
esac
if [ "$(id -u)" != 0 ] && [ -z "${INSTALL_SKIFF_BIN_DIR:-}" ]; then
  die "run as root: sudo $0 $*"
fi
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}') || true
[ -n "$glibc" ] || die "skiff needs glibc 2.34 or newer (musl systems such as Alpine are not supported)"
[ "$(printf '%s\n' 2.34 "$glibc" | sort -V | head -n1)" = 2.34 ] ||
  die "glibc $glibc is too old: skiff needs 2.34+ (Debian 12, Ubuntu 22.04, RHEL 9, Raspberry Pi OS bookworm)"

if [ -z "${INSTALL_SKIFF_INIT:-}" ]; then
  if is_systemd; then INSTALL_SKIFF_INIT=systemd; elif is_openrc; then INSTALL_SKIFF_INIT=openrc; else INSTALL_SKIFF_INIT=none; fi
fi
init=$INSTALL_SKIFF_INIT
case "$init" in systemd | openrc | none) ;; *) die "INSTALL_SKIFF_INIT must be systemd, openrc or none" ;; esac

# ---- the binary --------------------------------------------------------------------------------
find_binary() {
  if [ -n "${SKIFF_BINARY:-}" ]; then
    [ -f "$SKIFF_BINARY" ] || die "SKIFF_BINARY=$SKIFF_BINARY does not exist"
    printf '%s\n' "$SKIFF_BINARY"
    return
  fi
  local f
  for f in "$here/dist/skiff-linux-$arch" "$here/dist/skiff"; do
    if [ -f "$f" ]; then
      printf '%s\n' "$f"
      return
    fi
  done
  [ -f "$here/package.json" ] || die "no binary: set SKIFF_BINARY=/path/to/skiff"
  command -v npm >/dev/null 2>&1 || die "no binary in dist/ and no npm to build one: set SKIFF_BINARY=/path/to/skiff or install Node.js 20+ with npm"
  say "no binary in dist/: building one (npm ci && npm run build -- --no-xz)"
  (cd "$here" && npm ci --no-audit --no-fund >&2 && npm run build -- --no-xz >&2) || die "the build failed"
  printf '%s\n' "$here/dist/skiff-linux-$arch"
}

src=$(find_binary)
mkdir -p "$bin_dir"
say "installing $src to $skiff"
install -m 0755 "$src" "$skiff.tmp.$$"
mv -f "$skiff.tmp.$$" "$skiff" # rename: a running skiff keeps its old inode
installed_version=$(SKIFF_NATIVE_DIR="$data_dir/native" "$skiff" version 2>&1 | head -n1) ||
  die "the installed binary does not run on this machine: $installed_version"
say "$installed_version"

# ---- Docker ------------------------------------------------------------------------------------
if [ "${INSTALL_SKIFF_SKIP_DOCKER:-}" = 1 ]; then
  say "INSTALL_SKIFF_SKIP_DOCKER=1: leaving the Docker engine alone"
else
  ensure_docker
fi

# ---- the command line of the service -----------------------------------------------------------
mkdir -p "$data_dir" "$config_dir"
chmod 0700 "$data_dir"
kubeconfig=$config_dir/skiff.yaml
env_file=$config_dir/$service.env
if [ "$role" = server ]; then
  args=(server --data-dir "$data_dir" --write-kubeconfig "$kubeconfig" "${server_args[@]}")
  : >"$env_file"
else
  args=(agent --server "\${SKIFF_URL}" --token "\${SKIFF_TOKEN}" --data-dir "$data_dir" "${server_args[@]}")
  (umask 077 && printf "SKIFF_URL='%s'\nSKIFF_TOKEN='%s'\n" "$SKIFF_URL" "$SKIFF_TOKEN" >"$env_file")
fi
chmod 0600 "$env_file"
# single quotes: read the same way by systemd's EnvironmentFile= and by sh (OpenRC, nohup)
printf "SKIFF_NATIVE_DIR='%s'\n" "$data_dir/native" >>"$env_file"

# Quotes each word for a shell (and for systemd's ExecStart, which understands the same quoting);
# ${SKIFF_URL} / ${SKIFF_TOKEN} stay unexpanded so the token lives only in the 0600 env file.
quote_args() {
  local a out=()
  for a in "$@"; do
    # shellcheck disable=SC2016
    case "$a" in
      '${SKIFF_URL}' | '${SKIFF_TOKEN}') out+=("\"$a\"") ;;
      *[!A-Za-z0-9_./:=@%+,-]* | '') out+=("'${a//\'/\'\\\'\'}'") ;;
      *) out+=("$a") ;;
    esac
  done
  printf '%s' "${out[*]}"
}
argline=$(quote_args "${args[@]}")
cmdline="$skiff $argline"

# ---- the service -------------------------------------------------------------------------------
write_systemd_unit() {
  local unit=$systemd_dir/$service.service
  mkdir -p "$systemd_dir"
  say "writing $unit"
  cat >"$unit" <<EOF
[Unit]
Description=skiff $role: Kubernetes in one executable
Wants=network-online.target
After=network-online.target docker.service

[Service]
Type=simple
EnvironmentFile=$env_file
ExecStart=$cmdline
Restart=always
RestartSec=5s
# the agent's containers live in Docker; only skiff itself is stopped on restart
KillMode=process
Delegate=yes
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0

[Install]
WantedBy=multi-user.target
EOF
  if is_systemd; then
    systemctl daemon-reload
    systemctl enable "$service" >&2
    if [ "${INSTALL_SKIFF_SKIP_START:-}" != 1 ]; then
      say "systemctl restart $service"
      systemctl restart "$service"
    fi
  else
    warn "systemd is not running: $unit was written but not enabled"
  fi
}

write_openrc_script() {
  local script=$openrc_dir/$service
  mkdir -p "$openrc_dir"
  say "writing $script"
  cat >"$script" <<EOF
#!/sbin/openrc-run
description="skiff $role: Kubernetes in one executable"
supervisor=supervise-daemon
respawn_delay=5
respawn_max=0
pidfile="$pid_file"
output_log="$log_file"
error_log="$log_file"

depend() {
  need net
  after docker firewall
}

start_pre() {
  set -a
  . "$env_file"
  set +a
}

# openrc-run calls start_pre first, so \${SKIFF_URL} and \${SKIFF_TOKEN} come from the env file
start() {
  ebegin "Starting \$RC_SVCNAME"
  supervise-daemon "\$RC_SVCNAME" --start --pidfile "\$pidfile" --respawn-delay "\$respawn_delay" \\
    --respawn-max "\$respawn_max" --stdout "\$output_log" --stderr "\$error_log" "$skiff" -- $argline
  eend \$?
}
EOF
  chmod 0755 "$script"
  if is_openrc; then
    rc-update add "$service" default >&2
    if [ "${INSTALL_SKIFF_SKIP_START:-}" != 1 ]; then
      say "rc-service $service restart"
      rc-service "$service" restart >&2
    fi
  else
    warn "OpenRC is not running: $script was written but not enabled"
  fi
}

start_nohup() {
  [ "${INSTALL_SKIFF_SKIP_START:-}" = 1 ] && return 0
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    say "stopping the running skiff (pid $(cat "$pid_file"))"
    "$bin_dir/skiff-killall.sh" >&2
  fi
  mkdir -p "$(dirname "$log_file")" "$(dirname "$pid_file")"
  say "starting: $cmdline (log: $log_file)"
  (
    set -a
    # shellcheck disable=SC1090
    . "$env_file"
    set +a
    eval "exec nohup setsid $cmdline" </dev/null >>"$log_file" 2>&1
  ) &
  local pid=$!
  echo "$pid" >"$pid_file"
  sleep 1
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 20 "$log_file" >&2 || true
    die "skiff exited right after starting (log above, from $log_file)"
  fi
  warn "no systemd or OpenRC: skiff runs now (pid $pid) but will not start again after a reboot"
}

# ---- helper scripts ----------------------------------------------------------------------------
write_helpers() {
  say "writing $bin_dir/skiff-killall.sh and $bin_dir/skiff-uninstall.sh"
  cat >"$bin_dir/skiff-killall.sh" <<EOF
#!/bin/sh
# Stops skiff ($role), however install.sh started it. Containers in Docker are left running.
set -eu
[ "\$(id -u)" = 0 ] || [ -n "${INSTALL_SKIFF_BIN_DIR:-}" ] || { echo "skiff-killall.sh: run as root" >&2; exit 1; }
case "$init" in
  systemd) if [ -d /run/systemd/system ]; then systemctl stop "$service" || true; fi ;;
  openrc) if command -v rc-service >/dev/null 2>&1; then rc-service "$service" stop || true; fi ;;
esac
if [ -f "$pid_file" ]; then
  pid=\$(cat "$pid_file")
  # only if that pid still runs the installed binary (pids are reused)
  if [ -n "\$pid" ] && [ "\$(readlink "/proc/\$pid/exe" 2>/dev/null | sed 's/ (deleted)\$//')" = "$skiff" ]; then
    kill -TERM "\$pid" 2>/dev/null || true
    i=0
    while kill -0 "\$pid" 2>/dev/null && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done
    if kill -0 "\$pid" 2>/dev/null; then
      echo "skiff-killall.sh: pid \$pid ignored SIGTERM for 30 s, sending SIGKILL" >&2
      kill -KILL "\$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pid_file"
fi
echo "skiff stopped"
EOF
  cat >"$bin_dir/skiff-uninstall.sh" <<EOF
#!/bin/sh
# Removes skiff: stops it, removes the binary, the service, the helper scripts, the
# configuration ($config_dir) and ALL cluster state ($data_dir). Docker is left installed.
#   skiff-uninstall.sh [-y]
set -eu
[ "\$(id -u)" = 0 ] || [ -n "${INSTALL_SKIFF_BIN_DIR:-}" ] || { echo "skiff-uninstall.sh: run as root" >&2; exit 1; }
if [ "\${1:-}" != "-y" ]; then
  if [ ! -t 0 ]; then echo "skiff-uninstall.sh: this deletes $data_dir; pass -y to confirm" >&2; exit 1; fi
  printf 'Remove skiff and delete all cluster state in %s? [y/N] ' "$data_dir"
  read -r answer
  case "\$answer" in y | Y | yes) ;; *) echo "nothing removed"; exit 1 ;; esac
fi
"$bin_dir/skiff-killall.sh"
case "$init" in
  systemd)
    if [ -d /run/systemd/system ]; then systemctl disable "$service" 2>/dev/null || true; fi
    rm -f "$systemd_dir/$service.service"
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi ;;
  openrc)
    if command -v rc-update >/dev/null 2>&1; then rc-update del "$service" default 2>/dev/null || true; fi
    rm -f "$openrc_dir/$service" ;;
esac
rm -rf "$data_dir" "$config_dir"
rm -f "$log_file" "$pid_file" "$skiff" "$bin_dir/skiff-killall.sh" "$bin_dir/skiff-uninstall.sh"
echo "skiff uninstalled"
EOF
  chmod 0755 "$bin_dir/skiff-killall.sh" "$bin_dir/skiff-uninstall.sh"
}

write_helpers
case "$init" in
  systemd) write_systemd_unit ;;
  openrc) write_openrc_script ;;
  none) start_nohup ;;
esac

if [ "${INSTALL_SKIFF_SKIP_START:-}" = 1 ]; then
  say "installed $role; not started (INSTALL_SKIFF_SKIP_START=1)"
else
  say "skiff $role is running"
fi
[ "$role" = server ] && say "admin kubeconfig: $kubeconfig (written by the server when it starts)"
say "stop: $bin_dir/skiff-killall.sh    remove: $bin_dir/skiff-uninstall.sh"
