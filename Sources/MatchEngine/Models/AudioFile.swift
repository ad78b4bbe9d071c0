/// One file of the media store, with everything the scan and the probe learnt about it.
///
/// Folder identities come from the path (`<client>/instance_<id>/chats/<chat>/[<kind>/]<name>`);
/// the name token and name time from the file name; format, duration and problem from the probe.
/// `sha256` is filled only when some message could use it (see ``ContentHashDemand``).
public struct AudioFile: Sendable, Hashable, Codable {
    /// The path relative to the media root, with `/` separators.
    public var path: String
    /// The client folder as written (`Elizeu_Batiliere_Dos_Santos`).
    public var clientFolder: String { didSet { keys = FolderKeys(chatFolder: chatFolder, clientFolder: clientFolder) } }
    /// The instance id from the `instance_<id>` folder.
    public var instanceID: String
    /// The chat folder as written (digits of the chat id).
    public var chatFolder: String { didSet { keys = FolderKeys(chatFolder: chatFolder, clientFolder: clientFolder) } }
    /// The kind folder (`audio`, `image`, …) of newer stores; `nil` in the older layout.
    public var kind: String?
    /// What the file name says about the message it belongs to.
    public var name: FileName
    /// The file's modification time, Unix seconds (UTC); `nil` when unknown.
    public var modificationTime: Int64?
    /// The size in bytes.
    public var size: Int64
    /// The format sniffed from the first bytes, not the extension.
    public var format: AudioFormat
    /// The decoded duration in seconds, `nil` when it could not be read.
    public var duration: Double?
    /// `true` when ``duration`` is a best-effort estimate from damaged data.
    public var durationIsEstimate: Bool
    /// Why the file cannot be trusted as audio, if it cannot.
    public var problem: FileProblem?
    /// The SHA-256 of the file's bytes, computed on demand.
    public var sha256: ContentDigest?
    /// The folders, reduced for comparison; kept in step with ``chatFolder`` and ``clientFolder``.
    public private(set) var keys: FolderKeys

    /// - Parameter keys: `FolderKeys(chatFolder:clientFolder:)` of these folders when the caller
    ///   has them already (a scan reduces each folder once, not once per file); `nil` reduces here.
    public init(
        path: String,
        clientFolder: String,
        instanceID: String,
        chatFolder: String,
        kind: String? = nil,
        name: FileName,
        modificationTime: Int64? = nil,
        size: Int64,
        format: AudioFormat,
        duration: Double? = nil,
        durationIsEstimate: Bool = false,
        problem: FileProblem? = nil,
        sha256: ContentDigest? = nil,
        keys: FolderKeys? = nil
    ) {
        self.path = path
        self.clientFolder = clientFolder
        self.instanceID = instanceID
        self.chatFolder = chatFolder
        self.kind = kind
        self.name = name
        self.modificationTime = modificationTime
        self.size = size
        self.format = format
        self.duration = duration
        self.durationIsEstimate = durationIsEstimate
        self.problem = problem
        self.sha256 = sha256
        self.keys = keys ?? FolderKeys(chatFolder: chatFolder, clientFolder: clientFolder)
    }

    enum CodingKeys: String, CodingKey {
        case path, clientFolder, instanceID, chatFolder, kind, name, modificationTime, size, format, duration
        case durationIsEstimate, problem, sha256
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try c.decode(String.self, forKey: .path),
            clientFolder: try c.decode(String.self, forKey: .clientFolder),
            instanceID: try c.decode(String.self, forKey: .instanceID),
            chatFolder: try c.decode(String.self, forKey: .chatFolder),
            kind: try c.decodeIfPresent(String.self, forKey: .kind),
            name: try c.decode(FileName.self, forKey: .name),
            modificationTime: try c.decodeIfPresent(Int64.self, forKey: .modificationTime),
            size: try c.decode(Int64.self, forKey: .size),
            format: try c.decode(AudioFormat.self, forKey: .format),
            duration: try c.decodeIfPresent(Double.self, forKey: .duration),
            durationIsEstimate: try c.decode(Bool.self, forKey: .durationIsEstimate),
            problem: try c.decodeIfPresent(FileProblem.self, forKey: .problem),
            sha256: try c.decodeIfPresent(ContentDigest.self, forKey: .sha256)
        )
    }

    /// The file's name, the last component of ``path``.
    public var fileName: Substring {
        guard let slash = path.lastIndex(of: "/") else { return path[...] }
        return path[path.index(after: slash)...]
    }

    /// Whether the file holds usable audio: readable, not empty, not something else.
    public var isUsableAudio: Bool {
        problem == nil || problem?.isFatal == false
    }
}

/// What a file name says: the token taken from the message id, and when the downloader wrote it.
public struct FileName: Sendable, Hashable, Codable {
    /// How the token in the name relates to the message id.
    public enum TokenKind: String, Sendable, Hashable, Codable {
        /// `msg_<HASH8>_…`: 8 upper-case characters derived from the id.
        case hash8
        /// `wapi_<FULLID>_…`: the whole WhatsApp id.
        case fullID = "full_id"
    }

    /// The token as written in the name (`81585468`), `nil` for names without one.
    public var token: String?
    /// What kind of token it is; `nil` exactly when ``token`` is.
    public var tokenKind: TokenKind?
    /// The `YYYYMMDD_HHMMSS` of the name: the downloader's local wall-clock time, zone unknown.
    public var time: LocalTime?

    public init(token: String? = nil, tokenKind: TokenKind? = nil, time: LocalTime? = nil) {
        self.token = token
        self.tokenKind = token == nil ? nil : tokenKind
        self.time = time
    }
}

/// A container format, as sniffed from the first bytes.
public enum AudioFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case oggOpus = "ogg_opus"
    case oggVorbis = "ogg_vorbis"
    case mp3
    case mp4
    case wav
    case unknown

    /// Ogg Opus or Ogg Vorbis: one container, which a plain `audio/ogg` names either way.
    public var isOgg: Bool { self == .oggOpus || self == .oggVorbis }

    /// The format a MIME type names (`audio/ogg; codecs=opus` → Ogg Opus), `nil` when it names none.
    ///
    /// Byte-wise and case-insensitive: every loaded message asks this once.
    public init?(mimetype: String) {
        var bytes = Array(mimetype.utf8.prefix(64))
        for i in bytes.indices where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] += 32 }
        func starts(_ prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard bytes.count >= count else { return false }
            return prefix.withUTF8Buffer { $0.elementsEqual(bytes[0..<count]) }
        }
        func contains(_ word: StaticString) -> Bool {
            word.withUTF8Buffer { needle in
                guard bytes.count >= needle.count else { return false }
                return (0...(bytes.count - needle.count)).contains { start in
                    needle.elementsEqual(bytes[start..<(start + needle.count)])
                }
            }
        }
        if starts("audio/ogg") || starts("audio/opus") {
            self = contains("vorbis") ? .oggVorbis : .oggOpus
        } else if starts("audio/mpeg") || starts("audio/mp3") {
            self = .mp3
        } else if starts("audio/mp4") || starts("audio/aac") || starts("audio/x-m4a") {
            self = .mp4
        } else if starts("audio/wav") || starts("audio/x-wav") {
            self = .wav
        } else {
            return nil
        }
    }
}

/// Why a file cannot be (fully) trusted as audio.
public enum FileProblem: String, Sendable, Hashable, Codable, CaseIterable {
    /// Zero bytes.
    case empty
    /// The bytes are not any audio format we know, whatever the extension says.
    case notAudio = "not_audio"
    /// The file ends before the stream does (an interrupted download); the duration is an estimate.
    case truncated
    /// The stream is damaged in a way the reader could not get past.
    case damaged
    /// The extension names another format than the bytes hold (Ogg Opus saved as `.mp3`). Not fatal.
    case extensionMismatch = "extension_mismatch"
    /// The file could not be read (permissions, vanished during the scan).
    case unreadable

    /// Whether the file should never be linked.
    public var isFatal: Bool {
        switch self {
        case .empty, .notAudio, .unreadable: true
        case .truncated, .damaged, .extensionMismatch: false
        }
    }
}

extension AudioFile {
    /// Whether the file is another encoding of its note than the one a row's mimetype names (an
    /// MP3 or M4A where the row says Ogg: a gateway that transcodes): the row's `fileLength` and
    /// `fileSha256` then describe the bytes the gateway received, not the file's: the file's size
    /// says nothing of whether the row is the file's (equal or not), nor does a digest that differs.
    /// Ogg's two codecs count as one container (a plain `audio/ogg` names either); an unknown format
    /// or mimetype, as none.
    public func isOtherEncoding(than message: AudioMessage) -> Bool {
        guard format != .unknown, let declared = message.declaredFormat, declared != format else { return false }
        return !(declared.isOgg && format.isOgg)
    }
}
