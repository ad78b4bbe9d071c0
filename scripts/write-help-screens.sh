#!/usr/bin/env bash
# Rewrites Tests/audiosyncTests/Help/*.txt from the commands' current help, after a deliberate
# change to an option or a text. It runs the help-screen test with AUDIOSYNC_WRITE_HELP=1, in which
# the test writes its screen and fails (so no run can pass by rewriting its own expectations);
# those failures are expected here. Then review `git diff Tests/audiosyncTests/Help` and run the
# tests as usual.
#
# Usage: scripts/write-help-screens.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
AUDIOSYNC_WRITE_HELP=1 "${SWIFT:-swift}" test --filter 'CommandParsingTests/helpScreens' >"$log" 2>&1 || true
written="$(grep -c 'AUDIOSYNC_WRITE_HELP=1' "$log" || true)"
if [ "$written" -eq 0 ]; then
    cat "$log" >&2
    echo "write-help-screens: the test wrote no screen (did it build?)" >&2
    exit 1
fi
git status --short Tests/audiosyncTests/Help
echo "write-help-screens: screens rewritten; review the diff, then: swift test --filter CommandParsingTests"
