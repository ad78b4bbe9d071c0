import Foundation
import Synchronization

/// Standard output and error, and the progress line.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Encodes `value` as pretty, key-sorted JSON on standard output.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
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

    func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
