public import MatchEngine

/// Settings of ``DownloadOrderStrategy``.
public struct DownloadOrderConfiguration: StrategyConfiguration {
    /// How many seconds a row may be inserted outside the span its neighbours set (rows inserted
    /// in the same second come in any order).
    public var toleranceSeconds: Int64 = 1

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case toleranceSeconds = "tolerance_seconds"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&toleranceSeconds, .toleranceSeconds)
        guard toleranceSeconds >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .toleranceSeconds, in: container, debugDescription: "the tolerance must not be negative")
        }
    }
}
