/// What ``MessageDatabase/undo(run:)`` did.
public struct UndoReport: Sendable, Hashable, Codable {
    /// Rows given back their old `conteudo`.
    public var restored = 0
    /// Changes undone by an earlier undo; left alone.
    public var alreadyUndone = 0
    /// Rows whose `conteudo` is no longer what the run wrote: someone changed them since, so they were
    /// not touched.
    public var changedSince: [Int64] = []
    /// Rows that no longer exist.
    public var missingRows: [Int64] = []
    /// The run's status afterwards.
    public var status: RunStatus = .undone
    /// Stopped between batches (``MessageStoreOptions/shouldStop``): changes are left to undo, and
    /// the run is ``RunStatus/partiallyUndone`` until an undo finishes it.
    public var interrupted = false

    public init() {}
}
