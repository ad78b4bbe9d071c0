import Foundation

/// Where a setting's value came from, for `audiosync config show` and for messages.
public enum SettingSource: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// A command-line flag, by its name (`--media-root`).
    case flag(String)
    /// An environment variable, by its name.
    case environment(String)
    /// `audiosync.yml`, by its path.
    case configFile(String)
    /// audiosync's own default.
    case builtIn

    /// The kind, as JSON names it: `flag`, `environment`, `config_file`, `default`.
    public var kind: String {
        switch self {
        case .flag: "flag"
        case .environment: "environment"
        case .configFile: "config_file"
        case .builtIn: "default"
        }
    }

    /// The flag, variable or file; `nil` for a default.
    public var origin: String? {
        switch self {
        case let .flag(name), let .environment(name), let .configFile(name): name
        case .builtIn: nil
        }
    }

    public var description: String {
        switch self {
        case let .flag(name): "flag \(name)"
        case let .environment(name): "environment \(name)"
        case let .configFile(path): path
        case .builtIn: "default"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, origin
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(origin, forKey: .origin)
    }
}

/// A setting's value and where it came from; `nil` when no source gave one.
public struct Setting: Sendable, Hashable {
    public var value: String?
    public var source: SettingSource?

    public init(_ value: String?, source: SettingSource?) {
        self.value = value
        self.source = value == nil ? nil : source
    }

    /// The first source that gives a value.
    static func first(_ candidates: [(String?, SettingSource)]) -> Setting {
        for (value, source) in candidates {
            if let value { return Setting(value, source: source) }
        }
        return Setting(nil, source: nil)
    }
}
