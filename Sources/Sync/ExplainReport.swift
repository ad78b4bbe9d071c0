public import MatchEngine

/// `audiosync explain`: one file or message, what the run decided for it (a code, and a sentence
/// for people), what the database or the store holds about it, and every candidate pair with
/// its waterfall.
public struct ExplainReport: Sendable, Encodable {
    /// What is explained.
    public struct Subject: Sendable, Encodable {
        /// `file` or `message`.
        public var kind: String
        @Nullable public var file: String?
        @Nullable public var messageID: Int64?

        enum CodingKeys: String, CodingKey {
            case kind, file
            case messageID = "message_id"
        }
    }

    /// A decision as a code, with what it concerns.
    public struct Decision: Sendable, Encodable {
        /// `linked`, `duplicate`, `in_review`, `unmatched`, `claim` (a message's existing
        /// `localPath`, checked) or `no_link`.
        public var code: String
        /// Why, for `in_review` (`ambiguous`, `below_target`), `unmatched` (the unmatched reason)
        /// and `claim` (the claim's status); else `null`.
        @Nullable public var reason: String?
        /// The other side of a link, review or duplicate: a file or a message.
        @Nullable public var file: String?
        @Nullable public var messageID: Int64?
        @Nullable public var probability: Double?
        @Nullable public var score: Double?
        @Nullable public var margin: Double?

        enum CodingKeys: String, CodingKey {
            case code, reason, file
            case messageID = "message_id"
            case probability, score, margin
        }
    }

    /// The message as the database holds it (`--message`).
    public struct MessageFacts: Sendable, Encodable {
        public var messageID: Int64
        public var client: String
        @Nullable public var instance: String?
        /// `core_chat.chat_id`.
        public var chat: String
        @Nullable public var sender: String?
        public var fromMe: Bool
        /// `messageTimestamp`, or else when the row was written, in ISO 8601 (UTC).
        public var time: String
        /// `message_time` (the send time) or `insert_time` (the row's `data_envio`).
        public var timeSource: String
        @Nullable public var declaredSeconds: Int?
        @Nullable public var declaredSize: Int64?
        /// `fileSha256` as the message holds it (base64).
        @Nullable public var declaredSHA256: String?
        @Nullable public var mimetype: String?
        @Nullable public var localPath: String?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case client, instance, chat, sender, fromMe, time, timeSource, declaredSeconds, declaredSize
            case declaredSHA256 = "declared_sha256"
            case mimetype, localPath
        }

        init(_ message: AudioMessage) {
            messageID = message.rowID
            client = message.clientName
            instance = message.instanceID
            chat = message.chatID
            sender = message.sender
            fromMe = message.fromMe
            time = iso8601UTC(message.sentTime ?? message.insertTime)
            timeSource = message.sentTime == nil ? "insert_time" : "message_time"
            declaredSeconds = message.declaredSeconds
            declaredSize = message.fileLength
            declaredSHA256 = message.fileSHA256?.base64
            mimetype = message.mimetype
            localPath = message.localPath
        }
    }

    /// The file as the scan found it (`--file`).
    public struct FileFacts: Sendable, Encodable {
        public var path: String
        public var format: String
        @Nullable public var duration: Double?
        public var size: Int64
        /// What is wrong with the file (`FileProblem`), `null` when nothing is.
        @Nullable public var problem: String?
        /// The problem and what to do about it, in words; `null` when nothing is wrong.
        @Nullable public var advice: String?

        init(_ file: AudioFile) {
            path = file.path
            format = file.format.rawValue
            duration = file.duration?.rounded(toPlaces: 3)
            size = file.size
            problem = file.problem?.rawValue
            advice = file.problem.map(FileProblemAdvice.sentence)
        }
    }

    public var schemaVersion = 1
    public var subject: Subject
    public var decision: Decision
    /// The decision in words.
    public var decisionText: String
    @Nullable public var message: MessageFacts?
    @Nullable public var file: FileFacts?
    /// The calibration of the instance the subject belongs to, `null` when it belongs to none.
    @Nullable public var calibration: CalibrationReport?
    /// The candidate pairs, best first.
    public var candidates: [MatchPlan.Candidate]
}
