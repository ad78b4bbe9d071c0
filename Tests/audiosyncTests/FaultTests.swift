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

    // MARK: Finding 6: interruptions

    @Test(
        "SIGINT or SIGTERM mid-write: the batch in flight finishes, the run is interrupted, the next sync finishes",
        arguments: [SIGINT, SIGTERM])
    func aSignalStopsAtABatch(signal: Int32) async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 43)
        let original = try store.conteudos()
        let cache = store.folder + "/cache.sqlite"
        let sync = try RunningBinary([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--batch-size", "1",
            "--busy-timeout", "600000", "--probe-cache", cache,
        ])
        let pacer = try SQLiteWritePacer(database: store.database)
        pacer.holdOnce(journalled: 20, while: sync.process)
        kill(sync.pid, signal)
        // The sync says it heard the signal; then it may commit the batch it holds, and stop.
        let heard = sync.waitForError(containing: "stopping after the batch in flight")
        pacer.release()
        try pacer.close()
        let end = sync.finish()
        #expect(heard, "\(end.stderr)")
        #expect(!end.signalled && end.status == 128 + signal, "\(end.status) \(end.stderr)")
        #expect(try Self.runStatuses(store.database) == ["interrupted"])
        let changed = try store.conteudos().filter { original[$0.key] != $0.value }.count
        let journalled = try Self.journalled(store.database)
        #expect(changed >= 20 && changed == journalled)
        #expect(
            end.stderr.contains("\(changed) rows written") && end.stderr.contains("audiosync undo"), "\(end.stderr)")
        let again = try BinaryTests.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache", cache,
        ])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.runStatuses(store.database) == ["interrupted", "finished"])
    }

    @Test("SIGTERM mid-undo: the batch in flight commits, the run is partially undone, rows whole; undo again finishes")
    func aSignalStopsUndoAtABatch() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 45)
        let original = try store.conteudos()
        let sync = try BinaryTests.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
        ])
        #expect(sync.status == 0, "\(sync.stderr)")
        let synced = try store.conteudos()
        let undo = try RunningBinary([
            "undo", "1", "--database", store.database, "--batch-size", "1", "--busy-timeout", "600000",
        ])
        let pacer = try SQLiteWritePacer(database: store.database)
        pacer.holdOnce(
            counting: "SELECT COUNT(*) FROM audiosync_change WHERE undone_at IS NOT NULL", reaching: 20,
            while: undo.process)
        kill(undo.pid, SIGTERM)
        let heard = undo.waitForError(containing: "stopping after the batch in flight")
        pacer.release()
        try pacer.close()
        let end = undo.finish()
        #expect(heard, "\(end.stderr)")
        #expect(!end.signalled && end.status == 128 + SIGTERM, "\(end.status) \(end.stderr)")
        #expect(try Self.runStatuses(store.database) == ["partially_undone"])
        // Rows whole: each is as the sync left it or as it was before; the journal says which.
        let now = try store.conteudos()
        #expect(now.allSatisfy { $0.value == synced[$0.key] || $0.value == original[$0.key] })
        let restored = now.filter { $0.value != synced[$0.key] }.count
        let undone: Int = try Self.sqlite(
            store.database, "SELECT count(*) FROM audiosync_change WHERE undone_at IS NOT NULL")[0][0]
        #expect(restored >= 20 && restored == undone)
        #expect(try restored < Self.journalled(store.database), "the undo stopped before the end")
        #expect(end.stderr.contains("\(restored) rows restored"), "\(end.stderr)")
        let again = try BinaryTests.run(["undo", "1", "--database", store.database])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try store.conteudos() == original)
        #expect(try Self.runStatuses(store.database) == ["undone"])
    }

    @Test("A SIGKILLed run is shown abandoned by the next command, and marked so by the next one that writes")
    func aKilledRunIsAbandoned() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 44)
        let cache = store.folder + "/cache.sqlite"
        let sync = try RunningBinary([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--batch-size", "1",
            "--busy-timeout", "600000", "--probe-cache", cache,
        ])
        let pacer = try SQLiteWritePacer(database: store.database)
        pacer.holdOnce(journalled: 10, while: sync.process)
        kill(sync.pid, SIGKILL)
        let end = sync.finish()
        try pacer.close()
        #expect(end.signalled)
        #expect(try Self.runStatuses(store.database) == ["running"])
        let host = ProcessInfo.processInfo.hostName
        let recorded = try Self.sqlite(store.database, "SELECT pid, host FROM audiosync_run")
        #expect(recorded.first?[0] == Int(sync.pid) && (recorded.first?[1] as String?) != nil)
        _ = host
        let status = try BinaryTests.run([
            "status", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache", cache,
        ])
        #expect(status.status == 0)
        #expect(status.stdout.contains("abandoned"), "\(status.stdout)")
        #expect(try Self.runStatuses(store.database) == ["running"], "status only reads")
        let again = try BinaryTests.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache", cache,
        ])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.runStatuses(store.database) == ["abandoned", "finished"])
    }

    @Test("A run that fails after writing says how many rows it wrote and how to give them back")
    func aFailureAfterWritingPointsAtUndo() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 45)
        let original = try store.conteudos()
        let sync = try RunningBinary([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--batch-size", "1",
            "--busy-timeout", "50", "--no-probe-cache",
        ])
        let pacer = try SQLiteWritePacer(database: store.database)
        // Held until the sync gives up: its lock timeout ends the run, whatever the machine's speed.
        pacer.holdOnce(journalled: 15, while: sync.process)
        let end = sync.finish()
        try pacer.close()
        let changed = try store.conteudos().filter { original[$0.key] != $0.value }.count
        #expect(end.status == 1)
        #expect(changed >= 15)
        #expect(end.stderr.contains("locked"), "\(end.stderr)")
        #expect(end.stderr.contains("\(changed) rows written; `audiosync undo"), "\(end.stderr)")
        #expect(end.stderr.split(separator: "\n").count == 1, "\(end.stderr)")
    }

    @Test("The database deleted or replaced mid-run is named as such", arguments: [false, true])
    func theDatabaseVanishesMidRun(replaced: Bool) async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 46)
        let copy = store.folder + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: store.database, toPath: copy)
        let sync = try RunningBinary([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--batch-size", "1",
            "--busy-timeout", "600000", "--no-probe-cache",
        ])
        let pacer = try SQLiteWritePacer(database: store.database)
        pacer.holdOnce(journalled: 5, while: sync.process)
        if replaced {
            #expect(rename(copy, store.database) == 0)
        } else {
            #expect(unlink(store.database) == 0)
        }
        pacer.release()
        let end = sync.finish()
        try pacer.close()
        #expect(end.status == 1)
        #expect(!end.stderr.contains("read-only"), "\(end.stderr)")
        #expect(end.stderr.contains(replaced ? "was replaced" : "was deleted"), "\(end.stderr)")
    }

    @Test("A database in a folder that cannot be written: what to do, not SQLite's error number")
    func aReadOnlyFolder() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 47, defects: [])
        let folder = URL(fileURLWithPath: store.database).deletingLastPathComponent().path
        // Root writes anywhere: run the binary as nobody, for whom the folder is read-only.
        let asNobody = geteuid() == 0
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.database)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        let arguments = ["sync", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache"]
        let outcome =
            asNobody
            ? try BinaryTests.run(
                executable: "/usr/sbin/runuser", ["-u", "nobody", "--", BinaryTests.binary.path] + arguments)
            : try BinaryTests.run(arguments)
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("(14"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("folder") && outcome.stderr.contains("write"), "\(outcome.stderr)")
    }
}
