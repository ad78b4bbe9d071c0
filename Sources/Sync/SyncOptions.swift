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
    /// Skip the work when nothing changed since a run whose plan had nothing to write
    /// (``SyncMemory``); `sync --full` turns it off. Off by default for callers of the library,
    /// who read the plan itself (`watch` matches each batch's arrivals against it).
    public var reuseUnchanged = false
    /// Files (relative to the media root) that are still arriving: the run leaves them out and
    /// counts them as skipped `still_arriving`. `watch` sets it to the files that have not settled,
    /// so they do not hold back the batch of those that have.
    public var stillArriving: Set<String> = []
    /// Set by SIGINT and SIGTERM: the write stops after the batch in flight, the run is marked
    /// interrupted.
    public var stop: StopRequest?

    public init(dryRun: Bool = false, repair: Bool = false) {
        self.dryRun = dryRun
        self.repair = repair
    }
}
