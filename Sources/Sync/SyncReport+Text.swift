import Foundation
import MatchEngine
import MessageStore

extension SyncReport {
    /// The report people read: what was detected, the counts, then the decisions.
    public func text(links linkLimit: Int = 20, reviews reviewLimit: Int = 10, details: Bool = false) -> String {
        if let unchangedSince { return unchangedText(unchangedSince, details: details) }
        if let additionsSince, additionsSince.linked == 0 {
            return
                ([
                    "audiosync sync — only additions, all linked before\(dryRun ? ", nothing written" : "")",
                    "  media root  \(mediaRoot)", "  database    \(database)", "  profile     \(profile)", "",
                ] + additionsText(additionsSince)).joined(separator: "\n")
        }
        let counts = counts
        var lines: [String] = []
        lines.append("audiosync sync\(dryRun ? " — dry run, nothing written" : "")\(repair ? " (repair)" : "")")
        lines.append("  media root  \(mediaRoot)")
        lines.append("  database    \(database)")
        lines.append("  profile     \(profile)")
        if let additionsSince {
            lines.append("")
            lines += additionsText(additionsSince)
            lines.append("The figures below are the added files' alone.")
        }
        lines.append("")
        lines.append("detected")
        lines += plan.calibration.flatMap(\.textLines)
        if plan.calibration.isEmpty {
            lines.append("  nothing to calibrate: no file is in a client and instance of the database")
        }
        lines.append("")
        let files = counts.files
        lines.append("files")
        lines.append(row("seen", files.seen, "(\(files.notAudio) not audio or leftovers\(skippedDetail))"))
        lines.append(
            row("audio", files.audio, "(\(formatDetail); \(scan.probed) probed, \(scan.cached) from the probe cache)"))
        lines.append(row("damaged", files.damaged, problemDetail))
        lines.append(row("linked", files.linked))
        lines.append(row("duplicates", files.duplicates, "(byte-identical re-downloads of a linked or reviewed file)"))
        lines.append(row("sent to review", files.sentToReview))
        lines.append(row("left unmatched", files.leftUnmatched, unmatchedDetail(plan.unmatchedCounts)))
        lines.append("")
        let messages = counts.messages
        lines.append("messages")
        lines.append(
            row(
                "audio rows", messages.audioRows,
                [
                    messages.unusable == 0 ? nil : "\(messages.unusable) unusable: \(unusableDetail)",
                    load.placeholderRows == 0 ? nil : "\(load.placeholderRows) with a legacy caption, not JSON",
                ].compactMap { $0 }.joined(separator: "; ").wrappedInParentheses))
        lines.append(row("already linked, confirmed", messages.alreadyLinkedConfirmed))
        lines.append(row("contradicted", messages.contradicted, contradictionDetail(plan.claimCounts)))
        lines.append(row("kept, unverified", messages.keptUnverified))
        lines.append("")
        let writes = counts.writes
        lines.append(dryRun ? "writes (what a run would do)" : "writes\(run.map { " — run \($0)" } ?? "")")
        lines.append(row("planned", writes.planned, "(new links, repairs and removals)"))
        lines.append(row("new links", writes.newLinks))
        lines.append(row("repairs", writes.repairs, repair ? "" : "(only with --repair)"))
        lines.append(row("removals", writes.removals, repair ? "" : "(only with --repair)"))
        lines.append(row(dryRun ? "would be written" : "written", writes.written))
        lines.append(row("already as planned", writes.alreadyAsPlanned))
        lines.append(row("skipped: changed since read", writes.skippedChangedSinceRead))
        if writes.skippedRowGone > 0 { lines.append(row("skipped: row gone", writes.skippedRowGone)) }
        lines.append(
            row(
                "withheld", writes.withheld,
                writes.withheld == 0 ? "" : "(an existing localPath is in the way; see --repair)"))
        if details {
            lines.append("")
            lines.append(
                "work: \(plan.work.scoredPairs) pairs scored (\(plan.work.vetoedPairs) vetoed) in \(plan.work.partitions) \(plan.work.partitions == 1 ? "group" : "groups") of one client and instance; "
                    + "the largest set of competing files and messages had \(plan.work.largestComponent)"
            )
            lines.append(
                "time: scan \(fmt(timings.scan)) s, load \(fmt(timings.load)) s, hash \(fmt(timings.hash)) s, match \(fmt(timings.match)) s, write \(fmt(timings.write)) s"
            )
        }
        if let advice = problemAdvice { lines += ["", advice] }
        if !plan.links.isEmpty {
            lines.append("")
            lines.append("links")
            lines += plan.linkLines(limit: linkLimit)
        }
        if !linkedWithProblems.isEmpty {
            lines.append("")
            lines.append("linked, but the file has a problem")
            for link in linkedWithProblems.prefix(reviewLimit) {
                lines.append("  message \(link.messageID) ← \(link.file): \(link.advice)")
            }
            if linkedWithProblems.count > reviewLimit {
                lines.append("  … \(linkedWithProblems.count - reviewLimit) more (--json lists all)")
            }
        }
        if !plan.reviews.isEmpty {
            lines.append("")
            lines.append("review")
            lines += plan.reviewLines(limit: reviewLimit)
        }
        let contradicted = plan.claims.filter { $0.status == .contradicted || $0.status == .missingFile }
        if !contradicted.isEmpty {
            lines.append("")
            lines.append("existing links the evidence contradicts (replaced or removed only with --repair)")
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
        let parts = scan.skipped.sorted { $0.key < $1.key }.map { "\(Self.words($0.key)) \($0.value)" }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    }

    private var formatDetail: String {
        scan.formats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private var problemDetail: String {
        let parts = scan.problems.sorted { $0.key < $1.key }.map { "\(Self.words($0.key)) \($0.value)" }
        return parts.isEmpty ? "" : "(problems: " + parts.joined(separator: ", ") + ")"
    }

    /// A code (`extension_mismatch`) in words (`extension mismatch`), as the text names it.
    static func words(_ code: String) -> String { code.replacingOccurrences(of: "_", with: " ") }

    private var unusableDetail: String {
        load.unusable.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(Self.words($0.key)) \($0.value)" }
            .joined(separator: ", ")
    }

    /// Why a message row cannot be used, in the words of someone who knows the CRM, not its columns.
    static func words(_ reason: UnusableReason) -> String {
        switch reason {
        case .emptyConteudo: "empty content"
        case .nonJSON: "content not JSON"
        case .notAnObject: "content not a JSON object"
        case .noAudioMessage: "no audioMessage in the content"
        case .badDataEnvio: "no readable send time"
        case .missingChat: "chat row missing"
        }
    }

    /// What the problems mean and what to do, when some file has one.
    private var problemAdvice: String? {
        let problems = scan.problems.keys.sorted().compactMap(FileProblem.init(rawValue:))
        guard !problems.isEmpty else { return nil }
        var lines = ["file problems"]
        for problem in problems {
            lines.append(
                "  \(problem.rawValue.replacingOccurrences(of: "_", with: " ")) \(scan.problems[problem.rawValue]!): \(FileProblemAdvice.sentence(problem))"
            )
        }
        lines.append("  (`audiosync scan` lists them; `audiosync explain --file PATH` tells one's story)")
        return lines.joined(separator: "\n")
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

    fileprivate func row(_ label: String, _ value: Int, _ detail: String = "") -> String {
        let padded = label.count >= 28 ? label : label + String(repeating: " ", count: 28 - label.count)
        let number = String(value)
        return
            "  \(padded)\(String(repeating: " ", count: max(0, 7 - number.count)))\(number)\(detail.isEmpty ? "" : "  \(detail)")"
    }

    fileprivate func fmt(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}

extension String {
    /// `(self)`, or nothing when empty: a row's detail.
    fileprivate var wrappedInParentheses: String { isEmpty ? "" : "(\(self))" }
}

extension SyncReport {
    /// The report of a run that skipped the work: when, and the figures of the plan it stands on.
    private func additionsText(_ since: AdditionsSince) -> [String] {
        [
            "Only additions since \(since.recordedAt), when a plan had nothing to write: \(since.files) files and",
            "\(since.rows) audio rows. They were taken as a watch takes arrivals, by content or name, without",
            "planning the store again (--full does the whole work).",
            row("linked now", since.linked, "(files, by their content or name)"),
            row("linked before", since.linkedBefore, "(added files earlier runs of this kind linked)"),
        ]
    }

    private func unchangedText(_ since: UnchangedSince, details: Bool) -> String {
        let counts = counts
        var lines: [String] = []
        lines.append("audiosync sync — nothing changed\(dryRun ? ", nothing written" : "")")
        lines.append("  media root  \(mediaRoot)")
        lines.append("  database    \(database)")
        lines.append("  profile     \(profile)")
        lines.append("")
        lines.append("The files, rows, chats, clients, rejections, profile and options are as they were at")
        lines.append("\(since.recordedAt), when a plan had nothing to write; the same plan would not either, so this")
        lines.append("run skipped probing, loading and matching (--full does the whole work).")
        lines.append("")
        lines.append("that plan")
        let files = counts.files
        lines.append(row("audio files", files.audio, "(\(files.seen) seen)"))
        lines.append(row("linked", files.linked))
        lines.append(row("sent to review", files.sentToReview))
        lines.append(row("left unmatched", files.leftUnmatched))
        lines.append(row("audio rows", counts.messages.audioRows))
        lines.append(row("withheld", counts.writes.withheld))
        if details {
            lines.append("")
            lines.append("inputs: \(since.inputs)")
            lines.append("time: walk \(fmt(timings.scan)) s, rows \(fmt(timings.load)) s")
        }
        return lines.joined(separator: "\n")
    }
}
