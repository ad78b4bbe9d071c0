import Foundation

/// What ``MessageDatabase/undo(run:)`` would do now, read without writing (`undo --dry-run`).
public struct UndoPreview: Sendable, Hashable, Codable {
    /// A row the undo would give its old `conteudo` back.
    public struct Restore: Sendable, Hashable, Codable {
        /// `core_mensagem.id`.
        public var messageID: Int64
        /// `audioMessage.localPath` now (what the run wrote) and after the undo; `nil` where there is none.
        public var localPathNow: String?
        public var localPathAfter: String?

        public init(messageID: Int64, localPathNow: String?, localPathAfter: String?) {
            self.messageID = messageID
            self.localPathNow = localPathNow
            self.localPathAfter = localPathAfter
        }
    }

    /// Rows the undo would restore, newest change first (the order an undo takes).
    public var restore: [Restore] = []
    /// Changes undone by an earlier undo; left alone.
    public var alreadyUndone = 0
    /// Rows changed since the run wrote them; an undo leaves them alone.
    public var changedSince: [Int64] = []
    /// Rows that no longer exist.
    public var missingRows: [Int64] = []

    public init() {}

    /// `audioMessage.localPath` in a `conteudo` text, for showing what a restore changes.
    static func localPath(in conteudo: String) -> String? {
        guard let data = conteudo.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return nil }
        return find("localPath", in: object, depth: 0)
    }

    private static func find(_ key: String, in object: Any, depth: Int) -> String? {
        guard depth < 8 else { return nil }
        if let dictionary = object as? [String: Any] {
            if let value = dictionary[key] as? String { return value }
            for value in dictionary.values {
                if let found = find(key, in: value, depth: depth + 1) { return found }
            }
        }
        return nil
    }
}

/// One change of the journal, as an undo reads it.
struct JournalChange: Sendable {
    var id: Int64
    var messageID: Int64
    var oldConteudo: String
    var newConteudo: String
    var undone: Bool
}
