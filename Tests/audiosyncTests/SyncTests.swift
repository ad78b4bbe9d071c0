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
        // The file itself changes (the write lock's row comes and goes); the CRM's rows and the
        // journal must not.
        let rows = try store.conteudos()
        func journal() throws -> [Int] {
            try DatabaseQueue(path: store.database).read { db in
                try ["audiosync_run", "audiosync_change", "audiosync_lock"].map {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
                }
            }
        }
        let runs = try journal()
        let second = try await store.syncRunner().run()
        #expect(second.changes.links == 0)
        #expect(second.run == nil)
        #expect(second.changes.confirmed == first.plan.links.count - first.changes.withheld.count)
        #expect(try store.conteudos() == rows)
        #expect(try journal() == runs && runs.last == 0)
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
        // The legacy approach on the same store: the failure this project exists to fix.
        #expect(document.legacyScriptRun.messagesGivenSeveralRecordings > 0)
        #expect(document.legacyScriptRun.filesMapped > document.legacyScriptRun.rowsWritten)
        #expect(document.legacyEndpoint.overall.precision < 0.5)
    }

    @Test("A CRM writing between a sync's batches loses nothing: its updates survive, ours skip the rows it changed")
    func concurrentWriter() async throws {
        let store = try await TestStore(messages: 1_500, files: 450, chats: 20, seed: 14, defects: [])
        let dry = try await store.syncRunner(dryRun: true).run()
        let connection = try DatabaseQueue(path: store.database)
        let crm = WritePhaseCRM(
            dryRun: dry, batchSize: 3,
            execute: { sql in try await connection.write { try $0.execute(sql: sql) } },
            count: { sql in try await connection.read { try Int.fetchOne($0, sql: sql) ?? 0 } })
        var database = store.location(batchSize: 3)
        database.options.afterBatch = { committed in try await crm.write(afterBatch: committed) }
        let report = try await SyncRunner(database: database, media: store.media, profile: .test).run()
        try connection.close()
        await crm.check(report, conteudo: try store.conteudos().compactMapValues { $0 })
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
