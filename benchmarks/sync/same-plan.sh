#!/usr/bin/env bash
# Whether two builds plan the same: each build's `sync -n --full --json` on each store, its timings
# and run left out, compared byte for byte (every link's waterfall included). For changes meant to
# make the engine faster without changing a decision:
#   benchmarks/sync/same-plan.sh BINARY_A BINARY_B STORE...
# A STORE holds media/ and messages.sqlite. Each store gets a probe cache of its own in the temporary
# folder, warmed by a first run of A, so that the scan's counts (probed, hashed) are the same for both.
set -euo pipefail
a=$1 b=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plan() {
  "$1" sync -n --full --json --media-root "$2/media" --database "$2/messages.sqlite" \
    --probe-cache "$work/$(basename "$2").cache" 2>/dev/null |
    python3 -c 'import json, sys
r = json.load(sys.stdin)
r.pop("timings", None)
r.pop("run", None)
print(json.dumps(r, sort_keys=True, indent=0))'
}
status=0
for store in "$@"; do
  plan "$a" "$store" >/dev/null
  plan "$a" "$store" >"$work/a.json"
  plan "$b" "$store" >"$work/b.json"
  if cmp -s "$work/a.json" "$work/b.json"; then
    echo "$store: the same plan ($(wc -c <"$work/a.json") bytes)"
  else
    echo "$store: DIFFERENT"
    diff "$work/a.json" "$work/b.json" | head -20 || true
    status=1
  fi
done
exit $status
