import Foundation
import MediaStore

/// Files that arrived and are not synced yet, each waiting until it has settled: closed after
/// writing (or moved in whole) and its size and mtime unchanged over the settle delay. A file a
/// writer keeps open is waited for until it has not changed for ``openLimit`` (a stalled download).
struct Arrivals {
    struct Pending {
        var open: Bool
        var size: Int64
        var mtime: Date?
        var changed: ContinuousClock.Instant
    }

    let settle: Duration
    /// How long a file still open for writing, and unchanged, holds the batches back.
    let openLimit: Duration
    private(set) var pending: [String: Pending] = [:]

    init(settle: Duration, openLimit: Duration = .seconds(60)) {
        self.settle = settle
        self.openLimit = openLimit
    }

    var isEmpty: Bool { pending.isEmpty }

    /// Takes an event in; returns `true` for a file seen for the first time (to say so in the log).
    /// Partial-download names (`.part`, `.tmp`, `.crdownload`) are not taken: the file comes back
    /// under its own name when the downloader renames it.
    mutating func note(_ path: String, open: Bool, now: ContinuousClock.Instant) -> Bool {
        guard !isPartialDownloadName(path) else { return false }
        let (size, mtime) = Self.stat(path)
        guard let size else {
            pending[path] = nil
            return false
        }
        let isNew = pending[path] == nil
        pending[path] = Pending(open: open, size: size, mtime: mtime, changed: now)
        return isNew
    }

    mutating func remove(_ path: String) { pending[path] = nil }

    /// Looks at every pending file again: a change restarts its settle delay, a file gone is dropped.
    mutating func refresh(now: ContinuousClock.Instant) {
        for (path, entry) in pending {
            let (size, mtime) = Self.stat(path)
            guard let size else {
                pending[path] = nil
                continue
            }
            if size != entry.size || mtime != entry.mtime {
                pending[path]?.size = size
                pending[path]?.mtime = mtime
                pending[path]?.changed = now
            }
        }
    }

    /// Whether every pending file has settled; else how long until the first one might.
    func settled(now: ContinuousClock.Instant) -> (done: Bool, wait: Duration) {
        var wait = Duration.zero
        for entry in pending.values {
            let left = (entry.open ? openLimit : settle) - (now - entry.changed)
            if left > .zero { wait = max(wait, left) }
        }
        return (wait == .zero, wait)
    }

    /// Files still open for writing that have not changed for the settle delay: a download that
    /// pauses, or one that stalled; the batch waits for them (until ``openLimit``).
    func heldOpen(now: ContinuousClock.Instant) -> [String] {
        pending.filter { $0.value.open && now - $0.value.changed >= settle }.map(\.key).sorted()
    }

    /// Hands over the settled files (all of them: a batch runs only when all have settled).
    mutating func take() -> [String] {
        defer { pending.removeAll() }
        return Array(pending.keys)
    }

    static func stat(_ path: String) -> (Int64?, Date?) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return (nil, nil) }
        return ((attributes[.size] as? NSNumber)?.int64Value ?? 0, attributes[.modificationDate] as? Date)
    }
}
