import Foundation

/// `audiosync cache prune`: removes the standard probe caches that serve no store any more —
/// those whose media root is gone, and those not used for a while — so caches of old or moved
/// stores do not pile up.
public struct ProbeCachePruner: Sendable {
    /// One cache file and what becomes of it.
    public struct Verdict: Sendable, Hashable, Codable {
        public var path: String
        /// The media root it was last used for; `nil` for a cache from before that was recorded.
        public var mediaRoot: String?
        /// Unix seconds of its last use (or of the file's last change, when not recorded).
        public var lastUsed: Int64
        /// Bytes on disk, its `-wal` and `-shm` files included.
        public var bytes: Int64
        /// `nil`: kept; else why it is removed: `media_root_gone`, `unused`, `unreadable`.
        public var removal: String?
    }

    /// The folder the standard caches live in.
    public var folder: String
    /// A cache unused for longer than this many seconds is removed.
    public var maximumAge: Int64
    /// Unix seconds.
    public var now: Int64

    public init(folder: String, maximumAge: Int64, now: Int64? = nil) {
        self.folder = folder
        self.maximumAge = maximumAge
        self.now = now ?? Int64(Date().timeIntervalSince1970)
    }

    /// Judges every `probe-*.sqlite` of the folder; with `remove`, deletes those judged removable.
    public func prune(remove: Bool) throws -> [Verdict] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder) else { return [] }
        let names = try manager.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("probe-") && $0.hasSuffix(".sqlite") }.sorted()
        var verdicts: [Verdict] = []
        for name in names {
            let path = folder + "/" + name
            let companions = [path, path + "-wal", path + "-shm"].filter { manager.fileExists(atPath: $0) }
            let bytes = companions.reduce(Int64(0)) { total, file in
                total + ((try? manager.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0)
            }
            let modified =
                (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date)
                .map { Int64($0.timeIntervalSince1970) } ?? now
            var verdict = Verdict(path: path, mediaRoot: nil, lastUsed: modified, bytes: bytes, removal: nil)
            do {
                if let use = try ProbeCache(path: path).lastUse() {
                    verdict.mediaRoot = use.mediaRoot
                    verdict.lastUsed = use.unixSeconds
                }
            } catch {
                verdict.removal = "unreadable"
            }
            if verdict.removal == nil, let root = verdict.mediaRoot, !manager.fileExists(atPath: root) {
                verdict.removal = "media_root_gone"
            }
            if verdict.removal == nil, now - verdict.lastUsed > maximumAge {
                verdict.removal = "unused"
            }
            if remove, verdict.removal != nil {
                for file in companions { try manager.removeItem(atPath: file) }
            }
            verdicts.append(verdict)
        }
        return verdicts
    }
}
