/// A file and a message that a person said do not belong together, remembered in
/// `audiosync_rejection` so that no later plan proposes the pair again.
public struct RejectionRecord: Sendable, Hashable, Codable {
    /// The file's path relative to the media root.
    public var file: String
    /// `core_mensagem.id`.
    public var messageRowID: Int64
    /// Unix seconds, UTC.
    public var rejectedAt: Int64
    /// Where the decision was made: `review page` or `review command`.
    public var source: String

    public init(file: String, messageRowID: Int64, rejectedAt: Int64, source: String) {
        self.file = file
        self.messageRowID = messageRowID
        self.rejectedAt = rejectedAt
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case file
        case messageRowID = "message_id"
        case rejectedAt = "rejected_at"
        case source
    }
}
