public import MatchEngine

/// The options a sync ran with, as the journal keeps them in `audiosync_run.options` (JSON with
/// snake_case keys; an option not given has no key).
public struct RunOptions: Sendable, Hashable, Codable {
    public var mediaRoot: String
    /// Where the profile came from (`built-in default` or a path).
    public var profile: String
    /// `--client NAME|ID`.
    public var client: String?
    /// `--instance ID`.
    public var instance: String?
    public var repair: Bool
    /// The `localUrl` template, with `{id}` for `core_mensagem.id`.
    public var urlTemplate: String

    public init(
        mediaRoot: String, profile: String, client: String? = nil, instance: String? = nil, repair: Bool = false,
        urlTemplate: String = MatchPlan.defaultURLTemplate
    ) {
        self.mediaRoot = mediaRoot
        self.profile = profile
        self.client = client
        self.instance = instance
        self.repair = repair
        self.urlTemplate = urlTemplate
    }
}
