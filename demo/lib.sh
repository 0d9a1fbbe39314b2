# What demo/run.sh and demo/run-containers.sh share: messages, free ports, HTTP without curl.
# Sourced, not run.

now_ms() { date +%s%3N; }
say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { echo "run: $*" >&2; exit 1; }

# ---- ports ----------------------------------------------------------------------------------------------
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {   # NAME DEFAULT [TAKEN...]: the port from $NAME when set (must be free), else DEFAULT or the next free
  local name="$1" port="${!1:-}" first="$2"   # one; TAKEN are ports already picked for others (not listening yet)
  shift 2
  if [ -n "$port" ]; then
    [[ "$port" =~ ^[0-9]+$ ]] || die "$name=$port is not a port number"
    in_use "$port" && die "$name=$port is in use: pick another or leave $name unset"
    [[ " $* " == *" $port "* ]] && die "$name=$port is already another service's port"
    echo "$port"; return
  fi
  for port in $(seq "$first" $((first + 50))); do
    [[ " $* " == *" $port "* ]] && continue
    in_use "$port" || { echo "$port"; return; }
  done
  die "no free port in $first-$((first + 50)) for $name"
}

# One make run at a time per run folder (a second would wipe the first's data and, in containers, stop its
# stack). The lock is held on fd 9 until this process and everything it started have ended.
hold_run_lock() {   # LOCK-FILE WHAT
  exec 9>"$1"
  flock -n 9 || die "another make run is using $2 (lock $1): stop it first (Ctrl-C there), or give this one its own LOOKOUT_RUN_DIR"
}

# A second Ctrl-C while stopping must not cut the clean-up short.
ignore_signals_while_stopping() { trap '' INT TERM; }

# ---- HTTP without curl (a fresh Debian has bash, not always curl) ----------------------------------
http_get() {   # PORT PATH: prints the body of a 200 answer; fails otherwise
  local answer
  answer="$( { exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 \
              && timeout 5 cat <&3; } 2>/dev/null )" || return 1
  [[ "$answer" == "HTTP/1."?" 200"* ]] || return 1
  printf '%s' "${answer#*$'\r\n\r\n'}"
}

# ---- what both modes print and wait for -------------------------------------------------------------------
where_to_look() {   # HEADLINE COMFYUI-LINE: where a person looks, once everything answers
  cat <<EOF

  $1
    status page        http://127.0.0.1:$LOOKOUT_PORT/
    resources          java -jar $JAR get comfyprobes --server http://127.0.0.1:$LOOKOUT_PORT
    Prometheus         http://127.0.0.1:$PROMETHEUS_PORT/targets   /alerts   /rules
    Alertmanager       http://127.0.0.1:$ALERTMANAGER_PORT/#/alerts
    demo ComfyUI       $2
    resources watched  $RUN/resources (edit them: the outputs follow)

  See an alert: $RUN/comfyui stop   (ComfyUIDown: pending, then firing after 15 s, then in Alertmanager)
                $RUN/comfyui start  (and it resolves)
  Ctrl-C stops everything.

EOF
}

await_first_probe() {   # SINCE_MS SECONDS WHERE_TO_LOOK: says when Prometheus first has probe_success 1
  local deadline=$((SECONDS + $2)) ms
  until http_get "$PROMETHEUS_PORT" '/api/v1/query?query=probe_success%3D%3D1' | grep -q '"value"'; do
    if [ $SECONDS -ge $deadline ]; then
      say "no successful probe in Prometheus after $2 s: see the status page and $3"
      return
    fi
    sleep 0.5
  done
  ms=$(($(now_ms) - $1))
  say "probe up: probe_success 1 for the demo ComfyUI, $((ms / 1000)).$(printf %03d $((ms % 1000))) s after start"
}
