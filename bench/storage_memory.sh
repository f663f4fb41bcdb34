#!/usr/bin/env bash
# Peak memory of the server while /storage/v1 moves a 50 MB file: starts interviewbase on a
# throwaway database, reads VmHWM (peak resident set) from /proc/<pid>/status when idle and
# after each step, and prints the growth over idle. Budget: < 32 MB above idle.
#
#   bench/storage_memory.sh [path/to/interviewbase] [size in bytes, default 50000000]
set -euo pipefail

BIN=${1:-build/interviewbase}
SIZE=${2:-50000000}
SECRET=bench-storage-secret-0123456789abcdef012345
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" serve --db "$WORK/bench.db" --port 0 --jwt-secret "$SECRET" --log-requests false \
  >"$WORK/out.txt" 2>"$WORK/err.txt" &
PID=$!
for _ in $(seq 50); do grep -q '^service_role key: ' "$WORK/out.txt" 2>/dev/null && break; sleep 0.1; done
PORT=$(head -1 "$WORK/out.txt" | grep -o '[0-9]*$')
KEY=$(sed -n 's/^service_role key: //p' "$WORK/out.txt")
URL="http://127.0.0.1:$PORT/storage/v1"
AUTH=(-H "apikey: $KEY" -H "Authorization: Bearer $KEY")

hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$PID/status"; }
step() {  # label, then the curl arguments; prints peak growth so far in MiB
  local label=$1; shift
  local code
  code=$(curl -s -o "${OUT:-$WORK/body}" -w '%{http_code}' "${AUTH[@]}" "$@")
  printf '%-34s HTTP %s  VmHWM %6d kB  (+%5.1f MiB over idle)\n' "$label" "$code" "$(hwm)" \
    "$(echo "($(hwm) - $IDLE) / 1024" | bc -l)"
}

head -c "$SIZE" /dev/urandom >"$WORK/file.bin"
curl -s -o /dev/null "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d '{"id":"bench","name":"bench","public":false}' "$URL/bucket"
IDLE=$(hwm)
printf 'idle                               VmHWM %6d kB\n' "$IDLE"
step "upload $SIZE B (raw)" -X POST -H 'Content-Type: application/octet-stream' \
  --data-binary "@$WORK/file.bin" "$URL/object/bench/file.bin"
OUT="$WORK/down.bin" step "download" "$URL/object/bench/file.bin"
cmp -s "$WORK/file.bin" "$WORK/down.bin" && echo "  download is byte-identical" || echo "  DOWNLOAD DIFFERS"
step "overwrite (x-upsert, multipart)" -X POST -H 'x-upsert: true' \
  -F "=@$WORK/file.bin;type=audio/webm" "$URL/object/bench/file.bin"
step "range read (last 1 MB)" -H 'Range: bytes=-1000000' "$URL/object/bench/file.bin"
step "remove" -X DELETE -H 'Content-Type: application/json' \
  -d '{"prefixes":["file.bin"]}' "$URL/object/bench"
PEAK=$(hwm)
printf 'peak growth over idle: %.1f MiB (budget 32 MiB)\n' "$(echo "($PEAK - $IDLE) / 1024" | bc -l)"
