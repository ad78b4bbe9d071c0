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

Each sync is a child process; its wall time and its peak resident set (ru_maxrss from wait4) are
recorded, and the best of `--repeat` runs is reported. The issue's budget for the estimating run
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
    database = os.path.join(world, f"run-{label}.sqlite")
    shutil.copyfile(os.path.join(world, "messages.sqlite"), database)
    command = [binary, "sync", "--media-root", os.path.join(world, "media"), "--database", database,
               "--probe-cache", os.path.join(world, "probe-cache.sqlite"), "--json"]
    if profile:
        command += ["--profile", profile]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait4 reaps this child alone and gives its own peak RSS (ru_maxrss, KiB on Linux).
    stdout_data = child.stdout.read()
    stderr_data = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit(f"{' '.join(command)} failed with {code}: {stderr_data.strip()}")
    report = json.loads(stdout_data)
    os.remove(database)
    return wall, usage.ru_maxrss / 1024, report


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
                    "max_rss_mb": round(max(m[1] for m in measured), 1),
                    "match_seconds_best": round(min(m[2]["timings"]["match"] for m in measured), 3),
                    "linked": measured[0][2]["changes"]["links"],
                }
            row["wall_ratio"] = round(row["estimation"]["wall_seconds_best"]
                                      / row["reference"]["wall_seconds_best"], 2)
            row["rss_ratio"] = round(row["estimation"]["max_rss_mb"] / row["reference"]["max_rss_mb"], 2)
            rows.append(row)
            e, r = row["estimation"], row["reference"]
            print(f"seed {seed}: estimation {e['wall_seconds_best']:.3f} s {e['max_rss_mb']:.0f} MB "
                  f"linked {e['linked']} | reference {r['wall_seconds_best']:.3f} s {r['max_rss_mb']:.0f} MB "
                  f"linked {r['linked']} | ×{row['wall_ratio']} time ×{row['rss_ratio']} memory", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    worst_wall = max(r["estimation"]["wall_seconds_best"] for r in rows)
    worst_rss = max(r["estimation"]["max_rss_mb"] for r in rows)
    print(f"worst estimating sync: {worst_wall:.3f} s, {worst_rss:.0f} MB "
          f"(budget 2 s, 200 MB); load average {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"rows": rows, "load_average": os.getloadavg()}, handle, indent=2)


if __name__ == "__main__":
    main()
