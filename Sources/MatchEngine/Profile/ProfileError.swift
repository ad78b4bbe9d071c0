/// Why a profile cannot be used; the description names the file and the key.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The profile names a level the strategy does not have.
    case unknownLevel(strategy: String, level: String, valid: [String])
    /// A key, a type or a value is wrong.
    case invalid(file: String, keyPath: String, reason: String)
    /// The file cannot be read or is not YAML.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownLevel(strategy, level, valid):
            "strategies.\(strategy).levels: unknown level `\(level)`; valid levels: \(valid.joined(separator: ", "))"
        case let .invalid(file, keyPath, reason):
            "\(file): \(keyPath.isEmpty ? "" : "\(keyPath): ")\(reason)"
        case let .unreadable(file, reason):
            "\(file): \(reason)"
        }
    }
}
