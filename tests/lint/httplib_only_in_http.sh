#!/bin/sh
# Only server/http/ and the route files (*_routes.*) may include httplib.h: everything else
# gets requests as plain values (RestRequest, Principal, strings), so it stays testable
# without a socket. The build backs this up: other translation units are compiled with
# httplib's include guard predefined, so a use of httplib there fails to compile.
# Usage: httplib_only_in_http.sh ROOT
root=${1:?usage: httplib_only_in_http.sh ROOT}
cd "$root" || exit 2
bad=$(grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]httplib\.h[>"]' server storage \
  | grep -vE '^server/http/|_routes(_internal)?\.(h|cpp)$')
if [ -n "$bad" ]; then
  echo "httplib.h included outside server/http/ and *_routes.*:"
  echo "$bad"
  exit 1
fi
