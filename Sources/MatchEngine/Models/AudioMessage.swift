/// One audio message of the database, with everything `conteudo` and its row say about its file.
public struct AudioMessage: Sendable, Hashable, Codable {
    /// `core_mensagem.id`.
    public var rowID: Int64
    /// `core_cliente.id` of the chat's client.
    public var clientID: Int64
    /// `core_cliente.nome`.
    public var clientName: String { didSet { chatKeys = ChatKeys(chatID: chatID, clientName: clientName) } }
    /// `core_whatsappinstance.instance_id` of the chat's instance, `nil` when the chat has none.
    public var instanceID: String?
    /// `core_chat.id`.
    public var chatRowID: Int64
    /// `core_chat.chat_id` as stored: a JID or a phone number in any punctuation.
    public var chatID: String {
        didSet {
            chatKeys = ChatKeys(chatID: chatID, client: chatKeys.client)
            senderKey = Self.senderKey(sender, chatKeys)
        }
    }
    /// The WhatsApp key id, from `message_id` or `conteudo.key.id`.
    public var whatsappID: String?
    /// `remetente`: who sent it (a JID or a number), used for group media.
    public var sender: String? { didSet { senderKey = Self.senderKey(sender, chatKeys) } }
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
    public var mimetype: String? { didSet { declaredFormat = mimetype.flatMap(AudioFormat.init(mimetype:)) } }
    /// `audioMessage.localPath` written by an earlier run or tool: a claim to verify.
    public var localPath: String?

    /// Whether a file written `afterInsert` seconds after this row was inserted is timed from the
    /// insert, not the send: the row is a history import's (inserted over a minute after its send)
    /// and the file followed the insert within the hour, as a downloader that fetches rows as they
    /// arrive does. `false` for a row without a send time, which has the insert clock only.
    public func fileFollowsImport(afterInsert: Int64, tolerance: Int64) -> Bool {
        guard let sent = sentTime else { return false }
        return insertTime - sent > 60 && afterInsert >= -tolerance && afterInsert <= 3_600
    }

    /// The chat and client, reduced for comparison; kept in step with ``chatID`` and ``clientName``.
    public private(set) var chatKeys: ChatKeys
    /// The sender's canonical digits, for group messages only (their media may sit under the
    /// sender's folder).
    public private(set) var senderKey: String?
    /// The format ``mimetype`` names.
    public private(set) var declaredFormat: AudioFormat?

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
        localPath: String? = nil,
        chatKeys: ChatKeys? = nil
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
        self.chatKeys = chatKeys ?? ChatKeys(chatID: chatID, clientName: clientName)
        self.senderKey = nil
        self.senderKey = Self.senderKey(sender, self.chatKeys)
        self.declaredFormat = mimetype.flatMap(AudioFormat.init(mimetype:))
    }

    private static func senderKey(_ sender: String?, _ keys: ChatKeys) -> String? {
        keys.isGroup ? sender.map { ChatKey($0).canonical } : nil
    }

    enum CodingKeys: String, CodingKey {
        case rowID, clientID, clientName, instanceID, chatRowID, chatID, whatsappID, sender, fromMe, insertTime
        case sentTime, declaredSeconds, fileLength, fileSHA256, mimetype, localPath
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rowID: try c.decode(Int64.self, forKey: .rowID),
            clientID: try c.decode(Int64.self, forKey: .clientID),
            clientName: try c.decode(String.self, forKey: .clientName),
            instanceID: try c.decodeIfPresent(String.self, forKey: .instanceID),
            chatRowID: try c.decode(Int64.self, forKey: .chatRowID),
            chatID: try c.decode(String.self, forKey: .chatID),
            whatsappID: try c.decodeIfPresent(String.self, forKey: .whatsappID),
            sender: try c.decodeIfPresent(String.self, forKey: .sender),
            fromMe: try c.decode(Bool.self, forKey: .fromMe),
            insertTime: try c.decode(Int64.self, forKey: .insertTime),
            sentTime: try c.decodeIfPresent(Int64.self, forKey: .sentTime),
            declaredSeconds: try c.decodeIfPresent(Int.self, forKey: .declaredSeconds),
            fileLength: try c.decodeIfPresent(Int64.self, forKey: .fileLength),
            fileSHA256: try c.decodeIfPresent(ContentDigest.self, forKey: .fileSHA256),
            mimetype: try c.decodeIfPresent(String.self, forKey: .mimetype),
            localPath: try c.decodeIfPresent(String.self, forKey: .localPath)
        )
    }

    /// The best known send time: `messageTimestamp` when present, else `data_envio`.
    public var bestTime: Int64 { sentTime ?? insertTime }
}
