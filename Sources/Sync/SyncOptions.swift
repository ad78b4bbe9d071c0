public import MatchEngine
public import MediaStore
public import MessageStore

/// What a sync (or a status, an explain, an evaluation) runs on and how.
public struct SyncOptions: Sendable {
    /// The media store's root folder.
    public var mediaRoot: String
    /// A SQLite path or a `postgres://` URL.
    public var database: String
    /// The weights and thresholds.
    public var profile: Profile
    /// Where the profile came from, for the report (`built-in default` or a path).
    public var profileSource: String
    /// `--client NAME|ID`.
    public var client: String?
    /// `--instance ID`.
    public var instance: String?
    /// Write nothing at all.
    public var dryRun = false
    /// Replace or remove existing `localPath` values the evidence contradicts.
    public var repair = false
    /// `localUrl`, with `{id}` for `core_mensagem.id`.
    public var urlTemplate = MatchPlan.defaultURLTemplate
    /// Where the probe cache lives.
    public var probeCache: ScanOptions.CacheLocation = .standard
    /// Whether each link carries its waterfall (reports with `--json`).
    public var explainLinks = true
    /// Store connection settings (busy timeout, batch size).
    public var storeOptions = MessageStoreOptions()

    public init(mediaRoot: String, database: String, profile: Profile, profileSource: String) {
        self.mediaRoot = mediaRoot
        self.database = database
        self.profile = profile
        self.profileSource = profileSource
    }

    /// The message store's scope for `--client` and `--instance`.
    public var messageScope: MessageScope {
        MessageScope(
            client: client.map { Int64($0).map(MessageScope.Client.id) ?? .name($0) },
            instanceID: instance
        )
    }
}
