#!/usr/bin/env bash
# The Debian package end to end: builds it with CPack from BUILD_DIR, checks its contents and
# control data, installs it with dpkg -i on this machine (root, or passwordless sudo), checks
# the unit with systemd-analyze verify, runs the installed binary on a scratch database (it
# answers, then stops cleanly on SIGTERM), and purges the package, leaving nothing behind.
# A machine where interviewbase is already installed by something else is refused, untouched.
set -euo pipefail

build_dir=$1
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo -n)
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
installed=""
cleanup() {
  [[ -n "$installed" ]] && "${as_root[@]}" dpkg --purge interviewbase >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if dpkg-query -W -f='${Status}' interviewbase 2>/dev/null | grep -q "install ok installed"; then
  fail "an interviewbase package is already installed here; this test installs and purges its own"
fi

# --- build and inspect
(cd "$build_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/out/interviewbase_*_amd64.deb 2>/dev/null || ls "$work"/out/interviewbase_*.deb)
[[ -f "$deb" ]] || fail "no .deb produced"
dpkg-deb -c "$deb" >"$work/contents"
grep -q ' ./usr/bin/interviewbase$' "$work/contents" || fail "binary missing"
grep -q '^-rw------- root/root .* ./etc/interviewbase/interviewbase.env$' "$work/contents" ||
  fail "environment file missing or not mode 0600"
grep -q ' ./usr/lib/systemd/system/interviewbase.service$' "$work/contents" || fail "unit missing"
grep -q ' ./usr/share/doc/interviewbase/copyright$' "$work/contents" || fail "licence notices missing"
[[ "$(dpkg-deb -f "$deb" Depends)" == *libsqlite3-0* ]] || fail "Depends lacks libsqlite3-0"
[[ "$(dpkg-deb -f "$deb" Depends)" == *libjemalloc2* ]] || fail "Depends lacks libjemalloc2"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/interviewbase/interviewbase.env ||
  fail "the environment file is not a conffile"

# --- install
"${as_root[@]}" dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i"; }
installed=1
[[ "$(stat -c '%a %U' /etc/interviewbase/interviewbase.env)" == "600 root" ]] ||
  fail "installed environment file is not 0600 root"
unit=/usr/lib/systemd/system/interviewbase.service
if command -v systemd-analyze >/dev/null; then
  # verify exits 0 on unknown keys but prints them: any output is a finding.
  out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
  [[ -z "$out" ]] || fail "systemd-analyze verify: $out"
fi
for key in DynamicUser=yes StateDirectory=interviewbase ProtectSystem=strict ProtectHome=yes \
           NoNewPrivileges=yes PrivateTmp=yes Restart=on-failure SystemCallFilter=@system-service \
           EnvironmentFile=/etc/interviewbase/interviewbase.env; do
  grep -qx "$key" "$unit" || fail "unit lacks $key"
done
/usr/bin/interviewbase --version | grep -q '^interviewbase ' || fail "--version"

# --- the installed binary serves a scratch database and stops cleanly on SIGTERM
/usr/bin/interviewbase serve --db "$work/scratch.db" --port 0 --log-requests false \
  >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's|^listening on \(http://[^ ]*\).*|\1|p' "$work/serve.out" | head -1)
[[ -n "$url" ]] || { cat "$work/serve.out" "$work/serve.err" >&2; fail "no listening line"; }
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" == 200 ]] || fail "/health"
kill -TERM "$pid"
status=0
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; fail "still running 10 s after SIGTERM"; }
wait "$pid" || status=$?
[[ $status -eq 0 ]] || fail "exit status $status after SIGTERM"
grep -q 'interviewbase stopped' "$work/serve.err" || fail "no clean-stop line"
/usr/bin/interviewbase check --db "$work/scratch.db" >/dev/null || fail "check after stop"

# --- purge leaves nothing
"${as_root[@]}" dpkg --purge interviewbase >"$work/purge.log" 2>&1 || fail "dpkg --purge"
installed=""
for path in /usr/bin/interviewbase "$unit" /etc/interviewbase /usr/share/doc/interviewbase; do
  [[ ! -e "$path" ]] || fail "$path left after purge"
done
echo "package test passed: $(basename "$deb")"
