import Foundation
public import MatchEngine

// The text rendering of a scan, for `scan --format text`.

extension ScanResult {
    /// A file's line: tab-separated path, format, duration (`~` marks an estimate), size, problem,
    /// token and name time, `-` where there is none.
    public static func textLine(_ file: AudioFile) -> String {
        // One string grown in place: an array of the fields, escaped and joined, cost twice as much.
        var line = TerminalText.escaped(file.path)
        line.reserveCapacity(line.utf8.count + 64)
        line += "\t"
        line += file.format.rawValue
        line += "\t"
        if let duration = file.duration {
            line += threeDecimals(duration)
            line += file.durationIsEstimate ? "s~" : "s"
        } else {
            line += "-"
        }
        line += "\t"
        line += String(file.size)
        line += "\t"
        line += file.problem?.rawValue ?? "-"
        line += "\t"
        line += file.name.token.map { TerminalText.escaped($0) } ?? "-"
        line += "\t"
        line += file.name.time?.iso8601 ?? "-"
        return line
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

/// `value` as `String(format: "%.3f", value)` writes it, without Foundation's formatter (a locale
/// and a variadic call per file of a listing): the thousandths nearest the exact binary value,
/// exact ties to even, as printf rounds.
///
/// `q`, the product `value × 1000` rounded, is the nearest whole number unless the exact product is
/// within a hair of a half, and the fused multiply-add gives the exact `value × 1000 − q` whenever
/// the product is at least 64 (a double's 53 bits times the 7 of 1000 make at most 60, and with
/// the whole part taken away what is left fits in 53). Near a half, which is where Opus durations fall (whole 20 ms frames less a
/// 312-sample pre-skip: thousandths and a half in decimal, a little either side in binary), that
/// remainder decides; below 65 (a margin over 64), or for negative or huge values, printf does.
func threeDecimals(_ value: Double) -> String {
    guard value.isFinite, value >= 0, value < 1e12 else { return String(format: "%.3f", value) }
    var thousandths = (value * 1000).rounded(.toNearestOrEven)
    let remainder = (-thousandths).addingProduct(value, 1000)
    if abs(abs(remainder) - 0.5) < 1e-6 {
        guard value * 1000 >= 65 else { return String(format: "%.3f", value) }
        // An exact half is a tie, which the rounding above gave to the even side; otherwise the
        // remainder says which side of the half the exact product lies.
        if abs(remainder) > 0.5 { thousandths += remainder > 0 ? 1 : -1 }
    }
    let whole = Int64(thousandths)
    let fraction = String(whole % 1000)
    return String(whole / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
