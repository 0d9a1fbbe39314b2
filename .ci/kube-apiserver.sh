#!/usr/bin/env bash
# Puts a real Kubernetes API server for custom resources in a cache outside the clone, for the tests that run
# kubectl against Lookout's CRDs: apiextensions-apiserver built from Debian sid's Go source packages with
# .ci/kube-apiserver/main.go (upstream's command turns API discovery off, which kubectl needs), and sid's
# etcd and kubectl.
#
#   $LOOKOUT_CACHE (default ~/.cache/lookout)
#     bin/{lookout-crd-apiserver,etcd,kubectl}   stable symlinks into kube/ (tools.sh links other names)
#     kube/apiserver-<version>-<key>/            the built server: lookout-crd-apiserver, the main.go it was
#                                                built from, packages.txt (every package=version it was built
#                                                from); <version> is golang-k8s-apiextensions-apiserver-dev's,
#                                                <key> a hash of packages.txt and main.go
#     kube/etcd-server-<version>/usr/...         unpacked .debs, one folder per exact version
#     kube/kubectl-<version>/usr/...
#     kube/apt/                                  private apt state (see sid-apt.sh)
#     kube/.build.*/                             only while building: ~320 golang-*-dev packages and the Go
#                                                toolchain unpacked as a GOPATH (~3 GB), removed afterwards
#
# When bin/ already holds binaries that run, and the server was built from the committed main.go, it does
# nothing and prints nothing. Otherwise it reads sid's package index with a private apt configuration,
# downloads the packages, unpacks them with dpkg-deb -x (nothing is installed), builds the server when no
# folder for this exact set of package versions and main.go exists (~320 MB of .debs, then GOPATH mode with no
# network: about 5 minutes in all on two cores) and prints the versions. --refresh re-reads sid even when the
# cache is good (a new version of any package, or a changed main.go, means a new build).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
MAIN_GO="$HERE/kube-apiserver/main.go"
CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
BIN="$CACHE/bin"
KUBE="$CACHE/kube"
APT="$KUBE/apt"
SERVER=lookout-crd-apiserver
SOURCE_PACKAGE=golang-k8s-apiextensions-apiserver-dev
# Debian's default Go (golang-go depends on the versioned golang-1.NN-go and its sources).
GO_PACKAGE=golang-go

die() { echo "kube-apiserver.sh: $*" >&2; exit 1; }
trap 'echo "kube-apiserver.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR
# shellcheck source=sid-apt.sh
. "$HERE/sid-apt.sh"

refresh=false
case "${1:-}" in
  "") ;;
  --refresh) refresh=true ;;
  -h|--help) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--refresh])" ;;
esac

# True when the three links point at binaries that run here and the server's main.go is the committed one.
cached_ok() {
  [ -x "$BIN/etcd" ] && timeout 30 "$BIN/etcd" --version >/dev/null 2>&1 || return 1
  [ -x "$BIN/kubectl" ] && timeout 30 "$BIN/kubectl" version --client >/dev/null 2>&1 || return 1
  [ -x "$BIN/$SERVER" ] && timeout 30 "$BIN/$SERVER" --help >/dev/null 2>&1 || return 1
  cmp -s "$(dirname "$(readlink -f "$BIN/$SERVER")")/main.go" "$MAIN_GO"
}

[ -r "$MAIN_GO" ] || die "$MAIN_GO is missing"
if ! $refresh && cached_ok; then
  exit 0
fi

mkdir -p "$BIN" "$KUBE"
# One run at a time per cache; a run that waited finds the cache filled by the other.
exec 9>"$KUBE/.lock"
flock 9
if ! $refresh && cached_ok; then
  exit 0
fi
rm -rf "$KUBE"/.unpack.* "$KUBE"/.build.*   # left by a run that was killed

echo "kube-apiserver.sh: reading Debian sid's package index into $APT"
sid_apt_init "$APT"

# Relative link (the cache can move), swapped in with a rename so readers never see it missing.
link() {
  ln -sfn "../${2#"$CACHE/"}" "$BIN/.$1.new"
  mv -T "$BIN/.$1.new" "$BIN/$1"
}

# etcd and kubectl: one package each, unpacked as they are.
unpacked() {
  local pkg="$1" path="$2" version dir deb
  version="$(sid_version "$pkg")"
  [ -n "$version" ] || die "package '$pkg' not found in sid"
  dir="$KUBE/$pkg-${version//:/%3a}"
  if [ ! -x "$dir/$path" ]; then
    rm -rf "$dir"
    echo "kube-apiserver.sh: downloading $pkg $version" >&2
    rm -f "$APT/debs/"*.deb
    sid_download "$APT/debs" "$pkg=$version"
    deb=("$APT/debs/"*.deb)
    [ -f "${deb[0]}" ] || die "apt-get download $pkg=$version left no .deb"
    sid_unpack "${deb[0]}" "$dir"
    rm -f "${deb[0]}"
    [ -x "$dir/$path" ] || die "$pkg has no $path; did sid rename it?"
  fi
  for old in "$KUBE/$pkg-"[0-9]*; do
    if [ -d "$old" ] && [ "$old" != "$dir" ]; then
      rm -rf "$old"
    fi
  done
  echo "$dir/$path"
}
link etcd "$(unpacked etcd-server usr/bin/etcd)"
link kubectl "$(unpacked kubectl usr/bin/kubectl)"

# The server's build inputs: the apiextensions sources, every golang-* package they depend on, recursively
# (Debian's Go libraries are source packages that depend on one another), and the Go toolchain. Alternatives
# and virtual packages' providers are all listed by apt-cache; fetching a spare one costs a few KB.
closure() {
  apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
      --no-replaces --no-enhances "$@" \
    | sed -n 's/^\(golang-[^ <>]*\)$/\1/p' | LC_ALL=C sort -u
}
packages="$(mktemp)"
trap 'rm -f "$packages"' EXIT
mapfile -t wanted < <(closure "$SOURCE_PACKAGE" "$GO_PACKAGE")
sid_versions "${wanted[@]}" | LC_ALL=C sort -t= -k1,1 > "$packages"
[ "$(wc -l <"$packages")" = "${#wanted[@]}" ] \
  || die "sid lacks some of the packages $SOURCE_PACKAGE needs: $(cut -d= -f1 "$packages" | comm -13 - <(printf '%s\n' "${wanted[@]}") | tr '\n' ' ')"
grep -q "^$SOURCE_PACKAGE=" "$packages" || die "package '$SOURCE_PACKAGE' not found in sid"
source_version="$(sed -n "s/^$SOURCE_PACKAGE=//p" "$packages")"
key="$(cat "$packages" "$MAIN_GO" | sha256sum | cut -c1-12)"
built="$KUBE/apiserver-${source_version//:/%3a}-$key"

if [ ! -x "$built/$SERVER" ] || ! cmp -s "$built/main.go" "$MAIN_GO"; then
  rm -rf "$built"
  work="$(mktemp -d "$KUBE/.build.XXXXXX")"
  trap 'rm -f "$packages"; rm -rf "$work"' EXIT
  mkdir -p "$work/debs" "$work/root"
  [ "$(id -u)" != 0 ] || ! id _apt >/dev/null 2>&1 || chown _apt "$work/debs"
  echo "kube-apiserver.sh: downloading $(wc -l <"$packages") packages for $SOURCE_PACKAGE $source_version"
  mapfile -t pinned <"$packages"
  sid_download "$work/debs" "${pinned[@]}"
  for deb in "$work/debs/"*.deb; do
    dpkg-deb -x "$deb" "$work/root" || die "dpkg-deb -x $deb failed"
  done
  rm -rf "$work/debs"

  # Debian's GOROOT is /usr/lib/go-1.NN, whose src and friends are absolute links into /usr/share/go-1.NN:
  # point them into the unpacked tree.
  goroot="$(find "$work/root/usr/lib" -maxdepth 1 -name 'go-1.*' -type d | sort -V | tail -n 1)"
  [ -x "$goroot/bin/go" ] || die "no Go toolchain under $work/root/usr/lib (did $GO_PACKAGE change?)"
  find "$goroot" -maxdepth 2 -type l -lname '/*' | while read -r l; do
    ln -sfn "$work/root$(readlink "$l")" "$l"
  done

  # GOPATH mode: Debian's Go libraries are a GOPATH under /usr/share/gocode, without go.mod files.
  gopath="$work/root/usr/share/gocode"
  mkdir -p "$gopath/src/lookout.dev/crd-apiserver"
  cp "$MAIN_GO" "$gopath/src/lookout.dev/crd-apiserver/main.go"
  echo "kube-apiserver.sh: building $SERVER with $("$goroot/bin/go" version | cut -d' ' -f3) (several minutes)"
  mkdir -p "$work/out"
  (cd "$gopath/src/lookout.dev/crd-apiserver" \
    && env GOROOT="$goroot" GOPATH="$gopath" GO111MODULE=off CGO_ENABLED=0 GOFLAGS= GOTOOLCHAIN=local \
           GOCACHE="$work/gocache" GOTMPDIR="$work" GOPROXY=off \
           "$goroot/bin/go" build -trimpath -ldflags="-s -w" -o "$work/out/$SERVER" .) \
    || die "go build of $SERVER failed"
  cp "$MAIN_GO" "$work/out/main.go"
  install -m 644 "$packages" "$work/out/packages.txt"
  mv -T "$work/out" "$built"
  rm -rf "$work"
fi
link "$SERVER" "$built/$SERVER"
for old in "$KUBE/apiserver-"*; do
  if [ -d "$old" ] && [ "$old" != "$built" ]; then
    rm -rf "$old"
  fi
done

cached_ok || die "the binaries in $BIN do not run on this host"
echo "  etcd: $("$BIN/etcd" --version 2>&1 | head -n 1)"
echo "  kubectl: $("$BIN/kubectl" version --client 2>&1 | head -n 1)"
echo "  $SERVER: $SOURCE_PACKAGE $source_version, $(grep -c . "$built/packages.txt") packages"
echo "kube-apiserver.sh: binaries are in $BIN"
