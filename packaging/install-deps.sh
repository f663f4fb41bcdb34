#!/usr/bin/env bash
# Installs the Debian packages interviewbase builds and tests with. Idempotent: packages
# already present are skipped, and apt is not touched at all when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsqlite3-dev libsqlitecpp-dev libcpp-httplib-dev nlohmann-json3-dev doctest-dev
  libssl-dev libsodium-dev libre2-dev libboost1.81-dev libjemalloc-dev
)
if [[ "${1:-}" == "--test" ]]; then
  # Tests also drive the real supabase-js client (Node.js), compare with PostgreSQL, and
  # benchmarks use wrk; the lints run clang-format and clang-tidy; the fuzz targets build with
  # clang and link libFuzzer; the package test checks the service unit with systemd-analyze;
  # the metrics test parses /metrics with Prometheus' own parser; the dashboard's browser tests
  # drive Debian's Chromium and Firefox ESR headless (their fonts come with them); the HTTPS
  # tests make their certificate with the openssl command; the test executables' hang watchdog
  # prints stacks with gdb.
  packages+=(nodejs npm postgresql wrk curl clang-format clang-tidy clang libfuzzer-14-dev
             libclang-rt-14-dev systemd python3 python3-prometheus-client chromium
             firefox-esr openssl gdb)
fi

missing=()
for p in "${packages[@]}"; do
  if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue  # a Node.js already on the machine (not from Debian) is fine
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "installing: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
