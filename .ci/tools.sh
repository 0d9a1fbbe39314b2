#!/usr/bin/env bash
# Puts Debian sid's promtool, prometheus (3.x), blackbox_exporter (0.28.x), alertmanager and node_exporter
# in a cache outside the clone, for the tests and `make run`, which run the real tools (bookworm's Prometheus
# 2.42 is too old), with sid's docker-compose (Compose v2; bookworm's is v1) and the static busybox that
# .ci/images.sh builds from.
#
#   $LOOKOUT_CACHE (default ~/.cache/lookout)
#     bin/{promtool,prometheus,blackbox_exporter,   stable symlinks into tools/
#          alertmanager,node_exporter,
#          docker-compose,busybox}
#     tools/<package>-<version>/usr/...              unpacked .debs, one folder per exact version
#     apt/                                           private apt state: sources.list, lists, cache, status
#
# When bin/ already holds tools that run, it does nothing and prints nothing. Otherwise it reads sid's
# package index with a private apt configuration (the host's sources, lists, pins, keys and dpkg status
# are neither read nor written), downloads the packages, unpacks them with dpkg-deb -x (nothing is
# installed) and prints the versions. --refresh re-reads sid even when the cache is good.
set -euo pipefail

CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
BIN="$CACHE/bin"
TOOLS="$CACHE/tools"
APT="$CACHE/apt"

# Link name in bin/, the sid package that ships it, its path inside that package.
TOOL_NAMES=(promtool prometheus blackbox_exporter alertmanager node_exporter docker-compose busybox)
declare -A TOOL_PACKAGE=([promtool]=promtool [prometheus]=prometheus [blackbox_exporter]=prometheus-blackbox-exporter
                         [alertmanager]=prometheus-alertmanager [node_exporter]=prometheus-node-exporter
                         [docker-compose]=docker-compose [busybox]=busybox-static)
declare -A TOOL_PATH=([promtool]=usr/bin/promtool [prometheus]=usr/bin/prometheus
                      [blackbox_exporter]=usr/bin/prometheus-blackbox-exporter
                      [alertmanager]=usr/bin/prometheus-alertmanager [node_exporter]=usr/bin/prometheus-node-exporter
                      [docker-compose]=usr/libexec/docker/cli-plugins/docker-compose [busybox]=usr/bin/busybox)

die() { echo "tools.sh: $*" >&2; exit 1; }
trap 'echo "tools.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR
# shellcheck source=sid-apt.sh
. "$(dirname "$0")/sid-apt.sh"

refresh=false
case "${1:-}" in
  "") ;;
  --refresh) refresh=true ;;
  -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--refresh])" ;;
esac

# True when every link in bin/ points at a binary that runs here.
cached_ok() {
  local name
  for name in "${TOOL_NAMES[@]}"; do
    [ -x "$BIN/$name" ] && timeout 30 "$BIN/$name" --version >/dev/null 2>&1 || return 1
  done
}

if ! $refresh && cached_ok; then
  exit 0
fi

mkdir -p "$BIN" "$TOOLS" "$APT"
# One run at a time per cache; a run that waited finds the cache filled by the other.
exec 9>"$CACHE/.tools.lock"
flock 9
if ! $refresh && cached_ok; then
  exit 0
fi
rm -rf "$TOOLS"/.unpack.*   # left by a run that was killed

echo "tools.sh: reading Debian sid's package index into $APT"
sid_apt_init "$APT"

declare -A VERSION DIR   # package -> its sid version, its folder under tools/
for name in "${TOOL_NAMES[@]}"; do
  pkg="${TOOL_PACKAGE[$name]}"
  if [ -z "${DIR[$pkg]:-}" ]; then
    VERSION[$pkg]="$(sid_version "$pkg")"
    [ -n "${VERSION[$pkg]}" ] || die "package '$pkg' not found in sid"
    DIR[$pkg]="$TOOLS/$pkg-${VERSION[$pkg]//:/%3a}"
  fi
  version="${VERSION[$pkg]}"
  dir="${DIR[$pkg]}"
  if [ -x "$dir/${TOOL_PATH[$name]}" ]; then
    continue
  fi
  rm -rf "$dir"   # absent, or damaged by hand
  echo "tools.sh: downloading $pkg $version"
  rm -f "$APT/debs/"*.deb
  sid_download "$APT/debs" "$pkg=$version"
  deb=("$APT/debs/"*.deb)
  [ -f "${deb[0]}" ] || die "apt-get download $pkg=$version left no .deb"
  sid_unpack "${deb[0]}" "$dir"
  rm -f "${deb[0]}"
done

for name in "${TOOL_NAMES[@]}"; do
  pkg="${TOOL_PACKAGE[$name]}"
  target="${DIR[$pkg]}/${TOOL_PATH[$name]}"
  [ -x "$target" ] || die "$pkg has no ${TOOL_PATH[$name]}; did sid rename it?"
  # Relative link (the cache can move), swapped in with a rename so readers never see it missing.
  ln -sfn "../tools/${target#"$TOOLS/"}" "$BIN/.$name.new"
  mv -T "$BIN/.$name.new" "$BIN/$name"
done

# Older versions of these packages are no longer linked from bin/.
for pkg in "${!DIR[@]}"; do
  for old in "$TOOLS/$pkg-"[0-9]*; do
    if [ -d "$old" ] && [ "$old" != "${DIR[$pkg]}" ]; then
      rm -rf "$old"
    fi
  done
done

for name in "${TOOL_NAMES[@]}"; do
  out="$(timeout 30 "$BIN/$name" --version 2>&1)" \
    || die "$BIN/$name does not run on this host: $(head -n 3 <<<"$out")"
  echo "  $name: $(head -n 1 <<<"$out")"
done
echo "tools.sh: tools are in $BIN"
