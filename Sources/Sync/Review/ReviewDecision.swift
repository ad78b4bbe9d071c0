public import MatchEngine
public import MessageStore

/// What a decision did: the item as it now stands, and what was written.
public struct ReviewDecision: Sendable, Encodable {
    public enum Action: String, Sendable, Codable {
        case accept
        case reject
        case skip
    }

    public var schemaVersion = 1
    public var action: Action
    public var file: String
    /// `core_mensagem.id`; `nil` for a skip.
    @Nullable public var messageRowID: Int64?
    /// The journal's run the session writes under; `nil` when nothing was written yet.
    @Nullable public var run: RunID?
    /// The rows written (linked or unlinked) by this decision.
    public var written: [Int64]
    /// Rows left alone because they changed since the plan was read, or are gone.
    public var skipped: [ApplyReport.Skipped]
    /// Whether a rejection was newly remembered (`false` when it was already).
    @Nullable public var remembered: Bool?
    public var item: ReviewItem
    /// What happened, in a sentence.
    public var note: String

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case action, file
        case messageRowID = "message_id"
        case run, written, skipped, remembered, item, note
    }
}
