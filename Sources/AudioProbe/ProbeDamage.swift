/// Damage a probe noticed.
public enum ProbeDamage: String, Sendable, Hashable, CaseIterable {
    /// The file ends inside the stream (an interrupted download); the duration counts what is there.
    case truncated
    /// Bytes follow the end of the stream that belong to no frame or page; the duration is exact.
    case trailingBytes = "trailing_bytes"
    /// Bytes inside the stream belong to no frame or page; the duration counts the readable part.
    case corrupt
    /// The last packets carry no timestamp (granule position −1); the duration stops before them.
    case untimedTail = "untimed_tail"
}
