import Foundation
import MatchEngine

/// The settings a command runs with: each from its flag, else from the environment (the database
/// only), else from `audiosync.yml`, else audiosync's default, with where each came from.
///
/// ```swift
/// var flags = Settings.Flags()
/// flags.mediaRoot = "/srv/media"          // what the command line said
/// let settings = try Settings.resolve(flags, environment: ProcessInfo.processInfo.environment,
///                                     currentDirectory: FileManager.default.currentDirectoryPath)
/// let root = try settings.required(.mediaRoot, flag: "--media-root")
/// ```
public struct Settings: Sendable {
    /// What the command line gave (each `nil` when its flag was not passed).
    public struct Flags: Sendable, Hashable {
        public var configFile: String?
        public var mediaRoot: String?
        public var database: String?
        public var profile: String?
        public var urlTemplate: String?
        public var client: String?
        public var instance: String?

        public init(
            configFile: String? = nil, mediaRoot: String? = nil, database: String? = nil, profile: String? = nil,
            urlTemplate: String? = nil, client: String? = nil, instance: String? = nil
        ) {
            self.configFile = configFile
            self.mediaRoot = mediaRoot
            self.database = database
            self.profile = profile
            self.urlTemplate = urlTemplate
            self.client = client
            self.instance = instance
        }

        /// The flag's value for `key`.
        func value(_ key: ConfigFile.Key) -> String? {
            switch key {
            case .mediaRoot: mediaRoot
            case .database: database
            case .profile: profile
            case .urlTemplate: urlTemplate
            case .client: client
            case .instance: instance
            }
        }
    }

    /// The config file that was read, if any.
    public var configFile: String?
    /// The files looked for, in order (the first that exists is read).
    public var searched: [String]
    /// Each key's value and source.
    public var values: [ConfigFile.Key: Setting]

    /// The flag each key has on the command line.
    public static func flagName(_ key: ConfigFile.Key) -> String {
        "--" + key.rawValue.replacingOccurrences(of: "_", with: "-")
    }

    /// Puts the settings together: flags first, then environment variables
    /// (``environmentVariables(_:)``), then the config file (`flags.configFile`, or the first of
    /// ``ConfigFile/searchOrder(currentDirectory:environment:)`` that exists), then defaults.
    /// - Throws: ``SettingsError/badConfigFile(path:reason:)`` for a config file that cannot be
    ///   read or holds an unknown key (a file named by `--config` must exist).
    public static func resolve(_ flags: Flags, environment: [String: String], currentDirectory: String)
        throws(SettingsError) -> Settings
    {
        let searched: [String]
        let file: ConfigFile?
        if let explicit = flags.configFile {
            searched = [explicit]
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw .badConfigFile(path: explicit, reason: "no such file (given with --config)")
            }
            file = try ConfigFile(contentsOf: explicit)
        } else {
            searched = ConfigFile.searchOrder(currentDirectory: currentDirectory, environment: environment)
            file = try searched.first { FileManager.default.fileExists(atPath: $0) }.map(ConfigFile.init(contentsOf:))
        }
        var values: [ConfigFile.Key: Setting] = [:]
        for key in ConfigFile.Key.allCases {
            // An empty variable counts as unset, as a shell's `VAR=` means to most tools.
            let variables: [(String?, SettingSource)] = environmentVariables(key).map { name in
                (environment[name].flatMap { $0.isEmpty ? nil : $0 }, .environment(name))
            }
            values[key] = Setting.first(
                [(flags.value(key), .flag(flagName(key)))] + variables + [
                    (file?.values[key], .configFile(file?.path ?? "")),
                    (defaultValue(key), .builtIn),
                ])
        }
        return Settings(configFile: file?.path, searched: searched, values: values)
    }

    /// The environment variables a key is read from, after its flag and before the config file:
    /// the database from `AUDIOSYNC_DATABASE`, then `DATABASE_URL` (the variable a Django
    /// deployment already sets; `sqlite:///` URLs included), so a password need not be on the
    /// command line or in audiosync.yml.
    public static func environmentVariables(_ key: ConfigFile.Key) -> [String] {
        switch key {
        case .database: ["AUDIOSYNC_DATABASE", "DATABASE_URL"]
        case .mediaRoot, .profile, .urlTemplate, .client, .instance: []
        }
    }

    /// audiosync's own defaults, for the keys that have one.
    static func defaultValue(_ key: ConfigFile.Key) -> String? {
        switch key {
        case .urlTemplate: MatchPlan.defaultURLTemplate
        case .mediaRoot, .database, .profile, .client, .instance: nil
        }
    }

    /// The value of `key`, or `nil`.
    public subscript(_ key: ConfigFile.Key) -> String? { values[key]?.value }

    /// The value of a setting the command cannot do without.
    /// - Throws: ``SettingsError/missing(_:flag:)`` naming the flag and the config key.
    public func required(_ key: ConfigFile.Key) throws(SettingsError) -> String {
        guard let value = self[key] else { throw .missing(key, flag: Self.flagName(key)) }
        return value
    }
}
