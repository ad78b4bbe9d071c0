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

    /// How long until the pending file may settle: closed files after ``settle`` unchanged, files
    /// still open after ``openLimit``; zero or less when it has.
    private func left(_ entry: Pending, now: ContinuousClock.Instant) -> Duration {
        (entry.open ? openLimit : settle) - (now - entry.changed)
    }

    /// Whether some pending file has settled.
    func anySettled(now: ContinuousClock.Instant) -> Bool {
        pending.values.contains { left($0, now: now) <= .zero }
    }

    /// How long until the next pending file might settle; `nil` when none is waiting to.
    func nextSettle(now: ContinuousClock.Instant) -> Duration? {
        pending.values.map { left($0, now: now) }.filter { $0 > .zero }.min()
    }

    /// Files still open for writing that have not changed for the settle delay: a download that
    /// pauses, or one that stalled; batches leave them out until they close (or ``openLimit``).
    func heldOpen(now: ContinuousClock.Instant) -> [String] {
        pending.filter { $0.value.open && now - $0.value.changed >= settle }.map(\.key).sorted()
    }

    /// Hands over the files that have settled; the others stay pending.
    mutating func takeSettled(now: ContinuousClock.Instant) -> [String] {
        let settled = pending.filter { left($0.value, now: now) <= .zero }.map(\.key)
        for path in settled { pending[path] = nil }
        return settled
    }

    /// The files still pending (not settled).
    var unsettled: [String] { Array(pending.keys) }

    static func stat(_ path: String) -> (Int64?, Date?) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return (nil, nil) }
        return ((attributes[.size] as? NSNumber)?.int64Value ?? 0, attributes[.modificationDate] as? Date)
    }
}
