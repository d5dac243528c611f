#!/usr/bin/env bash
# Time from a fresh clone to the demo's first page: clone REPO, run `make demo`, and print
# the seconds until the install is done, the demo database is built and / answers.
# usage: bench/first_page.sh [REPO] [PORT] [make variables, e.g. INSTALLER=pip]
set -u
REPO=${1:-$(git rev-parse --show-toplevel)}
PORT=${2:-8765}
shift 2 2>/dev/null || shift $#
DIR=$(mktemp -d /tmp/carescore-first-page.XXXXXX)
git clone -q "$REPO" "$DIR/clone" && cd "$DIR/clone" || exit 1
start=$(date +%s.%N)
since() { echo "$(date +%s.%N) - $start" | bc; }
setsid make demo DEMO_BIND="127.0.0.1:$PORT" "$@" >"$DIR/make.log" 2>&1 &
pid=$!
installed="" built=""
while ! curl -fs -o /dev/null "http://127.0.0.1:$PORT/"; do
  [ -z "$installed" ] && grep -q "== building the demo" "$DIR/make.log" && installed=$(since)
  [ -z "$built" ] && grep -q "== serving the demo" "$DIR/make.log" && built=$(since)
  if ! kill -0 "$pid" 2>/dev/null; then echo "make demo stopped: see $DIR/make.log"; exit 1; fi
  sleep 0.5
done
page=$(since)
kill -- -"$pid" 2>/dev/null
echo "$* installed ${installed:-?} s, demo built ${built:-?} s, first page ${page} s" \
  "(load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs)"
sleep 2; kill -9 -- -"$pid" 2>/dev/null; rm -rf "$DIR"
