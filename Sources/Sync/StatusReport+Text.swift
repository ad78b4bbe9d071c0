import Foundation
import MatchEngine
import MessageStore

// The text rendering of a status report, for `status`.

extension StatusReport {
    /// The text people read.
    public var text: String {
        func figure(_ value: Int?) -> String { value.map(String.init) ?? "— (needs --media-root)" }
        var lines = [
            "audiosync status",
            "  media root  \(mediaRoot ?? "(none given: file figures need --media-root)")",
            "  database    \(database)",
            "",
            "  audio messages               \(audioMessages)\(audioRows > audioMessages ? "  (\(audioRows - audioMessages) more rows unusable)" : "")",
            "  linked messages              \(linkedMessages)  (localPath set)",
            "  links to missing files       \(figure(linksToMissingFiles))",
            "  audio files                  \(figure(audioFiles))",
            "  files not linked             \(figure(filesNotLinked))"
                + (filesNotLinked == nil ? "" : "  (not synced yet, duplicates, or no likely message)"),
        ]
        for missing in (missingExamples ?? []).prefix(5) {
            lines.append("    missing: message \(missing.messageRowID) → \(missing.localPath)")
        }
        if (linksToMissingFiles ?? 0) > 0 {
            lines.append("    (`audiosync sync --repair` removes links to missing files, journalled)")
        }
        if !recentRuns.isEmpty {
            lines.append("")
            lines.append("recent runs (all of them: audiosync runs; undo one: audiosync undo RUN)")
            lines += recentRuns.prefix(5).map(\.textLine)
        }
        return TerminalText.lines(lines)
    }
}
