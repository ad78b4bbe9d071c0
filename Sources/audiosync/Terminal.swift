import Foundation
import MatchEngine
import MediaStore
import Sync
import Synchronization

/// Standard output and error, and the progress line.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `value` as a report document on standard output: pretty, key-sorted JSON (``ReportJSON``),
    /// the `streaming` arrays written a block at a time as they are encoded
    /// (``Sync/ReportJSON/writePretty(_:streaming:blockSize:to:)``; none: one encoding).
    static func printJSON<Value: Encodable>(_ value: Value, streaming: ReportJSON.Streaming<Value>) throws {
        try ReportJSON.writePretty(value, streaming: streaming) { FileHandle.standardOutput.write($0) }
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// A JSON document already encoded (``Sync/ScanReport/prettyJSON()``), and a newline.
    static func printDocument(_ document: Data) {
        FileHandle.standardOutput.write(document)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// `values` as JSON lines on standard output (``ReportJSON``), written in chunks as they come.
    static func printJSONLines(_ values: some Sequence<some Encodable>) throws {
        let encoder = ReportJSON.encoder(.line)
        var output = ChunkedOutput()
        for value in values { output.append(try encoder.encode(value)) }
        output.flush()
    }

    /// `count` lines on standard output, the line at each index made by `line`: a block of lines at
    /// a time, the block's lines made on every core and written in order. A listing of a large
    /// store made its lines on one thread in about as long as the scan took to find them.
    static func printLines(count: Int, _ line: @escaping @Sendable (Int) -> String) {
        let block = 8_192
        for start in stride(from: 0, to: count, by: block) {
            let parts: [Data] = parallelMap(count: min(block, count - start), minimumChunk: 1_024) { range in
                var part = Data()
                for index in range {
                    part.append(contentsOf: line(start + index).utf8)
                    part.append(UInt8(ascii: "\n"))
                }
                return [part]
            }
            for part in parts { FileHandle.standardOutput.write(part) }
        }
    }

    /// Lines gathered into chunks of about 64 KiB: a listing of a large store is never held whole,
    /// nor written a line at a time.
    private struct ChunkedOutput {
        private var chunk = Data()

        mutating func append(_ line: Data) {
            chunk.append(line)
            chunk.append(UInt8(ascii: "\n"))
            if chunk.count > 1 << 16 { flush() }
        }

        mutating func flush() {
            FileHandle.standardOutput.write(chunk)
            chunk.removeAll(keepingCapacity: true)
        }
    }
}

/// A progress line on stderr, redrawn in place, only when stderr is a terminal: long work shows
/// where it is, and pipes and logs stay clean.
final class ProgressLine: Sendable {
    private let lastDrawn = Mutex<ContinuousClock.Instant?>(nil)

    /// A progress line when stderr is a TTY, else `nil`.
    static func ifTerminal() -> ProgressLine? { isatty(2) == 1 ? ProgressLine() : nil }

    /// Shows `text`, at most ten times a second whatever thread reports (`force` always draws).
    func show(_ text: String, force: Bool = false) {
        let now = ContinuousClock.now
        let draw = lastDrawn.withLock { last -> Bool in
            if !force, let last, now - last < .milliseconds(100) { return false }
            last = now
            return true
        }
        guard draw else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// `stage: done/total`.
    func show(stage: String, done: Int, total: Int) {
        show(total > 0 ? "\(stage): \(done)/\(total)" : "\(stage)…", force: done == total)
    }

    /// Shows where a scan is: walking (files found) or probing (files probed of those found).
    func show(_ progress: ScanProgress) {
        switch progress.phase {
        case .walking: show("scanning: \(progress.candidates) audio files found")
        case .probing, .done: show(stage: "probing", done: progress.probed, total: progress.candidates)
        }
    }

    func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
