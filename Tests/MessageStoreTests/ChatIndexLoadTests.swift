import GRDB
import MatchEngine
import Testing

@testable import MessageStore

/// Where `core_mensagem` has an index on `chat_id` (Django makes one for every foreign key), a
/// client's or an instance's rows are read by id, found through the index, not by a walk of the whole
/// table: what is loaded must be what the walk loads, row for row.
@Suite struct ChatIndexLoadTests {
    /// What a load gives, to compare.
    struct Loaded: Equatable {
        var messages: [AudioMessage]
        var fingerprints: [ContentFingerprint]
        var report: LoadReport

        init(_ load: MessageLoad) {
            messages = load.messages
            fingerprints = load.fingerprints
            report = load.report
        }
    }

    static let scopes: [MessageScope] = [
        .all,
        MessageScope(client: .id(1)),
        MessageScope(client: .id(2)),
        MessageScope(instanceID: "7QK2PL-AAAAAA-BBBBBB"),
        MessageScope(instanceID: "3B6XIW-ZTS923-GEAY6V"),
        MessageScope(client: .id(2), instanceID: "7QK2PL-AAAAAA-BBBBBB"),
        MessageScope(client: .id(1), instanceID: "7QK2PL-AAAAAA-BBBBBB"),
        MessageScope(client: .id(1), afterRowID: 2_003),
        MessageScope(instanceID: "7QK2PL-AAAAAA-BBBBBB", afterRowID: 9),
    ]

    @Test func readingByIDGivesTheWalksLoad() async throws {
        try await TestDatabase.with(.sqlite) { db in
            // The fixture's rows (every odd shape, ids below 100) copied 300 times under new ids, so that
            // a scope has more rows than one read by id takes (``SQLiteMessageStore/idChunkSize``); a
            // message id made new, as each row's own.
            let highest = try #require(try await db.raw.integer("SELECT max(id) FROM core_mensagem"))
            #expect(highest < 100)
            for copy in 1...300 {
                try await db.raw.execute(
                    """
                    INSERT INTO core_mensagem (id, chat_id, message_id, remetente, tipo, conteudo, data_envio, from_me)
                    SELECT id + ?, chat_id, message_id || ?, remetente, tipo, conteudo, data_envio, from_me
                    FROM core_mensagem WHERE id < 100
                    """, [.int(Int64(copy) * 100), .text("_\(copy)")])
            }
            let store = try await db.open()
            var walked: [Loaded] = []
            var walkedPrints: [AudioRowsFingerprint] = []
            for scope in Self.scopes {
                walked.append(Loaded(try await store.loadAudioMessages(scope: scope)))
                walkedPrints.append(try await store.audioRowsFingerprint(scope: scope, sumThrough: 1_550))
            }
            #expect(walked[1].report.rowsRead > SQLiteMessageStore.idChunkSize)
            #expect(walked[3].messages.count > SQLiteMessageStore.idChunkSize)

            try await db.raw.execute("CREATE INDEX core_mensagem_chat_id_5b3b3e2a ON core_mensagem (chat_id)")
            let queue = try DatabaseQueue(path: try #require(db.path))
            #expect(try await queue.read(SQLiteMessageStore.hasChatIndex))
            try queue.close()
            for (index, scope) in Self.scopes.enumerated() {
                let byID = Loaded(try await store.loadAudioMessages(scope: scope))
                // Compared whole, said briefly: the two loads printed in full run to megabytes.
                let sameLoad = byID == walked[index]
                #expect(
                    sameLoad,
                    "\(scope): \(byID.messages.count) messages and \(byID.report.rowsRead) rows read by id, \(walked[index].messages.count) and \(walked[index].report.rowsRead) walked"
                )
                // What an unchanged run compares reads the same rows the same way.
                let print = try await store.audioRowsFingerprint(scope: scope, sumThrough: 1_550)
                let samePrint = print == walkedPrints[index]
                #expect(samePrint, "\(scope): \(print.rows) rows by id, \(walkedPrints[index].rows) walked")
            }
            try await store.close()
        }
    }

    /// Only an index that begins with `chat_id` and holds every row finds a scope's ids.
    @Test func whichIndexesFindAScopesRows() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE core_mensagem (id INTEGER PRIMARY KEY, chat_id INTEGER, data_envio TEXT)")
        }
        func found() throws -> Bool { try queue.read(SQLiteMessageStore.hasChatIndex) }
        #expect(try !found())
        try queue.write { db in
            try db.execute(sql: "CREATE INDEX by_time_and_chat ON core_mensagem (data_envio, chat_id)")
        }
        #expect(try !found())
        try queue.write { db in
            try db.execute(sql: "CREATE INDEX some_chats ON core_mensagem (chat_id) WHERE chat_id > 10")
        }
        #expect(try !found())
        try queue.write { db in
            try db.execute(sql: "CREATE INDEX by_chat_and_time ON core_mensagem (CHAT_ID, data_envio)")
        }
        #expect(try found())
    }
}
