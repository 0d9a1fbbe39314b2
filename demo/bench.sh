#!/usr/bin/env bash
# make bench-run: `make run`'s time to the first successful probe, as run.sh prints it (start of the first
# server → probe_success 1 in Prometheus), over RUNS runs (default 5), each stopped with SIGINT as Ctrl-C would.
# Prints each figure, then min, median and max. Ports are picked by run.sh (the defaults when free).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
figures=()
for i in $(seq "$RUNS"); do
  out="$(mktemp)"
  setsid bash "$ROOT/demo/run.sh" >"$out" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 120))
  until grep -q 'probe up:\|no successful probe' "$out"; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$pid" 2>/dev/null; then
      cat "$out" >&2; kill -INT -- -"$pid" 2>/dev/null || true; echo "bench: run $i gave no figure" >&2; exit 1
    fi
    sleep 0.2
  done
  kill -INT -- -"$pid"
  wait "$pid" || true
  figure="$(sed -n 's/.*probe up: .*, \([0-9.]*\) s after start/\1/p' "$out")"
  [ -n "$figure" ] || { cat "$out" >&2; echo "bench: run $i: no successful probe" >&2; exit 1; }
  echo "run $i: first successful probe $figure s after start"
  figures+=("$figure")
  rm -f "$out"
done
printf '%s\n' "${figures[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  printf "make run, start -> first probe_success 1 (%d runs): min %.2f s, median %.2f s, max %.2f s\n", NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
