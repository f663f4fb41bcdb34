#!/bin/sh
# Runs the checked-in .clang-tidy over every project translation unit under server/ and
# storage/, as compiled (BUILD/compile_commands.json). WarningsAsErrors is '*', so any finding
# fails. GCC-only warning flags in the compile commands are not clang-tidy's business.
# Usage: clang_tidy.sh ROOT BUILD [JOBS]    (about 4 minutes of 2 idle cores)
root=${1:?usage: clang_tidy.sh ROOT BUILD [JOBS]}
build=${2:?usage: clang_tidy.sh ROOT BUILD [JOBS]}
jobs=${3:-2}
exec run-clang-tidy -p "$build" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option \
  "^$root/(server|storage)/.*\.cpp$"
