/// The settings of one strategy: a `Codable` struct with defaults inline and snake_case keys.
///
/// Decoding must reject unknown keys and wrong types, naming the key; call
/// ``Swift/Decoder/strictContainer(keyedBy:)`` in `init(from:)`:
///
/// ```swift
/// public init(from decoder: any Decoder) throws {
///     self.init()
///     let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
///     try container.update(&toleranceSeconds, .toleranceSeconds)
/// }
/// ```
public protocol StrategyConfiguration: Codable, Sendable, Equatable {
    /// The defaults.
    init()
}

/// A strategy with nothing to configure.
public struct EmptyConfiguration: StrategyConfiguration {
    public init() {}

    public init(from decoder: any Decoder) throws {
        self.init()
        _ = try decoder.strictContainer(keyedBy: NoKeys.self)
    }

    public func encode(to encoder: any Encoder) throws {}

    enum NoKeys: String, CodingKey, CaseIterable {
        case none = ""
    }
}

/// Keys every strategy section of a profile may hold besides the strategy's own.
public let commonStrategyKeys: Set<String> = ["weight", "enabled", "levels", "pin"]

/// Any string key, for listing what a mapping really holds.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?

    public init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    public init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// A keyed container that first checks the mapping holds no key outside `Key` (and the
    /// ``commonStrategyKeys``), so a typo in a profile is an error instead of a silent default.
    ///
    /// - Throws: `DecodingError.dataCorrupted` naming the unknown key and listing the valid ones.
    ///
    /// - Parameter extraKeys: keys allowed besides `Key`'s; a strategy's section of a profile also
    ///   holds the ``commonStrategyKeys``, the default.
    public func strictContainer<Key: CodingKey & CaseIterable>(
        keyedBy type: Key.Type,
        alsoAllowing extraKeys: Set<String> = commonStrategyKeys
    ) throws -> KeyedDecodingContainer<Key> {
        let known = Set(Key.allCases.map(\.stringValue)).union(extraKeys)
        let all = try container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys where !known.contains(key.stringValue) {
            let valid = Key.allCases.map(\.stringValue).filter { !$0.isEmpty }.sorted()
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: "unknown key `\(key.stringValue)`"
                        + (valid.isEmpty
                            ? "; this strategy has no settings" : "; valid keys: \(valid.joined(separator: ", "))")
                )
            )
        }
        return try container(keyedBy: Key.self)
    }
}

extension KeyedDecodingContainer {
    /// Replaces `value` with the decoded one when the key is present; keeps the default otherwise.
    public func update<T: Decodable>(_ value: inout T, _ key: Key) throws {
        if let decoded = try decodeIfPresent(T.self, forKey: key) { value = decoded }
    }
}
