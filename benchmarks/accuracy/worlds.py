#!/usr/bin/env python3
"""Accuracy over many worlds: generate stores, evaluate audiosync on each, report the spread.

    benchmarks/accuracy/worlds.py --seeds 101-120                 # worlds `generate --world` draws
    benchmarks/accuracy/worlds.py --seeds 1-5 --independent       # stores of benchmarks/independent
    benchmarks/accuracy/worlds.py --seeds 101-120 --json out.json --keep /tmp/worlds
    benchmarks/accuracy/worlds.py --seeds 101-105 --tune-unlabelled   # `tune` without labels first
    benchmarks/accuracy/worlds.py --seeds 60-62 --independent --world-json dst.json   # e.g. a zone with DST

Worlds 1-20 are the development set (look at them, tune on them); 101-120 are held out: report
them, never tune on them. Each world is evaluated with default settings and no profile. Prints one
line per world (precision, recall, recall on intact files, wrong links, reviews) and the spread
(min, median, worst), then the defects whose recall is lowest across worlds.
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


def seeds(text):
    out = []
    for part in text.split(","):
        if "-" in part:
            low, high = part.split("-")
            out += range(int(low), int(high) + 1)
        else:
            out.append(int(part))
    return out


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def make_world(args, seed, folder):
    if args.independent:
        run([sys.executable, os.path.join(ROOT, "benchmarks/independent/make_world.py"), "--out", folder,
             "--seed", str(seed), "--messages", str(args.messages), "--files", str(args.files)]
            + (["--world-json", args.world_json] if args.world_json else []))
    else:
        run([args.binary, "generate", "--out", folder, "--world", "--seed", str(seed),
             "--messages", str(args.messages), "--files", str(args.files), "--chats", str(args.chats)])


def tune_unlabelled(args, folder):
    """`tune` without a truth file, as a user without labels runs it; returns the profile's path."""
    profile = os.path.join(folder, "tuned-unlabelled.yml")
    command = [args.binary, "tune", "--media-root", folder + "/media", "--database", folder + "/messages.sqlite",
               "--out", profile, "--no-probe-cache"]
    if args.profile:
        command += ["--profile", args.profile]
    run(command)
    return profile


def evaluate(args, folder, profile):
    command = [args.binary, "evaluate", "--media-root", folder + "/media", "--database",
               folder + "/messages.sqlite", "--truth", folder + "/truth.csv", "--json", "--no-probe-cache"]
    if profile:
        command += ["--profile", profile]
    return json.loads(run(command).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="101-120", help="world seeds: 101-120 (held out), 1-20 (development)")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/audiosync"))
    parser.add_argument("--independent", action="store_true", help="stores of benchmarks/independent/make_world.py")
    parser.add_argument("--world-json", help="deployment parameters every independent store takes (make_world.py's "
                        "--world-json), e.g. a file holding {\"server_zone\": \"America/New_York\"}")
    parser.add_argument("--messages", type=int, default=6000)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=60)
    parser.add_argument("--profile", help="a weight profile (default: none, the built-in settings)")
    parser.add_argument("--tune-unlabelled", action="store_true",
                        help="run `tune` without labels on each world first and evaluate with the profile it writes")
    parser.add_argument("--keep", help="keep the worlds in this folder (and reuse them when there)")
    parser.add_argument("--json", help="write every world's figures here")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"no binary at {args.binary}: swift build -c release --product audiosync, or pass --binary")
    base = args.keep or tempfile.mkdtemp(prefix="audiosync-worlds-")
    rows = []
    defects = {}
    reliability = {}
    for seed in seeds(args.seeds):
        folder = os.path.join(base, ("indie-" if args.independent else "world-") + str(seed))
        if not os.path.exists(os.path.join(folder, "truth.csv")):
            shutil.rmtree(folder, ignore_errors=True)
            make_world(args, seed, folder)
        started = time.time()
        profile = tune_unlabelled(args, folder) if args.tune_unlabelled else args.profile
        report = evaluate(args, folder, profile)["audiosync"]
        elapsed = time.time() - started
        overall, intact = report["overall"], report["undamaged"]
        row = {
            "seed": seed, "precision": overall["precision"], "recall": overall["recall"],
            "recall_intact": intact["recall"], "links": overall["links"], "wrong": overall["wrong"],
            "belonging": overall["belonging"], "reviews": report["reviews"],
            "wrong_across_chats": report["wrong_across_chats"],
            "wrong_across_clients": report["wrong_across_clients"], "seconds": round(elapsed, 2),
        }
        world = os.path.join(folder, "world.json")
        if os.path.exists(world):
            with open(world) as handle:
                row["world"] = json.load(handle)
        rows.append(row)
        for band in report.get("reliability", []):
            key = (band["from"], band["to"])
            total = reliability.setdefault(key, [0, 0, 0.0])
            total[0] += band["pairs"]
            total[1] += band["right"]
            total[2] += band["expected_right"]
        for name, metrics in report["per_defect"].items():
            if metrics["belonging"]:
                defects.setdefault(name, []).append((metrics["recall"], metrics["precision"], metrics["belonging"]))
        print(f"world {seed:4d}  precision {row['precision']:.4f}  recall {row['recall']:.4f}  "
              f"intact {row['recall_intact']:.4f}  wrong {row['wrong']:3d} of {row['links']:5d}  "
              f"reviews {row['reviews']:4d}  {elapsed:5.1f} s", flush=True)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)

    def spread(key):
        values = [row[key] for row in rows]
        return f"min {min(values):.4f}  median {statistics.median(values):.4f}  max {max(values):.4f}"

    print(f"\n{len(rows)} worlds")
    for key in ("precision", "recall", "recall_intact"):
        print(f"  {key:14s} {spread(key)}")
    print(f"  wrong links across chats {sum(r['wrong_across_chats'] for r in rows)}, "
          f"across clients {sum(r['wrong_across_clients'] for r in rows)}")
    if reliability:
        print("\nstated probability over all worlds (links and reviews): pairs, right, expected right")
        for (low, high), (pairs, right, expected) in sorted(reliability.items()):
            if pairs:
                print(f"  {low:<8} – {high:<8} {pairs:7d} {right:7d} {expected:9.1f}")
    print("\nlowest recall by defect (worst world, and files behind it)")
    worst = sorted(((min(v)[0], name, min(v)[2], min(p for _, p, _ in v)) for name, v in defects.items()))
    for recall, name, files, precision in worst[:15]:
        print(f"  {name:32s} recall {recall:.3f} ({files} files)  worst precision {precision:.4f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"worlds": rows, "defects": defects,
                       "reliability": [{"from": k[0], "to": k[1], "pairs": v[0], "right": v[1], "expected_right": v[2]}
                                       for k, v in sorted(reliability.items())]}, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
