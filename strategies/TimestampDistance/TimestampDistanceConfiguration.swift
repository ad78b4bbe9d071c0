public import MatchEngine

/// Settings of ``TimestampDistanceStrategy``.
public struct TimestampDistanceConfiguration: StrategyConfiguration {
    /// How many seconds a file may seem to predate its message (clocks a little apart).
    public var toleranceSeconds: Int64 = 2
    /// How far a file may predate `data_envio` when that is all the message has.
    public var insertTimeSlackSeconds: Int64 = 30 * 86_400
    /// Fall back to the file's mtime when its name carries no time.
    public var useMtime = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case toleranceSeconds = "tolerance_seconds"
        case insertTimeSlackSeconds = "insert_time_slack_seconds"
        case useMtime = "use_mtime"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&toleranceSeconds, .toleranceSeconds)
        try container.update(&insertTimeSlackSeconds, .insertTimeSlackSeconds)
        try container.update(&useMtime, .useMtime)
        guard toleranceSeconds >= 0, insertTimeSlackSeconds >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .toleranceSeconds,
                in: container,
                debugDescription: "tolerances must not be negative"
            )
        }
    }
}
