/// What ``MessageDatabase/apply(_:against:run:)`` (or ``MessageDatabase/preview(_:against:)``) did with a list of changes.
public struct ApplyReport: Sendable, Hashable, Codable {
    /// A change that was not made, and why.
    public struct Skipped: Sendable, Hashable, Codable {
        public var rowID: Int64
        public var outcome: ChangeOutcome
    }

    /// How many changes ended in each outcome.
    public var counts: [ChangeOutcome: Int] = [:]
    /// The changes that were not made, in the order given.
    public var skipped: [Skipped] = []
    /// Transactions committed.
    public var batches = 0

    public init() {}

    /// The number of changes with `outcome`.
    public subscript(outcome: ChangeOutcome) -> Int { counts[outcome, default: 0] }

    mutating func record(_ outcome: ChangeOutcome, row: Int64) {
        counts[outcome, default: 0] += 1
        if outcome.isSkipped { skipped.append(Skipped(rowID: row, outcome: outcome)) }
    }

    mutating func merge(_ other: ApplyReport) {
        for (outcome, n) in other.counts { counts[outcome, default: 0] += n }
        skipped += other.skipped
        batches += other.batches
    }
}
