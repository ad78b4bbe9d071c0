import MatchEngine

/// Everything a generated store will hold, decided before a byte is written, so the writing can
/// run in parallel and the truth follows from the plan.
struct StorePlan: Sendable {
    struct Client: Sendable {
        var rowID: Int64
        var name: String
        var folder: String
    }

    struct Instance: Sendable {
        var rowID: Int64
        var instanceID: String
        var client: Int
        /// The derivations its downloader used (two for a codebase that changed its mind).
        var derivations: [TokenDerivation]
        /// File-name time minus UTC: the server's zone.
        var offset: Int64
        /// How far the server's clock is off, in seconds: it shows in names and mtimes alike.
        var skew: Int64 = 0
        /// The connected phone's own number: the chat folder its own notes may be filed under.
        var ownNumber: String = ""
        /// Newer stores put files under `<chat>/audio/`.
        var kindFolders: Bool
    }

    struct Chat: Sendable {
        var rowID: Int64
        var instance: Int
        /// The folder's digits.
        var folder: String
        /// `core_chat.chat_id` as the database spells it.
        var chatID: String
        var isGroup: Bool
        var members: [String]
        var tags: [String]
        /// Chats of deleted conversations: a folder, but no row.
        var inDatabase: Bool
    }

    enum TimestampStyle: Sendable {
        case none
        case seconds
        case milliseconds
        case secondsText
    }

    enum LengthStyle: Sendable {
        case text
        case number
        case lowHigh
    }

    struct Message: Sendable {
        var rowID: Int64
        var chat: Int
        var id: String
        var idOnlyInKey: Bool
        var sent: Int64
        var inserted: Int64
        var timestampStyle: TimestampStyle
        /// The audio: packets of 120 ms, chosen by the seed (forwards copy their original's).
        var packets: Int
        var audioSeed: UInt64
        /// `nil`: no `seconds` field.
        var seconds: Int?
        var hashes: Bool
        var lengthStyle: LengthStyle
        var nonJSON: Bool
        var fromMe: Bool
        var sender: String?
        var forwardOf: Int?
        var localPath: String?
        var tags: [String]
        /// MP3 notes (the spec demo's), encoded by lame instead of assembled from Opus packets.
        var mp3: Bool = false
        /// A history import's row: inserted long after the send; its file fetched after the insert.
        var historyImport = false
    }

    enum Damage: String, Sendable {
        case empty
        case truncated
        case garbage
    }

    struct File: Sendable {
        var path: String
        /// The message it belongs to; `nil` for an orphan.
        var message: Int?
        /// An orphan's own audio.
        var orphanAudio: (packets: Int, seed: UInt64)?
        var damage: Damage?
        /// UTC seconds the downloader wrote it (the file's mtime).
        var written: Int64
        var tags: [String]
        /// A gateway's transcode (MP3 or M4A) stored instead of the Ogg Opus note.
        var transcode: AudioFormat? = nil
        /// The mtime when it is not ``written``: a skewed server clock's reading, or a later copy's.
        var mtime: Int64? = nil
    }

    var clients: [Client] = []
    var instances: [Instance] = []
    var chats: [Chat] = []
    var messages: [Message] = []
    var files: [File] = []
    /// The deployment the store was drawn from.
    var deployment = Deployment()
    /// Rows of other kinds (`texto`), so readers must filter by `tipo`.
    var textRows = 0
}
