public import MatchEngine

/// Is the file the kind of audio the message says it sent? The sniffed container against the
/// `mimetype` (voice notes are Ogg Opus; forwarded files may be MP3 or M4A).
public struct FormatMimetypeStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case agree
        case disagree

        public var defaultBits: Double {
            switch self {
            // Most messages are voice notes and most files Ogg Opus: agreeing says little.
            case .agree: 0.5
            case .disagree: -3
            }
        }

        public var summary: String {
            switch self {
            case .agree: "file format is what the mimetype says"
            case .disagree: "file format is not what the mimetype says"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "format_mimetype",
        name: "Format and mimetype",
        summary: "Compares the file's sniffed format with the message's mimetype.",
        tier: .fuzzy,
        examples: [
            StrategyExample(.example(format: .oggOpus), .example(mimetype: "audio/ogg; codecs=opus"), expect: "agree"),
            StrategyExample(.example(format: .mp3), .example(mimetype: "audio/mpeg"), expect: "agree"),
            StrategyExample(.example(format: .mp3), .example(mimetype: "audio/ogg; codecs=opus"), expect: "disagree"),
            StrategyExample(
                .example(format: .oggVorbis),
                .example(mimetype: "audio/ogg; codecs=opus"),
                configuration: "ogg_codecs_must_agree: false",
                expect: "agree"
            ),
            StrategyExample(.example(format: .unknown), .example(mimetype: "audio/ogg"), expect: nil),
            StrategyExample(.example(format: .oggOpus), .example(mimetype: nil), expect: nil),
        ],
        configurationExamples: [
            .decodes(
                "ogg_codecs_must_agree: false",
                to: FormatMimetypeConfiguration.with { $0.oggCodecsMustAgree = false }
            ),
            .rejects("ogg_codecs_must_agree: 3", naming: "ogg_codecs_must_agree", saying: "expected true or false"),
        ]
    )

    public let configuration: FormatMimetypeConfiguration

    public init(configuration: FormatMimetypeConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        // The format the mimetype names, parsed once per message rather than once per pair.
        guard file.format != .unknown, let declared = message.declaredFormat else {
            return nil
        }
        if declared == file.format { return Finding(.agree) }
        let bothOgg = declared.isOgg && file.format.isOgg
        return Finding(bothOgg && !configuration.oggCodecsMustAgree ? .agree : .disagree)
    }
}
