#!/usr/bin/env bash
# `make run`: the runbook's chain working on this machine, with embedded defaults.
#
# LOOKOUT_RUN_MODE: containers (the compose/ stack on the local engine, demo/run-containers.sh), processes
# (below), or auto (the default): containers when a Docker engine answers, else processes.
#
# As processes it starts, on 127.0.0.1 only, with the binaries .ci/tools.sh caches (Debian sid's, fetched once):
#   Alertmanager      receives what Prometheus fires (no integration: its UI and API list the alerts)
#   Prometheus 3      --web.enable-lifecycle, Lookout's files pulled in by scrape_config_files/rule_files
#   blackbox_exporter its config is the file Lookout merges its modules into and reloads
#   a demo ComfyUI    busybox httpd behind basic auth, answering /object_info/CheckpointLoaderSimple
#   Lookout           `lookout run` on demo/resources (examples/comfy.yaml made to probe the demo ComfyUI)
# then prints where to look, waits for the first successful probe, and stops everything on Ctrl-C.
#
# Ports on 127.0.0.1 (the default when free, else the next free one; a port you set must be free):
#   LOOKOUT_PORT (8080) PROMETHEUS_PORT (9090) ALERTMANAGER_PORT (9093) BLACKBOX_PORT (9115) COMFY_PORT (8188,
#   processes only)
# LOOKOUT_RUN_DIR (.lookout/run): configs, data and logs, made afresh at each start.
# LOOKOUT_JAR (operator/target/lookout.jar), LOOKOUT_CACHE (~/.cache/lookout) as for the tests.
set -euo pipefail
# shellcheck source=demo/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${LOOKOUT_CACHE:-$HOME/.cache/lookout}"
BIN="$CACHE/bin"
RUN="$(mkdir -p "${LOOKOUT_RUN_DIR:-$ROOT/.lookout/run}" && cd "${LOOKOUT_RUN_DIR:-$ROOT/.lookout/run}" && pwd)"
JAR="${LOOKOUT_JAR:-$ROOT/operator/target/lookout.jar}"
PASSWORD=demo-only-password   # the demo ComfyUI's; demo/resources/secrets.yaml holds the same
WAIT_SECONDS=60

[ -f "$JAR" ] || die "$JAR is missing: run 'make build' (make run does it first)"
command -v java >/dev/null 2>&1 || die "java is missing (bash .ci/run installs a JDK)"
bash "$ROOT/.ci/tools.sh" || die "could not fetch Prometheus, blackbox and Alertmanager (see above)"

MODE="${LOOKOUT_RUN_MODE:-auto}"
engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
case "$MODE" in
  auto) if engine_answers; then MODE=containers; else MODE=processes; fi ;;
  containers) engine_answers || die "LOOKOUT_RUN_MODE=containers, but no Docker engine answers (bash .ci/docker.sh starts one)" ;;
  processes) ;;
  *) die "LOOKOUT_RUN_MODE=$MODE: use auto, containers or processes" ;;
esac

# ---- ports ----------------------------------------------------------------------------------------
# The lock first: a second make run must not take the first one's ports for its own (nor wipe its folder).
# Containers mode shares one compose project and network on the engine, whatever the folder.
if [ "$MODE" = containers ]; then
  hold_run_lock "${XDG_RUNTIME_DIR:-/tmp}/lookout-demo-containers.lock" "the Docker engine's demo stack (project lookout-demo)"
else
  hold_run_lock "$RUN/.lock" "$RUN"
fi
LOOKOUT_PORT="$(pick_port LOOKOUT_PORT 8080)"
PROMETHEUS_PORT="$(pick_port PROMETHEUS_PORT 9090 "$LOOKOUT_PORT")"
ALERTMANAGER_PORT="$(pick_port ALERTMANAGER_PORT 9093 "$LOOKOUT_PORT" "$PROMETHEUS_PORT")"
BLACKBOX_PORT="$(pick_port BLACKBOX_PORT 9115 "$LOOKOUT_PORT" "$PROMETHEUS_PORT" "$ALERTMANAGER_PORT")"
COMFY_PORT="$(pick_port COMFY_PORT 8188 "$LOOKOUT_PORT" "$PROMETHEUS_PORT" "$ALERTMANAGER_PORT" "$BLACKBOX_PORT")"

rm -rf "$RUN/out" "$RUN/state" "$RUN/prometheus-data" "$RUN/alertmanager-data" "$RUN/resources" "$RUN/www" "$RUN/logs"
mkdir -p "$RUN/logs"
if [ "$MODE" = containers ]; then
  export ROOT RUN JAR LOOKOUT_PORT PROMETHEUS_PORT ALERTMANAGER_PORT BLACKBOX_PORT
  exec bash "$ROOT/demo/run-containers.sh"
fi

# ---- processes, stopped together on exit, Ctrl-C or SIGTERM -------------------------------------
declare -A PID=()
stopping=false
stop_all() {
  $stopping && return
  stopping=true
  ignore_signals_while_stopping
  local name pids=()
  for name in "${!PID[@]}"; do
    kill -TERM "${PID[$name]}" 2>/dev/null && pids+=("${PID[$name]}")
  done
  [ -f "$RUN/comfyui.pid" ] && kill -TERM "$(cat "$RUN/comfyui.pid")" 2>/dev/null || true
  # Lookout closes its watchers and HTTP port within a second or two; Prometheus flushes its head block.
  for _ in $(seq 100); do
    local alive=false pid
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ ${#pids[@]} -gt 0 ]; then say "stopped; logs and data are in $RUN"; fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

await_http() {   # NAME PORT PATH
  local deadline=$((SECONDS + 30))
  until http_get "$2" "$3" >/dev/null; do
    if ! kill -0 "${PID[$1]}" 2>/dev/null; then
      tail -n 20 "$RUN/logs/$1.log" >&2; die "$1 ended at start (log: $RUN/logs/$1.log)"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$RUN/logs/$1.log" >&2; die "$1 did not answer on 127.0.0.1:$2$3 within 30 s"; }
    sleep 0.2
  done
}
start() {   # NAME COMMAND...: in the background, its output in logs/NAME.log
  local name="$1"; shift
  "$@" >"$RUN/logs/$name.log" 2>&1 &
  PID[$name]=$!
}

# Debian's Alertmanager reads its notification templates from /usr/share/prometheus/alertmanager, a path built
# into the binary, and will not start without them. tools.sh unpacks the package elsewhere, so unless Debian's
# package is installed here, Alertmanager runs in a mount namespace of its own (unprivileged: a user namespace)
# where /usr/share/prometheus is the unpacked one; nothing on the host is changed.
alertmanager() {
  local share
  share="$(readlink -f "$BIN/alertmanager")"; share="${share%/usr/bin/*}/usr/share"
  if [ -f /usr/share/prometheus/alertmanager/default.tmpl ]; then
    exec "$BIN/alertmanager" "$@"
  fi
  command -v unshare >/dev/null 2>&1 || die "Alertmanager needs /usr/share/prometheus/alertmanager, and unshare (util-linux) is missing"
  mkdir -p "$RUN/host-share"
  exec unshare --user --map-root-user --mount bash -c '
    set -e
    mount --bind /usr/share "$1"                      # the host'\''s /usr/share, kept reachable for zoneinfo
    mount -t tmpfs lookout-share /usr/share
    mkdir -p /usr/share/prometheus /usr/share/zoneinfo
    mount --bind "$2/prometheus" /usr/share/prometheus
    [ ! -d "$1/zoneinfo" ] || mount --bind "$1/zoneinfo" /usr/share/zoneinfo
    shift 2
    exec "$@"' alertmanager "$RUN/host-share" "$share" "$BIN/alertmanager" "$@"
}

# ---- configuration, made afresh ---------------------------------------------------------------------
mkdir -p "$RUN/out/prometheus" "$RUN/out/blackbox" "$RUN/resources" "$RUN/www/object_info"

cat >"$RUN/lookout.yaml" <<EOF
# Written by demo/run.sh: Prometheus and blackbox on this machine read Lookout's files where it writes them.
prometheus:
  url: http://127.0.0.1:$PROMETHEUS_PORT
  outputDir: $RUN/out/prometheus
  mode: include
blackbox:
  url: http://127.0.0.1:$BLACKBOX_PORT
  address: 127.0.0.1:$BLACKBOX_PORT
  configFile: $RUN/out/blackbox/blackbox.yml
EOF
cat >"$RUN/prometheus.yml" <<EOF
# Written by demo/run.sh: what prometheus.yml needs for Lookout's include mode (docs/outputs.md).
global:
  scrape_interval: 5s
  evaluation_interval: 5s
alerting:
  alertmanagers:
    - static_configs: [{targets: ['127.0.0.1:$ALERTMANAGER_PORT']}]
scrape_config_files:
  - $RUN/out/prometheus/scrape/*.yml
rule_files:
  - $RUN/out/prometheus/rules/*.yml
scrape_configs:
  - job_name: lookout
    static_configs: [{targets: ['127.0.0.1:$LOOKOUT_PORT']}]
EOF
cat >"$RUN/alertmanager.yml" <<'EOF'
# Written by demo/run.sh: one receiver with no integration, so alerts are only listed (UI and /api/v2/alerts).
route:
  receiver: demo
  group_wait: 0s
receivers:
  - name: demo
EOF
echo 'modules: {}' >"$RUN/out/blackbox/blackbox.yml"   # Lookout merges its modules into this file
sed "s|@COMFY_URL@|http://127.0.0.1:$COMFY_PORT|" "$ROOT/demo/resources/comfy.yaml" >"$RUN/resources/comfy.yaml"
cp "$ROOT/demo/resources/secrets.yaml" "$RUN/resources/secrets.yaml"

# The demo ComfyUI: what the probe asks ComfyUI for, behind basic auth. `comfyui stop|start` toggles it.
printf '%s' '{"CheckpointLoaderSimple": {"input": {"required": {"ckpt_name": [["demo.safetensors"]]}}, "name": "CheckpointLoaderSimple", "category": "loaders"}}' \
  >"$RUN/www/object_info/CheckpointLoaderSimple"
printf '/:admin:%s\n' "$PASSWORD" >"$RUN/httpd.conf"
chmod 600 "$RUN/httpd.conf"
cat >"$RUN/comfyui" <<EOF
#!/usr/bin/env bash
# The demo ComfyUI of make run: '$RUN/comfyui stop' makes the probe fail (ComfyUIDown), 'start' brings it back.
set -euo pipefail
pidfile="$RUN/comfyui.pid"
case "\${1:-}" in
  start)
    if [ -f "\$pidfile" ] && kill -0 "\$(cat "\$pidfile")" 2>/dev/null; then echo "the demo ComfyUI is running"; exit 0; fi
    "$BIN/busybox" httpd -f -p 127.0.0.1:$COMFY_PORT -h "$RUN/www" -c "$RUN/httpd.conf" >>"$RUN/logs/comfyui.log" 2>&1 &
    echo \$! >"\$pidfile"
    echo "the demo ComfyUI answers on http://127.0.0.1:$COMFY_PORT/ (admin / $PASSWORD)" ;;
  stop)
    if [ -f "\$pidfile" ] && kill "\$(cat "\$pidfile")" 2>/dev/null; then echo "the demo ComfyUI is stopped"; else echo "the demo ComfyUI was not running"; fi
    rm -f "\$pidfile" ;;
  *) echo "usage: \$0 start|stop" >&2; exit 2 ;;
esac
EOF
chmod 755 "$RUN/comfyui"

# ---- start, each waited for before the next --------------------------------------------------------
t0=$(now_ms)
start alertmanager alertmanager --config.file="$RUN/alertmanager.yml" --storage.path="$RUN/alertmanager-data" \
  --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address=
start prometheus "$BIN/prometheus" --config.file="$RUN/prometheus.yml" --storage.tsdb.path="$RUN/prometheus-data" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle
start blackbox "$BIN/blackbox_exporter" --config.file="$RUN/out/blackbox/blackbox.yml" \
  --web.listen-address="127.0.0.1:$BLACKBOX_PORT"
"$RUN/comfyui" start >/dev/null
await_http alertmanager "$ALERTMANAGER_PORT" /-/ready
await_http prometheus "$PROMETHEUS_PORT" /-/ready
await_http blackbox "$BLACKBOX_PORT" /-/healthy
start lookout java -jar "$JAR" run --watch "$RUN/resources" --config "$RUN/lookout.yaml" --out "$RUN/out" \
  --state "$RUN/state" --listen "127.0.0.1:$LOOKOUT_PORT"
await_http lookout "$LOOKOUT_PORT" /healthz

where_to_look "Lookout is running the demo (log: $RUN/logs/lookout.log; all logs in $RUN/logs)" \
  "http://127.0.0.1:$COMFY_PORT/ (admin / $PASSWORD)"
await_first_probe "$t0" "$WAIT_SECONDS" "$RUN/logs"

# ---- until Ctrl-C, or until one of the servers ends -------------------------------------------------
while true; do
  for name in "${!PID[@]}"; do
    if ! kill -0 "${PID[$name]}" 2>/dev/null; then
      wait "${PID[$name]}" && code=0 || code=$?
      unset "PID[$name]"
      tail -n 20 "$RUN/logs/$name.log" >&2
      die "$name ended (exit $code; log: $RUN/logs/$name.log)"
    fi
  done
  sleep 1 &
  wait $! || true
done
