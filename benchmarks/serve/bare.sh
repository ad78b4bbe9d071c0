#!/usr/bin/env bash
# The framework's own ceiling on this machine: Hummingbird 2 with no middleware, no database and no
# file, answering every GET with the same 23 KB from memory (bare/), beside nginx serving a 23 KB
# file, one after the other, each warmed for 3 s and measured for $DURATION s with wrk.
# What `audiosync serve` can reach at most, whatever its endpoint does.
#
#   benchmarks/serve/bare.sh
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
duration="${DURATION:-15}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$root/bare" && swift build -c release -q)
head -c 23000 /dev/zero | tr '\0' 'a' >"$work/note.ogg"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http { access_log off; sendfile on; server { listen 127.0.0.1:8798; root $work; } }
CONF
"$root/bare/.build/release/BareServer" 23000 8799 >"$work/bare.log" 2>&1 &
nginx -c "$work/nginx.conf" -g "daemon off;" &
sleep 2
echo "| server | requests/s | p99 |"
echo "| --- | ---: | ---: |"
for pair in "Hummingbird, bare, from memory:8799" "nginx, static file:8798"; do
    name="${pair%%:*}"
    port="${pair##*:}"
    wrk -t2 -c64 -d3s "http://127.0.0.1:$port/note.ogg" >/dev/null
    out="$(wrk -t2 -c64 -d"${duration}s" --latency "http://127.0.0.1:$port/note.ogg")"
    echo "| $name | $(grep 'Requests/sec' <<<"$out" | awk '{print $2}') | $(grep ' 99%' <<<"$out" | awk '{print $2}') |"
done
