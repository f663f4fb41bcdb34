#!/bin/sh
# Runs the checked-in .clang-tidy over every project translation unit under server/ and
# storage/, each as its own file: the compile commands come from a configure-only tree beside
# BUILD with the unity build off (a unity build lists only its batches). WarningsAsErrors is
# '*', so any finding fails, and so does a file that does not compile alone (an include it
# only got from its batch). GCC-only warning flags in the compile commands are not clang-tidy's
# business.
# Usage: clang_tidy.sh ROOT BUILD [JOBS]    (about 4 minutes of 2 idle cores)
set -e
root=${1:?usage: clang_tidy.sh ROOT BUILD [JOBS]}
build=${2:?usage: clang_tidy.sh ROOT BUILD [JOBS]}
jobs=${3:-2}
commands="$build/per-file-commands"
cmake -S "$root" -B "$commands" -DCMAKE_BUILD_TYPE=Release -DIB_UNITY_BUILD=OFF >/dev/null
exec run-clang-tidy -p "$commands" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option \
  "^$root/(server|storage)/.*\.cpp$"
