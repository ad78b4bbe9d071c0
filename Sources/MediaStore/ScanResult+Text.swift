import Foundation
public import MatchEngine

// The text rendering of a scan, for `scan --format text`.

extension ScanResult {
    /// A file's line: tab-separated path, format, duration (`~` marks an estimate), size, problem,
    /// token and name time, `-` where there is none.
    public static func textLine(_ file: AudioFile) -> String {
        let duration =
            file.duration.map { String(format: "%.3fs", $0) + (file.durationIsEstimate ? "~" : "") } ?? "-"
        return [
            file.path, file.format.rawValue, duration, String(file.size), file.problem?.rawValue ?? "-",
            file.name.token ?? "-", file.name.time?.iso8601 ?? "-",
        ].map { TerminalText.escaped($0) }.joined(separator: "\t")
    }

    /// The lines after the files': how many, how they were read, and the counts.
    public var summaryText: String {
        func counts(_ pairs: [(String, Int)]) -> String {
            pairs.isEmpty ? "none" : pairs.sorted { $0.0 < $1.0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        }
        return [
            "\(files.count) audio files (\(probedFiles) probed, \(cachedFiles) from the cache)"
                + String(format: " in %.2f s", timings.total),
            "formats: " + counts(countsByFormat.map { ($0.key.rawValue, $0.value) }),
            "problems: " + counts(countsByProblem.map { ($0.key.rawValue, $0.value) }),
            "skipped: " + counts(skipped.map { ($0.key.rawValue, $0.value) }),
        ].joined(separator: "\n")
    }
}
