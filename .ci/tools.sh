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
MIRROR="${LOOKOUT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

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

for cmd in apt-get apt-cache dpkg-deb flock timeout; do
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is missing; this script needs a Debian-based host"
done
[ -r "$KEYRING" ] || die "$KEYRING is missing (apt-get install debian-archive-keyring)"

mkdir -p "$BIN" "$TOOLS" "$APT"
# One run at a time per cache; a run that waited finds the cache filled by the other.
exec 9>"$CACHE/.tools.lock"
flock 9
if ! $refresh && cached_ok; then
  exit 0
fi
rm -rf "$TOOLS"/.unpack.*   # left by a run that was killed

# Private apt tree. Every path apt would otherwise take from /etc/apt, /var/lib/apt, /var/cache/apt or
# /var/lib/dpkg points in here; the empty *.d folders stand in for the host's sources.list.d,
# preferences.d, trusted.gpg.d and auth.conf.d (the sid source names its keyring with signed-by).
mkdir -p "$APT/etc/apt.conf.d" "$APT/etc/sources.list.d" "$APT/etc/preferences.d" "$APT/etc/trusted.gpg.d" \
         "$APT/etc/auth.conf.d" "$APT/state/lists/partial" "$APT/cache/archives/partial" "$APT/log" "$APT/debs"
echo "deb [signed-by=$KEYRING] $MIRROR sid main" > "$APT/etc/sources.list"
: > "$APT/state/status"   # no installed packages: nothing on the host influences version choice
# The host's apt.conf.d is not read either: its hooks (appstream, packagekit) would act on the host's
# own lists and caches. Only its network settings carry over: proxies, and the date checks (a mirror
# that serves a frozen snapshot needs Check-Valid-Until "false").
{
  echo "Dir::Etc::main \"$APT/etc/apt.conf.main\";"
  echo "Dir::Etc::parts \"$APT/etc/apt.conf.d\";"
  echo 'Acquire::GzipIndexes "true";'
  apt-config dump Acquire::http Acquire::https Acquire::Retries Acquire::ForceIPv4 \
    Acquire::ForceIPv6 Acquire::Check-Valid-Until Acquire::Check-Date Acquire::Max-ValidTime
} > "$APT/etc/apt.conf"
export APT_CONFIG="$APT/etc/apt.conf"
APT_OPTS=(
  -o "Dir::Etc::sourcelist=$APT/etc/sources.list"
  -o "Dir::Etc::sourceparts=$APT/etc/sources.list.d"
  -o "Dir::Etc::preferences=$APT/etc/preferences"
  -o "Dir::Etc::preferencesparts=$APT/etc/preferences.d"
  -o "Dir::Etc::trusted=$APT/etc/trusted.gpg"
  -o "Dir::Etc::trustedparts=$APT/etc/trusted.gpg.d"
  -o "Dir::Etc::netrc=$APT/etc/auth.conf"
  -o "Dir::Etc::netrcparts=$APT/etc/auth.conf.d"
  -o "Dir::State=$APT/state"
  -o "Dir::State::Lists=$APT/state/lists"
  -o "Dir::State::status=$APT/state/status"
  -o "Dir::Cache=$APT/cache"
  -o "Dir::Cache::pkgcache="      # apt rebuilds these 50 MB caches from the lists in a second
  -o "Dir::Cache::srcpkgcache="
  -o "Dir::Log=$APT/log"
  -o "Acquire::Languages=none"
)

# Run as root, apt downloads as the unprivileged _apt user. Where _apt cannot reach the cache (a home
# folder of mode 700, as /root is) apt would fall back to root with a warning per file; say so once.
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then
  chown _apt "$APT/state/lists/partial" "$APT/debs"
  if ! runuser -u _apt -- test -w "$APT/debs" 2>/dev/null; then
    APT_OPTS+=(-o "APT::Sandbox::User=root")
  fi
fi

echo "tools.sh: reading Debian sid's package index into $APT"
apt-get "${APT_OPTS[@]}" -qq update || die "apt-get update of sid failed (is $MIRROR reachable?)"


# The candidate version of a package in sid.
sid_version() {
  local info
  info="$(apt-cache "${APT_OPTS[@]}" show --no-all-versions "$1" 2>/dev/null)" || return 0
  sed -n '/^Version: /{s///p;q}' <<<"$info"
}

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
  (cd "$APT/debs" && apt-get "${APT_OPTS[@]}" -qq download "$pkg=$version") \
    || die "apt-get download $pkg=$version failed"
  deb=("$APT/debs/"*.deb)
  [ -f "${deb[0]}" ] || die "apt-get download $pkg=$version left no .deb"
  # Unpack next to the final folder and rename, so a folder under tools/ is always complete.
  tmp="$(mktemp -d "$TOOLS/.unpack.XXXXXX")"
  dpkg-deb -x "${deb[0]}" "$tmp" || { rm -rf "$tmp"; die "dpkg-deb -x ${deb[0]} failed"; }
  mv -T "$tmp" "$dir"
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
