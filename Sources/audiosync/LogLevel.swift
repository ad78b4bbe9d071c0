import Logging
import Sync
import Synchronization

/// The log level every logger of the process gets, set by ``CommandContext`` from `-q`, `-v` and
/// `AUDIOSYNC_LOG_LEVEL` once the command line is parsed (logging is bootstrapped before that, in
/// ``AudioSync/main()``, and reads it whenever a logger is made).
enum LogLevel {
    private static let storage = Mutex((Logger.Level.warning, SettingSource.builtIn))

    /// The level, and where it came from.
    static var current: (level: Logger.Level, source: SettingSource) {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    /// `-q` → error, `-v` → info, `-vv` → debug, `-vvv` → trace; else `AUDIOSYNC_LOG_LEVEL`, else
    /// warning.
    /// - Throws: ``SettingsError/badLogLevel(_:)`` for a variable that names no level: a typo
    ///   must not silence the logs someone asked for.
    static func resolve(quiet: Bool, verbose: Int, environment: String?) throws -> (Logger.Level, SettingSource) {
        if quiet { return (.error, .flag("-q")) }
        switch verbose {
        case 0: break
        case 1: return (.info, .flag("-v"))
        case 2: return (.debug, .flag("-vv"))
        default: return (.trace, .flag("-vvv"))
        }
        guard let environment, !environment.isEmpty else { return (.warning, .builtIn) }
        guard let level = Logger.Level(rawValue: environment.lowercased()) else {
            throw SettingsError.badLogLevel(environment)
        }
        return (level, .environment("AUDIOSYNC_LOG_LEVEL"))
    }
}
