import Foundation
import GRDB
import MatchEngine
import MediaStore
import MessageStore
import Strategies
import Sync
import Testing

/// `sync` after additions only (new files, rows with higher ids) since a plan with nothing to
/// write: the additions are taken as a watch's content batch takes arrivals, without a whole plan,
/// and what they link is what a whole run links; anything they do not settle makes the whole run.
@Suite
struct AdditionsSyncTests {
    /// A store without defects (every row declares its file's bytes) and `count` of its true pairs
    /// held out: their files moved aside and their rows kept in `held_rows`, then synced until a
    /// plan has nothing to write (the base additions are taken from).
    struct HeldOut {
        let store: TestStore
        let pairs: [(rowID: Int64, file: String)]
        let held: String

        init(seed: UInt64, count: Int, keepFiles: Bool = false) async throws {
            store = try await TestStore(messages: 300, files: 120, chats: 8, seed: seed, defects: [])
            let truth = try String(contentsOfFile: store.truth, encoding: .utf8).split(separator: "\n").dropFirst()
                .compactMap { line -> (rowID: Int64, file: String)? in
                    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                    guard fields.count >= 2, let id = Int64(fields[1]) else { return nil }
                    return (id, String(fields[0]))
                }
            let step = max(1, truth.count / count)
            pairs = Array(stride(from: 0, to: truth.count, by: step).map { truth[$0] }.prefix(count))
            held = store.folder + "/held"
            try FileManager.default.createDirectory(atPath: held, withIntermediateDirectories: true)
            let ids = pairs.map { String($0.rowID) }.joined(separator: ",")
            try await DatabaseQueue(path: store.database).write { db in
                try db.execute(sql: "CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id IN (\(ids))")
                try db.execute(sql: "DELETE FROM core_mensagem WHERE id IN (\(ids))")
            }
            if !keepFiles {
                for pair in pairs {
                    try FileManager.default.moveItem(
                        atPath: store.mediaRoot + "/" + pair.file,
                        toPath: held + "/" + pair.file.replacing("/", with: "_"))
                }
            }
            _ = try await AdditionsSyncTests.runner(store).run()
            let second = try await AdditionsSyncTests.runner(store).run()
            #expect(second.changes.links == 0 && second.additionsSince == nil)
        }

        /// The held files moved back (unless they stayed) and their rows inserted as new rows, as a
        /// CRM inserts them.
        func putBack(files: Bool = true) throws {
            if files {
                for pair in pairs {
                    try FileManager.default.moveItem(
                        atPath: held + "/" + pair.file.replacing("/", with: "_"),
                        toPath: store.mediaRoot + "/" + pair.file)
                }
            }
            try DatabaseQueue(path: store.database).write { db in
                let columns = try db.columns(in: "core_mensagem").map(\.name).filter { $0 != "id" }
                    .joined(separator: ", ")
                try db.execute(
                    sql: "INSERT INTO core_mensagem (\(columns)) SELECT \(columns) FROM held_rows ORDER BY id")
                try db.execute(sql: "DROP TABLE held_rows")
            }
        }
    }

    static func runner(_ store: TestStore, database: String? = nil, dryRun: Bool = false, full: Bool = false)
        -> SyncRunner
    {
        var options = SyncOptions(dryRun: dryRun)
        options.reuseUnchanged = !full
        return SyncRunner(
            database: DatabaseLocation(database: database ?? store.database, options: .init(batchSize: 200)),
            media: database == nil
                ? store.media : MediaLocation(root: store.mediaRoot, probeCache: .file(database! + ".cache")),
            profile: ProfileChoice(.builtInDefault, source: "test", content: "test"), options: options)
    }

    /// Every audio row's `localPath`, by id.
    static func links(_ database: String) throws -> [Int64: String] {
        try DatabaseQueue(path: database).read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, json_extract(conteudo, '$.audioMessage.localPath') FROM core_mensagem
                        WHERE tipo = 'audio' AND json_valid(conteudo)
                          AND json_extract(conteudo, '$.audioMessage.localPath') IS NOT NULL
                        """
                ).map { ($0[0] as Int64, $0[1] as String) })
        }
    }

    @Test("New files and their new rows are linked without a whole plan, as a whole run links them")
    func additionsLinkedAsAWholeRunLinks() async throws {
        let setUp = try await HeldOut(seed: 61, count: 12)
        let store = setUp.store
        try setUp.putBack()
        // The same store, its database copied, for a whole run to compare with.
        let copy = store.folder + "/whole.sqlite"
        try FileManager.default.copyItem(atPath: store.database, toPath: copy)

        // A dry run first: it says what it would link, and writes nothing, anywhere.
        let database = try store.databaseDigest()
        let dry = try await Self.runner(store, dryRun: true).run()
        let drySince = try #require(dry.additionsSince)
        #expect(drySince.files == 12 && drySince.rows == 12 && drySince.linked == 12)
        #expect(dry.changes.links == 12 && dry.run == nil)
        #expect(try store.databaseDigest() == database)

        let taken = try await Self.runner(store).run()
        let since = try #require(taken.additionsSince)
        #expect(since.linked == 12 && since.linkedBefore == 0)
        #expect(taken.changes.links == 12 && taken.write[.updated] == 12)
        let command = try await DatabaseQueue(path: store.database).read { db in
            try String.fetchOne(db, sql: "SELECT command FROM audiosync_run ORDER BY id DESC LIMIT 1")
        }
        #expect(command == "sync", "the journal names the run that wrote the additions")
        #expect(taken.text().contains("Only additions since"))

        let whole = try await Self.runner(store, database: copy, full: true).run()
        #expect(whole.additionsSince == nil && whole.changes.links == 12)
        #expect(try Self.links(store.database) == Self.links(copy), "the additions linked what a whole run links")
        // And a whole plan now would change nothing.
        let after = try await Self.runner(store, dryRun: true, full: true).run()
        #expect(after.changes.links == 0 && after.changes.repairs == 0 && after.changes.removals == 0)

        // The next run finds the same additions, linked by the run before: nothing to write.
        let settled = try store.databaseDigest()
        let again = try await Self.runner(store).run()
        let againSince = try #require(again.additionsSince)
        #expect(againSince.linked == 0 && againSince.linkedBefore == 12 && again.run == nil)
        #expect(try store.databaseDigest() == settled)
        #expect(again.text().contains("all linked before"))
    }

    @Test("A note in a conversation new since the last whole plan is an addition too")
    func noteInANewChat() async throws {
        let setUp = try await HeldOut(seed: 65, count: 3)
        let store = setUp.store
        let heldRow = setUp.pairs[0].rowID
        let messageID = try await DatabaseQueue(path: store.database).read { db in
            try String.fetchOne(db, sql: "SELECT message_id FROM held_rows WHERE id = ?", arguments: [heldRow])
        }
        try setUp.putBack()
        // The first held note moves to a new chat of the same instance: a new core_chat row and its
        // folder, as the CRM and the gateway make them for a first message.
        let moved = setUp.pairs[0]
        let parts = moved.file.split(separator: "/").map(String.init)
        let number = "5599" + String(parts[3].suffix(9))
        let file = ([parts[0], parts[1], parts[2], number] + parts[4...]).joined(separator: "/")
        try FileManager.default.createDirectory(
            atPath: store.mediaRoot + "/" + (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            atPath: store.mediaRoot + "/" + moved.file, toPath: store.mediaRoot + "/" + file)
        try await DatabaseQueue(path: store.database).write { db in
            let row = try #require(
                try Int64.fetchOne(
                    db, sql: "SELECT max(id) FROM core_mensagem WHERE message_id = ?", arguments: [messageID]))
            let chat = try #require(
                try Int64.fetchOne(db, sql: "SELECT chat_id FROM core_mensagem WHERE id = ?", arguments: [row]))
            try db.execute(
                sql: """
                    INSERT INTO core_chat (id, chat_id, chat_name, cliente_id, instance_id)
                    SELECT (SELECT max(id) + 1 FROM core_chat), ?, chat_name, cliente_id, instance_id
                    FROM core_chat WHERE id = ?
                    """, arguments: ["\(number)@s.whatsapp.net", chat])
            try db.execute(
                sql: """
                    UPDATE core_mensagem SET chat_id = (SELECT max(id) FROM core_chat), remetente = ? WHERE id = ?
                    """, arguments: ["\(number)@s.whatsapp.net", row])
        }
        let copy = store.folder + "/whole.sqlite"
        try FileManager.default.copyItem(atPath: store.database, toPath: copy)
        let taken = try await Self.runner(store).run()
        let since = try #require(taken.additionsSince, "a new chat is an addition")
        #expect(since.linked == 3)
        _ = try await Self.runner(store, database: copy, full: true).run()
        let links = try Self.links(store.database)
        #expect(links == (try Self.links(copy)))
        #expect(links.values.contains(file))
    }

    @Test("Through the binary: a run that takes additions says so in its --json, which follows the sync schema")
    func binaryJSON() async throws {
        let setUp = try await HeldOut(seed: 66, count: 4)
        let store = setUp.store
        let arguments = [
            "sync", "--json", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache",
            store.folder + "/binary-cache.sqlite",
        ]
        // The binary leaves its own base (another binary's is not its to use).
        #expect(try BinaryTests.run(arguments).status == 0)
        try setUp.putBack()
        let taken = try BinaryTests.run(arguments)
        try SchemaTests.check(taken, against: "sync", "(additions)")
        let since = try #require(try OperatorTests.json(taken.stdout)["additions_since"] as? [String: Any])
        #expect(since["files"] as? Int == 4 && since["rows"] as? Int == 4 && since["linked"] as? Int == 4)
        #expect(since["linked_before"] as? Int == 0 && (since["recorded_at"] as? String)?.hasSuffix("Z") == true)
        let again = try BinaryTests.run(arguments.filter { $0 != "--json" })
        #expect(again.status == 0 && again.stdout.contains("all linked before"), "\(again.stdout)")
    }

    @Test("A row added for a file the last whole plan left without one makes the whole run, which links it")
    func rowForAnOldFileMakesTheWholeRun() async throws {
        let setUp = try await HeldOut(seed: 62, count: 3, keepFiles: true)
        try setUp.putBack(files: false)
        let report = try await Self.runner(setUp.store).run()
        #expect(report.additionsSince == nil, "only a whole plan may pair a new row with an old file")
        #expect(report.changes.links == 3)
        let linked = Set(try Self.links(setUp.store.database).values)
        #expect(setUp.pairs.filter { !linked.contains($0.file) }.isEmpty)
    }

    @Test("A file added twice (a second download) makes the whole run")
    func secondDownloadMakesTheWholeRun() async throws {
        let setUp = try await HeldOut(seed: 63, count: 4)
        try setUp.putBack()
        let first = setUp.store.mediaRoot + "/" + setUp.pairs[0].file
        let twin = (first as NSString).deletingPathExtension + "_2.ogg"
        try FileManager.default.copyItem(atPath: first, toPath: twin)
        let incremental = try await Self.runner(setUp.store, dryRun: true).run()
        #expect(incremental.additionsSince == nil)
        let full = try await Self.runner(setUp.store, dryRun: true, full: true).run()
        #expect(incremental.counts == full.counts)
        #expect(incremental.plan.links.map(\.file) == full.plan.links.map(\.file))
        // All or nothing: the notes that would settle are not written first, so the whole run plans
        // from the store as it was, and the journal holds one run, the whole run's.
        let runs = "SELECT count(*) FROM audiosync_run"
        let before = try await DatabaseQueue(path: setUp.store.database).read { try Int.fetchOne($0, sql: runs) }
        let written = try await Self.runner(setUp.store).run()
        #expect(written.additionsSince == nil && written.changes.links == full.changes.links)
        let after = try await DatabaseQueue(path: setUp.store.database).read { try Int.fetchOne($0, sql: runs) }
        #expect(after == (before ?? 0) + 1)
    }

    @Test("An old row edited beside the additions makes the whole run")
    func editBesideAdditionsMakesTheWholeRun() async throws {
        let setUp = try await HeldOut(seed: 64, count: 4)
        try setUp.putBack()
        try await DatabaseQueue(path: setUp.store.database).write { db in
            try db.execute(
                sql: """
                    UPDATE core_mensagem SET data_envio = datetime(data_envio, '+3 hours')
                    WHERE id = (SELECT min(id) FROM core_mensagem WHERE tipo = 'audio')
                    """)
        }
        let incremental = try await Self.runner(setUp.store, dryRun: true).run()
        #expect(incremental.additionsSince == nil)
        let full = try await Self.runner(setUp.store, dryRun: true, full: true).run()
        #expect(incremental.counts == full.counts)
    }
}
