import MatchEngine

/// How a sync writes: what only `sync` asks (the database, the media and the profile are
/// ``DatabaseLocation``, ``MediaLocation`` and ``ProfileChoice``).
public struct SyncOptions: Sendable {
    /// Write nothing at all.
    public var dryRun = false
    /// Replace or remove existing `localPath` values the evidence contradicts.
    public var repair = false
    /// `localUrl`, with `{id}` for `core_mensagem.id`.
    public var urlTemplate = MatchPlan.defaultURLTemplate
    /// Whether each link carries its waterfall (reports with `--json`).
    public var explainLinks = true
    /// Set by SIGINT and SIGTERM: the write stops after the batch in flight, the run is marked
    /// interrupted.
    public var stop: StopRequest?

    public init(dryRun: Bool = false, repair: Bool = false) {
        self.dryRun = dryRun
        self.repair = repair
    }
}
