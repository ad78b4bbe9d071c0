import Foundation

/// Why the settings could not be put together; each says what to do.
public enum SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `audiosync.yml` is unreadable or holds something audiosync does not know.
    case badConfigFile(path: String, reason: String)
    /// A setting every source left out that the command needs.
    case missing(ConfigFile.Key, flag: String)
    /// `AUDIOSYNC_LOG_LEVEL` holds no log level.
    case badLogLevel(String)

    public var description: String {
        switch self {
        case let .badConfigFile(path, reason):
            "\(path): \(reason) — fix the file (its keys are listed in docs/first-run.md)"
        case let .missing(key, flag):
            "no \(key.words) given: pass \(flag), "
                + Settings.environmentVariables(key).map { "set \($0), " }.joined()
                + "or put `\(key.rawValue):` in audiosync.yml (`audiosync config show` says what is read from where)"
        case let .badLogLevel(value):
            "AUDIOSYNC_LOG_LEVEL=\(value) is not a log level: use one of trace, debug, info, notice, warning, error, critical"
        }
    }
}

extension ConfigFile.Key {
    /// The setting in words, for messages.
    var words: String {
        switch self {
        case .mediaRoot: "media root"
        case .database: "database"
        case .profile: "profile"
        case .urlTemplate: "URL template"
        case .client: "client"
        case .instance: "instance"
        }
    }
}
