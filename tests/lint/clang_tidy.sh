#!/bin/sh
# Runs the checked-in .clang-tidy over every project source under server/ and storage/, with
# the compile commands of BUILD itself. In a unity build (the default) the translation units
# are its batches: each batch of server/ or storage/ sources (with the generated sources a
# batch may end with), and the files compiled alone. A batch parses the heavy headers (Asio,
# httplib, nlohmann/json) and runs the checks' matchers over them once for its twelve files,
# not twelve times: about a third of the CPU of a per-file run. The files a batch includes are
# checked as its headers (HeaderFilterRegex); CMakeLists.txt marks each include of a generated
# batch NOLINT for bugprone-suspicious-include. Every source must be in some unit, or the lint
# fails. WarningsAsErrors is '*', so any finding fails. GCC-only warning flags in the compile
# commands are not clang-tidy's business.
# Usage: clang_tidy.sh ROOT BUILD [JOBS]    (about 2 minutes of 2 idle cores)
set -e
root=${1:?usage: clang_tidy.sh ROOT BUILD [JOBS]}
build=${2:?usage: clang_tidy.sh ROOT BUILD [JOBS]}
jobs=${3:-2}
database="$build/compile_commands.json"
[ -f "$database" ] || { echo "clang_tidy.sh: no $database (configure BUILD first)" >&2; exit 2; }
own="$root/\(server\|storage\)/"

units=$(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$database" | sort -u | while read -r file; do
  case $file in
    "$root"/server/*.cpp | "$root"/storage/*.cpp) echo "$file" ;;
    */Unity/unity_*.cxx)
      if grep -q "^#include \"$own" "$file" && ! grep -q "^#include \"$root/tests/" "$file"; then
        echo "$file"
      fi ;;
  esac
done)

# Each source under server/ and storage/, as a unit of its own or included by a batch.
checked=$(for unit in $units; do
  case $unit in
    *.cxx) sed -n "s,^#include \"\\($own.*\\.cpp\\)\"\$,\\1,p" "$unit" ;;
    *) echo "$unit" ;;
  esac
done | sort -u)
missing=$(find "$root/server" "$root/storage" -name '*.cpp' | sort | while read -r source; do
  printf '%s\n' "$checked" | grep -qxF "$source" || echo "$source"
done)
if [ -n "$missing" ]; then
  echo "clang_tidy.sh: not in any translation unit of $database:" >&2
  echo "$missing" >&2
  exit 2
fi

set -f
# One anchored regex per unit (run-clang-tidy's file filter); no globbing (set -f).
# shellcheck disable=SC2046
exec run-clang-tidy -p "$build" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option \
  $(printf '%s\n' "$units" | sed 's/[].[^$*+?(){}|\\]/\\&/g; s/^/^/; s/$/$/')
