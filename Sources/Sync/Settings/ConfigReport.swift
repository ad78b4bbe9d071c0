import Foundation
public import MatchEngine

/// `audiosync config show`: the settings a command would run with here, each with where it came
/// from. Never a password: the database is shown as ``displayDatabaseLocation(_:)`` shows it.
public struct ConfigReport: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        /// The key, as `audiosync.yml` spells it.
        public var name: String
        @Nullable public var value: String?
        /// Where the value came from; `null` when nothing set it.
        @Nullable public var source: SettingSource?
    }

    public var schemaVersion = 1
    /// The file that was read, `null` when none was found.
    @Nullable public var configFile: String?
    /// The files looked for, in order.
    public var searched: [String]
    public var settings: [Entry]
    /// The log level, from `-q`, `-v` or `AUDIOSYNC_LOG_LEVEL`.
    public var logLevel: Entry

    public init(_ settings: Settings, logLevel: String, logLevelSource: SettingSource) {
        configFile = settings.configFile
        searched = settings.searched
        self.settings = ConfigFile.Key.allCases.map { key in
            let setting = settings.values[key]
            let value = key == .database ? setting?.value.map(displayDatabaseLocation) : setting?.value
            return Entry(name: key.rawValue, value: value, source: setting?.source)
        }
        self.logLevel = Entry(name: "log_level", value: logLevel, source: logLevelSource)
    }

    /// The text people read.
    public var text: String {
        var lines = ["audiosync config"]
        lines.append("  config file  " + (configFile ?? "none (looked for \(searched.joined(separator: ", ")))"))
        lines.append("")
        for entry in settings + [logLevel] {
            let name = entry.name + String(repeating: " ", count: max(1, 14 - entry.name.count))
            lines.append("  \(name)\(entry.value ?? "(not set)")\(entry.source.map { "   ← \($0)" } ?? "")")
        }
        lines.append("")
        lines.append("flags override the config file; `audiosync profile show` prints the built-in profile.")
        return lines.joined(separator: "\n")
    }
}
