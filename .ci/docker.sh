#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock, for the tests that run containers.
#
#   - dockerd or the docker CLI missing: installs Debian's docker.io (engine, CLI, containerd, runc, iptables)
#   - no engine answering: starts dockerd detached, logging to $LOOKOUT_CACHE/dockerd.log
#     (default ~/.cache/lookout), and waits up to 60 s for it
#
# An engine that already answers is left alone, whoever started it. Prints one line: the engine's version.
set -euo pipefail

SOCKET=/var/run/docker.sock
CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
LOG="$CACHE/dockerd.log"
PIDFILE=/var/run/docker.pid
START_TIMEOUT_S=60

die() { echo "docker.sh: $*" >&2; exit 1; }
trap 'echo "docker.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0)" ;;
esac

# The engine's version on $SOCKET, or nothing when none answers. DOCKER_HOST is overridden: the tests
# talk to this socket, whatever the environment points the CLI at.
engine_version() {
  timeout 5 docker -H "unix://$SOCKET" version --format '{{.Server.Version}}' 2>/dev/null || true
}

# The pid of a dockerd that is running (its pid file names a live dockerd process), or nothing.
running_dockerd() {
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = dockerd ]; then
    echo "$pid"
  fi
}

# docker.io, and iproute2 (`ip`) for the tests that route into a private dockerd's network namespace
# (docker.io does not depend on it; nsenter and unshare come with util-linux, which every Debian has).
packages=()
{ command -v dockerd && command -v docker; } >/dev/null 2>&1 || packages+=(docker.io)
command -v ip >/dev/null 2>&1 || packages+=(iproute2)
if [ ${#packages[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "${packages[*]} missing, and installing needs root"
  echo "docker.sh: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  install=(apt-get install -y -q --no-install-recommends "${packages[@]}")
  # A fresh machine has no package lists, or stale ones: read them only when the install needs it.
  if ! "${install[@]}"; then
    echo "docker.sh: install failed; reading the package lists and trying again"
    apt-get update -q || die "apt-get update failed"
    "${install[@]}" || die "apt-get install ${packages[*]} failed"
  fi
fi

version="$(engine_version)"
if [ -z "$version" ]; then
  # A dockerd that is still starting is waited for, not doubled: a second one would fail on the pid file
  # and the socket.
  pid="$(running_dockerd)"
  if [ -n "$pid" ]; then
    echo "docker.sh: dockerd (pid $pid) is running but not answering yet; waiting"
  else
    [ "$(id -u)" = 0 ] || die "no engine answers on $SOCKET and starting dockerd needs root"
    mkdir -p "$CACHE"
    echo "docker.sh: no engine answers on $SOCKET; starting dockerd (log: $LOG)"
    # Own session, stdin closed, output to the log: it outlives this script and the CI step that ran it.
    setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
    pid=$!
  fi
  deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    version="$(engine_version)"
    [ -n "$version" ] && break
    if [ ! -d "/proc/$pid" ]; then
      # Ours lost the race to one that docker.io's install started meanwhile: wait for that one.
      pid="$(running_dockerd)"
      [ -n "$pid" ] || die "dockerd exited; the end of $LOG:
$(tail -n 20 "$LOG" 2>/dev/null)"
    fi
    sleep 0.5
  done
  [ -n "$version" ] || die "no answer on $SOCKET within ${START_TIMEOUT_S}s; the end of $LOG:
$(tail -n 20 "$LOG" 2>/dev/null)"
fi

echo "docker.sh: engine $version on $SOCKET"
