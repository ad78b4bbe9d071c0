/// A message's chat and client reduced once, when the message is made, so that scoring a pair
/// compares stored keys instead of re-reducing strings (a million messages meet several files
/// each).
public struct ChatKeys: Sendable, Hashable {
    /// The chat id's digits (`556999267344` for `556999267344@s.whatsapp.net`, and for `(69)
    /// 9926-7344`, whose country code is put back), or the whole id for one without digits
    /// (``ChatKey/identity(of:)``).
    public let digits: String
    /// ``digits`` without the Brazilian ninth digit (``ChatKey``'s canonical form).
    public let canonical: String
    /// Whether the chat is a group.
    public let isGroup: Bool
    /// The client's name, folded as folders spell it.
    public let client: ClientKey

    public init(chatID: String, clientName: String) {
        self.init(chatID: chatID, client: ClientKey(clientName))
    }

    /// Keys for a chat whose client key is already known (loaders compute it once per client).
    public init(chatID: String, client: ClientKey) {
        digits = ChatKey.identity(of: chatID)
        canonical = ChatKey.withoutNinthDigit(digits)
        isGroup = ChatKey.isGroup(chatID)
        self.client = client
    }
}

/// A file's folders reduced once.
public struct FolderKeys: Sendable, Hashable {
    /// The chat folder's digits, or the whole folder name when it has none (``ChatKey/identity(of:)``).
    public let digits: String
    /// ``digits`` without the Brazilian ninth digit.
    public let canonical: String
    /// The client folder, folded.
    public let client: ClientKey

    public init(chatFolder: String, clientFolder: String) {
        digits = ChatKey.identity(of: chatFolder)
        canonical = ChatKey.withoutNinthDigit(digits)
        client = ClientKey(clientFolder)
    }
}
