#!/usr/bin/env python3
"""Whether a sync that takes additions links what a whole run links, on any store with a truth.

Holds N true pairs of the store out (files moved aside, rows deleted), syncs until a run has
nothing to write (the base additions are taken from), puts the pairs back (files, and rows as new
rows), copies the database, and syncs the copy with --full and the original without. Prints
whether the run took the additions (`additions_since`), how many rows' localPath differ between
the two databases, and for each database the held-out notes linked to their true row, to another
row, or not at all. Meant for the independent worlds (benchmarks/independent), whose defects
audiosync's own generator does not draw.

    benchmarks/resync/additions_agree.py --binary .build/release/audiosync --store /tmp/iw1 --additions 100
"""
import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile


def sync(binary, media, database, cache, *extra):
    result = subprocess.run(
        [binary, "sync", "--json", "-v", "--media-root", media, "--database", database, "--probe-cache", cache, *extra],
        capture_output=True, text=True)
    if result.returncode not in (0, 3):
        sys.exit(f"sync failed ({result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    # Why the additions were not taken, when they were not (the run's -v lines).
    report["why whole"] = [line.split(" info audiosync.sync: ", 1)[-1] for line in result.stderr.splitlines()
                           if "the whole run" in line]
    return report


def links(database):
    db = sqlite3.connect(database)
    rows = db.execute("""SELECT id, json_extract(conteudo, '$.audioMessage.localPath') FROM core_mensagem
                         WHERE tipo = 'audio' AND json_valid(conteudo)
                           AND json_extract(conteudo, '$.audioMessage.localPath') IS NOT NULL""").fetchall()
    db.close()
    return dict(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/audiosync")
    parser.add_argument("--store", required=True, help="media/, messages.sqlite, truth.csv")
    parser.add_argument("--additions", type=int, default=100)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="additions-agree-")
    media = os.path.join(args.store, "media")
    database = os.path.join(work, "messages.sqlite")
    cache = os.path.join(work, "cache.sqlite")
    shutil.copy(os.path.join(args.store, "messages.sqlite"), database)
    with open(os.path.join(args.store, "truth.csv"), newline="") as handle:
        truth = [(int(row["message_id"]), row["file"]) for row in csv.DictReader(handle) if row["message_id"]]
    step = max(1, len(truth) // args.additions)
    pairs = truth[::step][: args.additions]
    held = os.path.join(work, "held")
    os.makedirs(held)
    moved = []
    try:
        db = sqlite3.connect(database)
        ids = ",".join(str(row) for row, _ in pairs)
        db.execute(f"CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id IN ({ids})")
        db.execute(f"DELETE FROM core_mensagem WHERE id IN ({ids})")
        db.commit()
        # A file two truth rows name (a re-download) is moved once.
        for file in sorted({file for _, file in pairs}):
            os.rename(os.path.join(media, file), os.path.join(held, file.replace("/", "_")))
            moved.append(file)
        for _ in range(3):
            report = sync(binary, media, database, cache)
            if report["changes"]["links"] == 0 and report["changes"]["repairs"] == 0:
                break
        for file in list(moved):
            os.rename(os.path.join(held, file.replace("/", "_")), os.path.join(media, file))
            moved.remove(file)
        columns = ", ".join(c[1] for c in db.execute("PRAGMA table_info(core_mensagem)") if c[1] != "id")
        new_id = {}
        for old, _ in pairs:
            cursor = db.execute(f"INSERT INTO core_mensagem ({columns}) SELECT {columns} FROM held_rows WHERE id = ?",
                                (old,))
            new_id[old] = cursor.lastrowid
        db.execute("DROP TABLE held_rows")
        db.commit()
        db.close()
        whole = os.path.join(work, "whole.sqlite")
        shutil.copy(database, whole)

        taken = sync(binary, media, database, cache)
        sync(binary, media, whole, os.path.join(work, "whole-cache.sqlite"), "--full")
        ours, theirs = links(database), links(whole)
        differ = sorted(row for row in set(ours) | set(theirs) if ours.get(row) != theirs.get(row))
        print(f"store: {args.store}, {len(pairs)} notes held out and put back")
        since = taken.get("additions_since")
        print(f"additions taken: {'yes' if since else 'no (the whole run)'}"
              + (f", linked {since['linked']} of {since['files']} files, {since['rows']} rows" if since else ""))
        for line in taken["why whole"]:
            print(f"  why: {line}")
        print(f"rows whose localPath differ from the whole run's: {len(differ)}"
              + (f" (first: {differ[:5]})" if differ else ""))
        for label, linked in (("this run", ours), ("the whole run", theirs)):
            by_file = {}
            for row, path in linked.items():
                by_file.setdefault(path, set()).add(row)
            right = sum(1 for old, file in pairs if new_id[old] in by_file.get(file, ()))
            wrong = sum(1 for old, file in pairs if by_file.get(file) and new_id[old] not in by_file[file])
            print(f"{label}: held-out notes linked to their row {right}, to another row {wrong}, "
                  f"not linked {len(pairs) - right - wrong}")
    finally:
        for file in moved:
            os.rename(os.path.join(held, file.replace("/", "_")), os.path.join(media, file))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
