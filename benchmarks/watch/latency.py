#!/usr/bin/env python3
"""How soon `audiosync watch` links a voice note after its file and its row arrive.

Generates a store, takes ARRIVALS linked pairs (file and message row) out of it, syncs the rest,
starts `audiosync watch`, measures its CPU while idle, then puts the pairs back at RATE per second
(the row inserted as a new row, then the file moved in whole, as a downloader finishing a .part
does) and times, for each file, the moment its "linked" line reaches the watch's stderr. Prints p50, p99 and max
latency, idle CPU, RSS before, after the arrivals and after a further idle spell, and RSS sampled
every 5 s from the first batch to the end, its highest per minute (a leak shows as a climb), beside
the peak RSS of a fresh process's full dry run on the store as it ends (the store grows as the
arrivals come back; needs /usr/bin/time).

    benchmarks/watch/latency.py --binary .build/release/audiosync
    benchmarks/watch/latency.py --messages 1000000 --files 300000 --store /tmp/m1   # a big store
    benchmarks/watch/latency.py --arrivals 3000 --rate 5      # ten minutes of arrivals, for RSS
    benchmarks/watch/latency.py --store /tmp/m1c --from-truth --arrivals 20 --rate 0.1   # sparse arrivals
    benchmarks/watch/latency.py --store /tmp/m1dc --from-truth --chat-index   # Django's index on the chat
    scripts/with-postgres.sh sh -c 'benchmarks/watch/latency.py --store /tmp/m1c --from-truth \
        --postgres "$AUDIOSYNC_TEST_POSTGRES_URL"'   # the rows in PostgreSQL (needs psycopg 3)

With --postgres URL (a server whose user may create databases) the rows live in a new database
there, copied from the store's SQLite file once its held-out rows are taken out, and the arrivals'
rows are inserted there, each with the next id as a sequence would give it; the database is
dropped at the end.

Issue 11 asks for p99 <= 1 s over 200 arrivals at 20/s on a 300,000-file store, RSS flat over ten
minutes and CPU while idle about 0.
"""
import argparse, csv, json, os, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks

POSTGRES_DATABASE = f"watch_latency_{os.getpid()}"

POSTGRES_SCHEMA = [  # as Sources/StoreFixtures/Spec/SpecSchema.swift's PostgreSQL form
    "CREATE TABLE core_cliente (id BIGINT PRIMARY KEY, nome TEXT NOT NULL)",
    "CREATE TABLE core_whatsappinstance (id BIGINT PRIMARY KEY, instance_id TEXT NOT NULL UNIQUE,"
    " cliente_id BIGINT NOT NULL REFERENCES core_cliente(id))",
    "CREATE TABLE core_chat (id BIGINT PRIMARY KEY, chat_id TEXT NOT NULL, chat_name TEXT,"
    " cliente_id BIGINT NOT NULL REFERENCES core_cliente(id), instance_id BIGINT REFERENCES core_whatsappinstance(id))",
    "CREATE TABLE core_mensagem (id BIGINT PRIMARY KEY, chat_id BIGINT NOT NULL REFERENCES core_chat(id),"
    " message_id TEXT, remetente TEXT, tipo TEXT NOT NULL, conteudo TEXT, data_envio TIMESTAMPTZ NOT NULL,"
    " from_me BOOLEAN NOT NULL DEFAULT FALSE)",
]
MESSAGE_COLUMNS = ["id", "chat_id", "message_id", "remetente", "tipo", "conteudo", "data_envio", "from_me"]

def with_database(url, name):
    """The server URL with its path replaced by /name."""
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))

def copy_to_postgres(db, server):
    """Copies the SQLite store's four tables into a new database on the server; returns an open
    connection to it (autocommit: each arrival's row commits at once) and its URL."""
    import psycopg
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}")
        admin.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    url = with_database(server, POSTGRES_DATABASE)
    pg = psycopg.connect(url, autocommit=True)
    pg.execute("SET timezone = 'UTC'")  # SQLite's data_envio text is UTC, as Django writes it
    for statement in POSTGRES_SCHEMA:
        pg.execute(statement)
    tables = [("core_cliente", ["id", "nome"]), ("core_whatsappinstance", ["id", "instance_id", "cliente_id"]),
              ("core_chat", ["id", "chat_id", "chat_name", "cliente_id", "instance_id"]),
              ("core_mensagem", MESSAGE_COLUMNS)]
    for table, columns in tables:
        with pg.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in db.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                if table == "core_mensagem":
                    row = row[:-1] + (bool(row[-1]),)
                copy.write_row(row)
    pg.execute("ANALYZE")
    return pg, url

def insert_into_postgres(pg, db, row, reuse_id):
    """Inserts a held row (from the SQLite store's held_rows) as the CRM would: under the next id
    (or its old one); returns the id."""
    values = db.execute(f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM held_rows WHERE id = ?", (row,)).fetchone()
    values = values[:-1] + (bool(values[-1]),)
    if not reuse_id:
        values = (pg.execute("SELECT COALESCE(max(id), 0) + 1 FROM core_mensagem").fetchone()[0],) + values[1:]
    pg.execute(f"INSERT INTO core_mensagem ({', '.join(MESSAGE_COLUMNS)}) VALUES "
               f"({', '.join(['%s'] * len(MESSAGE_COLUMNS))})", values)
    return values[0]

def drop_postgres(server):
    import psycopg
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/audiosync")
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--files", type=int, default=6000)
    parser.add_argument("--arrivals", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="arrivals per second")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle measured before and after")
    parser.add_argument("--settle", default="0.2")
    parser.add_argument("--poll-interval", default="0.2")
    parser.add_argument("--store", help="a folder with media/ and messages.sqlite to copy instead of generating")
    parser.add_argument("--log", help="keep the watch's stderr in this file (with -v: why a file was not linked by content)")
    parser.add_argument("--watch-args", default="", help="more arguments for the watch, e.g. -v")
    parser.add_argument("--reuse-ids", action="store_true",
                        help="put each row back under its old id (below the highest), not as a new row as a CRM "
                             "inserts one: the watch's content batches then never see the row (they read rows "
                             "after the highest id they have read) and every arrival waits for a batch")
    parser.add_argument("--orphans", type=int, default=0,
                        help="also drop this many files that no row will ever name among the arrivals (a "
                             "truncated copy of a note under a new name: a damaged download), evenly spread; "
                             "they are removed again at the end")
    parser.add_argument("--postgres", help="a PostgreSQL server URL: the rows live in a new database there")
    parser.add_argument("--give-up", type=float,
                        help="seconds to wait after the last arrival for every note to be linked (default: "
                             "4 a note, at least 120); a store whose defects leave notes for review needs less")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the work folder (the store's database as the watch left it, the probe cache) "
                             "as DIR, to look into what the full dry run at the end plans")
    parser.add_argument("--chat-index", action="store_true",
                        help="give the copy of the SQLite database the index on core_mensagem(chat_id) that "
                             "Django's migrations make for the foreign key (generated stores have the spec's "
                             "tables alone): an instance's batch then reads its rows by id")
    parser.add_argument("--from-truth", action="store_true",
                        help="take the pairs from the store's truth.csv (a store generated with --defects none), "
                             "not from a dry run's JSON")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="watch-latency-")
    orphans = []  # relative to the media folder; removed however the run ends
    media = None
    pg = None
    try:
        store = os.path.join(work, "store")
        if args.store:
            os.makedirs(store)
            shutil.copy(os.path.join(args.store, "messages.sqlite"), os.path.join(store, "messages.sqlite"))
            os.symlink(os.path.join(args.store, "media"), os.path.join(store, "media"))
        else:
            subprocess.run([binary, "generate", "--out", store, "--messages", str(args.messages), "--files",
                            str(args.files), "--seed", "9", "--defects", "none", "-q"], check=True)
        media = os.path.join(store, "media")
        database = os.path.join(store, "messages.sqlite")
        cache = os.path.join(work, "cache.sqlite")
        common = ["--media-root", media, "--database", database, "--probe-cache", cache]
        truth = os.path.join(args.store or store, "truth.csv")
        if args.from_truth and os.path.exists(truth):
            # A generated store without defects: its truth is what a sync links, and reading it
            # spares a dry run's JSON (2 GB at a million messages, every link's waterfall).
            with open(truth, newline="") as handle:
                links = [{"message_id": int(row["message_id"]), "file": row["file"]}
                         for row in csv.DictReader(handle) if row["message_id"]]
        else:
            dry = subprocess.run([binary, "sync", "-n", "--json"] + common, check=True, capture_output=True, text=True)
            links = json.loads(dry.stdout)["plan"]["links"]
        step = max(1, len(links) // args.arrivals)
        pairs = [(link["message_id"], link["file"]) for link in links[::step]][: args.arrivals]
        held = os.path.join(work, "held")
        os.makedirs(held)
        db = sqlite3.connect(database, timeout=60)
        if args.chat_index:
            db.execute("CREATE INDEX IF NOT EXISTS core_mensagem_chat_id_5b3b3e2a ON core_mensagem (chat_id)")
        ids = ",".join(str(row) for row, _ in pairs)
        db.execute(f"CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id IN ({ids})")
        db.execute(f"DELETE FROM core_mensagem WHERE id IN ({ids})")
        db.commit()
        columns = ", ".join(c[1] for c in db.execute("PRAGMA table_info(core_mensagem)") if c[1] != "id")
        for _, file in pairs:
            os.rename(os.path.join(media, file), os.path.join(held, file.replace("/", "_")))
        if args.postgres:
            pg, database_url = copy_to_postgres(db, args.postgres)
            common = ["--media-root", media, "--database", database_url, "--probe-cache", cache]
        synced = subprocess.run([binary, "sync", "-q"] + common, capture_output=True, text=True)
        if synced.returncode not in (0, 3):
            sys.exit(f"sync failed: {synced.stderr}")

        watch = subprocess.Popen([binary, "watch", "--settle", args.settle, "--poll-interval", args.poll_interval]
                                 + args.watch_args.split() + common, stderr=subprocess.PIPE, text=True)
        log = open(args.log, "w") if args.log else None
        linked_at = {}
        linked_to = {}
        row_of = {}  # each arriving file's row, as inserted
        batches = []
        warm_at = []
        lock = threading.Condition()
        def read():
            for line in watch.stderr:
                now = time.monotonic()
                if log:
                    log.write(f"{now:.3f} {line}")
                with lock:
                    if "[Sync] linked" in line and "file=" in line:
                        file = line.split("file=", 1)[1].split(" ", 1)[0]
                        linked_at.setdefault(file, now)
                        if "message_id=" in line:
                            linked_to.setdefault(file, int(line.split("message_id=", 1)[1].split(" ", 1)[0]))
                    if "batch " in line:
                        batches.append(now)
                    if "every instance is warm" in line:
                        warm_at.append(now)
                    lock.notify_all()
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        with lock:
            lock.wait_for(lambda: batches or watch.poll() is not None, timeout=600)
        if not batches:
            sys.exit("watch made no first batch")
        # A watch keeping warm plans plans every instance once after its first batch: the arrivals
        # come once it says so, as a CRM's would come to a watch started a while before.
        warming_began = time.monotonic()
        if "--no-warm" not in args.watch_args:
            with lock:
                lock.wait_for(lambda: warm_at or watch.poll() is not None, timeout=1800)
        warm_up = time.monotonic() - warming_began
        first_batch = len(batches)
        samples = []
        sampling = threading.Event()
        def sample():
            began = time.monotonic()
            while not sampling.wait(5):
                samples.append((time.monotonic() - began, rss_kib(watch.pid)))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        time.sleep(1)
        rss_start = rss_kib(watch.pid)
        cpu_before = cpu_seconds(watch.pid)
        time.sleep(args.idle)
        idle_cpu = (cpu_seconds(watch.pid) - cpu_before) / args.idle

        arrived = {}
        started = time.monotonic()
        for index, (row, file) in enumerate(pairs):
            target = started + index / args.rate
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if pg is not None:
                row_of[file] = insert_into_postgres(pg, db, row, reuse_id=args.reuse_ids)
            elif args.reuse_ids:
                db.execute("INSERT INTO core_mensagem SELECT * FROM held_rows WHERE id = ?", (row,))
                row_of[file] = row
            else:
                # As the CRM inserts a message: a new row, its id after every other.
                cursor = db.execute(
                    f"INSERT INTO core_mensagem ({columns}) SELECT {columns} FROM held_rows WHERE id = ?", (row,))
                row_of[file] = cursor.lastrowid
            db.commit()
            os.rename(os.path.join(held, file.replace("/", "_")), os.path.join(media, file))
            arrived[file] = time.monotonic()
            if args.orphans and index % max(1, len(pairs) // args.orphans) == 0 and len(orphans) < args.orphans:
                # Beside the note, in its chat folder: half of its bytes under a name no row gives.
                folder, name = os.path.split(file)
                orphan = os.path.join(folder, f"msg_{len(orphans):08X}_{name.split('_', 2)[2]}")
                with open(os.path.join(media, file), "rb") as source:
                    data = source.read()
                with open(os.path.join(media, orphan + ".tmp"), "wb") as target:
                    target.write(data[: len(data) // 2])
                os.rename(os.path.join(media, orphan + ".tmp"), os.path.join(media, orphan))
                orphans.append(orphan)
        with lock:
            lock.wait_for(lambda: all(f in linked_at for f in arrived),
                          timeout=args.give_up if args.give_up is not None else max(120, 4 * len(pairs)))
        rss_after = rss_kib(watch.pid)
        time.sleep(args.idle)
        rss_idle = rss_kib(watch.pid)
        sampling.set()
        sampler.join()
        watch.send_signal(signal.SIGTERM)
        watch.wait(timeout=120)
        for orphan in orphans:
            os.remove(os.path.join(media, orphan))
        # What one whole batch needs on the store as it ends: a fresh process's full dry run. A
        # watch whose RSS grows with the store but stays near this is not leaking.
        # Its report says, too, whether a whole plan would change anything the watch did: every
        # link the watch wrote (by content or by a batch) should be one the whole plan makes.
        fresh = subprocess.run(["/usr/bin/time", "-f", "%M", binary, "sync", "-n", "--full"] + common,
                               capture_output=True, text=True)
        fresh_kib = int(fresh.stderr.strip().splitlines()[-1]) if fresh.returncode in (0, 3) else 0
        planned = next((line.split()[1] for line in fresh.stdout.splitlines()
                        if line.strip().startswith("planned ")), "?")

        latencies = sorted(linked_at[f] - arrived[f] for f in arrived if f in linked_at)
        missing = len(arrived) - len(latencies)
        def pct(p):
            return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")
        print(f"store: {len(links)} linked pairs ({args.messages} messages, {args.files} files)"
              if not args.store else f"store: {args.store}")
        print(f"rows in: {'PostgreSQL' if args.postgres else 'SQLite'}")
        print(f"arrivals: {len(pairs)} at {args.rate:g}/s, watch --settle {args.settle} --poll-interval {args.poll_interval}")
        print("| measure | value |")
        print("| --- | ---: |")
        print(f"| linked | {len(latencies)} of {len(pairs)} |")
        if orphans:
            print(f"| files no row names, among them | {len(orphans)} (linked: {sum(1 for o in orphans if o in linked_at)}) |")
        elsewhere = sum(1 for f, r in linked_to.items() if f in row_of and r != row_of[f])
        print(f"| linked to another row than the one it came with | {elsewhere} |")
        print(f"| latency p50 (s) | {pct(0.5):.2f} |")
        print(f"| latency p99 (s) | {pct(0.99):.2f} |")
        print(f"| latency max (s) | {latencies[-1] if latencies else float('nan'):.2f} |")
        print(f"| batches for the arrivals | {len(batches) - first_batch} |")
        print(f"| warm-up after the first batch (s) | {warm_up:.1f} |")
        print(f"| CPU while idle ({args.idle:g} s) | {idle_cpu * 100:.2f} % of a core |")
        print(f"| RSS before → after arrivals → after {args.idle:g} s idle (MiB) | "
              f"{rss_start / 1024:.1f} → {rss_after / 1024:.1f} → {rss_idle / 1024:.1f} |")
        minutes = {}
        for at, rss in samples:
            minutes[int(at // 60)] = max(minutes.get(int(at // 60), 0), rss)
        print("RSS, highest in each minute from the first batch (MiB): "
              + ", ".join(f"{minutes[m] / 1024:.1f}" for m in sorted(minutes)))
        print(f"peak RSS of a fresh full dry run on the store as it ends: {fresh_kib / 1024:.1f} MiB")
        print(f"changes that full dry run plans: {planned} (0: the watch linked what a whole plan links)")
        goal = latencies and missing == 0 and pct(0.99) <= 1.0
        print(f"goal p99 ≤ 1 s: {'met' if goal else 'NOT met'} (on this store)")
    finally:
        if args.postgres and pg is not None:
            pg.close()
            drop_postgres(args.postgres)
        for orphan in orphans:
            if media and os.path.exists(os.path.join(media, orphan)):
                os.remove(os.path.join(media, orphan))
        if args.keep:
            shutil.move(work, args.keep)
            print(f"work folder kept: {args.keep}")
        else:
            shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
