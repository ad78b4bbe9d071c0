import Evaluation
import Foundation
import Logging
import PostgresNIO
import Testing

/// Issue 14's PostgreSQL faults through the built binary, against the real test server: the
/// backend terminated mid-run, a statement timeout, a SIGKILL of audiosync. Each stops the sync in
/// the middle of its run with PostgreSQL's own locks (a transaction holding the rows of all but the
/// first links the plan makes, taken before the sync starts), never with a timer; then checks that every row is as it was or
/// as the run meant, that the journal says which, and that the next sync finishes the work.
@Suite(
    .serialized,
    .enabled(
        if: PostgresTestEnvironment.server != nil || PostgresTestEnvironment.isCI,
        "needs a PostgreSQL server: run the tests through scripts/with-postgres.sh (make test does)"
    )
)
struct PostgresFaultTests {
    /// The arguments of a sync that writes one row per batch and waits as long as a lock is held.
    static func sync(_ store: PostgresTestStore, busyTimeout: Int = 600_000) -> [String] {
        [
            "sync", "--media-root", store.summary.mediaRoot, "--database", store.url, "--batch-size", "1",
            "--busy-timeout", String(busyTimeout), "--probe-cache", store.folder + "/probe-cache.sqlite",
        ]
    }

    static func statuses(_ store: PostgresTestStore) async throws -> [String] {
        try await Admin.rows("SELECT id::int8, status FROM audiosync_run", url: store.url).sorted { $0.key < $1.key }
            .map(\.value)
    }

    /// Rows whose `conteudo` differs from `original`, and rows the journal says were written and not undone.
    static func changedAndJournalled(_ store: PostgresTestStore, original: [Int64: String]) async throws -> (Int, Int) {
        let now = try await store.conteudos()
        let changed = now.filter { original[$0.key] != $0.value }.count
        let journalled = try await Admin.rows(
            "SELECT 0::int8, count(*)::text FROM audiosync_change WHERE undone_at IS NULL", url: store.url)[0]
        return (changed, Int(journalled ?? "") ?? -1)
    }

    @Test("The backend terminated mid-run: whole batches only, the journal true, the next sync finishes")
    func theBackendTerminated() async throws {
        let store = try await PostgresTestStore(seed: 81)
        try await PostgresSyncTests.with(store) { store in
            let original = try await store.conteudos()
            let pacer = try await PostgresWritePacer(url: store.url)
            try await pacer.holdLinkedRows(of: store, after: 15)
            let sync = try RunningBinary(Self.sync(store))
            #expect(try await pacer.waitUntilBlocked(while: sync.process))
            let terminated = try await Admin.rows(
                """
                SELECT 0::int8, count(pg_terminate_backend(pid))::text FROM pg_stat_activity
                WHERE application_name LIKE 'audiosync%' AND datname = current_database()
                """, url: store.url)
            #expect(terminated[0] == "1")
            let end = sync.finish()
            try await pacer.release()
            #expect(end.status == 1, "\(end.stderr)")
            #expect(end.stderr.contains("ended the connection"), "\(end.stderr)")
            #expect(end.stderr.contains("rows written; `audiosync undo"), "\(end.stderr)")
            let (changed, journalled) = try await Self.changedAndJournalled(store, original: original)
            #expect(changed > 0 && changed <= 15 && changed == journalled)
            #expect(end.stderr.contains("\(changed) rows written"), "\(end.stderr)")

            let again = try BinaryTests.run(Self.sync(store))
            #expect(again.status == 0, "\(again.stderr)")
            // Its own connection was gone, so it could not mark itself: the next run did.
            #expect(try await Self.statuses(store) == ["abandoned", "finished"])
            let (after, journal) = try await Self.changedAndJournalled(store, original: original)
            #expect(after == journal && after > changed)
        }
    }

    @Test("A statement timeout mid-run: the run is failed with its rows counted, the next sync finishes")
    func aStatementTimeout() async throws {
        let store = try await PostgresTestStore(seed: 82)
        try await PostgresSyncTests.with(store) { store in
            let original = try await store.conteudos()
            // For sessions that start from now on: the sync's, and the pacer's.
            try await Admin.execute("ALTER DATABASE \(store.name) SET statement_timeout = '3s'", server: store.url)
            let pacer = try await PostgresWritePacer(url: store.url)
            try await pacer.holdLinkedRows(of: store, after: 15)
            let sync = try RunningBinary(Self.sync(store))
            #expect(try await pacer.waitUntilBlocked(while: sync.process))
            // Held until the sync's statement is cancelled: the outcome, whatever the machine's speed.
            let end = sync.finish()
            try await pacer.release()
            try await Admin.execute("ALTER DATABASE \(store.name) RESET statement_timeout", server: store.url)
            #expect(end.status == 1, "\(end.stderr)")
            #expect(end.stderr.contains("statement timeout"), "\(end.stderr)")
            let (changed, journalled) = try await Self.changedAndJournalled(store, original: original)
            #expect(changed > 0 && changed <= 15 && changed == journalled)
            #expect(end.stderr.contains("\(changed) rows written; `audiosync undo"), "\(end.stderr)")

            let again = try BinaryTests.run(Self.sync(store))
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await Self.statuses(store) == ["failed", "finished"])
            let (after, journal) = try await Self.changedAndJournalled(store, original: original)
            #expect(after == journal && after > changed)
        }
    }

    @Test("audiosync SIGKILLed mid-run: status shows the run abandoned, the next sync marks it and finishes")
    func aKilledSync() async throws {
        let store = try await PostgresTestStore(seed: 83)
        try await PostgresSyncTests.with(store) { store in
            let original = try await store.conteudos()
            let pacer = try await PostgresWritePacer(url: store.url)
            try await pacer.holdLinkedRows(of: store, after: 10)
            let sync = try RunningBinary(Self.sync(store))
            #expect(try await pacer.waitUntilBlocked(while: sync.process))
            kill(sync.pid, SIGKILL)
            let end = sync.finish()
            try await pacer.release()
            #expect(end.signalled)
            let (changed, journalled) = try await Self.changedAndJournalled(store, original: original)
            #expect(changed > 0 && changed <= 10 && changed == journalled)
            #expect(try await Self.statuses(store) == ["running"])

            let status = try BinaryTests.run([
                "status", "--media-root", store.summary.mediaRoot, "--database", store.url, "--no-probe-cache",
            ])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("abandoned"), "\(status.stdout)")
            #expect(try await Self.statuses(store) == ["running"], "status only reads")

            let again = try BinaryTests.run(Self.sync(store))
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try await Self.statuses(store) == ["abandoned", "finished"])
            let (after, journal) = try await Self.changedAndJournalled(store, original: original)
            #expect(after == journal && after > changed)
        }
    }
}

/// Stops a sync at a row it means to write, with PostgreSQL's own row locks: a transaction holds,
/// `FOR UPDATE`, every row the plan links except the first `n` (changes are written in row order),
/// so the sync writes exactly those `n` and then waits on the next, however fast or slow it runs.
final class PostgresWritePacer {
    private let connection: PostgresConnection
    private let logger = Logger(label: "audiosync.PostgresWritePacer")

    init(url: String) async throws {
        connection = try await PostgresConnection.connect(
            configuration: Admin.configuration(url), id: 2, logger: logger)
    }

    private func run(_ sql: String) async throws -> [PostgresRow] {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// Plans with a dry run (which writes nothing), then holds the rows of the links after the first `n`.
    func holdLinkedRows(of store: PostgresTestStore, after n: Int) async throws {
        let dry = try BinaryTests.run([
            "sync", "--dry-run", "--json", "--media-root", store.summary.mediaRoot, "--database", store.url,
            "--no-probe-cache",
        ])
        let document = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        let plan = document?["plan"] as? [String: Any]
        let links = (plan?["links"] as? [[String: Any]] ?? []).compactMap {
            ($0["message_id"] as? NSNumber)?.int64Value
        }
        let held = links.sorted().dropFirst(n)
        #expect(links.count > n + 5, "the plan links \(links.count) rows")
        _ = try await run("BEGIN")
        _ = try await run(
            "SELECT id FROM core_mensagem WHERE id IN (\(held.map(String.init).joined(separator: ","))) FOR UPDATE")
    }

    /// Waits until the sync is blocked on a held row (pg_locks shows it waiting), or has ended.
    func waitUntilBlocked(while process: Process) async throws -> Bool {
        while process.isRunning {
            // Inside the held transaction the activity view is a snapshot: clear it, then look.
            _ = try await run("SELECT pg_stat_clear_snapshot()")
            let waiting =
                try await run(
                    """
                    SELECT count(*)::int8 FROM pg_stat_activity
                    WHERE application_name LIKE 'audiosync%' AND datname = current_database() AND wait_event_type = 'Lock'
                    """
                ).first?.decode(Int64.self) ?? 0
            if waiting > 0 { return true }
            // A poll of observable state (the server's activity), not a wait for time to pass.
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    func release() async throws {
        _ = try? await run("ROLLBACK")
        try await connection.close()
    }
}
