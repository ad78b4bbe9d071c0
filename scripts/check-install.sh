#!/usr/bin/env bash
# The install test: unpacks the `make dist` tarball (or takes a PREFIX that `make install` filled),
# then runs the installed binary as a server without Swift would: the toolchain off the PATH and,
# where the machine allows a private mount namespace, the toolchain's folder hidden altogether.
# It generates a small store with the installed binary, syncs it, undoes the run, and checks the
# man page and completion scripts. CI runs it after `make test` (.ci/run); `make check-install`
# builds what it needs first.
#
# Usage: scripts/check-install.sh TARBALL|PREFIX
set -euo pipefail
given="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -f "$given" ]; then
    tar -xzf "$given" -C "$work"
    prefix="$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)"
else
    prefix="$given"
fi
toolchain="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")"
echo "check-install: $prefix (toolchain at $toolchain, to be hidden)"

cat >"$work/inside.sh" <<'INSIDE'
set -euo pipefail
prefix="$1"
work="$2"
toolchain="$3"
export PATH=/usr/bin:/bin
fail() { echo "check-install: $*" >&2; exit 1; }
! command -v swift >/dev/null || fail "swift is still on the PATH"
[ -d "$toolchain/lib" ] && [ -n "$(ls -A "$toolchain/lib" 2>/dev/null)" ] && hidden=no || hidden=yes
echo "check-install: toolchain folder hidden: $hidden"
bin="$prefix/bin/audiosync"
ldd "$bin" | grep -q "$toolchain" && fail "the binary loads a library of the toolchain: $(ldd "$bin" | grep "$toolchain")"
ldd "$bin" | grep -q "not found" && fail "a library is missing: $(ldd "$bin" | grep 'not found')"
"$bin" --version
# Outputs are read whole before grep sees them: a grep that stops early must not break the pipe.
has() { grep -q -- "$2" <<<"$1"; }
has "$("$bin" --help)" "Exit codes" || fail "--help lacks the exit codes"
"$bin" generate --out "$work/store" --messages 300 --files 90 --chats 6 --seed 5 >/dev/null
cd "$work"
printf 'media_root: store/media\ndatabase: store/messages.sqlite\n' >audiosync.yml
has "$("$bin" config show)" "store/media" || fail "config show does not show the media root of audiosync.yml"
"$bin" sync -n -q || fail "dry run failed"
"$bin" sync --json >sync.json
grep -Eq '"schema_version" : [0-9]+,' sync.json || fail "sync --json has no schema_version"
run="$(sed -n 's/^  "run" : \([0-9]*\),$/\1/p' sync.json)"
[ -n "$run" ] || fail "the sync recorded no run"
has "$("$bin" runs)" "run $run" || fail "runs does not list run $run"
has "$("$bin" undo -n "$run")" "rows it would restore" || fail "undo --dry-run shows no rows"
"$bin" undo "$run" >/dev/null
has "$("$bin" profile show)" "target_precision" || fail "profile show prints no profile"
grep -q '^\.Dt AUDIOSYNC 1' "$prefix/share/man/man1/audiosync.1" || fail "the man page is not an mdoc page"
grep -q "config" "$prefix/share/man/man1/audiosync.1" || fail "the man page lacks the config command"
if command -v man >/dev/null; then MANWIDTH=80 man -l "$prefix/share/man/man1/audiosync.1" >/dev/null 2>&1 || fail "man cannot read the page"; fi
bash -n "$prefix/share/bash-completion/completions/audiosync" || fail "the bash completion does not parse"
grep -q "sync" "$prefix/share/zsh/site-functions/_audiosync" || fail "no zsh completion"
grep -q "sync" "$prefix/share/fish/vendor_completions.d/audiosync.fish" || fail "no fish completion"
echo "check-install: the installed audiosync runs without the toolchain (generate, config, sync, runs, undo, man page, completions)"
INSIDE

# Hide the toolchain's folder in a private mount namespace when the machine allows one; the
# PATH is cut in any case, and ldd shows no library of the toolchain either way.
if command -v unshare >/dev/null && unshare --mount true 2>/dev/null; then
    unshare --mount bash -c 'mount -t tmpfs none "$3" && exec bash "$4/inside.sh" "$1" "$4" "$3"' \
        _ "$prefix" "$work" "$toolchain" "$work"
else
    bash "$work/inside.sh" "$prefix" "$work" "$toolchain"
fi
