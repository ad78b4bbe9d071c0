import MatchEngine
import MessageStore

// The text rendering of an undo, for `undo`.

extension UndoSummary {
    /// The text people read.
    public var text: String {
        var lines = [
            "audiosync undo — run \(run) is now \(status.rawValue)",
            "  rows restored                 \(restored)",
            "  already undone                \(alreadyUndone)",
            "  changed since, left alone     \(changedSince.count)",
            "  rows gone                     \(missingRows.count)",
        ]
        if !changedSince.isEmpty {
            lines.append("  changed since: " + changedSince.prefix(20).map(String.init).joined(separator: ", "))
        }
        return TerminalText.lines(lines)
    }
}
