public import MatchEngine

/// One file a person is asked to settle, with the messages it could belong to: a review of the
/// latest dry plan (`ambiguous`, `below_target`) or a link already in the database that the
/// evidence contradicts. What the review page shows and `review list --json` prints.
public struct ReviewItem: Sendable, Hashable, Encodable {
    /// Why the file is here.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The plan's review band: good enough to consider, not clear enough to link.
        case review
        /// A `localPath` in the database that the evidence contradicts.
        case contradicted
    }

    /// What happened to the item in this session.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        /// A candidate was accepted and written.
        case accepted
        /// Every candidate was rejected.
        case rejected
        /// Left for later (this session only).
        case skipped
        /// A row changed since the plan was read: refresh before deciding.
        case stale
    }

    public var file: ReviewFile
    public var kind: Kind
    /// The plan's reason (`ambiguous`, `below_target`) or the claim's detail.
    public var reason: String
    /// The probability the plan gave its best pair, when it gave one.
    @Nullable public var probability: Double?
    /// The messages the file could be, best first; a message's current link (`current`) last.
    public var candidates: [ReviewCandidate]
    /// Other files the plan weighed for those messages (a re-download, a neighbour's note), so the
    /// reviewer can hear them side by side.
    public var rivals: [ReviewRival] = []
    public var state: State
    /// What the last decision did, in a sentence.
    @Nullable public var note: String?
    /// The candidate for `messageRowID`, if the item has one.
    public func candidate(_ messageRowID: Int64) -> ReviewCandidate? {
        candidates.first { $0.message.rowID == messageRowID }
    }
}

/// The file of a review item, as the page shows it.
public struct ReviewFile: Sendable, Hashable, Encodable {
    /// Relative to the media root.
    public var path: String
    @Nullable public var clientFolder: String?
    @Nullable public var instance: String?
    @Nullable public var chatFolder: String?
    /// The probe's format (`ogg_opus`, `mp3`, …); `nil` when the scan does not know the file.
    @Nullable public var format: String?
    /// Seconds, as probed.
    @Nullable public var duration: Double?
    @Nullable public var size: Int64?
    /// The time in the file's name, as written (local to the server that named it).
    @Nullable public var nameTime: String?
    /// Unix seconds.
    @Nullable public var modificationTime: Int64?
    init(path: String, file: AudioFile?) {
        self.path = path
        clientFolder = file?.clientFolder
        instance = file?.instanceID
        chatFolder = file?.chatFolder
        format = file?.format.rawValue
        duration = file?.duration.map { $0.rounded(toPlaces: 3) }
        size = file?.size
        nameTime = file?.name.time?.iso8601
        modificationTime = file?.modificationTime
    }
}

/// A message a review item's file could belong to.
public struct ReviewCandidate: Sendable, Hashable, Encodable {
    public enum State: String, Sendable, Hashable, Codable {
        case open
        case accepted
        case rejected
        /// The message was written in this session for another file: refresh to see it again.
        case taken
    }

    public var message: ReviewMessage
    /// The pair's score (log2 odds against "none of these"); `nil` for a current link the plan did
    /// not score.
    @Nullable public var score: Double?
    @Nullable public var probability: Double?
    @Nullable public var waterfall: Waterfall?
    /// The message already holds this file (an existing link under review).
    public var current: Bool
    public var state: State
}

/// Another file that competes for one of an item's messages.
public struct ReviewRival: Sendable, Hashable, Encodable {
    public var file: ReviewFile
    /// `core_mensagem.id` of the message it competes for.
    public var messageRowID: Int64
    @Nullable public var score: Double?
    @Nullable public var probability: Double?
    @Nullable public var waterfall: Waterfall?

    enum CodingKeys: String, CodingKey {
        case file
        case messageRowID = "message_id"
        case score, probability, waterfall
    }
}

/// A message as the page shows it beside a file.
public struct ReviewMessage: Sendable, Hashable, Encodable {
    /// `core_mensagem.id`.
    public var rowID: Int64
    public var client: String
    @Nullable public var instance: String?
    public var chatID: String
    public var fromMe: Bool
    @Nullable public var sender: String?
    /// Unix seconds: `messageTimestamp` when the row has one, and `data_envio`.
    @Nullable public var sentTime: Int64?
    public var insertTime: Int64
    /// `audioMessage.seconds`.
    @Nullable public var declaredSeconds: Int?
    @Nullable public var fileLength: Int64?
    @Nullable public var mimetype: String?
    /// The file the message already holds, if any.
    @Nullable public var localPath: String?
    init(_ message: AudioMessage) {
        rowID = message.rowID
        client = message.clientName
        instance = message.instanceID
        chatID = message.chatID
        fromMe = message.fromMe
        sender = message.sender
        sentTime = message.sentTime
        insertTime = message.insertTime
        declaredSeconds = message.declaredSeconds
        fileLength = message.fileLength
        mimetype = message.mimetype
        localPath = message.localPath
    }

    enum CodingKeys: String, CodingKey {
        case rowID = "message_id"
        case client, instance
        case chatID = "chat_id"
        case fromMe, sender, sentTime, insertTime, declaredSeconds, fileLength
        case mimetype, localPath
    }
}
