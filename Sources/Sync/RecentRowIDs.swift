/// The row ids a watch has read just below the highest, to tell a row committed after a row of a
/// higher id (``MessageStore/MessageDatabase/messageRowIDs(scope:in:)``): PostgreSQL hands ids out at
/// insert, so when two CRM workers save at once, 101 may commit after 102 was read, and a poll of
/// the highest id never shows it.
struct RecentRowIDs: Sendable, Equatable {
    /// How far below the highest id late rows are looked for. A transaction that stays open while
    /// ten thousand rows are inserted after it is not a save: such a row is left to the next batch
    /// of its instance, or the scheduled sync.
    static let width: Int64 = 10_000

    private(set) var highest: Int64
    private var ids: Set<Int64>

    /// The ids in ``range`` as read at `highest`.
    init(highest: Int64, ids: [Int64]) {
        self.highest = highest
        self.ids = Set(ids)
        prune()
    }

    /// What a poll checks: ids after the window's start, up to the highest.
    static func range(below highest: Int64) -> ClosedRange<Int64> {
        (start(below: highest) + 1)...max(highest, start(below: highest) + 1)
    }

    /// The last id before the window of `highest` (saturating: `.min` means nothing read yet).
    static func start(below highest: Int64) -> Int64 {
        highest > .min + width ? highest - width : .min
    }

    var range: ClosedRange<Int64> { Self.range(below: highest) }

    /// How many ids it holds: what a count of ``range`` gives when no row came late and none went.
    var count: Int { ids.count }

    /// Rows read above the highest: `ids`, up to `newHighest`.
    mutating func grew(to newHighest: Int64, ids new: [Int64]) {
        highest = max(highest, newHighest)
        ids.formUnion(new)
        prune()
    }

    /// The ids of ``range`` as the database has them now: those never read before (committed late),
    /// remembered from now on. A row deleted meanwhile is forgotten.
    mutating func late(among current: [Int64]) -> [Int64] {
        let late = current.filter { !ids.contains($0) }
        ids = Set(current)
        prune()
        return late
    }

    private mutating func prune() {
        let low = range.lowerBound
        if ids.contains(where: { $0 < low || $0 > highest }) { ids = ids.filter { $0 >= low && $0 <= highest } }
    }
}
