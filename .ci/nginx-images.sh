#!/usr/bin/env bash
# The nginx base image and the third-party module source the NginxVtsTarget build tests use, made here since no
# registry is reachable and nginx-module-vts's source cannot be downloaded:
#
#   lookout-test/nginx-debian:bookworm-<recipe>     debootstrap --variant=minbase of Debian bookworm with Debian's
#                                                   nginx, imported (the official images are Debian-based too)
#   $LOOKOUT_CACHE/sources/nginx-echo-<recipe>.tar.gz
#                                                   the echo module's source, as `apt-get source
#                                                   libnginx-mod-http-echo` unpacks it (in a container of that base)
#
# <recipe> is the start of this file's sha256: an edited recipe gives new names, and what exists is never made again.
# --tags prints name=value lines and makes nothing.
set -euo pipefail

CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
MIRROR="${LOOKOUT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-8)"
BASE="lookout-test/nginx-debian:bookworm-$RECIPE"
ECHO_SOURCE="$CACHE/sources/nginx-echo-$RECIPE.tar.gz"

die() { echo "nginx-images.sh: $*" >&2; exit 1; }
trap 'echo "nginx-images.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

if [ "${1:-}" = --tags ]; then
  echo "nginx-base=$BASE"
  echo "nginx-echo-source=$ECHO_SOURCE"
  exit 0
fi

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  if ! command -v debootstrap >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends debootstrap >/dev/null
  fi
  stage="$(mktemp -d /tmp/lookout-nginx-base-XXXXXX)"
  trap 'rm -rf "$stage"' EXIT
  start=$(date +%s)
  debootstrap --variant=minbase --include=nginx bookworm "$stage" "$MIRROR" >"$stage.log" 2>&1 \
    || { tail -20 "$stage.log" >&2; die "debootstrap failed"; }
  rm -f "$stage.log"
  # What a container image has: no daemons started by packages, apt lists dropped.
  rm -rf "$stage"/var/lib/apt/lists/* "$stage"/var/cache/apt/archives/*.deb
  tar -C "$stage" --numeric-owner -c . | docker import --change 'CMD ["nginx", "-g", "daemon off;"]' - "$BASE" >/dev/null
  echo "nginx-images.sh: built $BASE ($(( $(date +%s) - start )) s)"
fi

if [ ! -s "$ECHO_SOURCE" ]; then
  mkdir -p "$(dirname "$ECHO_SOURCE")"
  docker run --rm "$BASE" sh -euc '
    . /etc/os-release
    echo "deb-src '"$MIRROR"' $VERSION_CODENAME main" > /etc/apt/sources.list.d/src.list
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dpkg-dev >/dev/null
    cd /tmp && apt-get source -q libnginx-mod-http-echo >/dev/null 2>&1
    dir=$(find /tmp -maxdepth 1 -type d -name "libnginx-mod-http-echo-*" | head -n1)
    tar -C "$dir" -cz --exclude=./debian .' > "$ECHO_SOURCE.tmp"
  mv "$ECHO_SOURCE.tmp" "$ECHO_SOURCE"
  echo "nginx-images.sh: fetched the echo module's source ($(du -k "$ECHO_SOURCE" | cut -f1) KiB)"
fi
