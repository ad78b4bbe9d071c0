public import MatchEngine

/// Settings of ``FileSizeStrategy``.
public struct FileSizeConfiguration: StrategyConfiguration {
    /// Sizes within this fraction of `fileLength` count as equal (0: to the byte).
    public var relativeTolerance = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case relativeTolerance = "relative_tolerance"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&relativeTolerance, .relativeTolerance)
        guard (0..<1).contains(relativeTolerance) else {
            throw DecodingError.dataCorruptedError(
                forKey: .relativeTolerance,
                in: container,
                debugDescription: "relative_tolerance must be at least 0 and below 1"
            )
        }
    }
}
