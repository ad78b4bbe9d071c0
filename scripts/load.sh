#!/usr/bin/env bash
# A CPU hog on every core, to show that the test suite does not depend on the machine being idle
# (issue 14: no test may depend on elapsed time).
#
#   scripts/load.sh                 # hog every core until interrupted
#   scripts/load.sh make test       # run CMD while every core is hogged; exit with CMD's status
#
# One busy loop per online core (twice that with LOAD_FACTOR=2), at normal priority, so they compete
# with the tests as another build would. The loops are stopped however the script ends.
set -euo pipefail

cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
loops=$((cores * ${LOAD_FACTOR:-1}))
pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 "$loops"); do
    # A subshell spinning in the shell itself: no I/O, all CPU.
    ( while :; do :; done ) &
    pids+=("$!")
done
echo "load: $loops busy loops on $cores cores" >&2

if [ "$#" -eq 0 ]; then
    wait
else
    status=0
    "$@" || status=$?
    exit "$status"
fi
