/// How far a scan has come, for a progress line.
public struct ScanProgress: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case walking
        case probing
        case done
    }

    public var phase: Phase
    /// Audio candidates found so far (walking) or in total (probing).
    public var candidates: Int
    /// Candidates whose format and duration are known (from the cache or a probe).
    public var probed: Int
}
