#!/usr/bin/env bash
# Debian's chromium, for the status page tests (headless, pages on 127.0.0.1 only). Installed from the host's
# own apt sources when /usr/bin/chromium is missing (CI is a fresh Debian machine, run as root); prints nothing
# when it is there. LOOKOUT_CHROMIUM names another executable, which is then used as it is.
set -euo pipefail

die() { echo "chromium.sh: $*" >&2; exit 1; }

if [ -n "${LOOKOUT_CHROMIUM:-}" ]; then
  [ -x "$LOOKOUT_CHROMIUM" ] || die "LOOKOUT_CHROMIUM=$LOOKOUT_CHROMIUM is not an executable"
  exit 0
fi
[ -x /usr/bin/chromium ] && exit 0
[ "$(id -u)" = 0 ] || die "/usr/bin/chromium is missing: apt-get install chromium (as root), or set LOOKOUT_CHROMIUM"
echo "chromium.sh: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends chromium >/dev/null || die "apt-get install chromium failed"
/usr/bin/chromium --version
