/// How a scan runs.
public struct ScanOptions: Sendable {
    /// Where the probe cache lives.
    public enum CacheLocation: Sendable, Hashable {
        /// `$XDG_CACHE_HOME/audiosync/` or `~/.cache/audiosync/`, one file per media root.
        case standard
        /// This SQLite file.
        case file(String)
        /// No cache: every file is probed.
        case disabled
    }

    /// The probe cache.
    public var cache: CacheLocation
    /// Threads that probe files; the default is one per core.
    public var concurrency: Int
    /// Extensions (lower-case, without the dot) whose files are audio candidates.
    public var audioExtensions: Set<String>
    /// The environment `.standard` reads `XDG_CACHE_HOME` and `HOME` from; `nil` is the process's
    /// (tests set it instead of the process environment, which other tests read concurrently).
    package var environment: [String: String]?

    public init(
        cache: CacheLocation = .standard,
        concurrency: Int = ScanOptions.coreCount,
        audioExtensions: Set<String> = ["ogg", "oga", "opus", "mp3", "m4a", "aac", "wav"]
    ) {
        self.cache = cache
        self.concurrency = max(1, concurrency)
        self.audioExtensions = audioExtensions
    }

    /// The cores this process may use.
    public static var coreCount: Int { ProcessorCount.online }
}
