#!/usr/bin/env bash
# Runs CMD... with a throw-away PostgreSQL server and AUDIOSYNC_TEST_POSTGRES_URL pointing at it.
#
#   scripts/with-postgres.sh swift test --filter MessageStoreTests
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 at a free port (and on a Unix socket in
# that folder), requires a password (so that authentication failures can be tested), and is stopped
# and removed when CMD ends, however it ends. With openssl at hand it also speaks TLS, with a
# self-signed certificate whose path is in AUDIOSYNC_TEST_POSTGRES_CA. PostgreSQL refuses to run as root, so as root the server
# runs as the system user audiosync-pg (created on first use). Set PG_BIN to choose the binaries.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "with-postgres: no PostgreSQL server binaries (apt-get install postgresql, or set PG_BIN)" >&2
    exit 1
fi

folder=$(mktemp -d "${TMPDIR:-/tmp}/audiosync-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then
    if ! id audiosync-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin audiosync-pg
    fi
    chown audiosync-pg "$folder"
    as_server() { runuser -u audiosync-pg -- "$@"; }
else
    as_server() { "$@"; }
fi
chmod 700 "$folder"

cleanup() {
    if [ -f "$folder/data/postmaster.pid" ]; then
        as_server "$PG_BIN/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" >"$folder/pwfile"
[ "$(id -u)" -eq 0 ] && chown audiosync-pg "$folder/pwfile"
as_server "$PG_BIN/initdb" -D "$folder/data" -U audiosync --pwfile="$folder/pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }
rm -f "$folder/pwfile"

# TLS, so that sslmode can be tested for real: a self-signed certificate for 127.0.0.1, which is its
# own CA (AUDIOSYNC_TEST_POSTGRES_CA, for sslrootcert=). Plain connections are still accepted.
tls_options=""
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$folder/server.key" -out "$folder/server.crt" \
        >/dev/null 2>&1
    chmod 600 "$folder/server.key"
    chmod 644 "$folder/server.crt"
    [ "$(id -u)" -eq 0 ] && chown audiosync-pg "$folder/server.key" "$folder/server.crt"
    tls_options="-c ssl=on -c ssl_cert_file=$folder/server.crt -c ssl_key_file=$folder/server.key"
    export AUDIOSYNC_TEST_POSTGRES_CA="$folder/server.crt"
fi

# A free port: try random ones until nothing answers there and the server starts on it.
started=""
for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    # Durability is not wanted for a test cluster; speed is.
    if as_server "$PG_BIN/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c fsync=off -c synchronous_commit=off -c full_page_writes=off $tls_options" \
        start >/dev/null; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    echo "with-postgres: the server did not start" >&2
    cat "$folder/server.log" >&2 || true
    exit 1
fi

PGPASSWORD=$password "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U audiosync audiosync_test
export AUDIOSYNC_TEST_POSTGRES_URL="postgres://audiosync:$password@127.0.0.1:$port/audiosync_test"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at 127.0.0.1:$port" >&2

status=0
"$@" || status=$?
exit "$status"
