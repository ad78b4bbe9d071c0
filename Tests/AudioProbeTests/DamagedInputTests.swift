import Foundation
import StoreFixtures
import Testing

@testable import AudioProbe

/// Damaged and hostile input gives a typed reason or a best-effort duration marked as such.
@Suite struct DamagedInputTests {
    @Test func everyVariantGivesATypedOutcome() {
        let scratch = ScratchDirectory()
        var checked = 0
        for variant in DamagedSet.variants {
            let path = scratch.write(variant.name, variant.bytes)
            let result = AudioFileProbe.probe(path: path)
            checked += 1
            // Invariants for every variant: a duration or a failure, never both, never neither.
            #expect((result.duration == nil) != (result.failure == nil), "\(variant.name): \(result)")
            if let duration = result.duration { #expect(duration.isFinite && duration >= 0, "\(variant.name)") }
            if result.damage == .truncated || result.damage == .untimedTail || result.damage == .corrupt {
                #expect(result.duration == nil || result.durationIsEstimate, "\(variant.name): \(result)")
            }
            switch variant.expectation {
            case .failure(let error):
                #expect(result.failure == error, "\(variant.name): \(result)")
            case .exact(let seconds, let damage):
                #expect(abs((result.duration ?? -1) - seconds) < 1e-9, "\(variant.name): \(result)")
                #expect(result.damage == damage, "\(variant.name): \(result)")
                #expect(!result.durationIsEstimate, "\(variant.name): \(result)")
            case .estimate(let atMost, let damage):
                #expect(result.durationIsEstimate, "\(variant.name): \(result)")
                #expect(result.damage == damage, "\(variant.name): \(result)")
                #expect((result.duration ?? 0) <= atMost, "\(variant.name): \(result)")
            case .survives:
                break
            }
        }
        #expect(checked > 500)
    }

    @Test func cutOggIsFlaggedTruncatedWithAShorterEstimate() {
        let scratch = ScratchDirectory()
        for fixture in Fixture.with(prefix: "opus") + Fixture.with(prefix: "vorbis") {
            let bytes = fixture.bytes
            let full = AudioFileProbe.probe(path: fixture.path).duration!
            let pages = OggPageEditor.pageOffsets(bytes)
            // Cut in the middle of the last page: the pages before it still time the stream.
            let cut = pages.last! + 40
            let result = AudioFileProbe.probe(path: scratch.write("cut-" + fixture.name, Array(bytes[..<cut])))
            #expect(result.damage == .truncated, "\(fixture.name): \(result)")
            #expect(result.durationIsEstimate)
            #expect((result.duration ?? .infinity) < full)
        }
    }

    @Test func cutInsideTheHeadersIsTruncatedWithoutDuration() {
        let scratch = ScratchDirectory()
        let bytes = Fixture.named("opus-16k.opus").bytes
        let result = AudioFileProbe.probe(path: scratch.write("head.opus", Array(bytes[..<50])))
        #expect(result.format == .oggOpus)
        #expect(result.duration == nil)
        #expect(result.failure == .truncated)
    }

    @Test func extensionsDoNotDecideTheFormat() {
        let scratch = ScratchDirectory()
        let opus = Fixture.named("opus-16k.opus")
        let result = AudioFileProbe.probe(path: scratch.write("voice.mp3", opus.bytes))
        #expect(result.format == .oggOpus)
        #expect(result.duration == AudioFileProbe.probe(path: opus.path).duration)
    }

    @Test func nonRegularFilesAndMissingFilesAreTypedFailures() {
        #expect(AudioFileProbe.probe(path: "/nonexistent/x.ogg").failure == .read(errno: ENOENT))
        #expect(AudioFileProbe.probe(path: "/dev/null").failure == .notFormat)
    }
}
