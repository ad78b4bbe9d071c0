import Testing

@testable import AudioProbe

/// The fast path (pages only) and the reference (libopusfile/libvorbisfile) agree to the sample.
@Suite struct OggPathAgreementTests {
    static let oggFixtures = Fixture.with(prefix: "opus") + Fixture.with(prefix: "vorbis")

    @Test(arguments: oggFixtures)
    func fastPathEqualsReference(_ fixture: Fixture) throws {
        let bytes = fixture.bytes
        let codec: OggStreamInfo.Codec = fixture.name.hasPrefix("opus") ? .opus : .vorbis
        let reference = try bytes.withUnsafeBytes { try OggProbe.reference(codec: codec, bytes: $0).get() }
        // The whole file as head and tail, and a 4 KiB head with a separate tail.
        for headSize in [bytes.count, 4096] {
            let (result, _) = bytes.withUnsafeBytes { all in
                OggProbe.fast(
                    head: UnsafeRawBufferPointer(rebasing: all[..<min(headSize, all.count)]),
                    tail: all, tailOffset: 0)
            }
            if headSize < bytes.count, case .failure(.needsReferencePath) = result { continue }
            let fast = try result.get()
            #expect(fast.totalSamples == reference.totalSamples)
            #expect(fast.preSkip == reference.preSkip)
        }
        #expect(Int(reference.totalSamples) == fixture.referenceSamples)
    }

    @Test(arguments: oggFixtures)
    func probeWithoutFastPathGivesTheSameDuration(_ fixture: Fixture) {
        var options = AudioFileProbe.Options()
        options.oggFastPath = false
        let reference = AudioFileProbe.probe(path: fixture.path, options: options)
        let fast = AudioFileProbe.probe(path: fixture.path)
        #expect(reference.method == .oggReference)
        #expect(fast.method == .oggPages)
        #expect(fast.duration == reference.duration)
    }

    @Test("A Vorbis setup header remembered from an earlier file gives what decoding it gives")
    func rememberedVorbisSetupAgrees() throws {
        // The first probe of each file may decode its setup header; every later one is answered
        // from the remembered block sizes. Files of two encoder settings alternate, so a setup is
        // never taken for another's.
        let vorbis = Fixture.with(prefix: "vorbis")
        #expect(vorbis.count >= 2)
        for _ in 0..<3 {
            for fixture in vorbis {
                let bytes = fixture.bytes
                let reference = try bytes.withUnsafeBytes { try OggProbe.reference(codec: .vorbis, bytes: $0).get() }
                let fast = try bytes.withUnsafeBytes { all in
                    try OggProbe.fast(head: all, tail: all, tailOffset: 0).0.get()
                }
                #expect(fast.totalSamples == reference.totalSamples, "\(fixture.name)")
            }
        }
    }

    @Test func smallTailWindowStillAgrees() {
        // A tail smaller than the file exercises the separate head and tail reads.
        var options = AudioFileProbe.Options()
        options.headSize = 512
        options.tailSize = 1024
        for fixture in Self.oggFixtures {
            let narrow = AudioFileProbe.probe(path: fixture.path, options: options)
            let wide = AudioFileProbe.probe(path: fixture.path)
            #expect(narrow.duration == wide.duration, "\(fixture.name): \(narrow)")
        }
    }
}
