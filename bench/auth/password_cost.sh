#!/usr/bin/env bash
# Times the password hash behind sign-up, sign-in and admin user creation (see
# password_cost.cpp). Needs libsodium-dev and libssl-dev (packaging/install-deps.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
g++ -std=c++17 -O2 -I"$ROOT" "$ROOT/bench/auth/password_cost.cpp" "$ROOT/server/auth/passwords.cpp" \
  -lsodium -lcrypto -pthread -o "$OUT/password_cost"
"$OUT/password_cost"
