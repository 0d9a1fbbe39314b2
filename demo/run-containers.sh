#!/usr/bin/env bash
# `make run` where a Docker engine answers: the compose/ stack (docs/compose.md) with every image built here,
# Lookout watching demo/containers/ (examples/comfy.yaml discovering the demo ComfyUI container by label), and
# that demo ComfyUI: the same chain as on a compose host. Called by demo/run.sh (LOOKOUT_RUN_MODE=containers,
# or auto with an engine), which picked the ports and exported them with ROOT, RUN and JAR.
#
# Images, none pulled (the stack's .env defaults are the official ones, for hosts with a registry):
#   Lookout         the Dockerfile on a JRE base made with debootstrap (.ci/lookout-base.sh, once)
#   Prometheus, blackbox, Alertmanager, node-exporter, the demo ComfyUI (busybox httpd)
#                   Debian sid's binaries, imported (.ci/images.sh, once)
set -euo pipefail
# shellcheck source=demo/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${ROOT:?run by demo/run.sh}" "${RUN:?}" "${JAR:?}" "${LOOKOUT_PORT:?}" "${PROMETHEUS_PORT:?}" "${ALERTMANAGER_PORT:?}" "${BLACKBOX_PORT:?}"
PROJECT=lookout-demo
NETWORK=lookout-demo
COMFY=lookout-demo-comfyui
PASSWORD=demo-only-password   # demo/containers/secrets.yaml holds the same
WAIT_SECONDS=90

# ---- images -----------------------------------------------------------------------------------------
t0=$(now_ms)
bash "$ROOT/.ci/images.sh" >/dev/null || die "building the images from the cached binaries failed (see above)"
bash "$ROOT/.ci/lookout-base.sh" >/dev/null || die "making the JRE base for Lookout's image failed (see above)"
declare -A IMAGE
while IFS='=' read -r name tag; do IMAGE[$name]="$tag"; done < <(bash "$ROOT/.ci/images.sh" --tags; bash "$ROOT/.ci/lookout-base.sh" --tags)
LOOKOUT_IMAGE="lookout/lookout:local"
docker build --quiet --build-arg "JRE_IMAGE=${IMAGE[lookout-base]}" -t "$LOOKOUT_IMAGE" "$ROOT" \
  >"$RUN/logs/docker-build.log" 2>&1 || { cat "$RUN/logs/docker-build.log" >&2; die "docker build of Lookout's image failed"; }
say "images ready in $(( ($(now_ms) - t0) / 1000 )) s"

# ---- stopped together on exit -------------------------------------------------------------------------
stack() {
  COMPOSE_PROJECT_NAME=$PROJECT COMPOSE_PROFILES= LOOKOUT_IMAGE=$LOOKOUT_IMAGE \
    PROMETHEUS_IMAGE="${IMAGE[prometheus]}" BLACKBOX_IMAGE="${IMAGE[blackbox]}" \
    ALERTMANAGER_IMAGE="${IMAGE[alertmanager]}" NODE_EXPORTER_IMAGE="${IMAGE[node-exporter]}" \
    LOOKOUT_RESOURCES="$RUN/resources" LOOKOUT_CONFIG="$RUN/lookout.yaml" LOOKOUT_NETWORK=$NETWORK \
    LOOKOUT_PORT=$LOOKOUT_PORT PROMETHEUS_PORT=$PROMETHEUS_PORT ALERTMANAGER_PORT=$ALERTMANAGER_PORT \
    BLACKBOX_PORT=$BLACKBOX_PORT GRAFANA_PORT=0 \
    bash "$ROOT/compose/stack.sh" "$@"
}
stopping=false
stop_all() {
  $stopping && return
  stopping=true
  ignore_signals_while_stopping
  docker rm -f "$COMFY" >/dev/null 2>&1 || true
  stack down --volumes --timeout 10 >"$RUN/logs/compose-down.log" 2>&1 || cat "$RUN/logs/compose-down.log" >&2
  docker network rm "$NETWORK" >/dev/null 2>&1 || true
  say "stopped; the stack's logs are in $RUN/logs"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- configuration ------------------------------------------------------------------------------------
mkdir -p "$RUN/resources"
sed "s|network: dnet1 .*|network: $NETWORK|" "$ROOT/compose/lookout/lookout.yaml" >"$RUN/lookout.yaml"
cat >>"$RUN/lookout.yaml" <<EOF
# Written by demo/run-containers.sh: the status page links where a browser reaches Prometheus.
EOF
sed -i "s|^  url: http://prometheus:9090|  url: http://prometheus:9090\n  externalUrl: http://127.0.0.1:$PROMETHEUS_PORT|" "$RUN/lookout.yaml"
cp "$ROOT/demo/containers/"*.yaml "$RUN/resources/"
# Lookout runs as its own user in its container: what it reads must be readable by others.
chmod 755 "$RUN/resources"; chmod 644 "$RUN/resources/"*.yaml "$RUN/lookout.yaml"

docker network inspect "$NETWORK" >/dev/null 2>&1 || docker network create "$NETWORK" >/dev/null
stack up --wait >"$RUN/logs/compose-up.log" 2>&1 || { cat "$RUN/logs/compose-up.log" >&2; die "the stack did not come up"; }
docker run --detach --name "$COMFY" --network "$NETWORK" --label lookout.dev/demo=comfyui \
  --env AUTH_PASSWORD="$PASSWORD" --restart unless-stopped "${IMAGE[busybox]}" >/dev/null

cat >"$RUN/comfyui" <<EOF
#!/usr/bin/env bash
# The demo ComfyUI of make run, a container: 'stop' pauses it (it stays a target and its probe fails:
# ComfyUIDown), 'start' unpauses it. (A container stopped for good is no target: someone stopped it.)
set -euo pipefail
case "\${1:-}" in
  stop) docker pause $COMFY >/dev/null && echo "the demo ComfyUI is stopped (paused)" ;;
  start) docker unpause $COMFY >/dev/null 2>&1; echo "the demo ComfyUI is running" ;;
  *) echo "usage: \$0 start|stop" >&2; exit 2 ;;
esac
EOF
chmod 755 "$RUN/comfyui"

where_to_look "Lookout is running the demo in containers (compose project $PROJECT; docker logs $PROJECT-lookout-1)" \
  "container $COMFY on network $NETWORK, found by its label lookout.dev/demo=comfyui"
await_first_probe "$t0" "$WAIT_SECONDS" "docker logs $PROJECT-lookout-1"

while true; do
  for service in lookout prometheus blackbox alertmanager; do
    state="$(docker inspect -f '{{.State.Status}}' "$PROJECT-$service-1" 2>/dev/null || echo gone)"
    [ "$state" = running ] || die "$service is $state (docker logs $PROJECT-$service-1)"
  done
  sleep 2 &
  wait $! || true
done
