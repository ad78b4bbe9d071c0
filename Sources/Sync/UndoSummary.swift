public import MatchEngine
public import MessageStore

/// What an undo did to a run, or (with `--dry-run`) would do: the one document of `undo`.
public struct UndoSummary: Sendable, Encodable {
    /// A row given back (or that would be given back) its old `conteudo`.
    public struct Row: Sendable, Encodable {
        public var messageID: Int64
        @Nullable public var localPathNow: String?
        @Nullable public var localPathAfter: String?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case localPathNow, localPathAfter
        }
    }

    public var schemaVersion = 1
    public var dryRun: Bool
    public var run: RunID
    /// The run's status afterwards (for a dry run: as it is).
    public var status: RunStatus
    /// Rows given back their old `conteudo` (for a dry run: that would be).
    public var restored: Int
    /// Changes undone by an earlier undo; left alone.
    public var alreadyUndone: Int
    /// Rows changed since the run wrote them; left alone.
    public var changedSince: [Int64]
    /// Rows that no longer exist.
    public var missingRows: [Int64]
    /// For a dry run, the rows it would restore with their `localPath` now and after; `null` for
    /// an undo that ran (the journal holds them).
    @Nullable public var rows: [Row]?
    /// Stopped by a signal between batches (not in the JSON, whose `status`,
    /// `partially_undone`, says the same): what the command tells on stderr, and its exit code.
    public var interrupted = false

    enum CodingKeys: String, CodingKey {
        case schemaVersion, dryRun, run, status, restored, alreadyUndone, changedSince, missingRows, rows
    }

    public init(run: RunID, report: UndoReport) {
        dryRun = false
        self.run = run
        status = report.status
        restored = report.restored
        alreadyUndone = report.alreadyUndone
        changedSince = report.changedSince
        missingRows = report.missingRows
        rows = nil
        interrupted = report.interrupted
    }

    public init(run: RunID, status: RunStatus, preview: UndoPreview) {
        dryRun = true
        self.run = run
        self.status = status
        restored = preview.restore.count
        alreadyUndone = preview.alreadyUndone
        changedSince = preview.changedSince
        missingRows = preview.missingRows
        rows = preview.restore.map {
            Row(messageID: $0.messageID, localPathNow: $0.localPathNow, localPathAfter: $0.localPathAfter)
        }
    }
}
