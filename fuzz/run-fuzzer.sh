#!/usr/bin/env bash
# Builds fuzz/probe_fuzzer.c with libFuzzer, AddressSanitizer and UBSan and runs it for SECONDS
# (default 60) on a corpus seeded with the audio fixtures. Crashes land in .fuzz/ (git-ignored).
# Usage: fuzz/run-fuzzer.sh [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
cc="${CC:-clang}"
command -v "$cc" >/dev/null 2>&1 || cc=/opt/swift/usr/bin/clang
out="$root/.fuzz"
mkdir -p "$out/corpus" "$out/artifacts"
cp -n "$root"/Tests/AudioProbeTests/Fixtures/*.{opus,ogg} "$out/corpus/" 2>/dev/null || true
"$cc" -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -fuse-ld=lld -I"$root/Sources/CAudioProbe/include" -I/usr/include/opus \
    "$root/fuzz/probe_fuzzer.c" "$root"/Sources/CAudioProbe/*.c \
    -lopusfile -lvorbisfile -lvorbis -lopus -logg -o "$out/probe_fuzzer"
LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0" ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:fast_unwind_on_malloc=0" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    "$out/probe_fuzzer" -max_total_time="$seconds" -max_len=131072 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$@" "$out/corpus"
