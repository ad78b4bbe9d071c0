public import MatchEngine

/// Settings of ``ContentHashStrategy``.
public struct ContentHashConfiguration: StrategyConfiguration {
    /// A same-sized file with another hash is a contradiction (caps the score), not just a difference.
    public var contradictOnSameSize = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case contradictOnSameSize = "contradict_on_same_size"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&contradictOnSameSize, .contradictOnSameSize)
    }
}
