#!/usr/bin/env bash
# Peak memory of the server while /storage/v1 moves a 50 MB file: starts interviewbase on a
# throwaway database and prints, when idle and after each step, the growth over idle of its
# anonymous memory (RssAnon: heap, stacks; the peak of samples taken every 20 ms) and of its
# whole resident set (VmHWM, the kernel's peak). Budget: anonymous memory < 32 MB above idle.
# The resident set also counts the pages of the database and WAL files that reads touched
# through the server's shared read-only mappings of them (storage/shared_map_vfs.h): page
# cache, reclaimable, and charged to a memory cgroup as much when read with pread.
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
anon() { awk '/^RssAnon:/ {print $2}' "/proc/$PID/status"; }
# The peak of RssAnon since the sampler started, in kB (the kernel keeps no peak of it).
echo 0 >"$WORK/anon_peak"
(
  peak=0
  while kill -0 "$PID" 2>/dev/null; do
    now=$(anon 2>/dev/null || echo 0)
    if [ "${now:-0}" -gt "$peak" ]; then peak=$now; echo "$peak" >"$WORK/anon_peak"; fi
    sleep 0.02
  done
) &
anon_peak() { sleep 0.05; cat "$WORK/anon_peak"; }
step() {  # label, then the curl arguments; prints peak growth so far in MiB
  local label=$1; shift
  local code
  code=$(curl -s -o "${OUT:-$WORK/body}" -w '%{http_code}' "${AUTH[@]}" "$@")
  local a h
  a=$(anon_peak); h=$(hwm)
  printf '%-34s HTTP %s  anon %6d kB (+%5.1f MiB)  VmHWM %6d kB (+%5.1f MiB)\n' "$label" "$code" \
    "$a" "$(echo "($a - $IDLE_ANON) / 1024" | bc -l)" "$h" "$(echo "($h - $IDLE) / 1024" | bc -l)"
}

head -c "$SIZE" /dev/urandom >"$WORK/file.bin"
curl -s -o /dev/null "${AUTH[@]}" -H 'Content-Type: application/json' \
  -d '{"id":"bench","name":"bench","public":false}' "$URL/bucket"
IDLE=$(hwm)
IDLE_ANON=$(anon_peak)
printf 'idle                                         anon %6d kB            VmHWM %6d kB\n' \
  "$IDLE_ANON" "$IDLE"
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
PEAK_ANON=$(anon_peak)
printf 'peak growth over idle: anonymous %.1f MiB (budget 32 MiB), resident set %.1f MiB\n' \
  "$(echo "($PEAK_ANON - $IDLE_ANON) / 1024" | bc -l)" "$(echo "($PEAK - $IDLE) / 1024" | bc -l)"
