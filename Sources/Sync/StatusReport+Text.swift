import MatchEngine
import MessageStore

// The text rendering of a status report, for `status`.

extension StatusReport {
    /// The text people read.
    public var text: String {
        var lines = [
            "audiosync status",
            "  media root  \(mediaRoot)",
            "  database    \(database)",
            "",
            "  audio messages               \(audioMessages)\(audioRows > audioMessages ? "  (\(audioRows - audioMessages) more rows unusable)" : "")",
            "  linked (localPath set)       \(linked)",
            "  links to missing files       \(linksToMissingFiles)",
            "  audio files in the store     \(audioFiles)",
            "  files no message claims      \(unclaimedFiles)",
        ]
        for missing in missingExamples.prefix(5) {
            lines.append("    missing: message \(missing.messageRowID) → \(missing.localPath)")
        }
        if !recentRuns.isEmpty {
            lines.append("")
            lines.append("recent runs (undo with: audiosync undo --database … RUN)")
            for run in recentRuns.prefix(5) {
                lines.append(
                    "  run \(run.id)  \(run.status.rawValue)  \(run.command)  \(run.changes) rows changed, \(run.undone) undone  \(run.startedAt)"
                )
            }
        }
        return TerminalText.lines(lines)
    }
}
