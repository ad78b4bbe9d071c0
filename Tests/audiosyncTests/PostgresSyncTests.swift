import Evaluation
import Foundation
import GRDB
import Logging
import MatchEngine
import MediaStore
import MessageStore
import PostgresNIO
import Strategies
import Sync
import Testing

/// The main job against a real PostgreSQL server: the same behaviour, guarantees and output as
/// with SQLite. The server comes from `AUDIOSYNC_TEST_POSTGRES_URL` (`scripts/with-postgres.sh`,
/// which `make test` and CI use); without it these tests are skipped with a message, except
/// under `CI=true`, where they fail.
@Suite(
    .serialized,
    .enabled(
        if: PostgresTestEnvironment.server != nil || PostgresTestEnvironment.isCI,
        "needs a PostgreSQL server: run the tests through scripts/with-postgres.sh (make test does)"
    )
)
struct PostgresSyncTests {
    static let server = PostgresTestEnvironment.server
    static let logger = Logger(label: "audiosync.PostgresSyncTests")

    /// Runs `body` with the store, then drops its database whatever happens.
    static func with(_ store: PostgresTestStore, _ body: (PostgresTestStore) async throws -> Void) async throws {
        do {
            try await body(store)
            await store.drop()
        } catch {
            await store.drop()
            throw error
        }
    }

    @Test(
        "Dry run against PostgreSQL writes nothing; sync then undo restores every row (text and jsonb)",
        arguments: [false, true])
    func dryRunSyncUndo(jsonb: Bool) async throws {
        let store = try await PostgresTestStore(seed: 31, jsonb: jsonb)
        try await Self.with(store) { store in
            let original = try await store.conteudos()
            let tables = try await store.tables()
            let dry = try await store.syncRunner(dryRun: true).run()
            #expect(try await store.conteudos() == original)
            #expect(try await store.tables() == tables, "a dry run creates no journal tables")
            let report = try await store.syncRunner().run()
            #expect(report.write[.updated] == dry.changes.links)
            let after = try await store.conteudos()
            let linked = after.values.filter { $0.contains("\"localPath\"") }.count
            #expect(linked >= report.write[.updated])
            let database = try await openMessageStore(location: store.url, logger: Self.logger)
            let undo = try await database.undo(run: try #require(report.run))
            try await database.close()
            #expect(undo.restored == report.write[.updated])
            #expect(try await store.conteudos() == original)
        }
    }

    @Test(
        "Through the binary on PostgreSQL: the URL from audiosync.yml, runs and status from the database alone, undo's dry run"
    )
    func operatorCommands() async throws {
        let store = try await PostgresTestStore(seed: 34)
        try await Self.with(store) { store in
            let folder = store.folder + "/operator"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "media_root: \(store.summary.mediaRoot)\ndatabase: \(store.url)\n".write(
                toFile: folder + "/audiosync.yml", atomically: true, encoding: .utf8)
            let sync = try BinaryTests.run(["sync", "--json", "--no-probe-cache"], in: folder)
            #expect(sync.status == 0, "\(sync.stderr)")
            try SchemaTests.check(sync, against: "sync", "(PostgreSQL)")
            let run = try #require(try OperatorTests.json(sync.stdout)["run"] as? Int)
            let runs = try BinaryTests.run(["runs", "--json"], in: folder)
            try SchemaTests.check(runs, against: "runs", "(PostgreSQL)")
            #expect((try OperatorTests.json(runs.stdout)["runs"] as? [[String: Any]])?.first?["id"] as? Int == run)
            let status = try BinaryTests.run(["status", "--json", "--database", store.url])
            try SchemaTests.check(status, against: "status", "(PostgreSQL, no media root)")
            let before = try await store.conteudos()
            let preview = try BinaryTests.run(["undo", "-n", String(run), "--json"], in: folder)
            try SchemaTests.check(preview, against: "undo", "(PostgreSQL dry run)")
            #expect(try await store.conteudos() == before, "undo --dry-run wrote")
            let rows = try #require(try OperatorTests.json(preview.stdout)["rows"] as? [[String: Any]])
            let undo = try BinaryTests.run(["undo", String(run), "--json"], in: folder)
            #expect(try OperatorTests.json(undo.stdout)["restored"] as? Int == rows.count)
        }
    }

    @Test("PostgreSQL and SQLite stores of one seed give the same plan")
    func sameAsSQLite() async throws {
        let store = try await PostgresTestStore(seed: 32)
        try await Self.with(store) { store in
            let sqlite = try await TestStore(messages: 800, files: 240, chats: 15, seed: 32)
            let fromPostgres = try await store.syncRunner(dryRun: true).run()
            let fromSQLite = try await sqlite.syncRunner(dryRun: true).run()
            #expect(fromPostgres.plan.links.map(\.messageRowID) == fromSQLite.plan.links.map(\.messageRowID))
            #expect(fromPostgres.plan.links.map(\.file) == fromSQLite.plan.links.map(\.file))
            #expect(fromPostgres.load.unusable == fromSQLite.load.unusable)
            #expect(fromPostgres.changes.links == fromSQLite.changes.links)
        }
    }

    @Test(
        """
        A sync of one instance reads its client's chats that name no instance on PostgreSQL as on SQLite, \
        and plans the instance's files as the whole store's plan does
        """
    )
    func oneInstanceWithChatsOfNoInstance() async throws {
        let store = try await PostgresTestStore(seed: 36)
        try await Self.with(store) { store in
            let sqlite = try await TestStore(messages: 800, files: 240, chats: 15, seed: 36)
            // The first chat of some instance names none from now on, in both databases.
            let chat = try DatabaseQueue(path: sqlite.database).read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT c.id, i.instance_id FROM core_chat c JOIN core_whatsappinstance i ON i.id = c.instance_id
                        ORDER BY c.id LIMIT 1
                        """)
            }
            let (chatRowID, instance): (Int64, String) = try #require(chat.map { ($0[0], $0[1]) })
            let orphaning = "UPDATE core_chat SET instance_id = NULL WHERE id = \(chatRowID)"
            try SQLiteScript.execute(orphaning, arguments: [], database: sqlite.database)
            try await Admin.execute(orphaning, server: store.url)
            func narrowed(_ runner: SyncRunner) -> SyncRunner {
                var database = runner.database
                database.instance = instance
                return SyncRunner(
                    database: database, media: runner.media, profile: runner.profile, options: runner.options)
            }
            let fromPostgres = try await narrowed(store.syncRunner(dryRun: true)).run()
            let fromSQLite = try await narrowed(sqlite.syncRunner(dryRun: true)).run()
            let whole = try await sqlite.syncRunner(dryRun: true).run()
            #expect(fromPostgres.plan.links.map(\.messageRowID) == fromSQLite.plan.links.map(\.messageRowID))
            #expect(fromPostgres.plan.links.map(\.file) == fromSQLite.plan.links.map(\.file))
            let ofChat = try await DatabaseQueue(path: sqlite.database).read { db in
                Set(try Int64.fetchAll(db, sql: "SELECT id FROM core_mensagem WHERE chat_id = \(chatRowID)"))
            }
            let wholeOfInstance = whole.plan.links.filter { $0.file.contains("/instance_\(instance)/") }
            #expect(wholeOfInstance.contains { ofChat.contains($0.messageRowID) }, "the chat has no linked note")
            #expect(fromSQLite.plan.links.map(\.messageRowID) == wholeOfInstance.map(\.messageRowID))
            #expect(fromSQLite.plan.links.map(\.file) == wholeOfInstance.map(\.file))
        }
    }

    @Test("On PostgreSQL too, an unchanged store is skipped and an edited row (even to NULL) plans again")
    func incremental() async throws {
        let store = try await PostgresTestStore(seed: 35, messages: 400, files: 120)
        try await Self.with(store) { store in
            func sync(dryRun: Bool = false, full: Bool = false) async throws -> SyncReport {
                var options = SyncOptions(dryRun: dryRun)
                options.reuseUnchanged = !full
                return try await SyncRunner(
                    database: store.location(), media: store.media,
                    profile: ProfileChoice(.builtInDefault, source: "test", content: "test"), options: options
                ).run()
            }
            #expect(try await sync().changes.links > 0)
            #expect(try await sync().unchangedSince == nil)
            let skipped = try await sync(dryRun: true)
            #expect(skipped.unchangedSince != nil)
            for edit in [
                "UPDATE core_mensagem SET remetente = NULL WHERE id = (SELECT min(id) FROM core_mensagem WHERE tipo = 'audio' AND remetente IS NOT NULL)",
                "UPDATE core_mensagem SET conteudo = conteudo || ' ' WHERE id = (SELECT max(id) FROM core_mensagem WHERE tipo = 'audio')",
            ] {
                try await Admin.withConnection(url: store.url) { connection in
                    _ = try await connection.query(PostgresQuery(unsafeSQL: edit), logger: Self.logger).collect()
                }
                let incremental = try await sync(dryRun: true)
                #expect(incremental.unchangedSince == nil, "unnoticed: \(edit)")
                let full = try await sync(dryRun: true, full: true)
                #expect(incremental.counts == full.counts)
                #expect(incremental.plan.links.map(\.messageRowID) == full.plan.links.map(\.messageRowID))
                // A dry run with nothing to write is remembered; one with writes is not.
                let again = try await sync(dryRun: true)
                #expect((again.unchangedSince != nil) == (full.counts.writes.planned == 0))
            }
        }
    }

    @Test("A second connection writing between a sync's batches loses nothing")
    func concurrentWriter() async throws {
        let store = try await PostgresTestStore(seed: 33, messages: 1_000, files: 300, defects: [])
        try await Self.with(store) { store in
            let dry = try await store.syncRunner(dryRun: true).run()
            let report = try await Admin.withConnection(url: store.url) { connection in
                let crm = WritePhaseCRM(
                    dryRun: dry, batchSize: 3,
                    execute: { sql in
                        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger).collect()
                    },
                    count: { sql in
                        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
                        return Int(try await rows.collect()[0].decode(Int64.self))
                    })
                var database = store.location(batchSize: 3)
                database.options.afterBatch = { committed in try await crm.write(afterBatch: committed) }
                let report = try await SyncRunner(database: database, media: store.media, profile: .test).run()
                await crm.check(report, conteudo: try await store.conteudos())
                return report
            }
            #expect(report.run != nil)
        }
    }
}

extension PostgresSyncTests {
    @Test(
        "On PostgreSQL (text and jsonb), new files and rows since a whole plan are linked as additions, to their true rows",
        arguments: [false, true])
    func additionsSinceAWholePlan(jsonb: Bool) async throws {
        let store = try await PostgresTestStore(seed: 38, jsonb: jsonb, messages: 300, files: 120, defects: [])
        try await Self.with(store) { store in
            let truth = try String(contentsOfFile: store.summary.truth, encoding: .utf8).split(separator: "\n")
                .dropFirst().compactMap { line -> (rowID: Int64, file: String)? in
                    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                    guard fields.count >= 2, let id = Int64(fields[1]) else { return nil }
                    return (id, String(fields[0]))
                }
            let held = Array(stride(from: 0, to: truth.count, by: max(1, truth.count / 8)).map { truth[$0] }.prefix(8))
            #expect(held.count == 8)
            // The notes held out: their files moved aside, their rows kept in a table of their own.
            let aside = store.folder + "/held"
            try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
            for pair in held {
                try FileManager.default.moveItem(
                    atPath: store.summary.mediaRoot + "/" + pair.file,
                    toPath: aside + "/" + pair.file.replacing("/", with: "_"))
            }
            let ids = held.map { String($0.rowID) }.joined(separator: ",")
            try await Admin.execute(
                "CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id IN (\(ids))", server: store.url)
            try await Admin.execute("DELETE FROM core_mensagem WHERE id IN (\(ids))", server: store.url)
            func runner(dryRun: Bool = false, full: Bool = false) -> SyncRunner {
                var options = SyncOptions(dryRun: dryRun)
                options.reuseUnchanged = !full
                // A profile with content: what a run remembers is keyed by it.
                return SyncRunner(
                    database: store.location(), media: store.media,
                    profile: ProfileChoice(.builtInDefault, source: "test", content: "test"), options: options)
            }
            _ = try await runner().run()
            let base = try await runner().run()
            let (baseLinks, baseSince) = (base.changes.links, base.additionsSince)
            #expect(baseLinks == 0 && baseSince == nil, "a whole plan with nothing to write")

            // Put back as a CRM inserts them: the files, and the rows with ids above every row's.
            for pair in held {
                try FileManager.default.moveItem(
                    atPath: aside + "/" + pair.file.replacing("/", with: "_"),
                    toPath: store.summary.mediaRoot + "/" + pair.file)
            }
            let columns =
                try await Admin.rows(
                    """
                    SELECT 0::bigint, string_agg(quote_ident(column_name::text), ', ' ORDER BY ordinal_position)
                    FROM information_schema.columns WHERE table_name = 'core_mensagem' AND column_name <> 'id'
                    """, url: store.url)[0] ?? ""
            let highest = try await Admin.rows("SELECT 0::bigint, max(id)::text FROM core_mensagem", url: store.url)
            let above = try #require(Int64(highest[0] ?? ""))
            try await Admin.execute(
                """
                INSERT INTO core_mensagem (id, \(columns))
                SELECT \(above) + row_number() OVER (ORDER BY id), \(columns) FROM held_rows ORDER BY id
                """, server: store.url)
            try await Admin.execute("DROP TABLE held_rows", server: store.url)
            let newID = Dictionary(
                uniqueKeysWithValues: held.map(\.rowID).sorted().enumerated().map { ($1, above + Int64($0) + 1) })

            let before = try await store.conteudos()
            let dry = try await runner(dryRun: true).run()
            let (drySince, dryLinks) = (dry.additionsSince, dry.changes.links)
            #expect(drySince?.linked == 8 && dryLinks == 8)
            #expect(try await store.conteudos() == before, "a dry run writes nothing")
            let taken = try await runner().run()
            // Bound first, so that a failure prints the summary and not the whole report.
            let takenSince = taken.additionsSince
            let since = try #require(takenSince, "taken as additions, not by a whole run")
            #expect(since.files == 8 && since.rows == 8 && since.linked == 8)
            let (written, run) = (taken.write[.updated], taken.run)
            #expect(written == 8 && run != nil)
            let paths = try await Admin.rows(
                "SELECT id, (conteudo::jsonb) -> 'audioMessage' ->> 'localPath' FROM core_mensagem WHERE id > \(above)",
                url: store.url)
            for pair in held {
                #expect(paths[newID[pair.rowID]!] == pair.file, "row \(pair.rowID), now \(newID[pair.rowID]!)")
            }
            // A whole plan now agrees: nothing to write.
            let whole = try await runner(dryRun: true, full: true).run().changes
            #expect(whole.links == 0 && whole.repairs == 0 && whole.removals == 0)
        }
    }
}

/// A generated store whose messages live in a fresh PostgreSQL database.
final class PostgresTestStore: Sendable {
    let folder: String
    let url: String
    let name: String
    let summary: StoreGenerator.Summary

    init(
        seed: UInt64, jsonb: Bool = false, messages: Int = 800, files: Int = 240,
        defects: Set<Defect> = Set(Defect.allCases)
    ) async throws {
        guard let server = PostgresSyncTests.server else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record(
                    "AUDIOSYNC_TEST_POSTGRES_URL is not set under CI=true: run the tests through scripts/with-postgres.sh"
                )
            }
            throw CancellationError()
        }
        name = "audiosync_s_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await Admin.execute("CREATE DATABASE \(name)", server: server)
        var components = URLComponents(string: server)!
        components.path = "/\(name)"
        url = components.string!
        folder = NSTemporaryDirectory() + "audiosync-pg-\(UUID().uuidString)"
        var options = GeneratorOptions(outputFolder: folder)
        options.messages = messages
        options.files = files
        options.chats = 15
        options.seed = seed
        options.defects = defects
        options.postgresURL = url
        options.jsonbConteudo = jsonb
        summary = try await StoreGenerator(options: options).generate()
    }

    /// A sync of the store with the built-in profile.
    func location(batchSize: Int = 200) -> DatabaseLocation {
        DatabaseLocation(database: url, options: .init(batchSize: batchSize))
    }

    var media: MediaLocation {
        MediaLocation(root: summary.mediaRoot, probeCache: .file(folder + "/probe-cache.sqlite"))
    }

    func syncRunner(dryRun: Bool = false, batchSize: Int = 200) -> SyncRunner {
        SyncRunner(
            database: location(batchSize: batchSize), media: media, profile: .test, options: SyncOptions(dryRun: dryRun)
        )
    }

    func conteudos() async throws -> [Int64: String] {
        try await Admin.rows("SELECT id, conteudo::text FROM core_mensagem", url: url)
    }

    func tables() async throws -> [String] {
        Array(
            try await Admin.rows(
                "SELECT 0::bigint, string_agg(tablename::text, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'",
                url: url
            ).values)
    }

    func drop() async {
        try? FileManager.default.removeItem(atPath: folder)
        if let server = PostgresSyncTests.server {
            try? await Admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", server: server)
        }
    }
}

/// Where the test server is, if there is one.
enum PostgresTestEnvironment {
    static let server = ProcessInfo.processInfo.environment["AUDIOSYNC_TEST_POSTGRES_URL"]
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    /// The test server's self-signed certificate, when it speaks TLS (scripts/with-postgres.sh).
    static let certificate = ProcessInfo.processInfo.environment["AUDIOSYNC_TEST_POSTGRES_CA"].flatMap {
        $0.isEmpty ? nil : $0
    }
}

/// Plain connections for setting up and inspecting test databases.
enum Admin {
    static func configuration(_ url: String) throws -> PostgresConnection.Configuration {
        let components = URLComponents(string: url)!
        return PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1",
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: String(components.path.dropFirst()).isEmpty ? nil : String(components.path.dropFirst()),
            tls: .disable
        )
    }

    static func withConnection<T>(url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            configuration: configuration(url), id: 1, logger: PostgresSyncTests.logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func execute(_ sql: String, server: String) async throws {
        try await withConnection(url: server) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresSyncTests.logger).collect()
        }
    }

    /// Rows of (bigint, text) as a dictionary.
    static func rows(_ sql: String, url: String) async throws -> [Int64: String] {
        try await withConnection(url: url) { connection in
            var result: [Int64: String] = [:]
            for try await (id, text) in try await connection.query(
                PostgresQuery(unsafeSQL: sql), logger: PostgresSyncTests.logger
            )
            .decode((Int64, String?).self) {
                result[id] = text ?? ""
            }
            return result
        }
    }
}
