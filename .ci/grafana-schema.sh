#!/usr/bin/env bash
# Puts the TypeScript compiler and Grafana's dashboard types (@grafana/schema) in a cache outside the clone, for
# DashboardsTest, which type-checks compose/grafana/dashboards/*.json against them. @grafana/schema ships
# TypeScript types only, no JSON schema: `tsc --noEmit --strict` on the dashboard as a typed object literal is the
# check Grafana's own types allow.
#
#   $LOOKOUT_CACHE (default ~/.cache/lookout)
#     npm/grafana-schema-<schema>-typescript-<typescript>/   package.json, node_modules/.bin/tsc,
#                                                             node_modules/@grafana/schema
#     npm/cache/                                              npm's download cache
#
# When the folder already holds both packages at the pinned versions it does nothing and prints nothing.
# Installs Debian's nodejs and npm first when `node` or `npm` is missing (needs root).
# --dir prints the folder and installs nothing (the test reads the pinned versions from here).
set -euo pipefail

SCHEMA_VERSION=13.2.3
TYPESCRIPT_VERSION=5.9.3   # plain JavaScript, runs on bookworm's node 18; 7.x is a native binary per platform
CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
NPM_DIR="$CACHE/npm"
DIR="$NPM_DIR/grafana-schema-$SCHEMA_VERSION-typescript-$TYPESCRIPT_VERSION"

die() { echo "grafana-schema.sh: $*" >&2; exit 1; }
trap 'echo "grafana-schema.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

case "${1:-}" in
  "") ;;
  --dir) echo "$DIR"; exit 0 ;;
  -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--dir])" ;;
esac

# The version of an installed package, as its package.json says, or nothing (node reads it: the files are not
# all indented alike).
installed_version() {
  node -e 'process.stdout.write(String(require(process.argv[1]).version))' "$DIR/node_modules/$1/package.json" \
    2>/dev/null || true
}

cached_ok() {
  command -v node >/dev/null 2>&1 \
    && [ "$(installed_version @grafana/schema)" = "$SCHEMA_VERSION" ] \
    && [ "$(installed_version typescript)" = "$TYPESCRIPT_VERSION" ] \
    && timeout 30 node "$DIR/node_modules/typescript/bin/tsc" --version >/dev/null 2>&1
}

if cached_ok; then
  exit 0
fi

packages=()
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ ${#packages[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "${packages[*]} missing, and installing needs root"
  echo "grafana-schema.sh: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  install=(apt-get install -y -q --no-install-recommends "${packages[@]}")
  # A fresh machine has no package lists, or stale ones: read them only when the install needs it.
  if ! "${install[@]}"; then
    echo "grafana-schema.sh: install failed; reading the package lists and trying again"
    apt-get update -q || die "apt-get update failed"
    "${install[@]}" || die "apt-get install ${packages[*]} failed"
  fi
fi

mkdir -p "$NPM_DIR"
# One run at a time per cache; a run that waited finds the folder filled by the other.
exec 9>"$NPM_DIR/.grafana-schema.lock"
flock 9
if cached_ok; then
  exit 0
fi
rm -rf "$NPM_DIR"/.install.*   # left by a run that was killed

# Installed next to the final folder and renamed, so the folder is always complete.
tmp="$(mktemp -d "$NPM_DIR/.install.XXXXXX")"
cat > "$tmp/package.json" <<EOF
{
  "name": "lookout-grafana-schema",
  "private": true,
  "description": "Written by .ci/grafana-schema.sh: the types DashboardsTest checks Lookout's dashboards against.",
  "dependencies": {
    "@grafana/schema": "$SCHEMA_VERSION",
    "typescript": "$TYPESCRIPT_VERSION"
  }
}
EOF
echo "grafana-schema.sh: installing @grafana/schema $SCHEMA_VERSION and typescript $TYPESCRIPT_VERSION into $DIR"
# --ignore-scripts: neither package needs an install script, and none should run as root here.
if ! (cd "$tmp" && npm install --no-audit --no-fund --ignore-scripts --no-update-notifier \
        --cache "$NPM_DIR/cache" --loglevel=error); then
  rm -rf "$tmp"
  die "npm install failed (is the npm registry reachable? npm config get registry: $(npm config get registry 2>/dev/null))"
fi
rm -rf "$DIR"   # absent, or damaged by hand
mv -T "$tmp" "$DIR"
cached_ok || die "$DIR does not hold @grafana/schema $SCHEMA_VERSION and a working tsc $TYPESCRIPT_VERSION after the install"
echo "grafana-schema.sh: $(node "$DIR/node_modules/typescript/bin/tsc" --version), @grafana/schema $SCHEMA_VERSION in $DIR"
