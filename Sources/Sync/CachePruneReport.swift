import Foundation
public import MatchEngine
public import MediaStore

/// `audiosync cache prune`: each standard probe cache, kept or removed, and why.
public struct CachePruneReport: Sendable, Encodable {
    public struct Cache: Sendable, Encodable {
        public var path: String
        @Nullable public var mediaRoot: String?
        /// ISO 8601 (UTC).
        public var lastUsed: String
        public var bytes: Int64
        /// `null` when kept; else `media_root_gone`, `unused` or `unreadable`.
        @Nullable public var removal: String?
    }

    public var schemaVersion = 1
    public var folder: String
    public var dryRun: Bool
    public var olderThanDays: Int
    public var caches: [Cache]
    /// Caches removed (for a dry run: that would be), and the bytes freed.
    public var removed: Int
    public var bytesFreed: Int64

    public init(folder: String, dryRun: Bool, olderThanDays: Int, verdicts: [ProbeCachePruner.Verdict]) {
        self.folder = folder
        self.dryRun = dryRun
        self.olderThanDays = olderThanDays
        caches = verdicts.map {
            Cache(
                path: $0.path, mediaRoot: $0.mediaRoot, lastUsed: iso8601UTC($0.lastUsed), bytes: $0.bytes,
                removal: $0.removal)
        }
        removed = verdicts.filter { $0.removal != nil }.count
        bytesFreed = verdicts.filter { $0.removal != nil }.reduce(0) { $0 + $1.bytes }
    }

    /// The text people read.
    public var text: String {
        var lines = ["audiosync cache prune — \(folder)\(dryRun ? " (dry run: nothing removed)" : "")"]
        if caches.isEmpty { lines.append("  no probe cache here") }
        for cache in caches {
            let verdict: String
            switch cache.removal {
            case nil: verdict = "kept"
            case "media_root_gone":
                verdict = dryRun ? "would go: its media root is gone" : "removed: its media root is gone"
            case "unused":
                verdict =
                    dryRun
                    ? "would go: unused for over \(olderThanDays) days"
                    : "removed: unused for over \(olderThanDays) days"
            default: verdict = dryRun ? "would go: not a readable cache" : "removed: not a readable cache"
            }
            lines.append(
                "  \(cache.path)  \(cache.mediaRoot ?? "(media root not recorded)")  last used \(cache.lastUsed)  \(cache.bytes / 1024) KiB  \(verdict)"
            )
        }
        lines.append("")
        lines.append("\(dryRun ? "would remove" : "removed") \(removed) caches, \(bytesFreed / 1024) KiB")
        return lines.joined(separator: "\n")
    }
}
