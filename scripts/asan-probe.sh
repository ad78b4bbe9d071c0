#!/usr/bin/env bash
# Compiles the probe shim (Sources/CAudioProbe) with AddressSanitizer and UndefinedBehaviorSanitizer
# into scripts/probe-driver.c and runs it on the fixtures and on every file in the given folders
# (the damaged set the test suite writes), each cut at up to 400 points and with garbage appended.
# Any sanitizer report aborts with a non-zero status.
#
# Usage: scripts/asan-probe.sh [FOLDER...]
# Needs: clang with the ASan/UBSan runtimes (the Swift toolchain's clang has them; on Debian's
# clang-14 install libclang-rt-14-dev), libopusfile-dev libvorbis-dev libogg-dev libopus-dev.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cc="${CC:-}"
if [ -z "$cc" ]; then
    for candidate in clang /opt/swift/usr/bin/clang clang-14; do
        if command -v "$candidate" >/dev/null 2>&1; then cc="$candidate"; break; fi
    done
fi
[ -n "$cc" ] || { echo "asan-probe: no clang found" >&2; exit 77; }
# gold, Debian's default for clang here, warns once per ASan symbol; lld (in the Swift toolchain) does not.
ld_flag() { if command -v ld.lld >/dev/null 2>&1 || [ -x "$(dirname "$(command -v "$cc")")/ld.lld" ]; then echo -fuse-ld=lld; fi; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$cc" -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
    -I"$root/Sources/CAudioProbe/include" -I/usr/include/opus \
    "$root/scripts/probe-driver.c" "$root"/Sources/CAudioProbe/*.c \
    -lopusfile -lvorbisfile -lvorbis -lopus -logg -o "$work/probe-driver-asan" $(ld_flag)
fixtures=("$root"/Tests/AudioProbeTests/Fixtures/*.{opus,ogg,mp3,m4a,aac,wav})
files=()
for folder in "$@"; do
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$folder" -type f -print0)
done
# Full (DWARF) unwinding on malloc: libvorbis and libopusfile have no frame pointers, so the fast
# unwinder stops inside them and the by-library leak suppressions could not see who called.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:allocator_may_return_null=1:fast_unwind_on_malloc=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
echo "asan-probe: $cc, ${#fixtures[@]} fixtures cut at 400 points, ${#files[@]} damaged inputs cut at 16"
STRESS_CUTS=400 "$work/probe-driver-asan" --stress "${fixtures[@]}"
if [ "${#files[@]}" -gt 0 ]; then STRESS_CUTS=16 "$work/probe-driver-asan" --stress "${files[@]}"; fi
