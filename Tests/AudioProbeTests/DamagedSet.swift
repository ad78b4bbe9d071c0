import Foundation
import StoreFixtures

@testable import AudioProbe

/// Damaged variants of the good fixtures, made at test time: what interrupted downloads, bad
/// copies and hostile senders leave in a media store.
enum DamagedSet {
    struct Variant: CustomStringConvertible {
        enum Expectation {
            /// No duration, for this reason.
            case failure(AudioProbeError)
            /// A duration equal to `seconds` (± tolerance), flagged as `damage` (nil: none).
            case exact(Double, ProbeDamage?)
            /// A best-effort duration, flagged as an estimate, not above `atMost`.
            case estimate(atMost: Double, ProbeDamage)
            /// Anything but a crash, a hang or a wrong claim of exactness for a longer file.
            case survives
        }

        let name: String
        let bytes: [UInt8]
        let expectation: Expectation
        var description: String { name }
    }

    /// Deterministic pseudo-random bytes (a fixed LCG: the same set on every run).
    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    static func fullDuration(_ fixture: Fixture) -> Double {
        AudioFileProbe.probe(path: fixture.path).duration!
    }

    static let variants: [Variant] = {
        var out: [Variant] = []
        for ext in ["ogg", "opus", "mp3", "m4a", "wav", "aac"] {
            out.append(Variant(name: "empty.\(ext)", bytes: [], expectation: .failure(.empty)))
            out.append(
                Variant(
                    name: "noise.\(ext)", bytes: noise(20_000, seed: UInt64(ext.utf8.count)), expectation: .survives))
        }
        out.append(
            Variant(
                name: "oggs-then-noise.ogg", bytes: Array("OggS".utf8) + noise(5000, seed: 7), expectation: .survives))
        for fixture in Fixture.all where !fixture.name.hasSuffix(".wav") || fixture.name == "speech-16k.wav" {
            let bytes = fixture.bytes
            let full = fullDuration(fixture)
            // Cut at 40 points, from inside the first header to one byte short.
            for k in 1...40 {
                let cut = k == 40 ? bytes.count - 1 : bytes.count * k / 41
                out.append(
                    Variant(name: "\(fixture.name)-cut-\(cut)", bytes: Array(bytes[..<cut]), expectation: .survives))
            }
            out.append(
                Variant(
                    name: "\(fixture.name)-garbage", bytes: bytes + noise(3000, seed: 99),
                    expectation: fixture.name.hasPrefix("opus") || fixture.name.hasPrefix("vorbis")
                        ? .exact(full, .trailingBytes) : .survives))
        }
        for fixture in Fixture.with(prefix: "opus") + Fixture.with(prefix: "vorbis") {
            let bytes = fixture.bytes
            let full = fullDuration(fixture)
            let pages = OggPageEditor.pageOffsets(bytes)
            // The last page lost: undetectable without the EOS flag, so only "not longer" holds.
            out.append(
                Variant(
                    name: "\(fixture.name)-no-last-page", bytes: Array(bytes[..<pages.last!]), expectation: .survives))
            var untimed = bytes
            OggPageEditor.setGranule(&untimed, pageAt: pages.last!, to: -1)
            out.append(
                Variant(
                    name: "\(fixture.name)-last-granule-minus-1", bytes: untimed,
                    expectation: .estimate(atMost: full, .untimedTail)))
            // Chained: the file twice (same serial number), and followed by another file.
            // The same file twice repeats its serial number: libopusfile/libvorbisfile count one link.
            out.append(
                Variant(
                    name: "\(fixture.name)-chained-self", bytes: bytes + bytes,
                    expectation: .estimate(atMost: 2 * full, .corrupt)))
        }
        let a = Fixture.named("opus-16k.opus")
        let b = Fixture.named("opus-48k-stereo.opus")
        out.append(
            Variant(
                name: "opus-chained-two", bytes: a.bytes + b.bytes,
                expectation: .exact(fullDuration(a) + fullDuration(b), nil)))
        // An MP3 behind a 300 KB ID3v2 picture, and a cut MP3 whose Xing tag claims the whole length.
        for name in ["mp3-vbr-xing-16k.mp3", "mp3-cbr-16k.mp3"] {
            let mp3 = Fixture.named(name)
            out.append(
                Variant(
                    name: "\(name)-id3-picture", bytes: id3v2(picture: noise(300_000, seed: 5)) + mp3.bytes,
                    expectation: .exact(fullDuration(mp3), nil)))
        }
        let xing = Fixture.named("mp3-vbr-xing-16k.mp3")
        out.append(
            Variant(
                name: "mp3-xing-truncated", bytes: Array(xing.bytes.prefix(xing.bytes.count / 2)),
                expectation: .estimate(atMost: fullDuration(xing) * 0.7, .truncated)))
        return out
    }()

    /// An ID3v2.3 tag holding one APIC frame of `picture` bytes.
    static func id3v2(picture: [UInt8]) -> [UInt8] {
        let frameBody: [UInt8] = [0] + Array("image/jpeg".utf8) + [0, 3, 0] + picture
        let frame: [UInt8] = Array("APIC".utf8) + be32(frameBody.count) + [0, 0] + frameBody
        let size = frame.count
        let syncsafe: [UInt8] = [3, 2, 1, 0].map { UInt8((size >> (7 * $0)) & 0x7F) }
        return Array("ID3".utf8) + [3, 0, 0] + syncsafe + frame
    }

    private static func be32(_ value: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
}
