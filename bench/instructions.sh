#!/usr/bin/env bash
# bench/instructions.sh: instructions per request (callgrind) of the list (as a user and as
# service_role), the embedding list, the filtered count, the insert and the completion, for one or more interviewbase binaries on the same seeded
# data. A count does not drift with the VM as req/s do (bench/README.md, "Noise"), so two builds
# compare within about 1-3 %; it says nothing of waits, syncs or contention: rates still come
# from run.sh.
#
#   bench/instructions.sh [BIN...]     default: build/interviewbase (built like run.sh)
#
# Environment: IR_SCENARIOS=list,service,embed,count,insert,complete, IR_LIST=2000
# IR_SERVICE=2000 IR_EMBED=1000 IR_COUNT=2000 IR_INSERT=500 IR_COMPLETE=300 (requests counted
# per scenario), IR_KEEP=DIR (keep each callgrind dump there, for callgrind_annotate),
# BENCH_NO_BUILD=1 (use build/interviewbase as it is).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SECRET="bench-secret-0123456789abcdefghijklmnopq"
log() { printf '[instructions] %s\n' "$*" >&2; }
# shellcheck source=bench/lib/server.sh
source "$HERE/lib/server.sh"

"$ROOT/packaging/install-deps.sh"
install_missing valgrind python3
if (($# == 0)); then
  if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$ROOT/build" --target interviewbase -j "$(nproc)" >/dev/null
  fi
  set -- "$ROOT/build/interviewbase"
fi

WORK=$(mktemp -d /tmp/ib-instructions-XXXXXX)
# The data: run.sh's base set, and 300 pending sessions per user for the completions, seeded
# by the first binary, then stopped so each measurement starts from a copy of the same file.
start_interviewbase "$1"
log "seeding (bench/lib/seed.py base, pending)"
python3 "$HERE/lib/seed.py" base --port "$IB_PORT" --data "$WORK" >&2
python3 "$HERE/lib/seed.py" pending --port "$IB_PORT" --data "$WORK" --pending-per-user 300 >&2
kill "$IB_PID"
wait "$IB_PID" 2>/dev/null || true

IFS=, read -r -a scenarios <<<"${IR_SCENARIOS:-list,service,embed,count,insert,complete}"
for bin in "$@"; do
  for scenario in "${scenarios[@]}"; do
    case $scenario in
      list) n=${IR_LIST:-2000} ;;
      service) n=${IR_SERVICE:-2000} ;;
      embed) n=${IR_EMBED:-1000} ;;
      count) n=${IR_COUNT:-2000} ;;
      insert) n=${IR_INSERT:-500} ;;
      complete) n=${IR_COMPLETE:-300} ;;
      *) log "unknown scenario $scenario"; exit 2 ;;
    esac
    keep=()
    if [[ -n "${IR_KEEP:-}" ]]; then
      mkdir -p "$IR_KEEP"
      keep=(--keep "$IR_KEEP/callgrind.$scenario.$(basename "$bin").out")
    fi
    python3 "$HERE/lib/instructions.py" "$bin" "$scenario" "$n" --data "$WORK" "${keep[@]}"
  done
done
