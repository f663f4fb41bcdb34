#!/bin/sh
# Tests clang_tidy.sh's choice of translation units, on a made-up project and compile database
# with a stand-in run-clang-tidy that prints the units it is given: a unity batch of server/
# and storage/ sources is checked, a batch that mixes in tests/ files is not (the suites are
# not linted), a file compiled alone is checked as itself, and a source that is in no checked
# unit (only in a skipped batch, or in none) fails the lint and is named.
# Usage: clang_tidy_units_test.sh ROOT   (ROOT: the project, for tests/lint/clang_tidy.sh)
set -e
script="${1:?usage: clang_tidy_units_test.sh ROOT}/tests/lint/clang_tidy.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

project="$work/p"
build="$project/build"
mkdir -p "$project/server" "$project/storage" "$project/tests" "$build/Unity" "$work/bin"
for f in server/a.cpp server/b.cpp storage/c.cpp storage/d.cpp tests/t.cpp; do
  : >"$project/$f"
done
# Batch 1: own sources. Batch 2: an own source beside a test (skipped). d.cpp: alone.
printf '#include "%s/server/a.cpp"\n#include "%s/storage/c.cpp"\n' "$project" "$project" \
  >"$build/Unity/unity_0_cxx.cxx"
printf '#include "%s/server/b.cpp"\n#include "%s/tests/t.cpp"\n' "$project" "$project" \
  >"$build/Unity/unity_1_cxx.cxx"
database() {
  {
    echo '['
    sep=''
    for file in "$@"; do
      # As CMake writes it: one key per line.
      printf '%s{\n  "directory": "%s",\n  "command": "c++ -c %s",\n  "file": "%s"\n}\n' \
        "$sep" "$build" "$file" "$file"
      sep=','
    done
    echo ']'
  } >"$build/compile_commands.json"
}
# The stand-in: one line per unit (an anchored file regex) it was given.
cat >"$work/bin/run-clang-tidy" <<'EOF'
#!/bin/sh
for arg in "$@"; do
  case $arg in ^*) echo "unit $arg" ;; esac
done
EOF
chmod +x "$work/bin/run-clang-tidy"

# b.cpp is only in the skipped batch: refused, and named.
database "$build/Unity/unity_0_cxx.cxx" "$build/Unity/unity_1_cxx.cxx" "$project/storage/d.cpp"
if PATH="$work/bin:$PATH" sh "$script" "$project" "$build" >"$work/out" 2>"$work/err"; then
  fail "a source in no checked unit passed"
fi
grep -q 'not in any translation unit' "$work/err" || fail "no refusal message: $(cat "$work/err")"
grep -qxF "$project/server/b.cpp" "$work/err" || fail "b.cpp not named: $(cat "$work/err")"
grep -qF "a.cpp" "$work/err" && fail "a.cpp named although its batch is checked"

# b.cpp compiled alone as well: every source covered, the units handed to run-clang-tidy.
database "$build/Unity/unity_0_cxx.cxx" "$build/Unity/unity_1_cxx.cxx" "$project/storage/d.cpp" \
  "$project/server/b.cpp"
PATH="$work/bin:$PATH" sh "$script" "$project" "$build" >"$work/out" 2>"$work/err" ||
  fail "all sources covered, yet refused: $(cat "$work/err")"
grep -c '^unit ' "$work/out" | grep -qx 3 || fail "expected 3 units: $(cat "$work/out")"
for unit in Unity/unity_0_cxx storage/d server/b; do
  grep -q "^unit \\^.*$unit\\\\\\.c" "$work/out" || fail "unit $unit missing: $(cat "$work/out")"
done
grep -q 'unity_1_cxx' "$work/out" && fail "the batch with a test file was checked"
echo "clang_tidy.sh's units: ok"
