public import MatchEngine

/// Settings of ``AudioDurationStrategy``.
public struct AudioDurationConfiguration: StrategyConfiguration {
    /// How far the decoded duration may miss the truncated second's boundaries.
    public var toleranceSeconds = 0.05
    /// Count a duration that rounds (rather than truncates) to `seconds` as weaker agreement.
    public var acceptRounded = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case toleranceSeconds = "tolerance_seconds"
        case acceptRounded = "accept_rounded"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&toleranceSeconds, .toleranceSeconds)
        try container.update(&acceptRounded, .acceptRounded)
        guard (0..<0.5).contains(toleranceSeconds) else {
            throw DecodingError.dataCorruptedError(
                forKey: .toleranceSeconds,
                in: container,
                debugDescription: "tolerance_seconds must be at least 0 and below 0.5"
            )
        }
    }
}
