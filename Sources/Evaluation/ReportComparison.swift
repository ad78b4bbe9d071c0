import Foundation

/// What improved and what regressed between two evaluations of the engine (`--against`).
public struct ReportComparison: Sendable, Codable {
    public struct Change: Sendable, Codable, Equatable {
        public var measure: String
        public var before: Double
        public var after: Double
    }

    public var improved: [Change]
    public var regressed: [Change]

    public var hasRegression: Bool { !regressed.isEmpty }

    /// Compares the engine's figures; tolerances keep noise-free stores from flapping on nothing.
    public init(before: EvaluationReport, after: EvaluationReport) {
        var improved: [Change] = []
        var regressed: [Change] = []
        func compare(_ measure: String, _ old: Double, _ new: Double, higherIsBetter: Bool, tolerance: Double) {
            let delta = higherIsBetter ? new - old : old - new
            if delta > tolerance { improved.append(.init(measure: measure, before: old, after: new)) }
            if delta < -tolerance { regressed.append(.init(measure: measure, before: old, after: new)) }
        }
        compare("precision", before.overall.precision, after.overall.precision, higherIsBetter: true, tolerance: 0.0002)
        compare("recall", before.overall.recall, after.overall.recall, higherIsBetter: true, tolerance: 0.001)
        compare(
            "recall on undamaged files", before.undamaged.recall, after.undamaged.recall, higherIsBetter: true,
            tolerance: 0.001)
        compare(
            "wrong links", Double(before.overall.wrong), Double(after.overall.wrong), higherIsBetter: false,
            tolerance: 0)
        compare(
            "wrong links across chats",
            Double(before.wrongAcrossChats),
            Double(after.wrongAcrossChats),
            higherIsBetter: false,
            tolerance: 0
        )
        for (defect, new) in after.perDefect.sorted(by: { $0.key < $1.key }) {
            guard let old = before.perDefect[defect] else { continue }
            compare("precision [\(defect)]", old.precision, new.precision, higherIsBetter: true, tolerance: 0.001)
            compare("recall [\(defect)]", old.recall, new.recall, higherIsBetter: true, tolerance: 0.005)
        }
        self.improved = improved
        self.regressed = regressed
    }

    public var text: String {
        func show(_ change: Change) -> String {
            change.before <= 1 && change.after <= 1 && change.measure != "wrong links"
                && !change.measure.hasPrefix("wrong")
                ? "  \(change.measure): \(String(format: "%.4f", change.before)) → \(String(format: "%.4f", change.after))"
                : "  \(change.measure): \(Int(change.before)) → \(Int(change.after))"
        }
        var lines = ["", "against the saved report"]
        if improved.isEmpty && regressed.isEmpty { lines.append("  no change beyond the tolerances") }
        if !improved.isEmpty {
            lines.append("improved")
            lines += improved.map(show)
        }
        if !regressed.isEmpty {
            lines.append("REGRESSED")
            lines += regressed.map(show)
        }
        return lines.joined(separator: "\n")
    }
}
