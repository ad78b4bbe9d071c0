/// A row of `core_chat` to insert.
public struct SpecChat: Sendable, Hashable, Codable {
    public var id: Int64
    /// `chat_id`: a JID or a phone number.
    public var chatID: String
    /// `chat_name`.
    public var chatName: String?
    /// `cliente_id`.
    public var clientID: Int64
    /// `instance_id`: the `core_whatsappinstance.id`, or `nil`.
    public var instanceRowID: Int64?

    public init(id: Int64, chatID: String, chatName: String? = nil, clientID: Int64, instanceRowID: Int64?) {
        self.id = id
        self.chatID = chatID
        self.chatName = chatName
        self.clientID = clientID
        self.instanceRowID = instanceRowID
    }
}
