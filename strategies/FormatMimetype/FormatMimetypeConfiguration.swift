public import MatchEngine

/// Settings of ``FormatMimetypeStrategy``.
public struct FormatMimetypeConfiguration: StrategyConfiguration {
    /// Whether Ogg Vorbis against `audio/ogg; codecs=opus` (or the reverse) is a disagreement.
    public var oggCodecsMustAgree = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case oggCodecsMustAgree = "ogg_codecs_must_agree"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&oggCodecsMustAgree, .oggCodecsMustAgree)
    }
}
