public import MatchEngine

/// Settings of ``FilenameHashPrefixStrategy``.
public struct FilenameHashPrefixConfiguration: StrategyConfiguration {
    /// When the instance's derivations miss, try the others (a weak hint, not a match).
    public var tryOtherDerivations = true

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tryOtherDerivations = "try_other_derivations"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        try container.update(&tryOtherDerivations, .tryOtherDerivations)
    }
}
