#!/usr/bin/env bash
# bench/run.sh: interviewbase's throughput benchmark with wrk, against two reference servers on
# the same data in the same run. See bench/README.md for what each scenario measures.
#
#   bench/run.sh                 build if needed, seed, measure, print and write the summary
#
# Environment (all optional):
#   BENCH_DURATION=10     seconds per wrk run            BENCH_ROUNDS=3  rounds of the headline
#   BENCH_NO_BUILD=1      use the existing build/interviewbase as it is
#   BENCH_QUIET_MAX=15    before each run, wait (up to BENCH_QUIET_WAIT=120 s) until the machine
#                         is at most this % busy with other processes; the % seen is reported
#   BENCH_NICE=0          nice level of the servers and wrk (root only below 0): on a machine busy
#                         with other work (a shared checkout's builds), -15 keeps them from
#                         sharing the two cores with it; the summary reports what was left
#   BENCH_PROFILE=a-list,f-complete
#                         labels to profile: perf samples the server (call graphs, dwarf)
#                         during those runs and bench/.build/profile-LABEL.txt sums it up;
#                         profiled runs are slower, so their req/s are not figures to quote
#   BUILD=build           CMake build folder (Release)
# Only loopback addresses are used; every wrk run is bounded by BENCH_DURATION.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-build}
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
QUIET_MAX=${BENCH_QUIET_MAX:-15}
QUIET_WAIT=${BENCH_QUIET_WAIT:-120}
NICE=(nice -n "${BENCH_NICE:-0}")
if [[ "${BENCH_NICE:-0}" != 0 && -z "${BENCH_IN_SESSION:-}" ]] &&
   [[ -w /proc/self/autogroup ]] && command -v setsid >/dev/null; then
  # With the kernel's autogroups, CPU is shared between sessions first and nice only counts
  # inside one: run in a session of our own and give that whole session the nice level.
  exec setsid -w env BENCH_IN_SESSION=1 bash "${BASH_SOURCE[0]}" "$@"
fi
if [[ -n "${BENCH_IN_SESSION:-}" ]]; then
  echo "${BENCH_NICE}" > /proc/self/autogroup 2>/dev/null || true
fi
WRK_ARGS=(-t2 -c8 "-d${DURATION}s")
# A fixed 40-character secret: the same keys and tokens every run.
SECRET="bench-secret-0123456789abcdefghijklmnopq"
HZ=$(getconf CLK_TCK)

log() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools and builds
install_tools() {
  "$ROOT/packaging/install-deps.sh"   # compiler, cmake, SQLite, SQLiteCpp, cpp-httplib, OpenSSL
  install_missing wrk python3 node=nodejs npm curl
}

build_all() {
  if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    log "building interviewbase (Release) in $BUILD"
    # Only the server target: the test targets need not build for a benchmark.
    mkdir -p "$HERE/.build"
    if ! { cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
           cmake --build "$BUILD" --target interviewbase -j "$(nproc)" > "$HERE/.build/build.log" 2>&1; }; then
      tail -20 "$HERE/.build/build.log" >&2
      [[ -x "$BUILD/interviewbase" ]] || { log "build failed"; exit 1; }
      # A shared checkout can be mid-edit: measure the last binary that built, and say so.
      BUILD_NOTE="the build of the working tree failed; measured the previous $BUILD/interviewbase"
      log "WARNING: $BUILD_NOTE"
    fi
  fi
  [[ -x "$BUILD/interviewbase" ]] || { log "no $BUILD/interviewbase"; exit 1; }
  local type
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
  [[ "$type" == Release ]] || log "WARNING: $BUILD is a '$type' build, not Release"

  # The naive cpp-httplib + SQLiteCpp + nlohmann::json server.
  CPP_BASELINE="$HERE/.build/cpp-baseline"
  if [[ ! -x "$CPP_BASELINE" || "$HERE/cpp-baseline/server.cpp" -nt "$CPP_BASELINE" ]]; then
    log "building the cpp-httplib baseline"
    mkdir -p "$HERE/.build"
    # shellcheck disable=SC2046
    g++ -std=c++17 -O2 -o "$CPP_BASELINE" "$HERE/cpp-baseline/server.cpp" \
      $(pkg-config --cflags --libs cpp-httplib) -lSQLiteCpp -lsqlite3 -lssl -lcrypto -pthread
  fi

  # The Node.js + better-sqlite3 server (better-sqlite3 12.x: 13.x crashes on Node 20).
  if [[ ! -d "$HERE/node-baseline/node_modules/better-sqlite3" ||
        "$HERE/node-baseline/package-lock.json" -nt "$HERE/node-baseline/node_modules" ]]; then
    log "npm ci in bench/node-baseline"
    # better-sqlite3 compiles from source when no prebuilt binary can be fetched: use the
    # installed Node headers rather than downloading them.
    [[ -d /usr/include/node && -z "${npm_config_nodedir:-}" ]] && export npm_config_nodedir=/usr
    (cd "$HERE/node-baseline" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# ---------------------------------------------------------------- processes
# PIDS and their cleanup on exit, wait_line, port_of, start_interviewbase, seed_interviewbase.
# shellcheck source=SCRIPTDIR/lib/server.sh
source "$HERE/lib/server.sh"

# ---------------------------------------------------------------- measuring
cpu_total() { awk '/^cpu /{t=0; for(i=2;i<=9;i++) t+=$i; print t, $5+$6}' /proc/stat; }
proc_jiffies() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Percentage of both cores busy over one second (our servers are idle between runs).
busy_now() {
  local t0 i0 t1 i1
  read -r t0 i0 < <(cpu_total)
  sleep 1
  read -r t1 i1 < <(cpu_total)
  echo $(((100 * ((t1 - t0) - (i1 - i0))) / (t1 - t0 > 0 ? t1 - t0 : 1)))
}

wait_quiet() {
  local busy waited=0
  busy=$(busy_now)
  while ((busy > QUIET_MAX && waited < QUIET_WAIT)); do
    ((waited == 0)) && log "machine ${busy}% busy with other work; waiting up to ${QUIET_WAIT}s"
    sleep 4
    waited=$((waited + 5))
    busy=$(busy_now)
  done
  echo "$busy"
}

# measure LABEL SCENARIO PORT SERVER_PID ROUND: one wrk run; appends a line to results.tsv.
measure() {
  local label=$1 scenario=$2 port=$3 pid=$4 round=$5 quiet
  quiet=$(wait_quiet)
  local t0 i0 t1 i1 s0 s1 wrk_j
  local perf_pid=""
  if [[ ",${BENCH_PROFILE:-}," == *",$label,"* ]] && command -v perf >/dev/null; then
    perf record -q -F 499 --call-graph dwarf,16384 -p "$pid" -o "$WORK/perf.$label.data" \
      -- sleep $((DURATION > 3 ? DURATION - 2 : 1)) > "$WORK/perf.$label.log" 2>&1 &
    perf_pid=$!
  fi
  read -r t0 i0 < <(cpu_total)
  s0=$(proc_jiffies "$pid")
  (
    BENCH_SCENARIO=$scenario BENCH_DATA=$WORK \
      "${NICE[@]}" wrk "${WRK_ARGS[@]}" -s "$HERE/wrk/scenario.lua" "http://127.0.0.1:$port" \
      > "$WORK/wrk.$label.$round.txt"
    times > "$WORK/wrk.times"   # not in a pipe: a pipe's subshell has no children
  )
  read -r t1 i1 < <(cpu_total)
  s1=$(proc_jiffies "$pid")
  if [[ -n "$perf_pid" ]]; then
    wait "$perf_pid" || true
    mkdir -p "$HERE/.build"
    perf script -i "$WORK/perf.$label.data" -F ip,sym 2>/dev/null > "$WORK/perf.$label.txt" || true
    cp "$WORK/perf.$label.txt" "$HERE/.build/perf-$label.txt"   # for perf_top.py with other roots
    python3 "$HERE/lib/perf_top.py" "$WORK/perf.$label.txt" ib::auth::VerifyHs256 \
      ib::rest::AppendRowObject sqlite3VdbeExec httplib::Server::process_request \
      ib::rest::RestEngine::HandleTable ib::rest::RunInsert ib::rest::RunUpdate \
      ib::storage::hooks::Fire ib::storage::hooks::AwardCompletion \
      ib::storage::Transaction::Commit > "$HERE/.build/profile-$label.txt"
    log "profile of $label: bench/.build/profile-$label.txt (req/s of this run is not a figure)"
  fi
  # `times`: "0m1.234s 0m0.567s" = user and system time of wrk.
  wrk_j=$(awk -v hz="$HZ" '{n=0; for(i=1;i<=2;i++){split($i,a,/[ms]/); n+=(a[1]*60+a[2])*hz}; printf "%d", n}' <(tail -1 "$WORK/wrk.times"))
  local total=$((t1 - t0)) busy=$(((t1 - t0) - (i1 - i0))) server=$((s1 - s0))
  local server_pct=$((200 * server / total)) wrk_pct=$((200 * wrk_j / total))
  local other_pct=$((200 * (busy - server - wrk_j) / total))
  ((other_pct < 0)) && other_pct=0
  local line
  line=$(grep '^BENCH_RESULT' "$WORK/wrk.$label.$round.txt") || {
    log "wrk gave no result for $label"; cat "$WORK/wrk.$label.$round.txt" >&2; exit 1; }
  printf '%s\tround=%s %s server_cpu=%s wrk_cpu=%s other_cpu=%s quiet_before=%s\n' \
    "$label" "$round" "${line#BENCH_RESULT }" "$server_pct" "$wrk_pct" "$other_pct" "$quiet" \
    >> "$WORK/results.tsv"
  log "$(printf '%-14s round %s: %s  (cpu %% of 200: server %s, wrk %s, others %s)' "$label" "$round" \
    "$(sed 's/.*\(rps=[0-9]*\).*\(p50_ms=[0-9.]*\).*\(p99_ms=[0-9.]*\).*\(non2xx=[0-9]*\).*/\1 \2 \3 \4/' <<<"$line")" \
    "$server_pct" "$wrk_pct" "$other_pct")"
}

# ---------------------------------------------------------------- main
install_tools
build_all

WORK=$(mktemp -d /tmp/ib-bench-XXXXXX)
DB="$WORK/bench.db"
# A private copy, so that a rebuild in the shared checkout cannot swap it mid-run.
cp "$BUILD/interviewbase" "$WORK/interviewbase"
echo "binary $(date -u -r "$BUILD/interviewbase" '+built %Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$BUILD/interviewbase" | cut -c1-12)" \
  > "$WORK/notes.txt"
[[ -n "${BUILD_NOTE:-}" ]] && echo "WARNING: $BUILD_NOTE" >> "$WORK/notes.txt"
[[ "${BENCH_NICE:-0}" != 0 ]] && echo "servers and wrk ran at nice ${BENCH_NICE} (BENCH_NICE)" >> "$WORK/notes.txt"

log "starting interviewbase on $DB"
start_interviewbase "${NICE[@]}" "$WORK/interviewbase"
seed_interviewbase

# The Node peer's inserts go to a copy of the seeded file (SQLite's online backup of the live
# database), so both servers insert into the same data without sharing a writer.
python3 -c 'import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); d = sqlite3.connect(sys.argv[2]); s.backup(d); d.close()' \
  "$DB" "$WORK/node-writes.db"
log "starting the baselines on the same file"
"${NICE[@]}" node "$HERE/node-baseline/server.mjs" --db "$DB" --jwt-secret "$SECRET" \
  --write-db "$WORK/node-writes.db" > "$WORK/node.out" 2>&1 &
NODE_PID=$!
PIDS+=("$NODE_PID")
"${NICE[@]}" "$CPP_BASELINE" --db "$DB" --jwt-secret "$SECRET" > "$WORK/cpp.out" 2>&1 &
CPP_PID=$!
PIDS+=("$CPP_PID")
wait_line "$WORK/node.out" '^listening on'
wait_line "$WORK/cpp.out" '^listening on'
NODE_PORT=$(port_of "$WORK/node.out")
CPP_PORT=$(port_of "$WORK/cpp.out")
# The three answer the reference list with the same 10 rows of the token's user.
python3 "$HERE/lib/seed.py" check --data "$WORK" --port "$IB_PORT" --port "$CPP_PORT" --port "$NODE_PORT" >&2

log "wrk ${WRK_ARGS[*]}; $ROUNDS rounds of the headline list, then the other scenarios"
for ((r = 1; r <= ROUNDS; r++)); do
  measure node-baseline list "$NODE_PORT" "$NODE_PID" "$r"
  measure cpp-baseline list "$CPP_PORT" "$CPP_PID" "$r"
  measure a-list list "$IB_PORT" "$IB_PID" "$r"
  measure b-service service "$IB_PORT" "$IB_PID" "$r"
done
kill "$CPP_PID" 2>/dev/null || true

measure d-embed embed "$IB_PORT" "$IB_PID" 1
measure e-count count "$IB_PORT" "$IB_PID" 1
# The same single-row insert to both, one after the other: the Node peer (a commit and its sync
# per request) and interviewbase (durable by default: concurrent inserts share a commit).
measure node-insert insert "$NODE_PORT" "$NODE_PID" 1
kill "$NODE_PID" 2>/dev/null || true
measure c-insert insert "$IB_PORT" "$IB_PID" 1

STATS_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
  "http://127.0.0.1:$IB_PORT/rest/v1/rpc/get_user_interview_stats" \
  -H "apikey: $(cat "$WORK/service.key")" -H "Authorization: Bearer $(cat "$WORK/service.key")" \
  -H 'Content-Type: application/json' -d '{"p_user_id":"00000000-0000-0000-0000-000000000000"}')
if [[ "$STATS_STATUS" == 200 ]]; then
  # Enough pending sessions that no PATCH completes one twice: 1.5x what the insert rate would
  # complete in one run (a completion costs at least an insert's work), 100 to 2,000 per user.
  insert_rps=$(sed -n 's/^c-insert.* rps=\([0-9]*\).*/\1/p' "$WORK/results.tsv")
  per_user=$(((insert_rps * DURATION * 3 / 2 + 99) / 100))
  ((per_user < 100)) && per_user=100
  ((per_user > 2000)) && per_user=2000
  python3 "$HERE/lib/seed.py" pending --port "$IB_PORT" --data "$WORK" --pending-per-user "$per_user" >&2
  measure f-complete complete "$IB_PORT" "$IB_PID" 1
  done_count=$(python3 "$HERE/lib/seed.py" completed --port "$IB_PORT" --data "$WORK")
  log "f-complete: $done_count pending sessions now completed"
  echo "f-complete: $done_count of the pending sessions were completed by the PATCH run" >> "$WORK/notes.txt"

  # Mixed: 90 % guarded lists, 10 % inserts, on the same c8 connections.
  measure h-mixed mixed "$IB_PORT" "$IB_PID" 1
  # Transcript streaming: 50 interviews each append a row every 100 ms (their own wrk, started
  # first and ending last) while the reference list is measured on 8 connections.
  BENCH_SCENARIO=append BENCH_DATA=$WORK BENCH_DELAY_MS=100 \
    "${NICE[@]}" wrk -t2 -c50 "-d$((DURATION + 2))s" -s "$HERE/wrk/scenario.lua" \
    "http://127.0.0.1:$IB_PORT" > "$WORK/wrk.g-append.txt" &
  APPEND_PID=$!
  sleep 1
  measure g-list list "$IB_PORT" "$IB_PID" 1
  wait "$APPEND_PID" || true
  if line=$(grep '^BENCH_RESULT' "$WORK/wrk.g-append.txt"); then
    # CPU is shared with g-list's run and reported there.
    printf 'g-append\tround=1 %s server_cpu=- wrk_cpu=- other_cpu=- quiet_before=-\n' \
      "${line#BENCH_RESULT }" >> "$WORK/results.tsv"
    log "g-append: $(sed 's/.*\(rps=[0-9]*\).*\(p99_ms=[0-9.]*\).*\(non2xx=[0-9]*\).*/\1 \2 \3/' <<<"$line")"
  else
    log "the append run gave no result"; cat "$WORK/wrk.g-append.txt" >&2
  fi
else
  log "no /rest/v1/rpc/get_user_interview_stats ($STATS_STATUS): skipping the completion PATCH"
fi

python3 "$HERE/lib/summary.py" "$WORK/results.tsv" "$WORK" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)" \
  "wrk ${WRK_ARGS[*]}" | tee "$HERE/last-run.md"
log "summary written to bench/last-run.md"
