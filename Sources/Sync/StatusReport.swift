public import MatchEngine
import MessageStore

/// How linked a store is: `audiosync status`. Without a media root, the figures about files are
/// `null` (the database alone cannot tell them).
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

    public var schemaVersion = 1
    @Nullable public var mediaRoot: String?
    public var database: String
    /// Audio rows in scope, usable or not, and those that can be linked.
    public var audioRows: Int
    public var audioMessages: Int
    /// Messages with a `localPath`.
    public var linkedMessages: Int
    /// Of those, how many name no file of the store.
    @Nullable public var linksToMissingFiles: Int?
    /// Audio files of the store (in scope).
    @Nullable public var audioFiles: Int?
    /// Of those, files no message's `localPath` names: files not linked yet, duplicates of linked
    /// files, and files no message is likely to own (`sync --dry-run` tells them apart).
    @Nullable public var filesNotLinked: Int?
    /// Up to 20 of the links to missing files, for a look.
    @Nullable public var missingExamples: [MissingFile]?
    /// The journal's latest runs, newest first.
    public var recentRuns: [RunReport]
}
