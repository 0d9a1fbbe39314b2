#!/usr/bin/env bash
# Builds the images the container tests run, from the binaries .ci/tools.sh caches: no registry, no
# Dockerfile, only `docker import` of a folder holding a binary and what it needs.
#
#   lookout-test/busybox:<version>-<recipe>        static busybox; its /serve entrypoint stands in for ComfyUI
#                                                  (httpd with basic auth) and for an exporter's /metrics
#   lookout-test/prometheus:<version>-<recipe>     /bin/prometheus, libc and the dynamic loader
#   lookout-test/blackbox:<version>-<recipe>       /bin/blackbox_exporter, libc and the dynamic loader
#   lookout-test/alertmanager:<version>-<recipe>   /bin/alertmanager, libc and the loader, laid out as prom/alertmanager
#   lookout-test/node-exporter:<version>-<recipe>  /bin/node_exporter, libc and the loader, laid out as prom/node-exporter
#
# Each is laid out as its upstream prom/* image (binary, config and data paths, entrypoint, default flags), so the
# compose stack (compose/) runs the same flags and mounts on either.
#
# <version> is the Debian package's (epoch dropped, characters a tag cannot hold turned into _), <recipe>
# the start of this file's sha256: a new package or an edited recipe gives a new tag, so an image whose
# tag exists is never rebuilt. Prints what it built, or the tags when all were there.
# --tags prints name=tag lines and builds nothing.
set -euo pipefail
shopt -s inherit_errexit   # a die inside $(...) ends the script, not just the substitution

CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
BIN="$CACHE/bin"
TOOLS="$CACHE/tools"
SELF="${BASH_SOURCE[0]}"

IMAGES=(busybox prometheus blackbox alertmanager node-exporter)
# The tool in bin/ each image is made from, and the sid package that ships it (its folder under tools/).
declare -A IMAGE_TOOL=([busybox]=busybox [prometheus]=prometheus [blackbox]=blackbox_exporter
                       [alertmanager]=alertmanager [node-exporter]=node_exporter)
declare -A IMAGE_PACKAGE=([busybox]=busybox-static [prometheus]=prometheus [blackbox]=prometheus-blackbox-exporter
                          [alertmanager]=prometheus-alertmanager [node-exporter]=prometheus-node-exporter)

die() { echo "images.sh: $*" >&2; exit 1; }
trap 'echo "images.sh: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

only_tags=false
case "${1:-}" in
  "") ;;
  --tags) only_tags=true ;;
  -h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0 [--tags])" ;;
esac

RECIPE="$(sha256sum "$SELF" | cut -c1-8)"

# The folder under tools/ that bin/<tool> links into: tools.sh names it <package>-<version>.
package_dir() {
  local link
  link="$(readlink "$BIN/$1" 2>/dev/null)" || die "$BIN/$1 is missing: run bash .ci/tools.sh first"
  link="${link#../tools/}"
  echo "$TOOLS/${link%%/*}"
}

tag_of() {
  local name="$1" dir version
  dir="$(package_dir "${IMAGE_TOOL[$name]}")"
  version="$(basename "$dir")"
  version="${version#"${IMAGE_PACKAGE[$name]}-"}"
  version="${version#*%3a}"                       # the epoch, escaped by tools.sh
  echo "lookout-test/$name:${version//[^A-Za-z0-9_.-]/_}-$RECIPE"
}

declare -A TAG
for name in "${IMAGES[@]}"; do
  TAG[$name]="$(tag_of "$name")"
done

if $only_tags; then
  for name in "${IMAGES[@]}"; do
    echo "$name=${TAG[$name]}"
  done
  exit 0
fi

# The engine the tests use (DockerEngine.SOCKET), whatever DOCKER_HOST names: images built elsewhere are no use.
export DOCKER_HOST=unix:///var/run/docker.sock
command -v docker >/dev/null 2>&1 || die "docker is missing: run bash .ci/docker.sh first"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "no Docker engine answers: run bash .ci/docker.sh first"

all_tags() {
  local name
  for name in "${IMAGES[@]}"; do
    echo "${TAG[$name]}"
  done
}

# One inspect for all: the common case, everything built, costs a single call.
if docker image inspect $(all_tags) >/dev/null 2>&1; then
  echo "images.sh: up to date: $(all_tags | paste -sd ' ')"
  exit 0
fi

mkdir -p "$CACHE"
# One build at a time per cache; a run that waited finds the images the other built.
exec 9>"$CACHE/.images.lock"
flock 9

# Copies an ELF binary to <stage>/<dest> with every shared library ldd names and the dynamic loader, each
# at its own path (the loader's path is written in the binary, the libraries are found in its default dirs).
stage_binary() {
  local binary="$1" stage="$2" dest="$3" libs lib
  install -D -m 755 "$(readlink -f "$binary")" "$stage/$dest"
  libs="$(ldd "$binary")" || die "ldd $binary failed: $libs"
  if grep -q 'not found' <<<"$libs"; then
    die "$binary needs libraries this host lacks:
$libs"
  fi
  for lib in $(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' <<<"$libs"); do
    install -D -m 755 "$(readlink -f "$lib")" "$stage$lib"
  done
}

# The entrypoint of lookout-test/busybox.
write_serve() {
  cat >"$1" <<'EOF'
#!/bin/sh
# A stand-in for the HTTP services Lookout watches.
#   PORT (8188)     busybox httpd serves /www: /object_info/CheckpointLoaderSimple answers as ComfyUI does
#   AUTH_PASSWORD   when set, every path of httpd needs basic auth as AUTH_USER (default admin)
#   METRICS_PORT    when set, GET /metrics there answers /www/metrics as Prometheus text, as an exporter does
#   BODY            when set, written to /www/metrics at start; the file can also be copied in (docker cp)
#                   or bind-mounted, at any time: each request reads it afresh
# Arguments are run instead (docker run IMAGE sleep 600).
set -eu
[ $# -eq 0 ] || exec "$@"

mkdir -p /www/object_info
echo '<html><body>ComfyUI stand-in</body></html>' >/www/index.html
echo '{"CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [["model.safetensors"]]}}, "output": ["MODEL", "CLIP", "VAE"], "output_name": ["MODEL", "CLIP", "VAE"], "name": "CheckpointLoaderSimple", "display_name": "Load Checkpoint", "category": "loaders", "output_node": false}}' \
  >/www/object_info/CheckpointLoaderSimple
[ -z "${BODY+set}" ] || printf '%s' "$BODY" >/www/metrics
if [ -n "${AUTH_PASSWORD:-}" ]; then
  printf '/:%s:%s\n' "${AUTH_USER:-admin}" "$AUTH_PASSWORD" >/etc/httpd.conf
else
  : >/etc/httpd.conf
fi

# As PID 1, sh would ignore SIGTERM without a trap, and docker stop would wait 10 s to SIGKILL.
pids=
trap 'kill $pids 2>/dev/null; exit 143' TERM INT
httpd -f -p "${PORT:-8188}" -h /www -c /etc/httpd.conf &
pids=$!
# httpd answers a suffix-less path with no Content-Type, which Prometheus 3 refuses to scrape: /metrics
# gets a server of its own that says text/plain.
if [ -n "${METRICS_PORT:-}" ]; then
  nc -ll -p "$METRICS_PORT" -e /serve-metrics &
  pids="$pids $!"
fi
# A server that ends ends the container, as a failure, rather than leaving it up and half deaf. Polled:
# ash's wait -n misses a child killed by a signal (wait on the sleep reaps it, so kill -0 then fails).
alive() {
  for pid in $pids; do
    kill -0 "$pid" 2>/dev/null || return 1
  done
}
while alive; do
  sleep 1 &
  wait $! || true
done
kill $pids 2>/dev/null || true
exit 1
EOF
  cat >"$2" <<'EOF'
#!/bin/sh
# One HTTP exchange of the METRICS_PORT server: nc runs it per connection, the socket on stdin and stdout.
cr="$(printf '\r')"
read -r -t 10 method target version || exit 0
# Every header is read before answering: closing on unread input would reset the connection.
while IFS= read -r -t 10 line && [ -n "${line%"$cr"}" ]; do :; done
if [ "$method" = GET ] && [ "${target%%\?*}" = /metrics ] && [ -f /www/metrics ]; then
  printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: %s\r\n\r\n' \
    "$(wc -c </www/metrics)"
  cat /www/metrics
else
  printf 'HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nnot found\n'
fi
EOF
  chmod 755 "$1" "$2"
}

# Each stage_* fills a folder and prints the `docker import --change` lines of its image.
stage_busybox() {
  local stage="$1" applet
  install -D -m 755 "$(readlink -f "$BIN/busybox")" "$stage/bin/busybox"
  for applet in $("$stage/bin/busybox" --list-full); do
    case "$applet" in
      bin/busybox) ;;
      bin/* | sbin/* | usr/bin/* | usr/sbin/*)
        mkdir -p "$stage/$(dirname "$applet")"
        ln -s /bin/busybox "$stage/$applet" ;;
    esac
  done
  mkdir -p "$stage/www" "$stage/etc" "$stage/root"
  install -d -m 1777 "$stage/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
  echo 'root:x:0:' >"$stage/etc/group"
  write_serve "$stage/serve" "$stage/serve-metrics"
  echo 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin'
  echo 'ENTRYPOINT ["/serve"]'
  echo 'EXPOSE 8188'
}

# Laid out as the upstream prom/prometheus image, so the same flags and mounts work on either.
stage_prometheus() {
  local stage="$1"
  stage_binary "$BIN/prometheus" "$stage" bin/prometheus
  mkdir -p "$stage/etc/prometheus" "$stage/prometheus"
  install -d -m 1777 "$stage/tmp"
  printf '%s\n' 'scrape_configs:' '  - job_name: prometheus' '    static_configs:' "      - targets: ['localhost:9090']" \
    >"$stage/etc/prometheus/prometheus.yml"
  echo 'ENTRYPOINT ["/bin/prometheus"]'
  echo 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
  echo 'WORKDIR /prometheus'
  echo 'EXPOSE 9090'
}

# /etc/blackbox/blackbox.yml is where Lookout's config puts blackbox's file by default.
stage_blackbox() {
  local stage="$1"
  stage_binary "$BIN/blackbox_exporter" "$stage" bin/blackbox_exporter
  install -D -m 644 "$(package_dir blackbox_exporter)/etc/prometheus/blackbox.yml" "$stage/etc/blackbox/blackbox.yml"
  install -d -m 1777 "$stage/tmp"
  echo 'ENTRYPOINT ["/bin/blackbox_exporter"]'
  echo 'CMD ["--config.file=/etc/blackbox/blackbox.yml"]'
  echo 'EXPOSE 9115'
}

# /etc/alertmanager/alertmanager.yml and /alertmanager (data) as in prom/alertmanager; the config is Debian's sample.
stage_alertmanager() {
  local stage="$1"
  stage_binary "$BIN/alertmanager" "$stage" bin/alertmanager
  local package
  package="$(package_dir alertmanager)"
  install -D -m 644 "$package/etc/prometheus/alertmanager.yml" "$stage/etc/alertmanager/alertmanager.yml"
  # Upstream compiles the notification templates in; Debian's build reads them from here.
  install -D -m 644 -t "$stage/usr/share/prometheus/alertmanager" "$package"/usr/share/prometheus/alertmanager/*.tmpl
  mkdir -p "$stage/alertmanager"
  install -d -m 1777 "$stage/tmp"
  echo 'ENTRYPOINT ["/bin/alertmanager"]'
  echo 'CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]'
  echo 'WORKDIR /alertmanager'
  echo 'EXPOSE 9093'
}

# prom/node-exporter is the binary and nothing else: --path.rootfs and the host mounts come from whoever runs it.
stage_node-exporter() {
  local stage="$1"
  stage_binary "$BIN/node_exporter" "$stage" bin/node_exporter
  install -d -m 1777 "$stage/tmp"
  echo 'ENTRYPOINT ["/bin/node_exporter"]'
  echo 'EXPOSE 9100'
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lookout-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

for name in "${IMAGES[@]}"; do
  tag="${TAG[$name]}"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "images.sh: $tag is there"
    continue
  fi
  start=$SECONDS
  stage="$WORK/$name"
  mkdir -p "$stage"
  "stage_$name" "$stage" >"$WORK/$name.changes"
  changes=()
  while IFS= read -r change; do
    changes+=(--change "$change")
  done <"$WORK/$name.changes"
  tar -C "$stage" --numeric-owner --owner=0 --group=0 -c . | docker import "${changes[@]}" - "$tag" >/dev/null \
    || die "docker import of $tag failed"
  rm -rf "$stage"
  size="$(docker image inspect --format '{{.Size}}' "$tag")"
  echo "images.sh: built $tag ($((size / 1000000)) MB, $((SECONDS - start)) s)"
done
