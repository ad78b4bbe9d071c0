#!/usr/bin/env bash
# Lays out a release of audiosync in a folder, as `make install` copies it and `make dist` packs
# it: bin/audiosync (release build, Swift runtime linked statically), its shared libraries that a
# server may lack (libopus, libogg, libvorbis, libopusfile, libsqlite3) under lib/audiosync/
# (the binary's RUNPATH finds them there), the man page, and the completion scripts for bash, zsh
# and fish. Run by the Makefile after the release build and the man page (see `make stage`).
#
# Usage: scripts/stage-release.sh BINARY MANPAGE STAGE
set -euo pipefail
binary="$1"
manpage="$2"
stage="$3"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib/audiosync" "$stage/share/man/man1" "$stage/share/doc/audiosync" \
    "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$stage/bin/audiosync"
strip --strip-unneeded "$stage/bin/audiosync" 2>/dev/null || true
install -m 0644 "$manpage" "$stage/share/man/man1/audiosync.1"
"$stage/bin/audiosync" --generate-completion-script bash >"$stage/share/bash-completion/completions/audiosync"
"$stage/bin/audiosync" --generate-completion-script zsh >"$stage/share/zsh/site-functions/_audiosync"
"$stage/bin/audiosync" --generate-completion-script fish >"$stage/share/fish/vendor_completions.d/audiosync.fish"

# Every shared library the binary loads except the C runtime every Linux has (glibc, libstdc++,
# libgcc_s): those go beside it. A library of the Swift toolchain here would mean the static
# runtime did not take; that is an error, not something to ship.
while read -r name path; do
    # The loader is listed by its path (/lib64/ld-linux-x86-64.so.2): match names by their last part.
    case "${name##*/}" in
    linux-vdso.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | \
        libutil.so.* | libstdc++.so.* | libgcc_s.so.*) continue ;;
    esac
    case "$path" in
    */swift/*) echo "stage-release: $name comes from the Swift toolchain ($path); the runtime must be static" >&2; exit 1 ;;
    /*) install -m 0644 "$(readlink -f "$path")" "$stage/lib/audiosync/$name" ;;
    *) echo "stage-release: $name not found" >&2; exit 1 ;;
    esac
done < <(ldd "$binary" | awk '/=>/ { print $1, $3 } !/=>/ { print $1, $1 }')

cp README.md docs/first-run.md "$stage/share/doc/audiosync/"
echo "stage-release: $(du -sh "$stage" | cut -f1) in $stage ($(ls "$stage/lib/audiosync" | wc -l) libraries bundled)"
