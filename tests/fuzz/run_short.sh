#!/bin/sh
# The short fuzz run of the test command: replays the checked-in corpus of one target (seeds and
# regression inputs), then fuzzes for SECONDS. New inputs go to a scratch directory, never into
# the checked-in corpus; a crash, leak or sanitizer report fails the test and its input is
# saved in the scratch directory (the path is printed).
# Usage: run_short.sh BINARY FUZZ_DIR NAME WORK_DIR SECONDS
set -eu
bin=$1 dir=$2 name=$3 work=$4/$name secs=$5
rm -rf "$work"
mkdir -p "$work/new"
dict=
if [ -f "$dir/$name.dict" ]; then dict="-dict=$dir/$name.dict"; fi
# shellcheck disable=SC2086  # $dict is empty or one word
exec "$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 $dict \
  -artifact_prefix="$work/" "$work/new" "$dir/corpus/$name"
