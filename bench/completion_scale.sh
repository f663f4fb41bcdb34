#!/usr/bin/env bash
# bench/completion_scale.sh: does a completion cost more on a big database? The completion PATCH
# (scenario `complete`, the whole hook chain) on two servers measured in alternating rounds:
#   small: 100 users x 100 sessions (bench/run.sh's data set), completions spread over all users;
#   large: 10 users x 5,000 sessions, completing their own sessions, on a leaderboard of 100,000
#          users (seed.py crowd writes the other 99,990 straight into the database file).
# Prints each round and the large/small ratio of the median rates (goal: >= 0.8).
#
# Environment: BENCH_DURATION=10 (s per run), BENCH_ROUNDS=3, BENCH_NO_BUILD=1, BUILD=build,
# BENCH_NICE=0 (as in run.sh; -15 on a busy machine). wrk -t2 -c8 as in run.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-build}
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
if [[ "${BENCH_NICE:-0}" != 0 && -z "${BENCH_IN_SESSION:-}" ]] &&
   [[ -w /proc/self/autogroup ]] && command -v setsid >/dev/null; then
  exec setsid -w env BENCH_IN_SESSION=1 bash "${BASH_SOURCE[0]}" "$@"   # see run.sh
fi
[[ -n "${BENCH_IN_SESSION:-}" ]] && { echo "${BENCH_NICE}" > /proc/self/autogroup 2>/dev/null || true; }
NICE=(nice -n "${BENCH_NICE:-0}")
SECRET="bench-secret-0123456789abcdefghijklmnopq"
log() { printf '[scale] %s\n' "$*" >&2; }

if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD" --target interviewbase -j "$(nproc)" >/dev/null
fi
# shellcheck source=SCRIPTDIR/lib/server.sh
source "$HERE/lib/server.sh"
TOP=$(mktemp -d /tmp/ib-scale-XXXXXX)
cp "$BUILD/interviewbase" "$TOP/interviewbase"

# Pending sessions for every round with room to spare (no PATCH may complete one twice).
pending_for() { echo $(((4000 * DURATION * ROUNDS * 3 / 2) / $1 + 1)); }

WORK=$TOP/small && mkdir -p "$WORK"
start_interviewbase "${NICE[@]}" "$TOP/interviewbase"
BENCH_USERS=100 BENCH_SESSIONS_PER_USER=100 python3 "$HERE/lib/seed.py" base --port "$IB_PORT" --data "$WORK" >&2
python3 "$HERE/lib/seed.py" pending --port "$IB_PORT" --data "$WORK" --pending-per-user "$(pending_for 100)" >&2
SMALL_PORT=$IB_PORT

WORK=$TOP/large && mkdir -p "$WORK"
start_interviewbase "${NICE[@]}" "$TOP/interviewbase"
BENCH_USERS=10 BENCH_SESSIONS_PER_USER=5000 python3 "$HERE/lib/seed.py" base --port "$IB_PORT" --data "$WORK" >&2
python3 "$HERE/lib/seed.py" pending --port "$IB_PORT" --data "$WORK" --pending-per-user "$(pending_for 10)" >&2
kill "$IB_PID" && wait "$IB_PID" 2>/dev/null || true
python3 "$HERE/lib/seed.py" crowd --db "$WORK/bench.db" --crowd 99990 >&2
start_interviewbase "${NICE[@]}" "$TOP/interviewbase"
LARGE_PORT=$IB_PORT
WORK=$TOP   # cleanup removes everything

run() {  # run NAME PORT ROUND: one wrk run of the completion PATCH; prints its req/s
  local name=$1 port=$2 round=$3 out line
  out="$TOP/wrk.$name.$round.txt"
  BENCH_SCENARIO=complete BENCH_DATA="$TOP/$name" "${NICE[@]}" wrk -t2 -c8 "-d${DURATION}s" \
    -s "$HERE/wrk/scenario.lua" "http://127.0.0.1:$port" > "$out"
  line=$(grep '^BENCH_RESULT' "$out")
  [[ "$line" == *" wrapped=0 "* && "$line" == *" non2xx=0 "* ]] ||
    log "WARNING: $name round $round: $line"
  log "$name round $round: $(sed 's/.*\(rps=[0-9]*\).*\(p50_ms=[0-9.]*\).*\(p99_ms=[0-9.]*\).*/\1 \2 \3/' <<<"$line")"
  sed 's/.*rps=\([0-9]*\).*/\1/' <<<"$line"
}

small=() large=()
for ((r = 1; r <= ROUNDS; r++)); do
  small+=("$(run small "$SMALL_PORT" "$r")")
  large+=("$(run large "$LARGE_PORT" "$r")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(median "${small[@]}") ml=$(median "${large[@]}")
echo "completion PATCH req/s, wrk -t2 -c8 -d${DURATION}s, $ROUNDS alternating rounds"
echo "small (100 users x 100 sessions):                    ${small[*]}  median $ms"
echo "large (100,000 on the leaderboard, 5,000 sessions each): ${large[*]}  median $ml"
awk -v l="$ml" -v s="$ms" 'BEGIN {printf "large / small = %.2f\n", l / s}'
