public import MatchEngine

/// The audio messages of a scope, with what is needed to write to them safely later.
public struct MessageLoad: Sendable {
    /// The messages, in ascending ``AudioMessage/rowID``.
    public var messages: [AudioMessage]
    /// The fingerprint of each message's `conteudo` as read, parallel to ``messages``.
    public var fingerprints: [ContentFingerprint]
    /// Rows that could not be used, and fields that were dropped.
    public var report: LoadReport

    public init(messages: [AudioMessage], fingerprints: [ContentFingerprint], report: LoadReport) {
        precondition(messages.count == fingerprints.count, "one fingerprint per message")
        self.messages = messages
        self.fingerprints = fingerprints
        self.report = report
    }

    /// The fingerprint of the row `rowID`, `nil` when it was not loaded. A binary search: messages are
    /// in row order.
    public func fingerprint(ofRow rowID: Int64) -> ContentFingerprint? {
        var low = 0
        var high = messages.count
        while low < high {
            let mid = (low + high) / 2
            if messages[mid].rowID < rowID { low = mid + 1 } else { high = mid }
        }
        return low < messages.count && messages[low].rowID == rowID ? fingerprints[low] : nil
    }

    /// The claims among the messages: those that already hold a `localPath`.
    public var claims: [LinkClaim] {
        messages.compactMap { message in message.localPath.map { LinkClaim(rowID: message.rowID, localPath: $0) } }
    }
}
