#!/bin/sh
# Fails when a C++ file under server/, storage/ or tests/ differs from what the checked-in
# .clang-format (Google, 100 columns) would write. Fix with: clang-format -i <files>.
# Usage: clang_format.sh ROOT
root=${1:?usage: clang_format.sh ROOT}
cd "$root" || exit 2
find server storage tests -path tests/client -prune -o \( -name '*.cpp' -o -name '*.h' \) -print \
  | xargs clang-format --dry-run -Werror
