import Foundation
import StoreFixtures
import Testing

@testable import AudioProbe

/// Files made by the writer read the same through libopusfile and the fast path, to the sample.
@Suite struct OggOpusWriterTests {
    /// 16 kHz mono speech from the committed WAV fixture.
    static let speech: [Int16] = {
        let bytes = Fixture.named("speech-16k.wav").bytes
        let pcm = bytes[44...]
        return stride(from: pcm.startIndex, to: pcm.endIndex - 1, by: 2).map {
            Int16(bitPattern: UInt16(pcm[$0]) | UInt16(pcm[$0 + 1]) << 8)
        }
    }()

    static func packets(frameMilliseconds: Int) throws -> [OggOpusWriter.Packet] {
        let encoder = try OpusEncoder(sampleRate: 16_000, channels: 1, bitrate: 16_000)
        let frame = 16 * frameMilliseconds
        var packets: [OggOpusWriter.Packet] = []
        var start = 0
        while start + frame <= speech.count {
            packets.append(
                try OggOpusWriter.Packet(encoder.encode(Array(speech[start..<start + frame]), frameSize: frame)))
            start += frame
        }
        return packets
    }

    @Test(arguments: [20, 120], [104, 312])
    func writtenFileReadsIdenticallyEverywhere(frameMilliseconds: Int, preSkip: Int) throws {
        let packets = try Self.packets(frameMilliseconds: frameMilliseconds)
        #expect(packets.allSatisfy { $0.samples == 48 * frameMilliseconds })
        for endOfStream in [false, true] {
            let writer = OggOpusWriter(preSkip: preSkip, setsEndOfStream: endOfStream)
            let bytes = writer.write(packets)
            let expected = writer.playableSamples(of: packets)
            let reference = try bytes.withUnsafeBytes { try OggProbe.reference(codec: .opus, bytes: $0).get() }
            let (fastResult, facts) = bytes.withUnsafeBytes { OggProbe.fast(head: $0, tail: $0, tailOffset: 0) }
            let fast = try fastResult.get()
            #expect(reference.totalSamples == expected)
            #expect(fast.totalSamples == expected)
            #expect(fast.preSkip == preSkip)
            #expect(facts.contains(.endOfStream) == endOfStream)
            #expect(facts.isDisjoint(with: [.partialPage, .trailingBytes, .untimedTail, .chained]))
        }
    }

    @Test func manyPagesAndLongNotesStayExact() throws {
        // 60 s from a pool of 120 ms packets, small pages: many pages, tail window smaller than the file.
        let pool = try Self.packets(frameMilliseconds: 120)
        let packets = (0..<500).map { pool[$0 % pool.count] }
        let writer = OggOpusWriter(preSkip: 312, pageDuration: 9_600)
        let bytes = writer.write(packets)
        let scratch = ScratchDirectory()
        let path = scratch.write("long.opus", bytes)
        let result = AudioFileProbe.probe(path: path)
        #expect(result.method == .oggPages)
        #expect(result.duration == Double(writer.playableSamples(of: packets)) / 48_000)
        let reference = try bytes.withUnsafeBytes { try OggProbe.reference(codec: .opus, bytes: $0).get() }
        #expect(reference.totalSamples == writer.playableSamples(of: packets))
    }

    @Test func encoderRejectsBadArguments() {
        #expect(throws: OpusError.invalidArgument) { try OpusEncoder(sampleRate: 44_100) }
        #expect(throws: OpusError.invalidArgument) { try OpusEncoder(channels: 3) }
        #expect(throws: OpusError.invalidArgument) { try OggOpusWriter.Packet([]) }
        // TOC code 3 announces a frame count byte that is missing.
        #expect(throws: OpusError.badPacket) { try OggOpusWriter.Packet([0x03]) }
    }
}
