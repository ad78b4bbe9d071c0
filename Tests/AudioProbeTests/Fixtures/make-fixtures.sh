#!/usr/bin/env bash
# Regenerates the audio fixtures: a second or two of espeak-ng speech, encoded by real encoders.
# Needs: espeak-ng sox opus-tools vorbis-tools lame ffmpeg (Debian package names), and clang for
# the reference durations (scripts/probe-driver.c over libopusfile/libvorbisfile).
# Usage: Tests/AudioProbeTests/Fixtures/make-fixtures.sh   (from anywhere)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"

# The source speech: espeak-ng writes 22050 Hz mono; voice notes are 16 kHz mono.
espeak-ng -v en -s 170 -w "$work/speech.wav" "Sync test, one two."
sox "$work/speech.wav" -r 16000 -c 1 -b 16 speech-16k.wav
sox "$work/speech.wav" -r 48000 -c 2 -b 16 "$work/speech-48k.wav"
sox "$work/speech.wav" -r 44100 -c 1 -b 16 "$work/speech-44k.wav"

# Ogg Opus: 16 kHz mono as WhatsApp records, 20 ms and 60 ms frames; a 48 kHz stereo one.
opusenc --quiet --bitrate 16 speech-16k.wav opus-16k.opus
opusenc --quiet --bitrate 16 --framesize 60 speech-16k.wav opus-16k-60ms.opus
opusenc --quiet --bitrate 32 "$work/speech-48k.wav" opus-48k-stereo.opus
# Ogg Vorbis at 16 kHz and at the source's 22050 Hz.
oggenc --quiet -q 0 -o vorbis-16k.ogg speech-16k.wav
oggenc --quiet -q 0 -o vorbis-22k.ogg "$work/speech.wav"
# MP3: CBR (with LAME's Info tag), VBR with a Xing tag, VBR without one (-t), and 44.1 kHz CBR.
lame --quiet -b 32 speech-16k.wav mp3-cbr-16k.mp3
lame --quiet -V 6 speech-16k.wav mp3-vbr-xing-16k.mp3
lame --quiet -V 6 -t speech-16k.wav mp3-vbr-noxing-16k.mp3
lame --quiet -b 64 "$work/speech-44k.wav" mp3-cbr-44k.mp3
# AAC in MP4 (ffmpeg's native encoder) and raw ADTS.
ffmpeg -v error -y -i speech-16k.wav -c:a aac -b:a 24k m4a-aac-16k.m4a
ffmpeg -v error -y -i speech-16k.wav -c:a aac -b:a 24k -f adts aac-adts-16k.aac
# WAV: the 16 kHz source itself (speech-16k.wav), plus 8-bit 8 kHz.
sox speech-16k.wav -r 8000 -b 8 wav-8k-u8.wav

# Reference durations: the source sample count (soxi) and what libopusfile/libvorbisfile report.
"${CC:-clang}" -O1 -I"$root/Sources/CAudioProbe/include" -I/usr/include/opus \
    "$root/scripts/probe-driver.c" "$root"/Sources/CAudioProbe/*.c \
    -lopusfile -lvorbisfile -lvorbis -lopus -logg -o "$work/probe-driver"
src16=$(soxi -s speech-16k.wav)
src22=$(soxi -s "$work/speech.wav")
src44=$(soxi -s "$work/speech-44k.wav")
src8=$(soxi -s wav-8k-u8.wav)
{
    echo "{"
    echo "  \"_comment\": \"source_samples/source_rate: the PCM the encoder read (soxi -s); reference_*: libopusfile op_pcm_total / libvorbisfile ov_pcm_total.\","
    entry() { # name samples rate
        local ref=""
        case "$1" in
        *.opus|*.ogg) ref=$("$work/probe-driver" --reference "$1" | sed -n 's/.*"total_samples":\([0-9]*\).*"seconds":\([0-9.e+-]*\).*/, "reference_samples": \1, "reference_seconds": \2/p') ;;
        esac
        echo "  \"$1\": {\"source_samples\": $2, \"source_rate\": $3$ref},"
    }
    entry opus-16k.opus "$src16" 16000
    entry opus-16k-60ms.opus "$src16" 16000
    entry opus-48k-stereo.opus "$(soxi -s "$work/speech-48k.wav")" 48000
    entry vorbis-16k.ogg "$src16" 16000
    entry vorbis-22k.ogg "$src22" 22050
    entry mp3-cbr-16k.mp3 "$src16" 16000
    entry mp3-vbr-xing-16k.mp3 "$src16" 16000
    entry mp3-vbr-noxing-16k.mp3 "$src16" 16000
    entry mp3-cbr-44k.mp3 "$src44" 44100
    entry m4a-aac-16k.m4a "$src16" 16000
    entry aac-adts-16k.aac "$src16" 16000
    entry wav-8k-u8.wav "$src8" 8000
    echo "  \"speech-16k.wav\": {\"source_samples\": $src16, \"source_rate\": 16000}"
    echo "}"
} > durations.json
ls -l "$here"
