#!/usr/bin/env python3
"""Markdown tables from the JSON that worlds.py writes (for docs/accuracy.md).

    benchmarks/accuracy/tables.py heldout.json            # per world, gates, per defect, reliability
"""
import json
import statistics
import sys


def world_columns(row):
    world = row.get("world") or {}
    deployment = world.get("deployment", {})
    instances = world.get("instances", [])
    if "clients" in world:
        # benchmarks/independent's world.json: its own names for the same draws.
        instances = [{"derivations": [("unknown_" + str(deployment.get("unknown_derivation_kind")))
                                      if i.get("unknown_derivation") else i.get("hash8_derivation", "?")],
                      "zone": i.get("server_utc_offset", "?"), "clock_skew_seconds": round(i.get("clock_skew_s", 0))}
                     for c in world["clients"] for i in c.get("instances", [])]
        deployment = dict(deployment, history_import_share=deployment.get("backfill_share", 0),
                          transcode_share=max((i.get("transcode_share", 0) for c in world["clients"]
                                               for i in c.get("instances", [])), default=0))
    derivations = sorted({d for i in instances for d in i.get("derivations", [])})
    zones = sorted({i.get("zone", "?") for i in instances})
    skew = max((abs(i.get("clock_skew_seconds", 0)) for i in instances), default=0)
    unknown = any(d.startswith("unknown") or d not in ("id_prefix", "id_suffix", "md5", "sha1", "sha256")
                  for d in derivations)
    return {
        "derivations": ", ".join(derivations) or "?",
        "unknown": unknown,
        "zones": ", ".join(zones) or "?",
        "skew": skew,
        "history": deployment.get("history_import_share", 0),
        "transcode": deployment.get("transcode_share", 0),
        "own_number": deployment.get("own_number_share", 0),
    }


def main():
    data = json.load(open(sys.argv[1]))
    rows = data["worlds"]
    print("| world | precision | recall | recall, intact files | wrong / links | reviews | derivations | zones | max skew (s) | history imports | transcodes |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |")
    for row in rows:
        c = world_columns(row)
        print(f"| {row['seed']} | {row['precision']:.4f} | {row['recall']:.4f} | {row['recall_intact']:.4f} | "
              f"{row['wrong']} / {row['links']} | {row['reviews']} | {c['derivations']} | {c['zones']} | "
              f"{c['skew']} | {c['history']:.0%} | {c['transcode']:.0%} |")
    print()
    for key in ("precision", "recall", "recall_intact"):
        values = [r[key] for r in rows]
        print(f"- {key}: min {min(values):.4f}, median {statistics.median(values):.4f}, max {max(values):.4f}")
    print(f"- wrong links across chats {sum(r['wrong_across_chats'] for r in rows)}, "
          f"across clients {sum(r['wrong_across_clients'] for r in rows)}")
    unknown = [r for r in rows if world_columns(r)["unknown"]]
    if unknown:
        values = [r["recall_intact"] for r in unknown]
        print(f"- worlds with an unknown derivation ({len(unknown)}: "
              f"{', '.join(str(r['seed']) for r in unknown)}): recall on intact files "
              f"min {min(values):.4f}, median {statistics.median(values):.4f}")
    print()
    print("| defect | worlds | files | recall: worst world | median | precision: worst world |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    defects = data.get("defects", {})
    for name, values in sorted(defects.items(), key=lambda item: min(v[0] for v in item[1])):
        recalls = [v[0] for v in values]
        print(f"| {name} | {len(values)} | {sum(v[2] for v in values)} | {min(recalls):.3f} | "
              f"{statistics.median(recalls):.3f} | {min(v[1] for v in values):.4f} |")
    if data.get("reliability"):
        print()
        print("| stated probability | pairs | right | expected right |")
        print("| --- | ---: | ---: | ---: |")
        for band in data["reliability"]:
            if band["pairs"]:
                print(f"| {band['from']} – {band['to']} | {band['pairs']} | {band['right']} | "
                      f"{band['expected_right']:.1f} |")


if __name__ == "__main__":
    main()
