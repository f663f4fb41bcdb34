#!/usr/bin/env bash
# bench/connections.sh: many keep-alive clients and slow-header clients at once (see
# bench/README.md, "Connections"). wrk keeps CONN_CLIENTS keep-alive connections busy with the
# reference list request (bench/wrk/scenario.lua, scenario `list`) while bench/slowloris keeps
# CONN_SLOW connections trickling request-head bytes; a probe times GET /health once a second;
# the server's RSS and threads are sampled. Prints one summary block (and writes it to
# bench/last-connections.md, untracked).
#
# Environment (all optional):
#   CONN_CLIENTS=1000   wrk connections (-c)           CONN_SLOW=500     slow-header connections
#   CONN_DURATION=20    seconds of wrk load            CONN_SLOW_MS=1000 ms between a slow byte
#   CONN_TIMEOUT=2      wrk's per-request timeout (s); a request slower than this is an error
#   CONN_SERVER_ARGS    extra flags for `interviewbase serve`; when the binary has
#                       --max-connections-per-ip and this does not set it, it is raised to
#                       CONN_CLIENTS + CONN_SLOW + 100 (every client here is 127.0.0.1)
#   BENCH_NO_BUILD=1    use the existing build/interviewbase as it is
#   BUILD=build         CMake build folder (Release)
# Only loopback addresses are used; every load is bounded in time.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-build}
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
CLIENTS=${CONN_CLIENTS:-1000}
SLOW=${CONN_SLOW:-500}
DURATION=${CONN_DURATION:-20}
SLOW_MS=${CONN_SLOW_MS:-1000}
TIMEOUT=${CONN_TIMEOUT:-2}
SECRET="bench-secret-0123456789abcdefghijklmnopq"

log() { printf '[connections] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- builds
if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
  log "building interviewbase (Release) in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target interviewbase -j "$(nproc)" >/dev/null
fi
[[ -x "$BUILD/interviewbase" ]] || { log "no $BUILD/interviewbase"; exit 1; }
for tool in wrk python3 curl g++; do
  command -v "$tool" >/dev/null || { log "$tool is missing (bench/run.sh installs it)"; exit 1; }
done
mkdir -p "$HERE/.build"
SLOWLORIS="$HERE/.build/slowloris"
if [[ ! -x "$SLOWLORIS" || "$HERE/slowloris/slowloris.cpp" -nt "$SLOWLORIS" ]]; then
  log "building bench/slowloris"
  g++ -std=c++17 -O2 -Wall -o "$SLOWLORIS" "$HERE/slowloris/slowloris.cpp"
fi
need=$((CLIENTS + SLOW + 200))
if (($(ulimit -n) < need)); then
  ulimit -n "$need" 2>/dev/null || { log "ulimit -n is $(ulimit -n), need $need"; exit 1; }
fi

# ---------------------------------------------------------------- processes
# PIDS and their cleanup on exit, wait_line, start_interviewbase, seed_interviewbase.
# shellcheck source=SCRIPTDIR/lib/server.sh
source "$HERE/lib/server.sh"
WORK=$(mktemp -d /tmp/ib-conns-XXXXXX)
cp "$BUILD/interviewbase" "$WORK/interviewbase"
read -r -a SERVER_ARGS <<<"${CONN_SERVER_ARGS:-}"
if "$WORK/interviewbase" --help 2>&1 | grep -q -- '--max-connections-per-ip' &&
   [[ " ${SERVER_ARGS[*]} " != *" --max-connections-per-ip "* ]]; then
  SERVER_ARGS+=(--max-connections-per-ip $((CLIENTS + SLOW + 100)))
fi
start_interviewbase "$WORK/interviewbase" -- "${SERVER_ARGS[@]}"
PORT=$IB_PORT
seed_interviewbase

status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$IB_PID/status" 2>/dev/null || echo 0; }
RSS_IDLE=$(status_of VmRSS)

# RSS and threads twice a second until told to stop.
(
  while [[ ! -e "$WORK/stop-sampling" ]]; do
    echo "$(status_of VmRSS) $(status_of Threads)" >> "$WORK/samples"
    sleep 0.5
  done
) &
PIDS+=($!)

log "slowloris: $SLOW connections, a byte every ${SLOW_MS} ms"
"$SLOWLORIS" "$PORT" "$SLOW" $((DURATION + 8)) "$SLOW_MS" > "$WORK/slowloris.out" &
SLOW_PID=$!
PIDS+=("$SLOW_PID")
sleep 3

# /health once a second during the load: its time shows whether a new client gets a worker.
(
  end=$((SECONDS + DURATION))
  while ((SECONDS < end)); do
    curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT/health" \
      >> "$WORK/health" || echo "000 10" >> "$WORK/health"
    sleep 1
  done
) &
PROBE_PID=$!
PIDS+=("$PROBE_PID")

log "wrk -t2 -c$CLIENTS -d${DURATION}s --timeout ${TIMEOUT}s (scenario list)"
BENCH_SCENARIO=list BENCH_DATA=$WORK wrk -t2 "-c$CLIENTS" "-d${DURATION}s" --timeout "${TIMEOUT}s" \
  -s "$HERE/wrk/scenario.lua" "http://127.0.0.1:$PORT" > "$WORK/wrk.txt" 2>&1 || true
wait "$PROBE_PID" || true
RSS_LOAD_END=$(status_of VmRSS)
wait "$SLOW_PID" || true
touch "$WORK/stop-sampling"
sleep 1
RSS_AFTER=$(status_of VmRSS)

result=$(grep '^BENCH_RESULT' "$WORK/wrk.txt") || { cat "$WORK/wrk.txt" >&2; exit 1; }
kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" ${2# }"; }
slow=$(grep '^SLOWLORIS' "$WORK/slowloris.out" || echo "SLOWLORIS (no output)")
rss_peak=$(awk 'BEGIN{m=0} $1>m{m=$1} END{print m}' "$WORK/samples")
threads_peak=$(awk 'BEGIN{m=0} $2>m{m=$2} END{print m}' "$WORK/samples")
health_max=$(awk 'BEGIN{m=0} $2>m{m=$2} END{printf "%.3f", m}' "$WORK/health")
health_bad=$(awk '$1 != "200"' "$WORK/health" | wc -l)
health_n=$(wc -l < "$WORK/health")

{
  echo "### connections: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)"
  echo
  echo "wrk -t2 -c$CLIENTS -d${DURATION}s --timeout ${TIMEOUT}s, list scenario; $SLOW slow-header clients (a byte / ${SLOW_MS} ms); server flags: ${SERVER_ARGS[*]:-(defaults)}"
  echo
  echo "| requests | req/s | p50 ms | p99 ms | max ms | non-2xx | connect / read / write errors | timeouts |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
  echo "| $(kv requests "$result") | $(kv rps "$result") | $(kv p50_ms "$result") | $(kv p99_ms "$result") | $(kv max_ms "$result") | $(kv non2xx "$result") | $(kv connect_errors "$result") / $(kv read_errors "$result") / $(kv write_errors "$result") | $(kv timeouts "$result") |"
  echo
  echo "- /health probes during the load: $health_n, not 200: $health_bad, slowest ${health_max} s"
  echo "- server RSS: idle after seeding ${RSS_IDLE} kB, peak ${rss_peak} kB, end of load ${RSS_LOAD_END} kB, 1 s after ${RSS_AFTER} kB; threads peak ${threads_peak}"
  echo "- slow clients: ${slow#SLOWLORIS }"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the machine)"
} | tee "$HERE/last-connections.md"
