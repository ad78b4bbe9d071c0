/// One write a run asks for: do `action` to row `rowID`, provided its `conteudo` is still the text
/// whose fingerprint was `expected` when it was read.
public struct LinkChange: Sendable, Hashable, Codable {
    /// Why the change is made; stored in the journal.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        /// A new link.
        case link
        /// A correction of a wrong existing claim (replaced or removed).
        case repair
    }

    /// `core_mensagem.id`.
    public var rowID: Int64
    /// The fingerprint of `conteudo` as the plan saw it (``MessageLoad/fingerprint(ofRow:)``).
    public var expected: ContentFingerprint
    public var action: LinkAction
    public var reason: Reason

    public init(rowID: Int64, expected: ContentFingerprint, action: LinkAction, reason: Reason = .link) {
        self.rowID = rowID
        self.expected = expected
        self.action = action
        self.reason = reason
    }
}
