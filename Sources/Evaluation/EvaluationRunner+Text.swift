import Foundation

// The text rendering of an evaluation, for `evaluate` and `demo`.

extension EvaluationRunner.Document {
    /// The side-by-side text: overall, undamaged, per defect, per tier, the wrong links.
    public var text: String {
        func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
        func line(_ label: String, _ ours: String, _ theirs: String) -> String {
            label.padding(toLength: 34, withPad: " ", startingAt: 0)
                + ours.padding(toLength: 14, withPad: " ", startingAt: 0) + theirs
        }
        var lines = [
            "audiosync evaluate",
            "  media root  \(mediaRoot)",
            "  database    \(database)",
            "  profile     \(profile)",
            "",
            line("", "audiosync", "legacy script"),
            line("precision", percent(audiosync.overall.precision), percent(legacy.overall.precision)),
            line("recall", percent(audiosync.overall.recall), percent(legacy.overall.recall)),
            line("F1", percent(audiosync.overall.f1), percent(legacy.overall.f1)),
            line("recall on undamaged files", percent(audiosync.undamaged.recall), percent(legacy.undamaged.recall)),
            line("links made", String(audiosync.overall.links), String(legacy.overall.links)),
            line("wrong links", String(audiosync.overall.wrong), String(legacy.overall.wrong)),
            line("  across chats", String(audiosync.wrongAcrossChats), String(legacy.wrongAcrossChats)),
            line("  across clients", String(audiosync.wrongAcrossClients), String(legacy.wrongAcrossClients)),
            line(
                "messages given several recordings", String(audiosync.messagesWithSeveralRecordings),
                String(legacy.messagesWithSeveralRecordings)),
            line("sent to review", String(audiosync.reviews), "—"),
            line("files (belonging to a message)", "\(audiosync.overall.files) (\(audiosync.overall.belonging))", ""),
        ]
        if audiosync.belongingToUnusableRows > 0 {
            lines.append(
                line(
                    "  of which to unusable rows", String(audiosync.belongingToUnusableRows),
                    "(conteudo not JSON: no link can be written)"))
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
        return lines.joined(separator: "\n")
    }
}
