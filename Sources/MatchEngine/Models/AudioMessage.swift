/// One audio message of the database, with everything `conteudo` and its row say about its file.
public struct AudioMessage: Sendable, Hashable, Codable {
    /// `core_mensagem.id`.
    public var rowID: Int64
    /// `core_cliente.id` of the chat's client.
    public var clientID: Int64
    /// `core_cliente.nome`.
    public var clientName: String
    /// `core_whatsappinstance.instance_id` of the chat's instance, `nil` when the chat has none.
    public var instanceID: String?
    /// `core_chat.id`.
    public var chatRowID: Int64
    /// `core_chat.chat_id` as stored: a JID or a phone number in any punctuation.
    public var chatID: String
    /// The WhatsApp key id, from `message_id` or `conteudo.key.id`.
    public var whatsappID: String?
    /// `remetente`: who sent it (a JID or a number), used for group media.
    public var sender: String?
    /// `from_me`.
    public var fromMe: Bool
    /// `data_envio`: when the row was inserted, Unix seconds UTC.
    public var insertTime: Int64
    /// `messageTimestamp`, the true send time in Unix seconds when present.
    public var sentTime: Int64?
    /// `audioMessage.seconds`: the duration as a whole number, usually truncated.
    public var declaredSeconds: Int?
    /// `audioMessage.fileLength`: the plain file's size in bytes.
    public var fileLength: Int64?
    /// `audioMessage.fileSha256`: the SHA-256 of the plain file.
    public var fileSHA256: ContentDigest?
    /// `audioMessage.mimetype`.
    public var mimetype: String?
    /// `audioMessage.localPath` written by an earlier run or tool: a claim to verify.
    public var localPath: String?

    public init(
        rowID: Int64,
        clientID: Int64,
        clientName: String,
        instanceID: String?,
        chatRowID: Int64,
        chatID: String,
        whatsappID: String? = nil,
        sender: String? = nil,
        fromMe: Bool = false,
        insertTime: Int64,
        sentTime: Int64? = nil,
        declaredSeconds: Int? = nil,
        fileLength: Int64? = nil,
        fileSHA256: ContentDigest? = nil,
        mimetype: String? = nil,
        localPath: String? = nil
    ) {
        self.rowID = rowID
        self.clientID = clientID
        self.clientName = clientName
        self.instanceID = instanceID
        self.chatRowID = chatRowID
        self.chatID = chatID
        self.whatsappID = whatsappID
        self.sender = sender
        self.fromMe = fromMe
        self.insertTime = insertTime
        self.sentTime = sentTime
        self.declaredSeconds = declaredSeconds
        self.fileLength = fileLength
        self.fileSHA256 = fileSHA256
        self.mimetype = mimetype
        self.localPath = localPath
    }

    /// The best known send time: `messageTimestamp` when present, else `data_envio`.
    public var bestTime: Int64 { sentTime ?? insertTime }
}
