#!/usr/bin/env bash
# Rewrites Tests/audiosyncTests/Golden/*.json from what the binary prints now, after a deliberate
# change of behaviour. It runs the golden test with AUDIOSYNC_WRITE_GOLDEN=1, in which the test
# writes its document and fails (so no run can pass by rewriting its own expectations); those
# failures are expected here. Then review `git diff Tests/audiosyncTests/Golden` and run the tests
# as usual.
#
# Usage: scripts/write-golden.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"${SWIFT:-swift}" build --product audiosync >/dev/null
AUDIOSYNC_WRITE_GOLDEN=1 "${SWIFT:-swift}" test --filter 'GoldenOutputTests' >"$log" 2>&1 || true
written="$(grep -c 'AUDIOSYNC_WRITE_GOLDEN=1' "$log" || true)"
if [ "$written" -eq 0 ]; then
    cat "$log" >&2
    echo "write-golden: the test wrote no document (did it build?)" >&2
    exit 1
fi
git status --short Tests/audiosyncTests/Golden
echo "write-golden: documents rewritten; review the diff, then: swift test --filter GoldenOutputTests"
