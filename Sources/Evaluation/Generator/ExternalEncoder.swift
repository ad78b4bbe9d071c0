import Foundation
import MatchEngine

/// Encoders the generator runs as programs, for formats libopus does not write: MP3 through
/// `lame` (the spec demo's MP3 notes). Real encoders' bytes, as users' stores hold.
enum ExternalEncoder {
    /// MP3 of `seconds` of speech-like 16 kHz mono sound, from `lame`.
    ///
    /// - Throws: ``EvaluationError/badOption(_:)`` when `lame` is not installed or fails.
    static func mp3(seconds: Double, seed: UInt64) throws -> [UInt8] {
        let samples = Int((seconds * 16_000).rounded())
        var random = SeededRandom(seed: seed)
        var pcm = [Int16](repeating: 0, count: samples)
        let pitch = 100 + Double(random.next() % 120)
        for i in 0..<samples {
            let t = Double(i) / 16_000
            let syllable = abs(sin(.pi * t * 3.1))
            var value = 0.0
            for harmonic in 1...5 { value += sin(2 * .pi * pitch * Double(harmonic) * t) / Double(harmonic * harmonic) }
            pcm[i] = Int16(clamping: Int(5_000 * value * syllable))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "audiosync-lame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("in.wav")
        let mp3 = folder.appendingPathComponent("out.mp3")
        try Data(waveFile(pcm)).write(to: wav)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lame", "--quiet", "-b", "32", wav.path, mp3.path]
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EvaluationError.badOption(
                "the demo's MP3 notes need lame: apt-get install lame (make demo installs it)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: mp3.path) else {
            throw EvaluationError.badOption(
                "lame failed (exit \(process.terminationStatus)); is it installed? apt-get install lame")
        }
        return Array(data)
    }

    /// A gateway's transcode of an Ogg Opus note: MP3 (`libmp3lame`) or M4A (AAC), by `ffmpeg`.
    ///
    /// - Throws: ``EvaluationError/badOption(_:)`` when `ffmpeg` is not installed or fails.
    static func transcode(_ ogg: [UInt8], to format: AudioFormat) throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "audiosync-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.ogg")
        let output = folder.appendingPathComponent(format == .mp3 ? "out.mp3" : "out.m4a")
        try Data(ogg).write(to: input)
        let codec = format == .mp3 ? ["-c:a", "libmp3lame", "-b:a", "32k"] : ["-c:a", "aac", "-b:a", "32k"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", input.path, "-map_metadata", "-1"] + codec
            + ["-fflags", "+bitexact", "-flags:a", "+bitexact", output.path]
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EvaluationError.badOption("transcoded notes need ffmpeg: apt-get install ffmpeg")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path) else {
            throw EvaluationError.badOption(
                "ffmpeg failed (exit \(process.terminationStatus)); is it installed? apt-get install ffmpeg")
        }
        return Array(data)
    }

    /// A RIFF/WAVE file of 16-bit mono PCM at 16 kHz.
    static func waveFile(_ pcm: [Int16]) -> [UInt8] {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let dataSize = pcm.count * 2
        var out = Array("RIFF".utf8) + le32(36 + dataSize) + Array("WAVE".utf8)
        out += Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(16_000) + le32(32_000) + le16(2) + le16(16)
        out += Array("data".utf8) + le32(dataSize)
        out.reserveCapacity(out.count + dataSize)
        for sample in pcm { out += le16(Int(sample)) }
        return out
    }
}
