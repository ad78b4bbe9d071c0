public import MatchEngine
import MediaStore
import MessageStore

/// One batch of a watch: the sync it ran, and what it left waiting.
public struct WatchBatch: Sendable {
    public var number: Int
    public var report: SyncReport
    /// Files that arrived and matched no message: a new row may be theirs.
    public var waitingForRow: Int
    /// The client folder and instance folder the batch synced; `nil`: the whole store (for a batch
    /// by content, files of several instances; an ordinary batch takes one instance at a time).
    public var scope: BatchScope? = nil
    /// Whether the batch linked files by their content alone (``ContentMatch``), not by a sync of
    /// its scope.
    public var byContent = false
    /// Of a batch by content, the links made by a file's name (files whose bytes no row declares).
    public var linkedByName = 0
    /// Whether the batch (a watch's first) started from the last whole plan's base instead of
    /// planning the store: nothing but additions had come since, and it took those.
    public var fromLastPlan = false
    /// Whether its instance's files were planned against the instance's plan kept warm
    /// (``WarmInstance``), not by planning the instance again.
    public var byWarmPlan = false

    /// The links this batch wrote: file and row, in row order.
    public var linked: [Line.Link] {
        let files = Dictionary(
            report.plan.links.map { ($0.messageRowID, $0.file) }, uniquingKeysWith: { first, _ in first })
        return report.applied.compactMap { change in
            guard change.action != .unlink else { return nil }
            return Line.Link(file: files[change.messageRowID] ?? "", messageID: change.messageRowID)
        }
    }

    /// Files that arrived and had not settled: left out of this batch, counted, for a later one.
    public var stillArriving: Int { report.scan.skipped[SkipReason.stillArriving.rawValue] ?? 0 }

    /// The batch as `watch --json` prints it: one JSON line (schema: `docs/schemas/watch.schema.json`).
    public var line: Line {
        Line(
            batch: number, dryRun: report.dryRun, run: report.run?.rawValue, linked: linked,
            plannedLinks: report.changes.links, reviews: report.plan.reviews.count, waitingForRow: waitingForRow,
            stillArriving: stillArriving, scope: scope, byContent: byContent,
            byName: linkedByName, fromLastPlan: fromLastPlan, byWarmPlan: byWarmPlan)
    }

    public struct Line: Sendable, Encodable {
        public struct Link: Sendable, Encodable {
            public var file: String
            public var messageID: Int64
        }

        public var schemaVersion = 1
        public var batch: Int
        public var dryRun: Bool
        /// The journal's run; `null` when the batch wrote nothing (a dry run, nothing new).
        @Nullable public var run: Int64?
        /// The links written, one per row.
        public var linked: [Link]
        /// The new links the plan made (what a dry run would write).
        public var plannedLinks: Int
        public var reviews: Int
        public var waitingForRow: Int
        public var stillArriving: Int
        /// The folders the batch synced; `null`: the whole store (the first batch, an overflow, a
        /// file outside any instance folder, folders the database does not know), or, for a batch
        /// by content, its files' several instances.
        @Nullable public var scope: BatchScope?
        /// Whether the files were linked by what identifies them alone (their bytes, or their
        /// names where their bytes are no row's), their instance not planned again.
        public var byContent: Bool
        /// Of those links, how many were made by the file's name.
        public var byName: Int
        /// Whether the batch started from the last whole plan instead of planning the store.
        public var fromLastPlan: Bool
        /// Whether the files were planned against their instance's plan kept warm.
        public var byWarmPlan: Bool
    }
}
