public import MessageStore

/// What an undo did to a run: the store's report with the run it was about.
public struct UndoSummary: Sendable, Encodable {
    public var run: RunID
    /// The run's status afterwards.
    public var status: RunStatus
    /// Rows given back their old `conteudo`.
    public var restored: Int
    /// Changes undone by an earlier undo; left alone.
    public var alreadyUndone: Int
    /// Rows changed since the run wrote them; left alone.
    public var changedSince: [Int64]
    /// Rows that no longer exist.
    public var missingRows: [Int64]

    public init(run: RunID, report: UndoReport) {
        self.run = run
        status = report.status
        restored = report.restored
        alreadyUndone = report.alreadyUndone
        changedSince = report.changedSince
        missingRows = report.missingRows
    }
}
