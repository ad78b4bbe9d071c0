import Foundation
import MatchEngine
import MessageStore

// The text rendering of an undo, for `undo`.

extension UndoSummary {
    /// The text people read.
    public func text(rows limit: Int = 20) -> String {
        var lines = [
            dryRun
                ? "audiosync undo — run \(run), dry run: nothing written (the run is \(status.rawValue))"
                : "audiosync undo — run \(run) is now \(status.rawValue)",
            "  \(dryRun ? "rows it would restore" : "rows restored")\(pad(dryRun ? 21 : 13))\(restored)",
            "  already undone                \(alreadyUndone)",
            "  changed since, left alone     \(changedSince.count)",
            "  rows gone                     \(missingRows.count)",
        ]
        if !changedSince.isEmpty {
            lines.append("  changed since: " + changedSince.prefix(limit).map(String.init).joined(separator: ", "))
        }
        if let rows, !rows.isEmpty {
            lines.append("")
            lines.append("rows it would restore (message: localPath now → after)")
            for row in rows.prefix(limit) {
                lines.append(
                    "  message \(row.messageID): \(row.localPathNow ?? "(none)") → \(row.localPathAfter ?? "(none)")")
            }
            if rows.count > limit { lines.append("  … \(rows.count - limit) more (--json lists all)") }
            lines.append("")
            lines.append("to restore them: audiosync undo \(run) (without --dry-run)")
        }
        return TerminalText.lines(lines)
    }

    private func pad(_ count: Int) -> String { String(repeating: " ", count: max(1, count)) }
}
