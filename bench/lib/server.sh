# shellcheck shell=bash
# Sourced by bench/run.sh, bench/connections.sh and the other bench scripts: the background
# processes they start and their cleanup, waiting for a server's line, and one interviewbase on
# a throwaway database, started and seeded. The sourcing script defines log(), SECRET and HERE
# (bench/) first, and sets WORK (its temporary folder) before start_interviewbase.

WORK=""
PIDS=()  # every background process started; killed and reaped on exit
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "$WORK" && -z "${BENCH_KEEP:-}" ]] && rm -rf "$WORK"
}
trap cleanup EXIT

# install_missing COMMAND[=PACKAGE]...: installs from Debian, in one apt-get, the package of
# each command not on PATH (named as the command unless given: node=nodejs).
install_missing() {
  local missing=() spec sudo_cmd=()
  for spec in "$@"; do
    command -v "${spec%%=*}" >/dev/null || missing+=("${spec#*=}")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

# wait_line FILE PATTERN: waits up to 15 s for a line matching PATTERN in FILE.
wait_line() {
  local i
  for ((i = 0; i < 150; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  log "timed out waiting for '$2' in $1:"
  cat "$1" >&2
  return 1
}

# port_of FILE: the port of the server whose `listening on` line is in FILE.
port_of() { sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$1" | head -1; }

# start_interviewbase COMMAND... [-- FLAGS...]: runs `COMMAND serve` (COMMAND: the binary,
# optionally behind a launcher such as nice) on $WORK/bench.db with $SECRET, the minimal
# password cost, no request log, and FLAGS; waits for its keys. Sets IB_PID and IB_PORT and
# writes $WORK/secret, ib.out, ib.err, anon.key and service.key (what seed.py reads).
start_interviewbase() {
  local cmd=() flags=()
  while (($#)) && [[ "$1" != -- ]]; do cmd+=("$1"); shift; done
  (($#)) && shift
  flags=("$@")
  printf '%s' "$SECRET" > "$WORK/secret"
  "${cmd[@]}" serve --db "$WORK/bench.db" --port 0 --jwt-secret "$SECRET" --log-requests false \
    --password-cost minimal "${flags[@]}" > "$WORK/ib.out" 2> "$WORK/ib.err" &
  IB_PID=$!
  PIDS+=("$IB_PID")
  wait_line "$WORK/ib.out" '^service_role key: '
  IB_PORT=$(port_of "$WORK/ib.out")
  sed -n 's/^anon key: //p' "$WORK/ib.out" | head -1 > "$WORK/anon.key"
  sed -n 's/^service_role key: //p' "$WORK/ib.out" | head -1 > "$WORK/service.key"
}

# seed_interviewbase: the base data set (bench/lib/seed.py base) into the server started above.
seed_interviewbase() {
  log "seeding (bench/lib/seed.py base)"
  python3 "$HERE/lib/seed.py" base --port "$IB_PORT" --data "$WORK" >&2
}
