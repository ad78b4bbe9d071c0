public import MatchEngine

/// Are the file's bytes the ones the message declares? SHA-256 against `fileSha256` (the hash of
/// the plain file), size against `fileLength`: the identifier tier. Forwarded copies share their
/// bytes across chats, so this confirms content, and the chat veto keeps it in its chat.
public struct ContentHashStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case identical
        case contradicted
        case different
        case shorter

        public var defaultBits: Double {
            switch self {
            case .identical: 25
            case .contradicted: -25
            case .different: -8
            // An interrupted download: the right message's file can be cut short.
            case .shorter: -1
            }
        }

        public var effect: EvidenceEffect {
            switch self {
            case .identical: .confirm
            case .contradicted: .contradict
            case .different, .shorter: .none
            }
        }

        public var isAnchor: Bool { self == .identical }

        public var summary: String {
            switch self {
            case .identical: "SHA-256 equals fileSha256"
            case .contradicted: "same size as fileLength but another SHA-256"
            case .different: "SHA-256 and size differ from the message's"
            case .shorter: "another SHA-256, and the file is shorter than fileLength (cut short?)"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "content_hash",
        name: "Content hash",
        summary: "Compares the file's SHA-256 and size with the message's fileSha256 and fileLength.",
        tier: .identifier,
        examples: [
            StrategyExample(
                .example(size: 18_342, sha256: .example(1)),
                .example(fileLength: 18_342, sha256: .example(1)),
                expect: "identical"
            ),
            StrategyExample(
                .example(size: 18_342, sha256: .example(1)),
                .example(fileLength: 18_342, sha256: .example(2)),
                expect: "contradicted"
            ),
            StrategyExample(
                .example(size: 18_342, sha256: .example(1)),
                .example(fileLength: 18_342, sha256: .example(2)),
                configuration: "contradict_on_same_size: false",
                expect: "different"
            ),
            StrategyExample(
                .example(size: 9_000, sha256: .example(1)),
                .example(fileLength: 18_342, sha256: .example(2)),
                expect: "shorter"
            ),
            StrategyExample(
                .example(size: 20_000, sha256: .example(1)),
                .example(fileLength: 18_342, sha256: .example(2)),
                expect: "different"
            ),
            StrategyExample(
                .example(size: 18_342, sha256: .example(1)), .example(sha256: .example(2)), expect: "different"),
            // An MP3 the gateway made of the Ogg note the row describes: the row's digest and size
            // are the Ogg's.
            StrategyExample(
                .example(size: 20_000, format: .mp3, sha256: .example(1)),
                .example(fileLength: 18_342, sha256: .example(2)),
                expect: nil
            ),
            StrategyExample(.example(sha256: nil), .example(sha256: .example(1)), expect: nil),
            StrategyExample(.example(sha256: .example(1)), .example(sha256: nil), expect: nil),
        ],
        configurationExamples: [
            .decodes(
                "contradict_on_same_size: false",
                to: ContentHashConfiguration.with { $0.contradictOnSameSize = false }
            ),
            .rejects(
                "contradict_on_same_size: usually", naming: "contradict_on_same_size", saying: "expected true or false"),
        ]
    )

    public let configuration: ContentHashConfiguration

    public init(configuration: ContentHashConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        guard let actual = file.sha256, let declared = message.fileSHA256 else { return nil }
        if actual == declared { return Finding(.identical) }
        // A transcode's digest and size are another file's: that they differ says nothing.
        if file.isOtherEncoding(than: message) { return nil }
        guard let length = message.fileLength else { return Finding(.different) }
        if length == file.size { return Finding(configuration.contradictOnSameSize ? .contradicted : .different) }
        return Finding(file.size < length ? .shorter : .different, measured: Double(file.size - length))
    }
}
