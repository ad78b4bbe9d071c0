import Foundation
import MatchEngine
import MessageStore

extension SyncReport {
    /// The report people read: what was detected, the counts, then the decisions.
    public func text(links linkLimit: Int = 20, reviews reviewLimit: Int = 10) -> String {
        var lines: [String] = []
        lines.append("audiosync sync\(dryRun ? " — dry run, nothing written" : "")\(repair ? " (repair)" : "")")
        lines.append("  media root  \(mediaRoot)")
        lines.append("  database    \(database)")
        lines.append("  profile     \(profile)")
        lines.append("")
        lines.append("detected")
        lines += plan.calibration.flatMap(\.textLines)
        if plan.calibration.isEmpty {
            lines.append("  nothing to calibrate: no file is in a client and instance of the database")
        }
        lines.append("")
        let unmatched = plan.unmatchedCounts
        let duplicates = unmatched[.duplicate, default: 0]
        let left = plan.unmatched.count - duplicates - unmatched[.inReview, default: 0]
        lines.append("files")
        lines.append(
            row("seen", scan.filesSeen, "(\(scan.skipped.values.reduce(0, +)) not audio or leftovers\(skippedDetail))"))
        lines.append(
            row("audio", scan.audio, "(\(formatDetail); \(scan.probed) probed, \(scan.cached) from the probe cache)"))
        lines.append(row("damaged", scan.damaged, problemDetail))
        lines.append(row("linked", plan.links.count))
        lines.append(row("duplicates", duplicates, "(byte-identical re-downloads of a linked or reviewed file)"))
        lines.append(row("sent to review", plan.reviews.count))
        lines.append(row("left unmatched", left, unmatchedDetail(unmatched)))
        lines.append("")
        lines.append("messages")
        lines.append(
            row(
                "audio rows", load.rowsRead,
                [
                    load.unusableCount == 0 ? nil : "\(load.unusableCount) unusable: \(unusableDetail)",
                    load.placeholderRows == 0 ? nil : "\(load.placeholderRows) with a legacy caption, not JSON",
                ].compactMap { $0 }.joined(separator: "; ").wrappedInParentheses))
        let claims = plan.claimCounts
        lines.append(row("already linked, confirmed", claims[.confirmed, default: 0]))
        lines.append(
            row(
                "contradicted", claims[.contradicted, default: 0] + claims[.missingFile, default: 0],
                contradictionDetail(claims)))
        lines.append(row("kept, unverified", claims[.unverified, default: 0]))
        lines.append(row("repaired", changes.repairs + changes.removals, repair ? "" : "(only with --repair)"))
        lines.append("")
        lines.append(dryRun ? "writes (would be)" : "writes\(run.map { " — run \($0)" } ?? "")")
        lines.append(row("links", changes.links))
        lines.append(row("written", write[.updated]))
        lines.append(row("already as planned", write[.unchanged]))
        lines.append(row("skipped: changed since read", write[.changedSinceRead]))
        if write[.missingRow] + write[.notEditable] > 0 {
            lines.append(row("skipped: row gone or not editable", write[.missingRow] + write[.notEditable]))
        }
        lines.append(
            row(
                "withheld", changes.withheld.count,
                changes.withheld.isEmpty ? "" : "(an existing localPath is in the way; see --repair)"))
        lines.append("")
        lines.append(
            "work: \(plan.work.scoredPairs) pairs scored (\(plan.work.vetoedPairs) vetoed) in \(plan.work.partitions) partition(s); "
                + "largest component \(plan.work.largestComponent) nodes"
        )
        lines.append(
            "time: scan \(fmt(timings.scan)) s, load \(fmt(timings.load)) s, hash \(fmt(timings.hash)) s, match \(fmt(timings.match)) s, write \(fmt(timings.write)) s"
        )
        if !plan.links.isEmpty {
            lines.append("")
            lines.append("links")
            lines += plan.linkLines(limit: linkLimit)
        }
        if !plan.reviews.isEmpty {
            lines.append("")
            lines.append("review")
            lines += plan.reviewLines(limit: reviewLimit)
        }
        let contradicted = plan.claims.filter { $0.status == .contradicted || $0.status == .missingFile }
        if !contradicted.isEmpty {
            lines.append("")
            lines.append("contradicted claims")
            for claim in contradicted.prefix(reviewLimit) {
                lines.append("  message \(claim.messageRowID): \(claim.localPath) — \(claim.detail)")
            }
            if contradicted.count > reviewLimit {
                lines.append("  … \(contradicted.count - reviewLimit) more (--json lists all)")
            }
        }
        return TerminalText.lines(lines)
    }

    private var skippedDetail: String {
        let parts = scan.skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    }

    private var formatDetail: String {
        scan.formats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private var problemDetail: String {
        let parts = scan.problems.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return parts.isEmpty ? "" : "(problems: " + parts.joined(separator: ", ") + ")"
    }

    private var unusableDetail: String {
        load.unusable.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(
            separator: ", ")
    }

    private func unmatchedDetail(_ counts: [MatchPlan.UnmatchedReason: Int]) -> String {
        let parts = MatchPlan.UnmatchedReason.allCases
            .filter { $0 != .duplicate && $0 != .inReview && counts[$0, default: 0] > 0 }
            .map { "\($0.rawValue.replacingOccurrences(of: "_", with: " ")) \(counts[$0]!)" }
        return parts.isEmpty ? "" : "(" + parts.joined(separator: ", ") + ")"
    }

    private func contradictionDetail(_ counts: [MatchPlan.ClaimCheck.Status: Int]) -> String {
        let missing = counts[.missingFile, default: 0]
        return missing == 0 ? "" : "(\(missing) point at missing files)"
    }

    private func row(_ label: String, _ value: Int, _ detail: String = "") -> String {
        let padded = label.count >= 28 ? label : label + String(repeating: " ", count: 28 - label.count)
        let number = String(value)
        return
            "  \(padded)\(String(repeating: " ", count: max(0, 7 - number.count)))\(number)\(detail.isEmpty ? "" : "  \(detail)")"
    }

    private func fmt(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}

extension String {
    /// `(self)`, or nothing when empty: a row's detail.
    fileprivate var wrappedInParentheses: String { isEmpty ? "" : "(\(self))" }
}
