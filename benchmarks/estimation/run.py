#!/usr/bin/env python3
"""What estimating the evidence weights costs a sync: wall time and peak memory, with and without.

    swift build -c release --product audiosync
    benchmarks/estimation/run.py --binary .build/release/audiosync
    benchmarks/estimation/run.py --files 2000 --seeds 101,102,103 --repeat 5 --json out.json

For each seed it generates a world store (`generate --world`) with the given number of files,
warms the page cache and the probe cache with one dry run, then times `sync` (a real, writing
sync) on a fresh copy of the database, alternating two settings in the same script:

- estimation:   the default profile (weights estimated per instance at every sync);
- reference:    the same profile with `estimation: {enabled: false}` (the bits as written).

Each sync is a child process; its wall time, its CPU time (user + system) and its peak resident set
(ru_maxrss from wait4) are recorded, and the best of `--repeat` runs is reported. On a machine busy
with other work the wall time grows and the CPU time does not: read both. The issue's budget for the estimating run
is 2 s and 200 MB for 2,000 files on this machine; the ratio to the reference says what the
estimation adds, whatever the machine's load.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE_PROFILE = "estimation:\n  enabled: false\n"


def sync_once(binary, world, profile, label):
    """One writing sync on a fresh copy of the database: (wall s, CPU s, peak RSS MB, figures)."""
    database = os.path.join(world, f"run-{label}.sqlite")
    shutil.copyfile(os.path.join(world, "messages.sqlite"), database)
    command = [binary, "sync", "--media-root", os.path.join(world, "media"), "--database", database,
               "--probe-cache", os.path.join(world, "probe-cache.sqlite"), "--json"]
    if profile:
        command += ["--profile", profile]
    out = os.path.join(world, f"report-{label}.json")
    # posix_spawn (vfork underneath), not fork: a forked child's ru_maxrss starts at the size of
    # this Python process, which would be measured as the sync's.
    actions = [(os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(binary, command, os.environ, file_actions=actions)
    # wait4 reaps this child alone and gives its own peak RSS (ru_maxrss, KiB on Linux).
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit(f"{' '.join(command)} failed with {code}")
    with open(out) as handle:
        report = json.load(handle)
    figures = {"match": report["timings"]["match"], "links": report["changes"]["links"]}
    del report
    os.remove(out)
    os.remove(database)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/audiosync"))
    parser.add_argument("--seeds", default="101,102,103")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="audiosync-estimation-")
    reference = os.path.join(scratch, "reference.yaml")
    with open(reference, "w") as handle:
        handle.write(REFERENCE_PROFILE)
    rows = []
    try:
        for seed in [int(s) for s in args.seeds.split(",")]:
            world = os.path.join(scratch, f"world-{seed}")
            subprocess.run([args.binary, "generate", "--out", world, "--world", "--seed", str(seed),
                            "--files", str(args.files), "--messages", str(int(args.files * 1.3))],
                           check=True, capture_output=True)
            # Warm the page cache and the probe cache: the budget is for a warm sync.
            sync_once(args.binary, world, None, "warm")
            runs = {"estimation": [], "reference": []}
            for _ in range(args.repeat):
                # Alternate, so that load on the machine falls on both alike.
                runs["estimation"].append(sync_once(args.binary, world, None, "estimation"))
                runs["reference"].append(sync_once(args.binary, world, reference, "reference"))
            row = {"seed": seed, "files": args.files}
            for name, measured in runs.items():
                row[name] = {
                    "wall_seconds_best": round(min(m[0] for m in measured), 3),
                    "wall_seconds_median": round(statistics.median(m[0] for m in measured), 3),
                    "cpu_seconds_best": round(min(m[1] for m in measured), 3),
                    "max_rss_mb": round(max(m[2] for m in measured), 1),
                    "match_seconds_best": round(min(m[3]["match"] for m in measured), 3),
                    "linked": measured[0][3]["links"],
                }
            row["wall_ratio"] = round(row["estimation"]["wall_seconds_best"]
                                      / row["reference"]["wall_seconds_best"], 2)
            row["rss_ratio"] = round(row["estimation"]["max_rss_mb"] / row["reference"]["max_rss_mb"], 2)
            rows.append(row)
            e, r = row["estimation"], row["reference"]
            print(f"seed {seed}: estimation {e['wall_seconds_best']:.3f} s (CPU {e['cpu_seconds_best']:.3f} s) "
                  f"{e['max_rss_mb']:.0f} MB linked {e['linked']} | reference {r['wall_seconds_best']:.3f} s "
                  f"(CPU {r['cpu_seconds_best']:.3f} s) {r['max_rss_mb']:.0f} MB "
                  f"linked {r['linked']} | ×{row['wall_ratio']} time ×{row['rss_ratio']} memory", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    worst_wall = max(r["estimation"]["wall_seconds_best"] for r in rows)
    worst_rss = max(r["estimation"]["max_rss_mb"] for r in rows)
    worst_cpu = max(r["estimation"]["cpu_seconds_best"] for r in rows)
    print(f"worst estimating sync: {worst_wall:.3f} s wall, {worst_cpu:.3f} s CPU, {worst_rss:.0f} MB "
          f"(budget 2 s, 200 MB); load average {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"rows": rows, "load_average": os.getloadavg()}, handle, indent=2)


if __name__ == "__main__":
    main()
