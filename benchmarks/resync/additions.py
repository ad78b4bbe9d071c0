#!/usr/bin/env python3
"""Issue 11's re-syncs through the CLI: unchanged, and after N new files and N new rows.

Copies a generated store's database (the media folder is used in place: files are moved out
and back), holds N of its true pairs out (their files moved aside, their rows deleted), syncs
for real until a run has nothing to write, times an unchanged re-sync, then puts the N files
back and inserts their rows again as new rows (new ids, as a CRM inserts them) and times the
re-sync that follows, with /usr/bin/time (wall, user, system, peak RSS). The files are moved
back into the store at the end, whatever happens.

    benchmarks/resync/additions.py --binary /tmp/B --store /tmp/m1 --additions 1000
    benchmarks/resync/additions.py --binary /tmp/B --store /tmp/m1 --dry-run   # the last run with -n

The store needs truth.csv (generate writes it) and a warm probe cache is kept in the work
folder between runs, as a user's would be.
"""
import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile


def timed(binary, arguments, label, log=None):
    """Runs the binary under /usr/bin/time; returns (exit code, wall, user, system, peak KiB)."""
    command = ["/usr/bin/time", "-f", "TIME %e %U %S %M", binary] + arguments
    result = subprocess.run(command, capture_output=True, text=True)
    lines = result.stderr.strip().splitlines()
    figures = next((line for line in reversed(lines) if line.startswith("TIME ")), None)
    if log is not None:
        with open(log, "a") as handle:
            handle.write(f"== {label}: {' '.join(arguments)}\n{result.stderr}\n")
    if figures is None:
        sys.exit(f"{label}: no timing (exit {result.returncode}): {result.stderr[-2000:]}")
    wall, user, system, peak = figures.split()[1:]
    print(f"{label:<40} exit {result.returncode}  wall {float(wall):6.2f} s  user {float(user):6.2f} s  "
          f"sys {float(system):5.2f} s  peak RSS {int(peak) / 1024:7.1f} MiB", flush=True)
    if result.returncode not in (0, 3):
        sys.exit(f"{label} failed: {result.stderr[-2000:]}")
    return result.returncode, float(wall), float(user), float(system), int(peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/audiosync")
    parser.add_argument("--store", required=True, help="a generated store: media/, messages.sqlite, truth.csv")
    parser.add_argument("--additions", type=int, default=1000)
    parser.add_argument("--dry-run", action="store_true", help="the re-sync after the additions with -n")
    parser.add_argument("--log", help="append every run's stderr here (runs are -v)")
    parser.add_argument("--keep", help="work folder to keep (default: a temporary one, removed)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = args.keep or tempfile.mkdtemp(prefix="resync-")
    os.makedirs(work, exist_ok=True)
    media = os.path.join(args.store, "media")
    database = os.path.join(work, "messages.sqlite")
    shutil.copy(os.path.join(args.store, "messages.sqlite"), database)
    cache = os.path.join(work, "cache.sqlite")
    if os.path.exists(os.path.join(args.store, "cache.sqlite")) and not os.path.exists(cache):
        shutil.copy(os.path.join(args.store, "cache.sqlite"), cache)
    common = ["--media-root", media, "--database", database, "--probe-cache", cache, "-v"]
    with open(os.path.join(args.store, "truth.csv"), newline="") as handle:
        links = [(int(row["message_id"]), row["file"]) for row in csv.DictReader(handle) if row["message_id"]]
    step = max(1, len(links) // args.additions)
    pairs = links[::step][: args.additions]
    held = os.path.join(work, "held")
    os.makedirs(held, exist_ok=True)
    moved = []
    try:
        db = sqlite3.connect(database, timeout=60)
        ids = ",".join(str(row) for row, _ in pairs)
        db.execute(f"CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id IN ({ids})")
        db.execute(f"DELETE FROM core_mensagem WHERE id IN ({ids})")
        db.commit()
        for _, file in pairs:
            os.rename(os.path.join(media, file), os.path.join(held, file.replace("/", "_")))
            moved.append(file)
        print(f"held out {len(pairs)} pairs; syncing for real until nothing is left to write", flush=True)
        # The run after a writing run plans once more: the rows it wrote were never planned from.
        timed(binary, ["sync"] + common, "first sync (writing)", args.log)
        timed(binary, ["sync"] + common, "second sync", args.log)
        timed(binary, ["sync", "-n"] + common, "unchanged re-sync (-n)", args.log)
        timed(binary, ["sync"] + common, "unchanged re-sync", args.log)
        # The additions: files back, rows inserted as new ones.
        for file in list(moved):
            os.rename(os.path.join(held, file.replace("/", "_")), os.path.join(media, file))
            moved.remove(file)
        columns = ", ".join(c[1] for c in db.execute("PRAGMA table_info(core_mensagem)") if c[1] != "id")
        db.execute(f"INSERT INTO core_mensagem ({columns}) SELECT {columns} FROM held_rows ORDER BY id")
        db.execute("DROP TABLE held_rows")
        db.commit()
        db.close()
        label = f"after {len(pairs)} new files and rows" + (" (-n)" if args.dry_run else "")
        timed(binary, ["sync"] + (["-n"] if args.dry_run else []) + common, label, args.log)
        if not args.dry_run:
            timed(binary, ["sync", "-n", "--full"] + common, "a full dry run afterwards", args.log)
    finally:
        for file in moved:
            os.rename(os.path.join(held, file.replace("/", "_")), os.path.join(media, file))
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
