#!/usr/bin/env python3
"""Whether `audiosync watch` links arriving notes to their true rows, on stores it did not make.

Copies a store that has a truth file (an independent world of `benchmarks/independent`, or a
generated store), takes ARRIVALS true pairs out of it (each file and its message row), syncs the
rest, starts `audiosync watch --json`, and puts the pairs back at RATE per second: the row inserted
as a new row (as the CRM inserts a message), then the file moved in whole. When the watch has been
quiet for a while after the last arrival, it is stopped and each link it wrote is checked against
the truth: by content (a batch with `by_content`; "name" when the row linked does not declare
the file's SHA-256, so its file was found by its name) or by an ordinary batch.

    benchmarks/watch/content_precision.py --binary .build/release/audiosync --store /tmp/wk/indie-1

A wrong link is a file linked to a row that is not its true one. Files not linked are counted, not
judged: a batch leaves what it is unsure of to review.
"""
import argparse, base64, csv, hashlib, json, os, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/audiosync")
    parser.add_argument("--store", required=True, help="a folder with media/, messages.sqlite and truth.csv")
    parser.add_argument("--arrivals", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--quiet", type=float, default=10.0, help="seconds without a batch that end the run")
    parser.add_argument("--show-unlinked", action="store_true", help="list the arrivals the watch did not link")
    parser.add_argument("--log", help="keep the watch's stderr (-vv: why a file was not linked by content) in this file")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="content-precision-")
    try:
        store = os.path.join(work, "store")
        shutil.copytree(args.store, store)
        media = os.path.join(store, "media")
        database = os.path.join(store, "messages.sqlite")
        common = ["--media-root", media, "--database", database, "--probe-cache", os.path.join(work, "cache.sqlite")]
        with open(os.path.join(store, "truth.csv"), newline="") as handle:
            truth = [(int(row["message_id"]), row["file"]) for row in csv.DictReader(handle) if row["message_id"]]
        db = sqlite3.connect(database, timeout=60)
        audio = {row for (row,) in db.execute("SELECT id FROM core_mensagem WHERE tipo = 'audio'")}
        truth = sorted((row, file) for row, file in truth if row in audio and os.path.exists(os.path.join(media, file)))
        # One file per row: a row with two true files (a second download) is not one arrival.
        seen = set()
        truth = [(row, file) for row, file in truth if not (row in seen or seen.add(row))]
        step = max(1, len(truth) // args.arrivals)
        pairs = truth[::step][: args.arrivals]
        ids = ",".join(str(row) for row, _ in pairs)
        db.execute(f"CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id IN ({ids})")
        db.execute(f"DELETE FROM core_mensagem WHERE id IN ({ids})")
        db.commit()
        columns = ", ".join(c[1] for c in db.execute("PRAGMA table_info(core_mensagem)") if c[1] != "id")
        held = os.path.join(work, "held")
        os.makedirs(held)
        for _, file in pairs:
            os.rename(os.path.join(media, file), os.path.join(held, file.replace("/", "_")))
        synced = subprocess.run([binary, "sync", "-q"] + common, capture_output=True, text=True)
        if synced.returncode not in (0, 3):
            sys.exit(f"sync failed: {synced.stderr}")

        log = open(args.log, "w") if args.log else subprocess.DEVNULL
        verbose = ["-vv"] if args.log else []
        watch = subprocess.Popen([binary, "watch", "--json", "--settle", "0.2", "--poll-interval", "0.2"] + verbose + common,
                                 stdout=subprocess.PIPE, stderr=log, text=True)
        lines = []
        lock = threading.Condition()

        def read():
            for line in watch.stdout:
                with lock:
                    lines.append((time.monotonic(), json.loads(line)))
                    lock.notify_all()

        threading.Thread(target=read, daemon=True).start()
        with lock:
            lock.wait_for(lambda: lines or watch.poll() is not None, timeout=600)
        if not lines:
            sys.exit("watch made no first batch")
        first = len(lines)
        true_row = {}
        started = time.monotonic()
        for index, (row, file) in enumerate(pairs):
            delay = started + index / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            cursor = db.execute(
                f"INSERT INTO core_mensagem ({columns}) SELECT {columns} FROM held_rows WHERE id = ?", (row,))
            db.commit()
            true_row[file] = cursor.lastrowid
            os.rename(os.path.join(held, file.replace("/", "_")), os.path.join(media, file))
        last_arrival = time.monotonic()
        while True:
            with lock:
                latest = lines[-1][0] if len(lines) > first else last_arrival
                lock.wait(timeout=1)
            if time.monotonic() - max(latest, last_arrival) > args.quiet:
                break
        watch.send_signal(signal.SIGTERM)
        watch.wait(timeout=120)

        counts = {"content": [0, 0], "name": [0, 0], "batch": [0, 0]}
        wrong = []
        for _, line in lines[first:]:
            for link in line["linked"]:
                if link["file"] not in true_row:
                    continue
                kind = "batch"
                if line.get("by_content"):
                    (conteudo,) = db.execute(
                        "SELECT conteudo FROM core_mensagem WHERE id = ?", (link["message_id"],)).fetchone()
                    with open(os.path.join(media, link["file"]), "rb") as handle:
                        digest = base64.b64encode(hashlib.sha256(handle.read()).digest()).decode()
                    kind = "content" if digest in (conteudo or "") else "name"
                right = link["message_id"] == true_row[link["file"]]
                counts[kind][0 if right else 1] += 1
                if not right:
                    wrong.append((kind, link["file"], link["message_id"], true_row[link["file"]]))
        linked = sum(sum(pair) for pair in counts.values())
        print(f"store: {args.store}; {len(pairs)} arrivals at {args.rate:g}/s")
        print("| linked by | right | wrong |")
        print("| --- | ---: | ---: |")
        for kind in ("content", "name", "batch"):
            print(f"| {kind} | {counts[kind][0]} | {counts[kind][1]} |")
        print(f"not linked (review, or no row found): {len(pairs) - linked}")
        # What the watch left that a whole plan of the store as it ends would link: work left to the
        # next batch of the instance or to the scheduled sync.
        linked_files = {link["file"] for _, line in lines[first:] for link in line["linked"]}
        left = {file for file in true_row if file not in linked_files}
        whole = subprocess.run([binary, "sync", "-n", "--full", "--json"] + common, capture_output=True, text=True)
        planned = json.loads(whole.stdout)["plan"]["links"] if whole.returncode in (0, 3) else []
        later = [link for link in planned if link["file"] in left]
        later_right = sum(1 for link in later if link["message_id"] == true_row[link["file"]])
        print(f"of those, a whole plan afterwards links: {len(later)} ({later_right} to their true row)")
        # A row whose conteudo already names its file (a gateway that writes localPath itself) needs
        # no write, and its file is in no batch's "linked" list.
        # A row whose localPath names another file (a stale path, a file that is not there) keeps it:
        # `sync` and `watch` replace a claim only with --repair, though a whole plan links the row.
        # So does a row whose localPath names the arrival's file (a stale link of another row).
        named = 0
        claimed = 0
        taken = 0
        for file in left:
            (conteudo,) = db.execute("SELECT conteudo FROM core_mensagem WHERE id = ?", (true_row[file],)).fetchone()
            if os.path.basename(file) in (conteudo or ""):
                named += 1
            elif '"localPath"' in (conteudo or "").replace(" ", ""):
                claimed += 1
            elif db.execute(
                "SELECT 1 FROM core_mensagem WHERE id != ? AND instr(conteudo, ?) > 0 LIMIT 1",
                (true_row[file], os.path.basename(file)),
            ).fetchone():
                taken += 1
        print(f"of those, already named by their own row's localPath (nothing to write): {named}")
        print(f"of those, holding another localPath (replaced only with --repair): {claimed}")
        print(f"of those, whose file another row's localPath names (moved only with --repair): {taken}")
        if args.show_unlinked:
            planned_files = {link["file"] for link in later}
            for file in sorted(left):
                print(f"not linked by the watch: {file} (a whole plan {'links it' if file in planned_files else 'does not'})")
        for kind, file, got, expected in wrong[:20]:
            print(f"WRONG ({kind}): {file} → row {got}, its row is {expected}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
