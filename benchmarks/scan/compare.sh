#!/usr/bin/env bash
# `audiosync scan` of a mixed store, end to end through the CLI (process start, walk, names,
# probes on every core, the report), beside the floor: open, read the first 4 KiB and the last
# 64 KiB, close, one thread (floor.c). Issue 11 asks for ≥ 0.5× the floor's rate.
#
# The store: the generator's Ogg Opus notes, plus Vorbis, MP3 and M4A notes made by the real
# encoders (oggenc, lame, ffmpeg) and copied under msg_ names into the same chat folders, plus
# images and documents beside them, as a CRM's media folder holds. Warm page cache, cold probe
# cache (--no-probe-cache), best of $REPEAT runs each, alternating.
#
#   AUDIOSYNC=.build/release/audiosync benchmarks/scan/compare.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
audiosync="${AUDIOSYNC:-$root/.build/release/audiosync}"
files="${FILES:-8000}"
repeat="${REPEAT:-3}"
# KEEP=DIR keeps the store there (made once, reused) for profiling.
if [[ -n "${KEEP:-}" ]]; then
    work="$KEEP"
    mkdir -p "$work"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi

if [[ ! -d "$work/store" ]]; then
echo "generating $files Opus notes, then Vorbis, MP3, M4A copies and documents…" >&2
"$audiosync" generate --out "$work/store" --messages $((files * 2)) --files "$files" --chats 40 --seed 5 --defects none -q
media="$work/store/media"
template="$(find "$media" -name '*.ogg' -print -quit)"
ffmpeg -loglevel error -i "$template" -ac 1 -ar 16000 -f wav "$work/note.wav"
oggenc -Q -q 1 -o "$work/note.vorbis.ogg" "$work/note.wav" 2>/dev/null
lame --quiet -b 32 "$work/note.wav" "$work/note.mp3"
ffmpeg -loglevel error -i "$work/note.wav" -c:a aac -b:a 32k "$work/note.m4a"
head -c 150000 /dev/urandom >"$work/photo.jpg"
head -c 40000 /dev/urandom >"$work/doc.pdf"
mapfile -t folders < <(find "$media" -type d -name audio)
i=0
for kind in vorbis.ogg mp3 m4a vorbis.ogg mp3 jpg pdf; do
    for ((n = 0; n < files / 4; n++)); do
        folder="${folders[$((i % ${#folders[@]}))]}"
        i=$((i + 1))
        case "$kind" in
            vorbis.ogg) cp "$work/note.vorbis.ogg" "$folder/$(printf 'msg_%08X_20250301_%06d.ogg' $((0x30000000 + i)) $((i % 235959)))" ;;
            mp3 | m4a) cp "$work/note.$kind" "$folder/$(printf 'msg_%08X_20250301_%06d' $((0x30000000 + i)) $((i % 235959))).$kind" ;;
            *) cp "$work/photo.jpg" "$folder/../$(printf 'IMG_%06d' "$i").$kind" 2>/dev/null || cp "$work/doc.pdf" "$folder/$(printf 'doc_%06d' "$i").$kind" ;;
        esac
    done
done
fi
media="$work/store/media"
find "$media" -type f \( -name '*.ogg' -o -name '*.opus' -o -name '*.mp3' -o -name '*.m4a' -o -name '*.wav' \) >"$work/audio.txt"
find "$media" -type f -exec cat {} + >/dev/null
audio=$(wc -l <"$work/audio.txt")
other=$(($(find "$media" -type f | wc -l) - audio))
cc -O2 -o "$work/floor" "$root/benchmarks/scan/floor.c"

best_floor=0
best_text=0
best_json=0
# Files per second of one `audiosync scan` run, whole process, from the shell's clock.
scan_rate() {
    local start end
    start=$(date +%s.%N)
    "$audiosync" scan --media-root "$media" --no-probe-cache "$@" >"$work/scan.out"
    end=$(date +%s.%N)
    python3 -c "print(round($audio / ($end - $start)))"
}
for ((r = 0; r < repeat; r++)); do
    read -r done seconds < <("$work/floor" <"$work/audio.txt")
    rate=$(python3 -c "print(round($done / $seconds))")
    if ((rate > best_floor)); then best_floor=$rate; fi
    rate=$(scan_rate)
    if ((rate > best_text)); then best_text=$rate; fi
    rate=$(scan_rate --json)
    if ((rate > best_json)); then best_json=$rate; fi
done
cp "$work/scan.out" "$work/scan.json"
python3 - "$work/scan.json" <<PY
import json, sys
report = json.load(open(sys.argv[1]))
formats = report["summary"]["formats"]
print(f"store: $audio audio files ({', '.join(f'{k} {v}' for k, v in sorted(formats.items()))}), $other other files")
PY
echo "| | files/s | vs floor |"
echo "| --- | ---: | ---: |"
echo "| floor: open, read first 4 KiB + last 64 KiB, close (1 thread) | $best_floor | 1.00× |"
ratio() { python3 -c "print(f'{$1 / $best_floor:.2f}')"; }
echo "| audiosync scan (text report), end to end, cold probe cache | $best_text | $(ratio "$best_text")× |"
echo "| audiosync scan --json (every file listed), end to end, cold probe cache | $best_json | $(ratio "$best_json")× |"
echo "goal ≥ 0.5× the floor: $(python3 -c "print('met' if $best_text >= 0.5 * $best_floor else 'NOT met')")"
