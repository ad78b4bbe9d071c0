// The text rendering of an explanation, for `explain`.

extension Explanation {
    /// The text people read: the decision, the calibration, then each candidate's waterfall.
    public var text: String {
        var lines = ["audiosync explain — \(subject)", "  decision: \(decision)"]
        if let calibration {
            lines.append("")
            lines.append("calibration")
            lines += calibration.textLines
        }
        lines.append("")
        lines.append(
            candidates.isEmpty
                ? "no candidates: blocking found no message that could be its own" : "candidates (best first)")
        for candidate in candidates {
            let score = candidate.score.isFinite ? formatBits(candidate.score) : "vetoed"
            let probability = candidate.probability.map { ", p \(formatProbability($0))" } ?? ""
            lines.append("  \(candidate.file) ↔ message \(candidate.messageRowID)   score \(score)\(probability)")
            if let waterfall = candidate.waterfall { lines += waterfall.lines(indent: "    ") }
        }
        return TerminalText.lines(lines)
    }
}
