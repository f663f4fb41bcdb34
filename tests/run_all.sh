#!/usr/bin/env bash
# Runs every test suite through ctest: the release build (unit, e2e, supabase-js client and
# dashboard browser tests), the ASan+UBSan build (unit and e2e) and, when their directories are
# given, the ThreadSanitizer build (unit and e2e) and the libFuzzer build (a short run per
# target). Ends with one plain "N passed, M failed" line totalling the runs, and exits non-zero
# if anything failed.
set -uo pipefail

release_dir=${1:-build}
asan_dir=${2:-build-asan}
tsan_dir=${3:-}
fuzz_dir=${4:-}
jobs=${JOBS:-2}
# The ThreadSanitizer suites wait more than they compute (the CPU was 43 % busy at two at a
# time, against 92 % for the ASan suites): three at a time.
tsan_jobs=${TSAN_JOBS:-$((jobs + 1))}
total_passed=0
total_failed=0
status=0

run_ctest() {
  local dir=$1 label=$2 parallel=${3:-$jobs}
  echo "=== $label ($dir) ==="
  local log
  log=$(mktemp)
  (cd "$dir" && ctest --output-on-failure -j "$parallel" --timeout 600) 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  # ctest's summary: "100% tests passed, 0 tests failed out of 42"
  local line failed total
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [[ -n "$line" ]]; then
    failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    total_passed=$((total_passed + total - failed))
    total_failed=$((total_failed + failed))
  elif [[ $rc -ne 0 ]]; then
    total_failed=$((total_failed + 1))
  fi
  [[ $rc -eq 0 ]] || status=1
  rm -f "$log"
}

run_ctest "$release_dir" "release build"
# The sanitizer build registers the C++ suites only (see CMakeLists.txt): the client suite
# is language-level and runs against the release binary.
run_ctest "$asan_dir" "asan+ubsan build"
# The TSan binaries carry their options (halt on the first report, exit code 66) and the
# suppressions file: tests/tsan/.
[[ -z "$tsan_dir" ]] || run_ctest "$tsan_dir" "tsan build" "$tsan_jobs"
[[ -z "$fuzz_dir" ]] || run_ctest "$fuzz_dir" "libFuzzer build"

echo "${total_passed} passed, ${total_failed} failed"
exit $status
