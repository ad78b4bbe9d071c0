/// Where a run stands, as `audiosync_run.status` records it.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Begun and not finished: in progress. (A run whose process is gone reads as ``abandoned``.)
    case running
    case finished
    /// Ended by an error; the batches committed before it stand (``RunRecord/changes`` counts them).
    case failed
    /// Stopped by SIGINT or SIGTERM after the batch in flight; the batches committed stand.
    case interrupted
    /// Left `running` by a process that is gone (killed, or its machine stopped); its committed
    /// batches stand. Marked so by the next run that begins.
    case abandoned
    /// Every change of the run was undone.
    case undone
    /// Some changes could not be undone because their rows changed since.
    case partiallyUndone = "partially_undone"
}
