/// How a run ended, as the journal keeps it in `audiosync_run.summary` (JSON with snake_case keys):
/// the figures of a finished run, or the error of a failed one. What a run does not have has no key.
public struct RunSummary: Sendable, Hashable, Codable {
    /// Audio files scanned.
    public var files: Int?
    /// Links and reviews the plan made.
    public var links: Int?
    public var reviews: Int?
    /// Changes written, already in place, and skipped because their row changed since it was read.
    public var written: Int?
    public var unchanged: Int?
    public var changedSinceRead: Int?
    /// Why the run failed.
    public var error: String?

    /// A finished run's figures.
    public init(files: Int, links: Int, reviews: Int, written: Int, unchanged: Int, changedSinceRead: Int) {
        self.files = files
        self.links = links
        self.reviews = reviews
        self.written = written
        self.unchanged = unchanged
        self.changedSinceRead = changedSinceRead
    }

    /// A failed run: only why.
    public init(error: String) {
        self.error = error
    }
}
