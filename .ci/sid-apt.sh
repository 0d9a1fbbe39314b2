# Sourced, not run: a private apt configuration that reads Debian sid's package index into a folder of the
# cache, for tools.sh and kube-apiserver.sh. The host's sources, lists, pins, keys and dpkg status are neither
# read nor written, and the status file stays empty, so nothing installed on the host influences which
# versions apt picks. The caller defines die().
#
#   sid_apt_init DIR      creates DIR/{etc,state,cache,log,debs}, sets APT_OPTS, exports APT_CONFIG, updates
#   sid_version PKG       sid's candidate version of PKG (empty when sid has no such package)
#   sid_versions PKG…     PKG=VERSION for each PKG that sid has, in one apt-cache call (each call reads the
#                         whole index: a second or so)
#   sid_download DIR P=V… downloads the .debs into DIR

SID_MIRROR="${LOOKOUT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SID_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

sid_apt_init() {
  local apt="$1" cmd
  for cmd in apt-get apt-cache apt-config dpkg-deb flock timeout; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is missing; this script needs a Debian-based host"
  done
  [ -r "$SID_KEYRING" ] || die "$SID_KEYRING is missing (apt-get install debian-archive-keyring)"

  # Every path apt would otherwise take from /etc/apt, /var/lib/apt, /var/cache/apt or /var/lib/dpkg points
  # in here; the empty *.d folders stand in for the host's sources.list.d, preferences.d, trusted.gpg.d and
  # auth.conf.d (the sid source names its keyring with signed-by).
  mkdir -p "$apt/etc/apt.conf.d" "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/etc/trusted.gpg.d" \
           "$apt/etc/auth.conf.d" "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/log" "$apt/debs"
  echo "deb [signed-by=$SID_KEYRING] $SID_MIRROR sid main" > "$apt/etc/sources.list"
  : > "$apt/state/status"   # no installed packages: nothing on the host influences version choice
  # The host's apt.conf.d is not read either: its hooks (appstream, packagekit) would act on the host's
  # own lists and caches. Only its network settings carry over: proxies, and the date checks (a mirror
  # that serves a frozen snapshot needs Check-Valid-Until "false").
  {
    echo "Dir::Etc::main \"$apt/etc/apt.conf.main\";"
    echo "Dir::Etc::parts \"$apt/etc/apt.conf.d\";"
    echo 'Acquire::GzipIndexes "true";'
    apt-config dump Acquire::http Acquire::https Acquire::Retries Acquire::ForceIPv4 \
      Acquire::ForceIPv6 Acquire::Check-Valid-Until Acquire::Check-Date Acquire::Max-ValidTime
  } > "$apt/etc/apt.conf"
  export APT_CONFIG="$apt/etc/apt.conf"
  APT_OPTS=(
    -o "Dir::Etc::sourcelist=$apt/etc/sources.list"
    -o "Dir::Etc::sourceparts=$apt/etc/sources.list.d"
    -o "Dir::Etc::preferences=$apt/etc/preferences"
    -o "Dir::Etc::preferencesparts=$apt/etc/preferences.d"
    -o "Dir::Etc::trusted=$apt/etc/trusted.gpg"
    -o "Dir::Etc::trustedparts=$apt/etc/trusted.gpg.d"
    -o "Dir::Etc::netrc=$apt/etc/auth.conf"
    -o "Dir::Etc::netrcparts=$apt/etc/auth.conf.d"
    -o "Dir::State=$apt/state"
    -o "Dir::State::Lists=$apt/state/lists"
    -o "Dir::State::status=$apt/state/status"
    -o "Dir::Cache=$apt/cache"
    -o "Dir::Cache::pkgcache="      # apt rebuilds these 50 MB caches from the lists in a second
    -o "Dir::Cache::srcpkgcache="
    -o "Dir::Log=$apt/log"
    -o "Acquire::Languages=none"
  )

  # Run as root, apt downloads as the unprivileged _apt user. Where _apt cannot reach the cache (a home
  # folder of mode 700, as /root is) apt would fall back to root with a warning per file; say so once.
  if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then
    chown _apt "$apt/state/lists/partial" "$apt/debs"
    if ! runuser -u _apt -- test -w "$apt/debs" 2>/dev/null; then
      APT_OPTS+=(-o "APT::Sandbox::User=root")
    fi
  fi

  apt-get "${APT_OPTS[@]}" -qq update || die "apt-get update of sid failed (is $SID_MIRROR reachable?)"
}

sid_version() {
  local info
  info="$(apt-cache "${APT_OPTS[@]}" show --no-all-versions "$1" 2>/dev/null)" || return 0
  sed -n '/^Version: /{s///p;q}' <<<"$info"
}

sid_versions() {
  apt-cache "${APT_OPTS[@]}" show --no-all-versions "$@" 2>/dev/null \
    | sed -n -e '/^Package: /{s///;h}' -e '/^Version: /{s///;H;x;s/\n/=/p}'
}

sid_download() {
  local dir="$1"
  shift
  (cd "$dir" && apt-get "${APT_OPTS[@]}" -qq download "$@") || die "apt-get download of $# package(s) failed"
}

# sid_unpack DEB DIR: unpacks DEB next to DIR and renames it, so that DIR, when it exists, is always complete.
sid_unpack() {
  local deb="$1" dir="$2" tmp
  tmp="$(mktemp -d "$(dirname "$dir")/.unpack.XXXXXX")"
  dpkg-deb -x "$deb" "$tmp" || { rm -rf "$tmp"; die "dpkg-deb -x $deb failed"; }
  mv -T "$tmp" "$dir"
}
