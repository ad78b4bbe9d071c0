extension CodingUserInfoKey {
    /// The strategies a profile may configure (a ``StrategyList``); profiles need it to decode.
    public static let strategyList = CodingUserInfoKey(rawValue: "audiosync.strategyList")!
}

/// The strategies a profile is decoded against, passed in `userInfo[.strategyList]`.
public struct StrategyList: Sendable {
    public let types: [any Strategy.Type]

    public init(_ types: [any Strategy.Type]) {
        self.types = types
    }

    /// The identifiers, in list order.
    public var identifiers: [String] { types.map { identifier(of: $0) } }

    /// The strategy with this identifier.
    func type(identifiedBy identifier: String) -> (any Strategy.Type)? {
        types.first { MatchEngine.identifier(of: $0) == identifier }
    }
}

private func identifier(of type: any Strategy.Type) -> String {
    type.description.identifier
}

extension Profile: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case targetPrecision = "target_precision"
        case reviewProbability = "review_probability"
        case estimation
        case identifierFloor = "identifier_floor"
        case contradictionCap = "contradiction_cap"
        case allowCrossChat = "allow_cross_chat"
        case blocking
        case calibration
        case strategies
    }

    /// Decodes a profile: every key optional (defaults fill in), none unknown.
    ///
    /// Strategies the profile does not mention run with their defaults; `enabled: false` removes one.
    public init(from decoder: any Decoder) throws {
        guard let list = decoder.userInfo[.strategyList] as? StrategyList else {
            preconditionFailure("decode profiles with userInfo[.strategyList]")
        }
        self.init(strategies: list.types)
        // Profiles of audiosync 0.1 set a prior, a floor and a margin in bits; links are now made
        // by probability, and those are derived from it.
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        for old in ["prior", "floor", "margin", "review_band"] where all.contains(AnyCodingKey(stringValue: old)) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath + [AnyCodingKey(stringValue: old)],
                    debugDescription:
                        "`\(old)` is no longer set: links are made by probability (target_precision, review_probability), and the floor and margin are derived from it; remove the key"
                )
            )
        }
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self, alsoAllowing: [])
        try container.update(&targetPrecision, .targetPrecision)
        try container.update(&reviewProbability, .reviewProbability)
        try container.update(&estimation, .estimation)
        try container.update(&identifierFloor, .identifierFloor)
        try container.update(&contradictionCap, .contradictionCap)
        try container.update(&allowCrossChat, .allowCrossChat)
        try container.update(&blocking, .blocking)
        try container.update(&calibration, .calibration)
        guard targetPrecision > 0.5, targetPrecision < 1, reviewProbability > 0, reviewProbability <= targetPrecision
        else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "target_precision must be between 0.5 and 1 (0.999: one wrong link in a thousand), review_probability between 0 and target_precision"
                )
            )
        }
        guard container.contains(.strategies), try !container.decodeNil(forKey: .strategies) else { return }
        let sections = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .strategies)
        var configured = strategies
        for key in sections.allKeys {
            guard let type = list.type(identifiedBy: key.stringValue) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: sections.codingPath + [key],
                        debugDescription: "unknown strategy `\(key.stringValue)`; known strategies: "
                            + list.identifiers.joined(separator: ", ")
                    )
                )
            }
            let strategy = try configuredStrategy(type, from: sections.superDecoder(forKey: key))
            guard let index = configured.firstIndex(where: { $0.identifier == key.stringValue }) else { continue }
            if let strategy {
                configured[index] = strategy
            } else {
                configured.remove(at: index)
            }
        }
        strategies = configured
    }
}

/// Opens the existential here, outside the initializer: Swift 6.3's SILGen crashes on a static
/// call through `any Strategy.Type` inside a delegating `init(from:)`.
private func configuredStrategy(_ type: any Strategy.Type, from decoder: any Decoder) throws -> ConfiguredStrategy? {
    try type.configured(from: decoder)
}

extension Strategy {
    /// Decodes one strategy's section: `weight`, `enabled`, `levels`, `pin` and the strategy's own keys.
    ///
    /// - Returns: `nil` when the section says `enabled: false`.
    static func configured(from decoder: any Decoder) throws -> ConfiguredStrategy? {
        let configuration = try Configuration(from: decoder)
        let common = try decoder.container(keyedBy: CommonKeys.self)
        let enabled = try common.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        let weight = try common.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        guard weight >= 0, weight.isFinite else {
            throw DecodingError.dataCorruptedError(
                forKey: .weight,
                in: common,
                debugDescription: "weight must be a non-negative number"
            )
        }
        let levels = try common.decodeIfPresent([String: Double].self, forKey: .levels) ?? [:]
        for key in levels.keys where Level(rawValue: key) == nil {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: common.codingPath + [CommonKeys.levels, AnyCodingKey(stringValue: key)],
                    debugDescription: "unknown level `\(key)`; valid levels: "
                        + Level.allCases.map(\.rawValue).joined(separator: ", ")
                )
            )
        }
        guard enabled else { return nil }
        let pinned = try common.decodeIfPresent(Bool.self, forKey: .pin) ?? false
        return try ConfiguredStrategy(
            Self.self, configuration: configuration, weight: weight, levelBits: levels, pinned: pinned)
    }
}

private enum CommonKeys: String, CodingKey {
    case weight
    case enabled
    case levels
    case pin
}
