#!/usr/bin/env bash
# Runs Docker Compose on the stack in this folder (docs/compose.md), filling in what compose cannot:
#
#   stack.sh up [ARGS]      creates the shared network when missing (LOOKOUT_NETWORK, LOOKOUT_SUBNET,
#                           LOOKOUT_GATEWAY), then `compose up --detach ARGS`           (make up)
#   stack.sh down [ARGS]    `compose down ARGS`: containers go; volumes and the shared network stay
#                           (`down --volumes` drops Prometheus's data and Lookout's state too)  (make down)
#   stack.sh ARGS           any other compose command: ps, logs lookout, port prometheus 9090, ...
#
# Values come from the environment, then compose/.env, as compose itself reads them. DOCKER_GID, when neither
# sets it, is the group of DOCKER_SOCKET (`stat -c %g`), which Lookout needs to use the socket.
# Compose: $DOCKER_COMPOSE, else `docker compose`, else Compose v2 from .ci/tools.sh's cache, else docker-compose.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "stack.sh: $*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: $0 up|down|COMPOSE-COMMAND [ARGS] (see the head of this file)"
[ "$1" != -h ] && [ "$1" != --help ] || { sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0; }

# compose/.env as compose reads it: KEY=VALUE lines, the environment winning over the file.
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in '' | '#'*) continue ;; esac
  key="${line%%=*}"
  [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "$DIR/.env: cannot read the line '$line'"
  [ -n "${!key+set}" ] || export "$key=${line#*=}"
done <"$DIR/.env"

if [ -z "${DOCKER_GID:-}" ]; then
  DOCKER_GID="$(stat -c %g "$DOCKER_SOCKET" 2>/dev/null)" \
    || die "cannot read the group of $DOCKER_SOCKET (is the engine running?); set DOCKER_GID in $DIR/.env"
  export DOCKER_GID
fi

compose() {
  if [ -n "${DOCKER_COMPOSE:-}" ]; then
    $DOCKER_COMPOSE "$@"
  elif docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  elif [ -x "${LOOKOUT_CACHE:-$HOME/.cache/lookout}/bin/docker-compose" ]; then
    "${LOOKOUT_CACHE:-$HOME/.cache/lookout}/bin/docker-compose" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose "$@"
  else
    die "no Docker Compose v2: install the docker compose plugin, or run bash .ci/tools.sh"
  fi
}

case "$1" in
  up)
    shift
    # The network outlives the stack (other compose projects join it), so it is made here, not by compose.
    if ! docker network inspect "$LOOKOUT_NETWORK" >/dev/null 2>&1; then
      docker network create --driver bridge --subnet "$LOOKOUT_SUBNET" --gateway "$LOOKOUT_GATEWAY" \
        "$LOOKOUT_NETWORK" >/dev/null
      echo "stack.sh: created the network $LOOKOUT_NETWORK ($LOOKOUT_SUBNET)"
    fi
    compose --project-directory "$DIR" --file "$DIR/docker-compose.yml" up --detach "$@"
    ;;
  *)
    compose --project-directory "$DIR" --file "$DIR/docker-compose.yml" "$@"
    ;;
esac
