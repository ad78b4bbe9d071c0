import Testing

@testable import Sync

/// What tells a watch that a row committed below the highest id it read (PostgreSQL: two CRM
/// workers saving at once).
@Suite struct RecentRowIDsTests {
    @Test("A row that comes below the highest id is late once; new rows above and rows deleted are not")
    func lateRows() {
        var window = RecentRowIDs(highest: 105, ids: [100, 101, 103, 105])
        #expect(window.count == 4)
        #expect(window.range == (105 - RecentRowIDs.width + 1)...105)
        // 106 and 107 read as new rows: not late.
        window.grew(to: 107, ids: [106, 107])
        #expect(window.count == 6)
        #expect(window.late(among: [100, 101, 103, 105, 106, 107]).isEmpty)
        // 102 committed after 105 was read; 101 deleted meanwhile.
        #expect(window.late(among: [100, 102, 103, 105, 106, 107]) == [102])
        #expect(window.count == 6)
        // Seen once, it is not late again.
        #expect(window.late(among: [100, 102, 103, 105, 106, 107]).isEmpty)
    }

    @Test("Only ids within the window's width below the highest are kept")
    func windowSlides() {
        var window = RecentRowIDs(highest: 10, ids: [1, 5, 10])
        window.grew(to: RecentRowIDs.width + 5, ids: [RecentRowIDs.width + 5])
        // 1 and 5 are below the window now; 10 is still in it.
        #expect(window.count == 2)
        #expect(window.range.lowerBound == 6)
        #expect(window.late(among: [10, RecentRowIDs.width + 5]).isEmpty)
    }
}
