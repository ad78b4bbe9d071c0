import MatchEngine
import MessageStore

extension MessageLoad {
    /// This load as if it had also read row `rowID` holding `text`: reaches the store's answer to a
    /// row that was read but cannot be edited, which no real load produces (the loader refuses what
    /// the editor refuses).
    func pretending(toHaveRead rowID: Int64, as text: String) -> MessageLoad {
        var message = messages[0]
        message.rowID = rowID
        let index = messages.firstIndex { $0.rowID > rowID } ?? messages.count
        var messages = messages
        var fingerprints = fingerprints
        messages.insert(message, at: index)
        fingerprints.insert(ContentFingerprint(text), at: index)
        return MessageLoad(messages: messages, fingerprints: fingerprints, report: report)
    }
}
