#!/usr/bin/env bash
# audiosync serve against nginx, serving the same generated store: Range requests from 64
# concurrent clients (wrk) for 30 s each, on loopback, one after the other in one run. Prints
# requests per second, p50/p99 latency, the server's RSS and open file descriptors before and after,
# and then the memory of one whole large file served (streaming: it must not grow with the file).
#
#   benchmarks/serve/compare.sh                 # builds audiosync in release, installs nginx and wrk
#   AUDIOSYNC=path/to/audiosync DURATION=30 CONNECTIONS=64 FILES=2000 benchmarks/serve/compare.sh
#
# Only 127.0.0.1 is ever addressed; both servers stop when the script ends.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
duration="${DURATION:-30}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
files="${FILES:-2000}"
messages="${MESSAGES:-6000}"
big_mib="${BIG_MIB:-256}"

"$root/scripts/install-deps.sh" "$root/scripts/system-packages.txt" "$root/benchmarks/serve/packages.txt"
bin="${AUDIOSYNC:-}"
if [ -z "$bin" ]; then
    (cd "$root" && swift build -c release --product audiosync >&2)
    bin="$(cd "$root" && swift build -c release --show-bin-path)/audiosync"
fi

work="$(mktemp -d)"
serve_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
    [ -n "${nginx_master:-}" ] && kill "$nginx_master" 2>/dev/null && wait "$nginx_master" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "generating $files files / $messages messages and syncing them…" >&2
"$bin" generate --out "$work/store" --messages "$messages" --files "$files" --chats 60 --seed 5 >/dev/null
media="$work/store/media"
database="$work/store/messages.sqlite"
"$bin" sync --media-root "$media" --database "$database" --no-probe-cache >/dev/null

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ours_port="$(free_port)"
nginx_port="$(free_port)"

# The same files two ways: our route for each linked message, nginx's static path of its file. One
# message is linked to a large file for the streaming check.
python3 - "$database" "$media" "$work" "$big_mib" <<'PY'
import json, os, sqlite3, sys, urllib.parse
database, media, work, big_mib = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
db = sqlite3.connect(database)
ours, theirs, rows = [], [], []
for row_id, conteudo in db.execute("SELECT id, conteudo FROM core_mensagem WHERE tipo = 'audio'"):
    try:
        audio = json.loads(conteudo).get("audioMessage") or {}
    except Exception:
        continue
    path = audio.get("localPath")
    if path and os.path.isfile(os.path.join(media, path)):
        ours.append(f"/api/audio/hash-mapping/{row_id}/")
        theirs.append("/media/" + urllib.parse.quote(path))
        rows.append((row_id, conteudo))
# The last linked message is kept out of both lists: it becomes the large file below, which only
# the streaming check reads (in the lists it made one server send hundreds of MiB the other did not).
ours, theirs = ours[:-1], theirs[:-1]
open(f"{work}/ours.txt", "w").write("\n".join(ours) + "\n")
open(f"{work}/nginx.txt", "w").write("\n".join(theirs) + "\n")
# A large note: a real Ogg Opus file's first page, then filler (the sniffing reads the head only).
first = os.path.join(media, json.loads(rows[0][1])["audioMessage"]["localPath"])
head = open(first, "rb").read(4096)
with open(os.path.join(media, "big.ogg"), "wb") as big:
    big.write(head)
    chunk = os.urandom(1 << 20)
    for _ in range(big_mib):
        big.write(chunk)
row_id, conteudo = rows[-1]
document = json.loads(conteudo)
document["audioMessage"]["localPath"] = "big.ogg"
db.execute("UPDATE core_mensagem SET conteudo = ? WHERE id = ?", (json.dumps(document), row_id))
db.commit()
open(f"{work}/big-row.txt", "w").write(str(row_id))
print(f"{len(ours)} linked files", file=sys.stderr)
PY

nginx_user=""
[ "$(id -u)" -eq 0 ] && nginx_user="user root;"
cat >"$work/nginx.conf" <<NGINX
$nginx_user
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types { audio/ogg ogg; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$nginx_port;
        location /media/ { alias $media/; }
    }
}
NGINX

# Resident memory and descriptors of a process and its children (nginx's workers).
rss_kib() { local total=0; for pid in "$@"; do total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status"))); done; echo "$total"; }
hwm_kib() { local total=0; for pid in "$@"; do total=$((total + $(awk '/^VmHWM/ {print $2}' "/proc/$pid/status"))); done; echo "$total"; }
fds() { local total=0; for pid in "$@"; do total=$((total + $(ls "/proc/$pid/fd" | wc -l))); done; echo "$total"; }

run_wrk() { # name urls-file port pids…
    local name="$1" urls="$2" port="$3"
    shift 3
    URLS="$urls" wrk -t"$threads" -c"$connections" -d3s -s "$root/benchmarks/serve/range.lua" "http://127.0.0.1:$port" >/dev/null
    local rss_before fds_before
    rss_before="$(rss_kib "$@")"
    fds_before="$(fds "$@")"
    local line
    line="$(URLS="$urls" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$root/benchmarks/serve/range.lua" \
        "http://127.0.0.1:$port" | grep '^RESULT ')"
    # After the run, once wrk has closed its connections.
    local rss_after fds_after hwm
    rss_after="$(rss_kib "$@")"
    fds_after="$(fds "$@")"
    hwm="$(hwm_kib "$@")"
    echo "$name ${line#RESULT } rss_before_kib=$rss_before rss_after_kib=$rss_after hwm_kib=$hwm fds_before=$fds_before fds_after=$fds_after"
}

# Waits (bounded) until `what` succeeds; a benchmark may poll, a test may not.
wait_for() {
    local tries=600
    until eval "$1"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "compare.sh: gave up waiting for: $1" >&2; cat "$work"/*.log >&2; exit 1; }
        sleep 0.1
    done
}

"$bin" serve --media-root "$media" --database "$database" --listen "127.0.0.1:$ours_port" --no-probe-cache \
    2>"$work/serve.log" &
serve_pid=$!
# Measured once the first review plan is made: making it takes both cores for a moment (scan and
# match), and requests answered meanwhile wait for them.
wait_for 'grep -q "review plan ready\|review plan could not" "$work/serve.log" || ! kill -0 $serve_pid'
kill -0 "$serve_pid" || { cat "$work/serve.log" >&2; exit 1; }

nginx -c "$work/nginx.conf" -g "daemon off;" &
nginx_master=$!
wait_for 'python3 -c "import socket; socket.create_connection((\"127.0.0.1\", $nginx_port)).close()" 2>/dev/null'
mapfile -t nginx_pids < <(echo "$nginx_master"; pgrep -P "$nginx_master")

echo "wrk: $connections connections, $threads threads, ${duration}s each, Range requests over $(wc -l <"$work/ours.txt") files" >&2
ours="$(run_wrk audiosync "$work/ours.txt" "$ours_port" "$serve_pid")"
# The framework's own ceiling on this machine: the same server answering from memory (the review
# page's stylesheet, through the same middleware), no database and no file.
echo "/review/app.css" >"$work/floor.txt"
floor="$(run_wrk floor "$work/floor.txt" "$ours_port" "$serve_pid")"
theirs="$(run_wrk nginx "$work/nginx.txt" "$nginx_port" "${nginx_pids[@]}")"

# Streaming: one whole large file, read to the end; the server's peak memory must not grow by it.
big_row="$(cat "$work/big-row.txt")"
hwm_before="$(hwm_kib "$serve_pid")"
python3 - "http://127.0.0.1:$ours_port/api/audio/hash-mapping/$big_row/" <<'PY'
import sys, urllib.request
total = 0
with urllib.request.urlopen(sys.argv[1]) as response:
    while chunk := response.read(1 << 20):
        total += len(chunk)
print(f"read {total} bytes", file=sys.stderr)
PY
hwm_after="$(hwm_kib "$serve_pid")"

python3 - "$ours" "$theirs" "$hwm_before" "$hwm_after" "$big_mib" "$floor" <<'PY'
import json, sys
def parse(line):
    name, rest = line.split(" ", 1)
    document, _, extras = rest.partition("} ")
    values = json.loads(document + "}")
    for pair in extras.split():
        key, value = pair.split("=")
        values[key] = int(value)
    return name, values
ours, theirs = parse(sys.argv[1])[1], parse(sys.argv[2])[1]
print("| | audiosync serve | nginx | ratio |")
print("| --- | ---: | ---: | ---: |")
def row(label, key, fmt="{:,.0f}", better="higher"):
    a, b = ours[key], theirs[key]
    ratio = a / b if b else float("nan")
    print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio:.2f}× |")
row("requests/s", "rps")
row("p50 latency (ms)", "p50_ms", "{:.2f}")
row("p99 latency (ms)", "p99_ms", "{:.2f}")
row("max latency (ms)", "max_ms", "{:.2f}")
print(f"| requests (errors, non-2xx) | {ours['requests']:,} ({ours['errors']}, {ours['non_2xx']}) | {theirs['requests']:,} ({theirs['errors']}, {theirs['non_2xx']}) | |")
print(f"| RSS before → after (MiB) | {ours['rss_before_kib']/1024:.1f} → {ours['rss_after_kib']/1024:.1f} | {theirs['rss_before_kib']/1024:.1f} → {theirs['rss_after_kib']/1024:.1f} | |")
print(f"| peak RSS (MiB) | {ours['hwm_kib']/1024:.1f} | {theirs['hwm_kib']/1024:.1f} | |")
print(f"| open fds before → after | {ours['fds_before']} → {ours['fds_after']} | {theirs['fds_before']} → {theirs['fds_after']} | |")
print()
floor = parse(sys.argv[6])[1]
print(f"| the same server from memory (/review/app.css): requests/s | {floor['rps']:,.0f} | | {floor['rps'] / theirs['rps']:.2f}× |")
print(f"| the same server from memory: p99 latency (ms) | {floor['p99_ms']:.2f} | | {floor['p99_ms'] / theirs['p99_ms']:.2f}× |")
print(f"| audio endpoint against that ceiling | {ours['rps'] / floor['rps']:.2f}× | | |")
print(f"streaming one {sys.argv[5]} MiB file: audiosync's peak RSS {int(sys.argv[3])/1024:.1f} → {int(sys.argv[4])/1024:.1f} MiB")
goal_rps = ours["rps"] >= 0.5 * theirs["rps"]
goal_p99 = ours["p99_ms"] <= 2 * theirs["p99_ms"]
print(f"goals: throughput ≥ 0.5× nginx: {'met' if goal_rps else 'NOT met'}; p99 ≤ 2× nginx: {'met' if goal_p99 else 'NOT met'}")
PY
