#!/usr/bin/env bash
# The JRE base Lookout's image is built on in tests, made here since no registry is reachable (the Dockerfile's
# default, eclipse-temurin:17-jre, cannot be pulled):
#
#   lookout-test/jre:17-bookworm-<recipe>   debootstrap --variant=minbase of Debian bookworm with Debian's
#                                           openjdk-17-jre-headless, imported. Like the temurin image it has bash,
#                                           useradd/groupadd and java on PATH, which is all the Dockerfile relies on.
#
# <recipe> is the start of this file's sha256: an edited recipe gives a new tag, and an image whose tag exists is
# never made again (about 90 s once). Tests then build Lookout's image with
#   docker build --build-arg JRE_IMAGE=<that tag> .
# --tags prints name=tag lines and makes nothing.
set -euo pipefail

CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
MIRROR="${LOOKOUT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
RECIPE="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-8)"
BASE="lookout-test/jre:17-bookworm-$RECIPE"

die() { echo "lookout-base.sh: $*" >&2; exit 1; }
trap 'echo "lookout-base.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

case "${1:-}" in
  "") ;;
  --tags) echo "lookout-base=$BASE"; exit 0 ;;
  -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--tags])" ;;
esac

# The engine the tests use (DockerEngine.SOCKET), whatever DOCKER_HOST names: an image built elsewhere is no use.
export DOCKER_HOST=unix:///var/run/docker.sock
command -v docker >/dev/null 2>&1 || die "docker is missing: run bash .ci/docker.sh first"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "no Docker engine answers: run bash .ci/docker.sh first"

if docker image inspect "$BASE" >/dev/null 2>&1; then
  echo "lookout-base.sh: up to date: $BASE"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time per cache; a run that waited finds the image the other made.
exec 9>"$CACHE/.lookout-base.lock"
flock 9
if docker image inspect "$BASE" >/dev/null 2>&1; then
  echo "lookout-base.sh: $BASE is there"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap needs root"
if ! command -v debootstrap >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends debootstrap >/dev/null
fi

stage="$(mktemp -d /tmp/lookout-jre-base-XXXXXX)"
trap 'rm -rf "$stage" "$stage.log"' EXIT
start=$SECONDS
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$stage" "$MIRROR" >"$stage.log" 2>&1 \
  || { tail -20 "$stage.log" >&2; die "debootstrap failed"; }
[ -x "$stage/usr/bin/java" ] || die "debootstrap gave no /usr/bin/java"
# What a container image has: apt lists and downloaded packages dropped.
rm -rf "$stage"/var/lib/apt/lists/* "$stage"/var/cache/apt/archives/*.deb
tar -C "$stage" --numeric-owner -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["java", "-version"]' \
  - "$BASE" >/dev/null || die "docker import of $BASE failed"
size="$(docker image inspect --format '{{.Size}}' "$BASE")"
echo "lookout-base.sh: built $BASE ($((size / 1000000)) MB, $((SECONDS - start)) s)"
