/// What happened to one change (``MatchEngine/ChangeSet/Change``) of a write.
public enum ChangeOutcome: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Written, and journalled in the same transaction.
    case updated
    /// The row already held the intended values; nothing written.
    case unchanged
    /// The row's `conteudo` is no longer the text that was read (another writer changed it); skipped.
    case changedSinceRead = "changed_since_read"
    /// The row no longer exists (or is no longer an audio message); skipped.
    case missingRow = "missing_row"
    /// The row's `conteudo` is not a JSON object with an `audioMessage` object; skipped.
    case notEditable = "not_editable"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether the change was left undone.
    public var isSkipped: Bool {
        switch self {
        case .updated, .unchanged: false
        case .changedSinceRead, .missingRow, .notEditable: true
        }
    }
}
