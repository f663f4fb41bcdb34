#!/usr/bin/env bash
# bench/realtime.sh: Realtime at scale on this machine (bench/README.md, "Realtime"). One server on
# a throwaway database holding bench/run.sh's reference data (seed.py base) and RT_SUBSCRIBERS
# more users with one interview each (seed.py realtime, written into the stopped server's file).
# Each round (odd rounds in this order, even rounds with 1 after 2-4):
#   1. without Realtime: wrk runs the reference list, then the insert (run.sh's scenarios);
#   2. bench/realtime/load.mjs opens RT_SOCKETS WebSockets, each joined to one channel, the first
#      RT_SUBSCRIBERS with their user's token and a postgres_changes binding on their own
#      interview's responses; the server's VmRSS before and after gives the idle memory per socket;
#   3. RT_RATE inserts/s into interview_responses, spread over the subscribers' users, first alone
#      for RT_ALONE seconds (the delivery latency figure), then while wrk runs the list and the
#      insert again (the REST figures with Realtime);
#   4. load.mjs checks that every insert reached its owner exactly once and nobody else.
# With RT_CONTROL=1 (default) each round also runs steps 3's inserts and wrk runs with no socket
# open (the control): what the inserts alone cost the REST figures, apart from Realtime's share.
# Prints a summary (and writes it to bench/last-realtime.md, untracked).
#
# Environment (all optional):
#   RT_SOCKETS=2000 RT_SUBSCRIBERS=1000 RT_RATE=200 (inserts/s) RT_ALONE=20 (s) RT_CONTROL=1
#   BENCH_DURATION=10 (s per wrk run, wrk -t2 -c8 as run.sh)   BENCH_ROUNDS=5
#   BENCH_NICE=0 (as run.sh: -15 on a busy machine)   BENCH_NO_BUILD=1   BUILD=build
#   RT_PROFILE=alone-rt,list-rt  labels (alone-ctl, alone-rt, list-without, list-ctl, list-rt,
#                         insert-...) whose server side perf samples (call graphs, dwarf) in round 1;
#                         bench/.build/profile-rt-LABEL.txt sums them up (perf_top.py); profiled
#                         runs are slower, so their figures are not ones to quote
# Only loopback addresses are used; every load is bounded in time.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-build}
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-5}
SOCKETS=${RT_SOCKETS:-2000}
SUBSCRIBERS=${RT_SUBSCRIBERS:-1000}
RATE=${RT_RATE:-200}
ALONE=${RT_ALONE:-20}
if [[ "${BENCH_NICE:-0}" != 0 && -z "${BENCH_IN_SESSION:-}" ]] &&
   [[ -w /proc/self/autogroup ]] && command -v setsid >/dev/null; then
  exec setsid -w env BENCH_IN_SESSION=1 bash "${BASH_SOURCE[0]}" "$@"   # see run.sh
fi
[[ -n "${BENCH_IN_SESSION:-}" ]] && { echo "${BENCH_NICE}" > /proc/self/autogroup 2>/dev/null || true; }
NICE=(nice -n "${BENCH_NICE:-0}")
SECRET="bench-secret-0123456789abcdefghijklmnopq"
HZ=$(getconf CLK_TCK)
log() { printf '[realtime] %s\n' "$*" >&2; }

if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
  log "building interviewbase (Release) in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target interviewbase -j "$(nproc)" >/dev/null
fi
[[ -x "$BUILD/interviewbase" ]] || { log "no $BUILD/interviewbase"; exit 1; }
for tool in wrk python3 node; do
  command -v "$tool" >/dev/null || { log "$tool is missing (bench/run.sh installs it)"; exit 1; }
done
need=$((SOCKETS + 500))
if (($(ulimit -n) < need)); then
  ulimit -n "$need" 2>/dev/null || { log "ulimit -n is $(ulimit -n), need $need"; exit 1; }
fi

# shellcheck source=SCRIPTDIR/lib/server.sh
source "$HERE/lib/server.sh"
WORK=$(mktemp -d /tmp/ib-realtime-XXXXXX)
cp "$BUILD/interviewbase" "$WORK/interviewbase"

log "seeding: seed.py base, then seed.py realtime ($SUBSCRIBERS users) into the stopped server's file"
start_interviewbase "${NICE[@]}" "$WORK/interviewbase"
seed_interviewbase
kill "$IB_PID"
wait "$IB_PID" 2>/dev/null || true
python3 "$HERE/lib/seed.py" realtime --db "$WORK/bench.db" --data "$WORK" --users "$SUBSCRIBERS" >&2
# The new server truncates ib.out only once it runs: the old keys must not be read meanwhile.
rm -f "$WORK/ib.out"
# Every socket comes from 127.0.0.1, and WebSockets count against the per-address cap.
start_interviewbase "${NICE[@]}" "$WORK/interviewbase" -- --max-connections-per-ip 0
# The list reads the first half of the base users, the insert writes as the second half: the
# insert's rows never become the rows the list returns, whatever the order of the runs.
mkdir -p "$WORK/list" "$WORK/insert"
half=$(($(wc -l < "$WORK/users.tsv") / 2))
head -n "$half" "$WORK/users.tsv" > "$WORK/list/users.tsv"
tail -n +"$((half + 1))" "$WORK/users.tsv" > "$WORK/insert/users.tsv"
for d in list insert; do cp "$WORK/anon.key" "$WORK/service.key" "$WORK/$d/"; done

status_of() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$IB_PID/status"; }
cpu_total() { awk '/^cpu /{t=0; for(i=2;i<=9;i++) t+=$i; print t}' /proc/stat; }
cpu_idle() { awk '/^cpu /{print $5+$6}' /proc/stat; }
jiffies() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
LOAD_PID=""

# profile_start LABEL ROUND SECONDS / profile_end: perf on the server during LABEL (RT_PROFILE).
PERF_PID=""
profile_start() {
  [[ "$2" == 1 && ",${RT_PROFILE:-}," == *",$1,"* ]] && command -v perf >/dev/null || return 0
  perf record -q -F 499 --call-graph dwarf,16384 -p "$IB_PID" -o "$WORK/perf.$1.data" \
    -- sleep "$3" > "$WORK/perf.$1.log" 2>&1 &
  PERF_PID=$!
  PERF_LABEL=$1
}
profile_end() {
  [[ -n "$PERF_PID" ]] || return 0
  wait "$PERF_PID" || true
  PERF_PID=""
  mkdir -p "$HERE/.build"
  perf script -i "$WORK/perf.$PERF_LABEL.data" -F ip,sym 2>/dev/null > "$HERE/.build/perf-rt-$PERF_LABEL.txt" || true
  python3 "$HERE/lib/perf_top.py" "$HERE/.build/perf-rt-$PERF_LABEL.txt" ib::realtime \
    ib::rest::RunInsert ib::storage::Transaction::Commit sqlite3VdbeExec \
    > "$HERE/.build/profile-rt-$PERF_LABEL.txt" || true
  log "profile of $PERF_LABEL: bench/.build/profile-rt-$PERF_LABEL.txt (its figures are not ones to quote)"
}

# measure LABEL SCENARIO ROUND: one wrk run (-t2 -c8) against the server; appends to results.tsv
# the wrk figures and the CPU shares (% of 200) of the server, wrk, load.mjs and everything else.
measure() {
  local label=$1 scenario=$2 round=$3 t0 t1 i0 i1 s0 s1 n0 n1 out line wrk_j
  out="$WORK/wrk.$label.$round.txt"
  profile_start "$label" "$round" $((DURATION > 3 ? DURATION - 2 : 1))
  t0=$(cpu_total); i0=$(cpu_idle); s0=$(jiffies "$IB_PID"); n0=0
  [[ -n "$LOAD_PID" ]] && n0=$(jiffies "$LOAD_PID")
  (
    BENCH_SCENARIO=$scenario BENCH_DATA="$WORK/$scenario" "${NICE[@]}" wrk -t2 -c8 "-d${DURATION}s" \
      -s "$HERE/wrk/scenario.lua" "http://127.0.0.1:$IB_PORT" > "$out"
    times > "$WORK/wrk.times"
  )
  t1=$(cpu_total); i1=$(cpu_idle); s1=$(jiffies "$IB_PID"); n1=0
  [[ -n "$LOAD_PID" ]] && n1=$(jiffies "$LOAD_PID")
  wrk_j=$(awk -v hz="$HZ" '{n=0; for(i=1;i<=2;i++){split($i,a,/[ms]/); n+=(a[1]*60+a[2])*hz}; printf "%d", n}' <(tail -1 "$WORK/wrk.times"))
  profile_end
  line=$(grep '^BENCH_RESULT' "$out") || { log "wrk gave no result for $label"; cat "$out" >&2; exit 1; }
  local total=$((t1 - t0)) others
  others=$((200 * ((t1 - t0) - (i1 - i0) - (s1 - s0) - wrk_j - (n1 - n0)) / total))
  ((others < 0)) && others=0
  printf '%s\tround=%s %s server_cpu=%s wrk_cpu=%s load_cpu=%s other_cpu=%s\n' "$label" "$round" \
    "${line#BENCH_RESULT }" $((200 * (s1 - s0) / total)) $((200 * wrk_j / total)) \
    $((200 * (n1 - n0) / total)) "$others" >> "$WORK/results.tsv"
  log "$label round $round: $(sed 's/.*\(rps=[0-9]*\).*\(p50_ms=[0-9.]*\).*\(p99_ms=[0-9.]*\).*\(non2xx=[0-9]*\).*/\1 \2 \3 \4/' <<<"$line")"
}

# wait_for FILE PATTERN SECONDS
wait_for() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$LOAD_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "no '$2' in $1:"; cat "$1" "$WORK/load.err" >&2; return 1
}

# with_load KIND ROUND: starts load.mjs (KIND rt: SOCKETS sockets; ctl: none, the same inserts
# only), measures the idle memory (rt), runs the inserts alone, then the list and the insert
# with wrk while they go on; stops it and keeps its report (load.KIND.ROUND.json).
with_load() {
  local kind=$1 r=$2 sockets=$SOCKETS alone=$ALONE rss0 rss1 t0 t1 s0 s1 n0 n1
  [[ $kind == ctl ]] && { sockets=0; ((alone > 10)) && alone=10; }
  rss0=$(status_of VmRSS)
  rm -f "$WORK/ctl" && mkfifo "$WORK/ctl"
  "${NICE[@]}" node --experimental-websocket "$HERE/realtime/load.mjs" --port "$IB_PORT" \
    --data "$WORK" --sockets "$sockets" --subscribers "$SUBSCRIBERS" --rate "$RATE" \
    --out "$WORK/load.$kind.$r.json" < "$WORK/ctl" > "$WORK/load.$kind.$r.out" 2>> "$WORK/load.err" &
  LOAD_PID=$!
  PIDS+=("$LOAD_PID")
  exec 3> "$WORK/ctl"
  wait_for "$WORK/load.$kind.$r.out" '^JOINED' 120
  if [[ $kind == rt ]]; then
    sleep 3   # the joins' replies and system frames are written; the server is idle again
    rss1=$(status_of VmRSS)
    printf 'memory\tround=%s sockets=%s joined=%s rss_before_kb=%s rss_after_kb=%s\n' "$r" \
      "$sockets" "$(awk '/^JOINED/{print $2}' "$WORK/load.$kind.$r.out")" "$rss0" "$rss1" \
      >> "$WORK/results.tsv"
    log "round $r: $(sed -n 's/^JOINED \([0-9]*\) \(.*\)/\1 sockets joined in \2 s/p' "$WORK/load.$kind.$r.out"); VmRSS $rss0 -> $rss1 kB"
  fi
  echo "phase alone" >&3
  profile_start "alone-$kind" "$r" $((alone > 4 ? alone - 2 : 1))
  t0=$(cpu_total); s0=$(jiffies "$IB_PID"); n0=$(jiffies "$LOAD_PID")
  sleep "$alone"
  t1=$(cpu_total); s1=$(jiffies "$IB_PID"); n1=$(jiffies "$LOAD_PID")
  profile_end
  printf 'alone-%s\tround=%s server_cpu=%s load_cpu=%s\n' "$kind" "$r" \
    $((200 * (s1 - s0) / (t1 - t0))) $((200 * (n1 - n0) / (t1 - t0))) >> "$WORK/results.tsv"
  echo "phase list" >&3
  measure "list-$kind" list "$r"
  echo "phase insert" >&3
  measure "insert-$kind" insert "$r"
  echo "stop" >&3
  exec 3>&-
  wait "$LOAD_PID" || log "load.mjs exited with $?"
  LOAD_PID=""
  sed 's/^/[realtime]   /' "$WORK/load.$kind.$r.out" | grep -v JOINED >&2
}

log "wrk -t2 -c8 -d${DURATION}s; $ROUNDS rounds; Realtime: $SOCKETS sockets, $SUBSCRIBERS subscribed, $RATE inserts/s"
# The rates of one configuration drift by 15-25 % over minutes on these VMs, more than the 10 %
# being judged, so each round's runs without and with Realtime are next to each other and their
# order alternates (ABBA): a drift in time then favours neither; the summary judges the median
# of the rounds' own drops.
without() {
  measure list-without list "$1"
  measure insert-without insert "$1"
}
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then without "$r"; with_load rt "$r"; else with_load rt "$r"; without "$r"; fi
  if [[ "${RT_CONTROL:-1}" == 1 ]]; then with_load ctl "$r"; fi
done

python3 "$HERE/realtime/summary.py" "$WORK" "$ROUNDS" \
  "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)" "wrk -t2 -c8 -d${DURATION}s" \
  | tee "$HERE/last-realtime.md"
