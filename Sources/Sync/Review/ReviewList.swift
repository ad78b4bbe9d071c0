import Foundation

/// `review list`: every item of a fresh dry plan (schema in docs/json-output.md).
public struct ReviewList: Sendable, Encodable {
    public var schemaVersion = 1
    public var mediaRoot: String
    public var database: String
    public var profile: String
    public var counts: ReviewCounts
    public var items: [ReviewItem]

    public init(mediaRoot: String, database: String, profile: String, page: ReviewPage) {
        self.mediaRoot = mediaRoot
        self.database = database
        self.profile = profile
        counts = page.counts
        items = page.items
    }

    /// One block per file: its facts, then its candidates best first.
    public var text: String {
        var lines = ["audiosync review list — \(items.count) file(s) to settle", ""]
        if items.isEmpty {
            lines.append("Nothing to review: every file the plan considered is linked or left with a reason.")
        }
        for item in items {
            lines.append("\(item.kind.rawValue)  \(item.file.path)")
            var facts = ["reason \(item.reason)"]
            if let format = item.file.format { facts.append(format) }
            if let duration = item.file.duration { facts.append(String(format: "%.2f s", duration)) }
            if let probability = item.probability { facts.append("best \(Self.percent(probability))") }
            lines.append("  " + facts.joined(separator: ", "))
            for candidate in item.candidates {
                let message = candidate.message
                var parts = ["message \(message.rowID)"]
                if candidate.current { parts.append("(current link)") }
                if let probability = candidate.probability { parts.append("p \(Self.percent(probability))") }
                if let score = candidate.score { parts.append(String(format: "score %.1f", score)) }
                parts.append("chat \(message.chatID)")
                parts.append("sent \(Self.utc(message.sentTime ?? message.insertTime))")
                if let seconds = message.declaredSeconds { parts.append("\(seconds) s") }
                if let path = message.localPath { parts.append("holds \(path)") }
                lines.append("    " + parts.joined(separator: "  "))
            }
            lines.append("")
        }
        lines.append("Settle one: audiosync review accept|reject … FILE MESSAGE  (see --help)")
        return lines.joined(separator: "\n")
    }

    static func percent(_ probability: Double) -> String {
        String(format: probability > 0.99 ? "%.2f%%" : "%.1f%%", probability * 100)
    }

    static func utc(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + " UTC"
    }
}

extension ReviewDecision {
    /// One line, and the undo hint when something was written.
    public var text: String {
        var lines = ["\(action.rawValue) \(file)" + (messageRowID.map { " ↔ message \($0)" } ?? "") + ": \(note)"]
        if let run, !written.isEmpty {
            lines.append("written under run \(run): `audiosync undo --database … \(run)` gives it back")
        }
        return lines.joined(separator: "\n")
    }
}
