#!/usr/bin/env python3
"""What went wrong on one store: every file whose message the engine missed or mislinked, with its
truth tags and what the plan decided for it, grouped by decision.

    benchmarks/accuracy/misses.py STORE_DIR [--binary PATH] [--tag TAG] [--show 5]

STORE_DIR holds media/, messages.sqlite and truth.csv (what `generate` and
benchmarks/independent/make_world.py write). Writes nothing to the store (a dry run, no probe cache).
"""
import argparse
import collections
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/audiosync"))
    parser.add_argument("--tag", help="only files carrying this truth tag")
    parser.add_argument("--show", type=int, default=5, help="examples per decision")
    args = parser.parse_args()
    plan = json.loads(subprocess.run(
        [args.binary, "sync", "--media-root", args.store + "/media", "--database", args.store + "/messages.sqlite",
         "--dry-run", "--json", "--no-probe-cache"], check=True, capture_output=True, text=True).stdout)["plan"]
    truth = {}
    with open(args.store + "/truth.csv") as handle:
        for row in csv.DictReader(handle):
            truth[row["file"]] = (int(row["message_id"]) if row["message_id"] else None,
                                  row.get("defects", "").split(";") if row.get("defects") else [])
    linked = {}
    for link in plan["links"]:
        linked[link["file"]] = (link["message_id"], link)
        for duplicate in link["duplicates"]:
            linked[duplicate] = (link["message_id"], link)
    reviewed = {review["file"]: review for review in plan["reviews"]}
    unmatched = {entry["file"]: entry for entry in plan["unmatched"]}
    groups = collections.defaultdict(list)
    for path, (message, tags) in truth.items():
        if args.tag and args.tag not in tags:
            continue
        got = linked.get(path)
        if got and got[0] == message:
            continue
        if got:
            decision = "WRONG link" if message is not None else "WRONG link (orphan)"
        elif message is None:
            continue
        elif path in reviewed:
            decision = "review: " + reviewed[path]["reason"]
        elif path in unmatched:
            entry = unmatched[path]
            decision = "unmatched: " + entry["reason"] + (" (" + entry["detail"] + ")" if entry.get("detail") else "")
        else:
            decision = "not in plan"
        groups[decision].append((path, message, tags, got, reviewed.get(path), unmatched.get(path)))
    for decision, items in sorted(groups.items(), key=lambda item: -len(item[1])):
        tags = collections.Counter(tag for item in items for tag in item[2])
        print(f"\n{decision}: {len(items)} files; tags: " + ", ".join(f"{t} {n}" for t, n in tags.most_common(8)))
        for path, message, tags, got, review, entry in items[:args.show]:
            print(f"  {path}  truth {message}  tags {';'.join(tags)}")
            if got:
                print(f"    linked to {got[0]}  p {got[1]['probability']}  score {got[1]['score']}")
            best = (review or {}).get("candidates", [None])[0] if review else (entry or {}).get("best")
            if best:
                print(f"    best: message {best['message_id']}  score {best['score']}  p {best.get('probability')}")


if __name__ == "__main__":
    sys.exit(main())
