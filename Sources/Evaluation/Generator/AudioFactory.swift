import Foundation
import StoreFixtures

/// Real Ogg Opus voice notes of exactly known duration, fast enough for stores of hundreds of
/// thousands of files: libopus encodes a pool of 120 ms packets of speech-like sound once (16 kHz
/// mono, as WhatsApp records), then each file is its own seeded sequence of pool packets, muxed
/// into Ogg. Distinct sequences give distinct bytes; the duration is the packet count × 120 ms
/// less the pre-skip, to the sample.
struct AudioFactory: Sendable {
    /// 120 ms at 48 kHz: WhatsApp's packet duration.
    static let packetSamples = 5_760
    let pool: [OggOpusWriter.Packet]
    let preSkip: Int

    init(seed: UInt64, poolSize: Int = 96, bitrate: Int = 8_000) throws {
        let encoder = try OpusEncoder(sampleRate: 16_000, channels: 1, bitrate: bitrate)
        var random = SeededRandom(seed: seed ^ 0x0A0D_10F0)
        var packets: [OggOpusWriter.Packet] = []
        var phase = 0.0
        for _ in 0..<poolSize {
            // A voiced sound: a pitch, a few harmonics, a syllable-like envelope and some breath.
            let pitch = 90 + Double(random.next() % 160)
            let loudness = 2_000 + Double(random.next() % 6_000)
            var pcm = [Int16](repeating: 0, count: 1_920)
            for i in 0..<pcm.count {
                let t = Double(i) / 16_000
                var value = 0.0
                for harmonic in 1...6 {
                    value +=
                        sin(2 * .pi * pitch * Double(harmonic) * t + phase * Double(harmonic))
                        / Double(harmonic * harmonic)
                }
                let envelope = sin(.pi * Double(i) / Double(pcm.count))
                let noise = Double(Int(random.next() % 2_001) - 1_000) / 1_000
                pcm[i] = Int16(clamping: Int(loudness * (value * envelope + 0.05 * noise)))
            }
            phase += 0.7
            packets.append(try OggOpusWriter.Packet(try encoder.encode(pcm, frameSize: 1_920)))
        }
        self.pool = packets
        self.preSkip = encoder.preSkip
    }

    /// The file of a note of `packetCount` packets, its packets chosen by `audioSeed`.
    func bytes(packetCount: Int, audioSeed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: audioSeed)
        var packets: [OggOpusWriter.Packet] = []
        packets.reserveCapacity(packetCount)
        for _ in 0..<packetCount { packets.append(pool[Int(random.next() % UInt64(pool.count))]) }
        let writer = OggOpusWriter(
            serialNumber: UInt32(truncatingIfNeeded: audioSeed), preSkip: preSkip, inputSampleRate: 16_000)
        return writer.write(packets)
    }

    /// The duration a player plays from `packetCount` packets, in seconds.
    func duration(packetCount: Int) -> Double {
        Double(packetCount * Self.packetSamples - preSkip) / 48_000
    }

    /// A plausible size for a note never downloaded (no bytes exist for it).
    func estimatedSize(packetCount: Int) -> Int64 {
        let average = pool.reduce(0) { $0 + $1.bytes.count } / max(1, pool.count)
        return Int64(120 + packetCount * (average + 1) + packetCount / 8 * 28)
    }
}
