/// Where a run stands, as `audiosync_run.status` records it.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Begun and not finished: in progress, or the process died (its committed batches stand).
    case running
    case finished
    case failed
    /// Every change of the run was undone.
    case undone
    /// Some changes could not be undone because their rows changed since.
    case partiallyUndone = "partially_undone"
}
