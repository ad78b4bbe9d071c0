/// One run as the journal holds it.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: RunID
    /// Unix seconds.
    public var startedAt: Int64
    /// Unix seconds; `nil` while running (or if the process died).
    public var finishedAt: Int64?
    public var status: RunStatus
    public var command: String
    public var mediaRoot: String?
    /// JSON text, as stored: a ``RunOptions`` for the runs this version began.
    public var options: String
    /// JSON text, as stored: the ``RunSummary`` given to ``MessageDatabase/finishRun(_:status:summary:)``;
    /// `nil` until then.
    public var summary: String?
    public var toolVersion: String
    /// Rows written by the run (journalled changes).
    public var changes: Int
    /// Of those, how many were undone.
    public var undone: Int

    public init(
        id: RunID, startedAt: Int64, finishedAt: Int64?, status: RunStatus, command: String, mediaRoot: String?,
        options: String, summary: String?, toolVersion: String, changes: Int, undone: Int
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.command = command
        self.mediaRoot = mediaRoot
        self.options = options
        self.summary = summary
        self.toolVersion = toolVersion
        self.changes = changes
        self.undone = undone
    }
}
