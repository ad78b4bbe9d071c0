import Foundation
import MatchEngine

// The text rendering of an evaluation, for `evaluate` and `demo`.

extension EvaluationRunner.Document {
    /// The side-by-side text: audiosync, the legacy script and the legacy endpoint; then the
    /// engine's calibration of its probabilities, per defect, per tier, and its wrong links.
    public var text: String {
        func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
        func line(_ label: String, _ ours: String, _ script: String, _ endpoint: String) -> String {
            label.padding(toLength: 34, withPad: " ", startingAt: 0)
                + ours.padding(toLength: 12, withPad: " ", startingAt: 0)
                + script.padding(toLength: 16, withPad: " ", startingAt: 0) + endpoint
        }
        func row(_ label: String, _ figure: (EvaluationReport) -> String) -> String {
            line(label, figure(audiosync), figure(legacyScript), figure(legacyEndpoint))
        }
        var lines = [
            "audiosync evaluate",
            "  media root  \(mediaRoot)",
            "  database    \(database)",
            "  profile     \(profile)",
            "",
            line("", "audiosync", "legacy script", "legacy endpoint"),
            row("precision") { percent($0.overall.precision) },
            row("recall") { percent($0.overall.recall) },
            row("F1") { percent($0.overall.f1) },
            row("recall on undamaged files") { percent($0.undamaged.recall) },
            row("files linked (with duplicates)") { String($0.overall.links) },
            row("wrong links") { String($0.overall.wrong) },
            row("  across chats") { String($0.wrongAcrossChats) },
            row("  across clients") { String($0.wrongAcrossClients) },
            row("messages given several recordings") { String($0.messagesWithSeveralRecordings) },
            line("sent to review", String(audiosync.reviews), "—", "—"),
            line(
                "files (belonging to a message)", "\(audiosync.overall.files) (\(audiosync.overall.belonging))", "", ""),
            "",
            "the legacy script reported \(legacyScriptRun.filesMapped) of \(legacyScriptRun.filesExamined) files mapped, "
                + "\(legacyScriptRun.mappedWrong) of them to another recording's message, up to "
                + "\(legacyScriptRun.mostFilesOnOneMessage) files to one message (\(legacyScriptRun.messagesGivenSeveralRecordings) "
                + "messages given several recordings); it wrote \(legacyScriptRun.rowsWritten) rows, each message keeping "
                + "the first file. The endpoint then guessed a file for each message left without one: its id in a "
                + "name, else its date, else the chat's latest file.",
        ]
        if audiosync.belongingToUnusableRows > 0 {
            lines.append(
                line(
                    "  of which to unusable rows", String(audiosync.belongingToUnusableRows),
                    "(its JSON cannot hold a link)", ""))
        }
        if !audiosync.reliability.isEmpty {
            lines.append("")
            lines.append("stated probability (links and reviews)   pairs  right  expected right")
            for band in audiosync.reliability where band.pairs > 0 {
                let range = "\(band.from) – \(band.to == 1 ? "1" : String(band.to))"
                lines.append(
                    "  " + range.padding(toLength: 38, withPad: " ", startingAt: 0)
                        + String(band.pairs).padding(toLength: 7, withPad: " ", startingAt: 0)
                        + String(band.right).padding(toLength: 7, withPad: " ", startingAt: 0)
                        + String(format: "%.1f", band.expectedRight))
            }
        }
        if !audiosync.perDefect.isEmpty {
            lines.append("")
            lines.append(
                "per defect (files carrying it)".padding(toLength: 40, withPad: " ", startingAt: 0)
                    + "files  precision  recall   wrong")
            for (defect, metrics) in audiosync.perDefect.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "  " + defect.padding(toLength: 38, withPad: " ", startingAt: 0)
                        + String(metrics.files).padding(toLength: 7, withPad: " ", startingAt: 0)
                        + percent(metrics.precision).padding(toLength: 11, withPad: " ", startingAt: 0)
                        + percent(metrics.recall).padding(toLength: 9, withPad: " ", startingAt: 0)
                        + String(metrics.wrong)
                )
            }
        }
        lines.append("")
        lines.append(
            "per tier that carried the link".padding(toLength: 40, withPad: " ", startingAt: 0)
                + "links  wrong  precision")
        for (tier, metrics) in audiosync.perTier.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "  " + tier.padding(toLength: 38, withPad: " ", startingAt: 0)
                    + String(metrics.links).padding(toLength: 7, withPad: " ", startingAt: 0)
                    + String(metrics.wrong).padding(toLength: 7, withPad: " ", startingAt: 0)
                    + percent(metrics.precision)
            )
        }
        if !audiosync.wrongLinks.isEmpty {
            lines.append("")
            lines.append("wrong links (first 10)")
            for wrong in audiosync.wrongLinks.prefix(10) {
                lines.append(
                    "  \(wrong.file) → message \(wrong.linkedTo), belongs to \(wrong.belongsTo.map(String.init) ?? "none") [\(wrong.tier ?? "?")]"
                )
            }
        }
        return TerminalText.lines(lines)
    }
}
