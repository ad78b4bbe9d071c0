import AudioProbe
import Benchmark
import Foundation
import MediaStore
import StoreFixtures

// package-benchmark suites for the probe: per-note costs and allocations, compared between runs
// with `swift package benchmark baseline update|compare` (see benchmarks/README.md). The
// cross-tool comparison (stat, floor, mutagen, ffprobe) is ProbeComparison.

/// A WhatsApp-like 5 s note and a small store, made once per process.
struct Notes {
    let directory: String
    let note: String
    let packets: [OggOpusWriter.Packet]
    let writer = OggOpusWriter(preSkip: 312)

    static let shared: Notes = try! Notes()

    init() throws {
        directory = NSTemporaryDirectory() + "probe-benchmarks-\(getpid())"
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let wav = here.appendingPathComponent("../../../Tests/AudioProbeTests/Fixtures/speech-16k.wav").standardized
        let bytes = [UInt8](try Data(contentsOf: wav))[44...]
        let pcm = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
            Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
        }
        let encoder = try OpusEncoder()
        var pool: [OggOpusWriter.Packet] = []
        for start in stride(from: 0, to: pcm.count - 1920, by: 1920) {
            pool.append(try OggOpusWriter.Packet(encoder.encode(Array(pcm[start..<start + 1920]), frameSize: 1920)))
        }
        packets = (0..<42).map { pool[$0 % pool.count] }  // 42 × 120 ms ≈ 5 s
        let chat = directory + "/media/Client/instance_B/chats/5569/audio"
        try FileManager.default.createDirectory(atPath: chat, withIntermediateDirectories: true)
        note = chat + "/msg_81585468_20250811_110317.ogg"
        FileManager.default.createFile(atPath: note, contents: Data(writer.write(packets)))
        for k in 0..<1000 {
            FileManager.default.createFile(
                atPath: chat + "/msg_\(10_000_000 + k)_20250811_110317.ogg", contents: Data(writer.write(packets)))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput])

    Benchmark("AudioProbe.probe, 5 s Opus note, fast path") { benchmark in
        let notes = Notes.shared
        for _ in benchmark.scaledIterations { blackHole(AudioFileProbe.probe(path: notes.note)) }
    }

    Benchmark("AudioProbe.probe, 5 s Opus note, libopusfile") { benchmark in
        let notes = Notes.shared
        var options = AudioFileProbe.Options()
        options.oggFastPath = false
        for _ in benchmark.scaledIterations { blackHole(AudioFileProbe.probe(path: notes.note, options: options)) }
    }

    Benchmark("OggOpusWriter.write, 5 s note") { benchmark in
        let notes = Notes.shared
        for _ in benchmark.scaledIterations { blackHole(notes.writer.write(notes.packets)) }
    }

    Benchmark("MediaStoreScanner.scan, 1001 notes, no cache", configuration: .init(maxIterations: 20)) { benchmark in
        let notes = Notes.shared
        let scanner = MediaStoreScanner(root: notes.directory + "/media", options: ScanOptions(cache: .disabled))
        for _ in benchmark.scaledIterations { blackHole(try scanner.scan()) }
    }
}
