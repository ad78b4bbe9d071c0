import Evaluation
import Foundation
import GRDB
import Logging
import MatchEngine
import MessageStore
import Strategies
import Sync
import Testing

/// The main job against a real SQLite file made by the generator with every defect switched on.
@Suite(.serialized)
struct SyncTests {
    @Test("A dry run changes no byte of the database file, and plans what a real run writes")
    func dryRunWritesNothing() async throws {
        let store = try await TestStore()
        let before = try store.databaseDigest()
        let dry = try await store.syncRunner(dryRun: true).run()
        #expect(try store.databaseDigest() == before)
        #expect(dry.run == nil)
        #expect(dry.changes.links > 50)
        let real = try await store.syncRunner().run()
        #expect(real.write[.updated] == dry.changes.links)
        #expect(Set(real.plan.links.map(\.messageRowID)) == Set(dry.plan.links.map(\.messageRowID)))
    }

    @Test("Sync, then undo, gives every row its conteudo back exactly; a second undo changes nothing")
    func syncThenUndo() async throws {
        let store = try await TestStore(seed: 12)
        let original = try store.conteudos()
        let report = try await store.syncRunner(repair: true).run()
        let run = try #require(report.run)
        let after = try store.conteudos()
        #expect(after != original)
        #expect(report.write[.updated] > 0)
        let database = try await openMessageStore(location: store.database, logger: .init(label: "test"))
        let undo = try await database.undo(run: run)
        #expect(undo.restored == report.write[.updated])
        #expect(undo.changedSince.isEmpty)
        #expect(try store.conteudos() == original)
        let again = try await database.undo(run: run)
        #expect(again.restored == 0)
        try await database.close()
        #expect(try store.conteudos() == original)
    }

    @Test("A second sync of an unchanged store and database changes nothing")
    func idempotent() async throws {
        let store = try await TestStore(seed: 13)
        let first = try await store.syncRunner().run()
        #expect(first.write[.updated] > 0)
        let digest = try store.databaseDigest()
        let second = try await store.syncRunner().run()
        #expect(second.changes.links == 0)
        #expect(second.run == nil)
        #expect(second.changes.confirmed == first.plan.links.count - first.changes.withheld.count)
        #expect(try store.databaseDigest() == digest)
        #expect(second.scan.probed == 0, "the probe cache made the second scan read no audio")
        #expect(first.scan.hashed > 0)
        #expect(second.scan.hashed == 0, "the probe cache remembered the digests")
    }

    @Test("Links only what is true: precision ≥ 0.999 and recall ≥ 0.98 on undamaged files, no link across chats")
    func accuracy() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 40, seed: 7)
        let document = try await EvaluationRunner(
            database: store.location(), media: store.media, profile: .test, truthPath: store.truth
        )
        .run()
        let ours = document.audiosync
        #expect(ours.overall.precision >= 0.999)
        #expect(ours.undamaged.recall >= 0.98)
        #expect(ours.wrongAcrossChats == 0)
        #expect(ours.wrongAcrossClients == 0)
        #expect(ours.messagesWithSeveralRecordings == 0)
        // The legacy script on the same store: the failure this project exists to fix.
        #expect(document.legacy.overall.precision < 0.5)
        #expect(document.legacy.messagesWithSeveralRecordings > 0)
    }

    @Test("A CRM writing during a sync loses nothing: its updates survive, and ours skip rows it changed")
    func concurrentWriter() async throws {
        let store = try await TestStore(messages: 1_500, files: 450, chats: 20, seed: 14, defects: [])
        let rowIDs = try store.conteudos().keys.sorted()
        let writer = ConcurrentWriter(database: store.database, rows: rowIDs)
        writer.start()
        let report = try await store.syncRunner(batchSize: 3).run()
        let touched = writer.stop()
        #expect(!touched.isEmpty)
        let rows = try store.conteudos()
        for (row, marker) in touched {
            #expect(rows[row]??.contains(marker) == true, "the CRM's update of row \(row) was lost")
        }
        for skipped in report.write.skipped {
            #expect(touched[skipped.rowID] != nil, "row \(skipped.rowID) skipped though nobody touched it")
        }
        // Every link either landed or was skipped for a concurrent change; none half-written.
        let linked = rows.values.compactMap { $0 }.filter { $0.contains("\"localPath\"") }.count
        #expect(linked >= report.write[.updated])
    }

    @Test("Scope: --client restricts files and messages alike; nothing crosses clients")
    func scope() async throws {
        let store = try await TestStore(messages: 1_200, files: 360, chats: 40, seed: 15, defects: [])
        var database = store.location()
        let clients = try await openMessageStore(location: store.database, logger: .init(label: "t")).clients()
        let first = try #require(clients.first)
        database.client = String(first.id)
        let report = try await SyncRunner(
            database: database, media: store.media, profile: .test, options: SyncOptions(dryRun: true)
        )
        .run()
        let folder = first.name.replacingOccurrences(of: " ", with: "_")
        #expect(!report.plan.links.isEmpty)
        for link in report.plan.links {
            #expect(ClientKey(String(link.file.prefix { $0 != "/" })) == ClientKey(folder))
        }
    }
}

/// Plays the CRM: on its own connection, keeps rewriting random rows' `conteudo` (adding a key) and
/// inserting rows until stopped, and remembers what it wrote.
final class ConcurrentWriter: @unchecked Sendable {
    // @unchecked: `touched` and `running` are only read after `stop()` joins the thread.
    private let database: String
    private let rows: [Int64]
    private var touched: [Int64: String] = [:]
    private let stopFlag = NSCondition()
    private var running = true
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(database: String, rows: [Int64]) {
        self.database = database
        self.rows = rows
    }

    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            guard
                let queue = try? DatabaseQueue(
                    path: database,
                    configuration: {
                        var c = Configuration()
                        c.busyMode = .timeout(10)
                        return c
                    }())
            else { return }
            var index = 0
            var next: Int64 = 10_000_000
            while stopFlag.withLock({ running }) {
                let row = rows[(index * 7_919) % rows.count]
                index += 1
                let marker = "crm-\(index)"
                do {
                    try queue.write { db in
                        guard
                            let text = try String.fetchOne(
                                db, sql: "SELECT conteudo FROM core_mensagem WHERE id = ?", arguments: [row]),
                            text.hasPrefix("{")
                        else { return }
                        let updated = "{\"crm\": \"\(marker)\", " + text.dropFirst()
                        try db.execute(
                            sql: "UPDATE core_mensagem SET conteudo = ? WHERE id = ?", arguments: [updated, row])
                        next += 1
                        try db.execute(
                            sql:
                                "INSERT INTO core_mensagem (id, chat_id, message_id, tipo, conteudo, data_envio, from_me) VALUES (?, 1, NULL, 'texto', '{}', '2025-08-30 10:00:00', 0)",
                            arguments: [next]
                        )
                    }
                    touched[row] = marker
                } catch {}
                usleep(300)
            }
        }
        self.thread = thread
        thread.start()
    }

    /// Stops the writer and returns the last marker it wrote into each row.
    func stop() -> [Int64: String] {
        stopFlag.withLock { running = false }
        finished.wait()
        return touched
    }
}
