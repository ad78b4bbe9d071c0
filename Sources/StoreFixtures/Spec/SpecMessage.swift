import MessageStore

/// A row of `core_mensagem` to insert.
public struct SpecMessage: Sendable, Hashable, Codable {
    public var id: Int64
    /// `chat_id`: the `core_chat.id`.
    public var chatRowID: Int64
    /// `message_id`: the WhatsApp key id, or `nil`.
    public var messageID: String?
    /// `remetente`.
    public var sender: String?
    /// `tipo`: `audio`, `texto`, `imagem`, …
    public var kind: String
    /// `conteudo`, exactly as stored (JSON or not).
    public var conteudo: String?
    /// `data_envio` as the CRM writes it in SQLite: UTC `YYYY-MM-DD HH:MM:SS[.ffffff]`
    /// (see ``dataEnvio(unixSeconds:microseconds:)``). PostgreSQL reads the same text as UTC.
    public var dataEnvio: String
    /// `from_me`.
    public var fromMe: Bool

    public init(
        id: Int64, chatRowID: Int64, messageID: String?, sender: String? = nil, kind: String = "audio",
        conteudo: String?, dataEnvio: String, fromMe: Bool = false
    ) {
        self.id = id
        self.chatRowID = chatRowID
        self.messageID = messageID
        self.sender = sender
        self.kind = kind
        self.conteudo = conteudo
        self.dataEnvio = dataEnvio
        self.fromMe = fromMe
    }

    /// The `data_envio` text of a Unix time: `YYYY-MM-DD HH:MM:SS`, with `.ffffff` when
    /// `microseconds` is given.
    public static func dataEnvio(unixSeconds: Int64, microseconds: Int? = nil) -> String {
        DataEnvio.text(unixSeconds: unixSeconds, microseconds: microseconds)
    }
}
