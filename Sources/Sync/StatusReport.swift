import MatchEngine
public import MessageStore

/// How linked a store is: `audiosync status`.
public struct StatusReport: Sendable, Encodable {
    /// A message whose `localPath` names no file of the store.
    public struct MissingFile: Sendable, Encodable {
        public var messageRowID: Int64
        public var localPath: String

        enum CodingKeys: String, CodingKey {
            case messageRowID = "message_id"
            case localPath
        }
    }

    /// A run of the journal, with its times in ISO 8601 (UTC).
    public struct Run: Sendable, Encodable {
        public var id: RunID
        public var status: RunStatus
        public var command: String
        public var startedAt: String
        public var finishedAt: String?
        public var changes: Int
        public var undone: Int

        public init(_ run: RunRecord) {
            id = run.id
            status = run.status
            command = run.command
            startedAt = iso8601UTC(run.startedAt)
            finishedAt = run.finishedAt.map(iso8601UTC)
            changes = run.changes
            undone = run.undone
        }
    }

    public var mediaRoot: String
    public var database: String
    /// Audio rows in scope, usable or not, and those that became messages.
    public var audioRows: Int
    public var audioMessages: Int
    /// Messages with a `localPath`.
    public var linked: Int
    /// Of those, how many point at no file of the store.
    public var linksToMissingFiles: Int
    /// Audio files of the store (in scope), and how many no message claims.
    public var audioFiles: Int
    public var unclaimedFiles: Int
    /// Up to 20 of the broken links, for a look.
    public var missingExamples: [MissingFile]
    /// The journal's latest runs.
    public var recentRuns: [Run]
}
