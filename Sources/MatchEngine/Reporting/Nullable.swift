/// An optional that a report writes as `null` when it is absent, where a synthesized `Encodable`
/// would leave the key out: the JSON schemas promise the key (`"run": null` for a dry run,
/// `"score": null` for a vetoed pair, the empty fields of a `scan --format jsonl` line).
///
/// ```swift
/// struct Line: Encodable {
///     @Nullable var kind: String?
/// }
/// // {"kind":null}
/// ```
@propertyWrapper
public struct Nullable<Value> {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }
}

extension Nullable: Sendable where Value: Sendable {}
extension Nullable: Equatable where Value: Equatable {}
extension Nullable: Hashable where Value: Hashable {}

extension Nullable: Encodable where Value: Encodable {
    // The wrapper's own representation: the value, or `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension Nullable: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// A `@Nullable` property reads a missing key as `nil`, as an optional would: documents
    /// written before the key was always present still read.
    public func decode<Value: Decodable>(_ type: Nullable<Value>.Type, forKey key: Key) throws -> Nullable<Value> {
        try decodeIfPresent(type, forKey: key) ?? Nullable(wrappedValue: nil)
    }
}
