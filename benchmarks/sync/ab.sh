#!/usr/bin/env bash
# Issue 11's full dry run, two builds alternating so that the machine's drift falls on both:
#   benchmarks/sync/ab.sh STORE ROUNDS BINARY_A BINARY_B [extra sync arguments]
# STORE holds media/ and messages.sqlite (`audiosync generate --messages 1000000 --files 300000
# --seed 7`). Each run is a warm `sync -n --full -q` under /usr/bin/time: wall, user CPU, peak RSS.
set -euo pipefail
store=$1 rounds=$2 a=$3 b=$4
shift 4
for ((round = 1; round <= rounds; round++)); do
  for binary in "$a" "$b"; do
    figures=$( { /usr/bin/time -f "%e %U %M" "$binary" sync --media-root "$store/media" \
      --database "$store/messages.sqlite" -n --full -q "$@" >/dev/null; } 2>&1 | tail -1)
    read -r wall user peak <<<"$figures"
    printf '%s round %d  wall %6.2f s  user %6.2f s  peak RSS %5.2f GiB\n' \
      "$(basename "$binary")" "$round" "$wall" "$user" "$(echo "$peak / 1048576" | bc -l)"
  done
done
