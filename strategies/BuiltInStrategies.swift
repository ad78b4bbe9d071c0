public import MatchEngine

/// The strategies audiosync ships, in scoring order: the veto first (it ends a pair early), then
/// identifiers, then fuzzy signals. Adding a strategy is a folder and one line here (then
/// `make presets`; see `docs/adding-a-strategy.md`).
public let builtInStrategies: [any Strategy.Type] = [
    ChatIDStrategy.self,
    FilenameHashPrefixStrategy.self,
    ContentHashStrategy.self,
    TimestampDistanceStrategy.self,
    AudioDurationStrategy.self,
    FileSizeStrategy.self,
    FormatMimetypeStrategy.self,
    DownloadOrderStrategy.self,
]

extension Profile {
    /// The default profile: every built-in strategy at its defaults (what `presets/default.yml` says).
    public static var builtInDefault: Profile { Profile(strategies: builtInStrategies) }
}
