#!/usr/bin/env bash
# bench/paced_instructions.sh: instructions per paced insert (callgrind), for one or more
# interviewbase binaries on the same seeded data (bench/README.md, dev loop of 2026-12-07
# 03:20). bench/instructions.sh counts requests sent back to back; this counts the inserts of
# the Realtime bench (bench/realtime.sh): bench/realtime/load.mjs with no socket, each user's
# transcript line into interview_responses at a fixed rate, so every request arrives alone on a
# cold worker and each user's token comes back every few seconds, as with many users.
#
#   bench/paced_instructions.sh [BIN...]     default: build/interviewbase (built like run.sh)
#
# Environment: PACED_RATE=20 (inserts/s; callgrind runs ~50x slower than the binary)
# PACED_SUBSCRIBERS=100 (users inserting in turn: with 20/s, each user's token every 5 s, as
# at 200/s over the Realtime bench's 1,000) PACED_WARM=8 (s before counting) PACED_SECONDS=20
# (s counted) PACED_KEEP=DIR (keep each callgrind dump there) BENCH_NO_BUILD=1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SECRET="bench-secret-0123456789abcdefghijklmnopq"
log() { printf '[paced] %s\n' "$*" >&2; }
# shellcheck source=bench/lib/server.sh
source "$HERE/lib/server.sh"

"$ROOT/packaging/install-deps.sh"
install_missing valgrind python3 node=nodejs
if (($# == 0)); then
  if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$ROOT/build" --target interviewbase -j "$(nproc)" >/dev/null
  fi
  set -- "$ROOT/build/interviewbase"
fi
RATE=${PACED_RATE:-20}
SUBSCRIBERS=${PACED_SUBSCRIBERS:-100}

WORK=$(mktemp -d /tmp/ib-paced-XXXXXX)
# The data: run.sh's base set, then 1,000 users with one interview each written into the
# stopped server's file (seed.py realtime, as bench/realtime.sh does).
start_interviewbase "$1"
seed_interviewbase
kill "$IB_PID"
wait "$IB_PID" 2>/dev/null || true
python3 "$HERE/lib/seed.py" realtime --db "$WORK/bench.db" --data "$WORK" --users 1000 >&2

# rows_now PORT: interview_responses' exact count, read with the service key.
rows_now() {
  python3 - "$1" "$(cat "$WORK/service.key")" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/rest/v1/interview_responses?select=id&limit=1",
    headers={"apikey": sys.argv[2], "Authorization": f"Bearer {sys.argv[2]}",
             "Prefer": "count=exact"})
with urllib.request.urlopen(req, timeout=60) as r:
    print(r.headers["Content-Range"].split("/")[1])
EOF
}

n=0
for bin in "$@"; do
  n=$((n + 1))
  run="$WORK/run.$n"
  mkdir -p "$run"
  cp "$WORK/bench.db" "$WORK/anon.key" "$WORK/service.key" "$WORK/realtime.tsv" "$run/"
  valgrind --tool=callgrind --callgrind-out-file="$run/callgrind.out" "$bin" serve \
    --db "$run/bench.db" --port 0 --jwt-secret "$SECRET" --log-requests false --quiet \
    --max-connections-per-ip 0 > "$run/ib.out" 2> "$run/ib.err" &
  pid=$!
  PIDS+=("$pid")
  for ((i = 0; i < 1200; i++)); do grep -q '^listening on' "$run/ib.out" && break; sleep 0.1; done
  port=$(port_of "$run/ib.out")
  [[ -n "$port" ]] || { log "$bin did not start under valgrind"; cat "$run/ib.err" >&2; exit 1; }
  mkfifo "$run/ctl"
  node --experimental-websocket "$HERE/realtime/load.mjs" --port "$port" --data "$run" \
    --sockets 0 --subscribers "$SUBSCRIBERS" --rate "$RATE" --out "$run/load.json" \
    < "$run/ctl" > "$run/load.out" 2> "$run/load.err" &
  load=$!
  PIDS+=("$load")
  exec 3> "$run/ctl"
  for ((i = 0; i < 600; i++)); do grep -q '^JOINED' "$run/load.out" && break; sleep 0.1; done
  echo "phase alone" >&3
  sleep "${PACED_WARM:-8}"
  before=$(rows_now "$port")
  callgrind_control -z "$pid" > /dev/null 2>&1
  sleep "${PACED_SECONDS:-20}"
  callgrind_control -d "$pid" > /dev/null 2>&1
  after=$(rows_now "$port")
  echo "stop" >&3
  exec 3>&-
  wait "$load" || log "load.mjs exited with $?"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  dumps=("$run"/callgrind.out.*)
  dump=${dumps[0]}
  total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  inserts=$((after - before))
  ((inserts > 0)) || { log "no insert counted for $bin"; cat "$run/load.err" >&2; exit 1; }
  if [[ -n "${PACED_KEEP:-}" ]]; then
    mkdir -p "$PACED_KEEP"
    cp "$dump" "$PACED_KEEP/callgrind.paced.$(basename "$bin").out"
  fi
  echo "paced-insert $bin Ir/insert=$((total / inserts)) ($inserts inserts at $RATE/s, $SUBSCRIBERS users)"
done
