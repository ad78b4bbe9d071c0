import Foundation
import MatchEngine

// The text rendering of an explanation, for `explain`.

extension ExplainReport {
    /// The text people read: the decision, the message or file, the calibration, then each
    /// candidate's waterfall.
    public var text: String {
        let name = subject.kind == "file" ? "file \(subject.file ?? "")" : "message \(subject.messageID ?? 0)"
        var lines = ["audiosync explain — \(name)", "  decision: \(decisionText)"]
        if let message {
            lines.append("")
            lines.append("message \(message.messageID)")
            lines.append("  client        \(message.client)\(message.instance.map { ", instance \($0)" } ?? "")")
            lines.append("  chat          \(message.chat)")
            lines.append(
                "  sender        \(message.fromMe ? "this number (sent)" : message.sender ?? "(not recorded)")")
            lines.append(
                "  time          \(message.time.hasSuffix("Z") ? message.time : message.time + " UTC") (\(message.timeSource == "message_time" ? "when sent" : "when the row was written; no send time recorded"))"
            )
            lines.append("  length        \(message.declaredSeconds.map { "\($0) s" } ?? "(not declared)")")
            lines.append("  size          \(message.declaredSize.map { "\($0) bytes" } ?? "(not declared)")")
            lines.append("  SHA-256       \(message.declaredSHA256 ?? "(not declared)")")
            lines.append("  mimetype      \(message.mimetype ?? "(not declared)")")
            lines.append("  localPath     \(message.localPath ?? "(none)")")
        }
        if let file {
            lines.append("")
            lines.append("file")
            lines.append("  format        \(file.format)")
            lines.append("  duration      \(file.duration.map { String(format: "%.2f s", $0) } ?? "(unreadable)")")
            lines.append("  size          \(file.size) bytes")
            if let problem = file.problem, let advice = file.advice {
                lines.append("  problem       \(problem.replacingOccurrences(of: "_", with: " ")): \(advice)")
            }
        }
        if let calibration {
            lines.append("")
            lines.append("how this instance names its files")
            lines += calibration.textLines
        }
        lines.append("")
        lines.append(
            candidates.isEmpty
                ? "no candidates: no \(subject.kind == "file" ? "message" : "file") could be its own"
                : "candidates (best first)")
        for candidate in candidates {
            let score = candidate.score.isFinite ? formatBits(candidate.score) : "ruled out"
            let probability = candidate.probability.map { ", p \(formatProbability($0))" } ?? ""
            lines.append("  \(candidate.file) ↔ message \(candidate.messageRowID)   score \(score)\(probability)")
            if let waterfall = candidate.waterfall { lines += waterfall.lines(indent: "    ") }
        }
        return lines.joined(separator: "\n")
    }
}
