import Foundation
import GRDB
import Logging
import MatchEngine
import MessageStore
import Strategies
import Sync
import Testing

/// `sync` without `--full`: a run whose inputs are as a plan with nothing to write left them
/// skips the work; any change to the files, rows, chats, clients, rejections or profile makes the
/// whole run again, whose plan is then exactly a full run's.
@Suite
struct IncrementalSyncTests {
    /// A change made to a store between two syncs.
    enum Change: String, CaseIterable, CustomTestStringConvertible {
        case fileAdded, fileRemoved, fileRenamed, fileTouched
        case rowInserted, rowEdited, rowDeleted, linkRemovedByHand, chatMoved
        case rejectionAdded, profileEdited

        var testDescription: String { rawValue }
    }

    static func runner(_ store: TestStore, dryRun: Bool = false, full: Bool = false, profile: String = "test")
        -> SyncRunner
    {
        var options = SyncOptions(dryRun: dryRun)
        options.reuseUnchanged = !full
        return SyncRunner(
            database: store.location(), media: store.media,
            profile: ProfileChoice(.builtInDefault, source: "test", content: profile), options: options)
    }

    /// A store synced until a plan has nothing to write, and remembered as such.
    static func steadyStore(seed: UInt64) async throws -> TestStore {
        let store = try await TestStore(messages: 300, files: 120, chats: 8, seed: seed)
        let first = try await runner(store).run()
        #expect(first.unchangedSince == nil && first.changes.links > 0)
        // The rows the first run wrote were never planned from: the second run plans again.
        let second = try await runner(store).run()
        #expect(second.unchangedSince == nil)
        #expect(second.changes.links == 0 && second.run == nil)
        return store
    }

    @Test("An unchanged store is skipped after a plan with nothing to write; its report is that plan's figures")
    func unchangedIsSkipped() async throws {
        let store = try await Self.steadyStore(seed: 31)
        let planned = try await Self.runner(store, full: true).run()
        let database = try store.databaseDigest()
        let skipped = try await Self.runner(store).run()
        let since = try #require(skipped.unchangedSince)
        #expect(since.inputs.hasPrefix("rows "))
        #expect(skipped.counts == planned.counts)
        #expect(skipped.counts.files.linked > 50)
        #expect(skipped.plan.links.isEmpty && skipped.run == nil)
        #expect(skipped.scan.probed == 0 && skipped.scan.hashed == 0)
        #expect(try store.databaseDigest() == database, "a skipped run writes nothing, the lock row included")
        let dry = try await Self.runner(store, dryRun: true).run()
        #expect(dry.unchangedSince != nil && dry.counts == planned.counts)
        let text = skipped.text()
        #expect(text.contains("nothing changed") && text.contains("--full"))
        // --full does the whole work, and finds the same.
        let full = try await Self.runner(store, full: true).run()
        #expect(full.unchangedSince == nil && full.counts == planned.counts)
    }

    @Test(
        "After each kind of change the next run plans again, and its plan is a full run's", arguments: Change.allCases)
    func changedPlansAgain(_ change: Change) async throws {
        let store = try await Self.steadyStore(seed: 40 + UInt64(Change.allCases.firstIndex(of: change)!))
        #expect(try await Self.runner(store, dryRun: true).run().unchangedSince != nil)
        let profile = try await make(change, in: store)

        let incremental = try await Self.runner(store, dryRun: true, profile: profile).run()
        #expect(incremental.unchangedSince == nil, "\(change) went unnoticed")
        let full = try await Self.runner(store, dryRun: true, full: true, profile: profile).run()
        #expect(incremental.counts == full.counts)
        #expect(incremental.plan.links.map(\.pair) == full.plan.links.map(\.pair))
        #expect(incremental.plan.reviews.map(\.pair) == full.plan.reviews.map(\.pair))
        #expect(incremental.plan.unmatched.map(\.file) == full.plan.unmatched.map(\.file))
        #expect(incremental.changes.links == full.changes.links)

        // Once synced again, the store is steady and remembered anew.
        _ = try await Self.runner(store, profile: profile).run()
        _ = try await Self.runner(store, profile: profile).run()
        #expect(try await Self.runner(store, dryRun: true, profile: profile).run().unchangedSince != nil)
    }

    @Test("A copy of the store (same names, sizes and times) under another root, with the same cache, is planned")
    func anotherRootIsAnotherStore() async throws {
        let store = try await Self.steadyStore(seed: 33)
        #expect(try await Self.runner(store, dryRun: true).run().unchangedSince != nil)
        let copy = store.folder + "/copy"
        try FileManager.default.copyItem(atPath: store.mediaRoot, toPath: copy)
        // copyItem keeps modification times here; make sure, so that only the root differs.
        let files = try #require(FileManager.default.subpathsOfDirectory(atPath: store.mediaRoot) as [String]?)
        for file in files {
            let date = try FileManager.default.attributesOfItem(atPath: store.mediaRoot + "/" + file)[.modificationDate]
            try FileManager.default.setAttributes([.modificationDate: date as Any], ofItemAtPath: copy + "/" + file)
        }
        var options = SyncOptions(dryRun: true)
        options.reuseUnchanged = true
        let other = try await SyncRunner(
            database: store.location(), media: MediaLocation(root: copy, probeCache: store.media.probeCache),
            profile: ProfileChoice(.builtInDefault, source: "test", content: "test"), options: options
        ).run()
        #expect(other.unchangedSince == nil)
    }

    @Test("Through the binary: a skipped run's --json follows the sync schema; --full and another profile plan anew")
    func binary() async throws {
        let store = try await TestStore(messages: 200, files: 80, chats: 6, seed: 52)
        let arguments = [
            "sync", "--json", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache",
            store.folder + "/binary-cache.sqlite",
        ]
        func unchangedSince(_ outcome: BinaryTests.Outcome) throws -> Any? {
            try SchemaTests.check(outcome, against: "sync", "(incremental)")
            return try OperatorTests.json(outcome.stdout)["unchanged_since"]
        }
        #expect(try unchangedSince(BinaryTests.run(arguments)) is NSNull)
        #expect(try unchangedSince(BinaryTests.run(arguments)) is NSNull)
        let skipped = try BinaryTests.run(arguments)
        let since = try #require(try unchangedSince(skipped) as? [String: Any])
        #expect((since["recorded_at"] as? String)?.hasSuffix("Z") == true)
        #expect(try unchangedSince(BinaryTests.run(arguments + ["--full"])) is NSNull)
        let text = try BinaryTests.run(arguments.filter { $0 != "--json" })
        #expect(text.status == 0 && text.stdout.contains("nothing changed"), "\(text.stdout)")
        // Another profile is another input.
        let profile = store.folder + "/profile.yml"
        let shown = try BinaryTests.run(["profile", "show"])
        #expect(shown.status == 0)
        try shown.stdout.write(toFile: profile, atomically: true, encoding: .utf8)
        #expect(try unchangedSince(BinaryTests.run(arguments + ["--profile", profile])) is NSNull)
    }

    /// Makes `change` in the store; returns the profile text the runs go on with.
    private func make(_ change: Change, in store: TestStore) async throws -> String {
        let files = FileManager.default
        let linked = try linkedFiles(store)
        let first = try #require(linked.first)
        let path = store.mediaRoot + "/" + first.file
        switch change {
        case .fileAdded:
            try files.copyItem(atPath: path, toPath: renamed(path, "_copy"))
        case .fileRemoved:
            try files.removeItem(atPath: path)
        case .fileRenamed:
            try files.moveItem(atPath: path, toPath: renamed(path, "_moved"))
        case .fileTouched:
            let date = try #require(files.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            try files.setAttributes([.modificationDate: date.addingTimeInterval(-7_200)], ofItemAtPath: path)
        case .rowInserted:
            try write(store) { db in
                try db.execute(
                    sql: """
                        INSERT INTO core_mensagem (chat_id, message_id, remetente, tipo, conteudo, data_envio, from_me)
                        SELECT chat_id, message_id || 'X', remetente, tipo, conteudo, data_envio, from_me
                        FROM core_mensagem WHERE id = ?
                        """, arguments: [linked[1].id])
            }
        case .rowEdited:
            try write(store) { db in
                try db.execute(
                    sql: "UPDATE core_mensagem SET data_envio = datetime(data_envio, '+3 hours') WHERE id = ?",
                    arguments: [linked[2].id])
            }
        case .rowDeleted:
            try write(store) { db in
                try db.execute(sql: "DELETE FROM core_mensagem WHERE id = ?", arguments: [linked[3].id])
            }
        case .linkRemovedByHand:
            try write(store) { db in
                try db.execute(
                    sql: """
                        UPDATE core_mensagem SET conteudo = json_remove(conteudo, '$.audioMessage.localPath',
                          '$.audioMessage.localUrl') WHERE id = ?
                        """, arguments: [linked[4].id])
            }
        case .chatMoved:
            try write(store) { db in
                try db.execute(
                    sql:
                        "UPDATE core_chat SET chat_id = chat_id || '0' WHERE id = (SELECT chat_id FROM core_mensagem WHERE id = ?)",
                    arguments: [linked[5].id])
            }
        case .rejectionAdded:
            let database = try await openMessageStore(location: store.database, logger: .init(label: "test"))
            _ = try await database.recordRejection(file: linked[6].file, messageRowID: linked[6].id, source: "test")
            try await database.close()
        case .profileEdited:
            return "test, edited"
        }
        return "test"
    }

    /// `path` with `suffix` before its extension.
    private func renamed(_ path: String, _ suffix: String) -> String {
        let name = path as NSString
        return name.deletingPathExtension + suffix + "." + name.pathExtension
    }

    /// The linked rows whose file exists: id and `localPath`, by id.
    private func linkedFiles(_ store: TestStore) throws -> [(id: Int64, file: String)] {
        try DatabaseQueue(path: store.database).read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, json_extract(conteudo, '$.audioMessage.localPath') FROM core_mensagem
                    WHERE tipo = 'audio' AND json_valid(conteudo)
                      AND json_extract(conteudo, '$.audioMessage.localPath') IS NOT NULL ORDER BY id
                    """
            ).map { (id: $0[0] as Int64, file: $0[1] as String) }
        }.filter { FileManager.default.fileExists(atPath: store.mediaRoot + "/" + $0.file) }
    }

    private func write(_ store: TestStore, _ body: (Database) throws -> Void) throws {
        try DatabaseQueue(path: store.database).write(body)
    }
}

extension MatchPlan.Link {
    fileprivate var pair: String { "\(messageRowID) \(file)" }
}

extension MatchPlan.Review {
    fileprivate var pair: String { "\(messageRowID) \(file)" }
}
