import Foundation
import MatchEngine
import MessageStore
import Testing

/// What the review and the audio endpoint ask of a store, one body per behaviour against every
/// backend (a SQLite file, PostgreSQL with `conteudo` as `text` and as `jsonb`).
@Suite struct MessageStoreReviewCompatTests {
    @Test(arguments: Backend.testable)
    func readsOneMessagesLink(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let before = try await db.snapshot()
            #expect(
                try await store.messageLink(ofRow: 10, scope: .all)
                    == MessageLinkRecord(
                        rowID: 10,
                        content: .linked(localPath: "Jose_Avila/instance_7QK2PL-AAAAAA-BBBBBB/chats/5569/a.ogg")))
            #expect(
                try await store.messageLink(ofRow: 1, scope: .all) == MessageLinkRecord(rowID: 1, content: .unlinked))
            #expect(
                try await store.messageLink(ofRow: 12, scope: .all)
                    == MessageLinkRecord(rowID: 12, content: .notAudio(kind: "texto")))
            #expect(
                try await store.messageLink(ofRow: 5, scope: .all)
                    == MessageLinkRecord(rowID: 5, content: .unreadable(.noAudioMessage)))
            // A legacy caption (`[Áudio]`, and as a JSON string) is a voice note not linked yet, as the
            // load reads it; cut-off JSON is unreadable.
            #expect(
                try await store.messageLink(ofRow: 8, scope: .all) == MessageLinkRecord(rowID: 8, content: .unlinked))
            if backend != .postgresJSONB {
                #expect(
                    try await store.messageLink(ofRow: 4, scope: .all)
                        == MessageLinkRecord(rowID: 4, content: .unlinked))
                #expect(
                    try await store.messageLink(ofRow: 7, scope: .all)
                        == MessageLinkRecord(rowID: 7, content: .unreadable(.nonJSON)))
            }
            #expect(
                try await store.messageLink(ofRow: 6, scope: .all)
                    == MessageLinkRecord(rowID: 6, content: .unreadable(.emptyConteudo)))
            #expect(try await store.messageLink(ofRow: 999, scope: .all) == nil)
            // A row of another client is not there for a scoped reader.
            #expect(try await store.messageLink(ofRow: 10, scope: MessageScope(client: .id(1))) == nil)
            #expect(try await store.messageLink(ofRow: 1, scope: MessageScope(client: .id(1)))?.content == .unlinked)
            #expect(try await store.rejections().isEmpty)
            try await store.close()
            #expect(try await db.snapshot() == before, "reads write nothing, and create no table")
        }
    }

    @Test(arguments: Backend.testable)
    func remembersAndForgetsRejections(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let file = "Jose_Avila/instance_7QK2PL-AAAAAA-BBBBBB/chats/5569/b.ogg"
            #expect(try await store.recordRejection(file: file, messageRowID: 9, source: "review page"))
            #expect(!(try await store.recordRejection(file: file, messageRowID: 9, source: "review command")))
            #expect(try await store.recordRejection(file: file, messageRowID: 10, source: "review command"))
            let remembered = try await store.rejections()
            #expect(remembered.map(\.messageRowID) == [9, 10])
            #expect(remembered.map(\.source) == ["review page", "review command"])
            #expect(remembered.allSatisfy { $0.file == file && $0.rejectedAt > 1_700_000_000 })
            #expect(try await store.forgetRejection(file: file, messageRowID: 9))
            #expect(!(try await store.forgetRejection(file: file, messageRowID: 9)))
            #expect(try await store.rejections().map(\.messageRowID) == [10])
            // Beside the journal, created by the same migrations (v1 journal, v2 rejection, v3 run process),
            // and no message row was touched.
            #expect(try await db.raw.integer("SELECT count(*) FROM audiosync_schema_migration") == 3)
            #expect(try await store.runs().isEmpty)
            try await store.close()
            let readOnly = try await db.open(MessageStoreOptions(readOnly: true))
            await #expect(throws: MessageStoreError.self) {
                _ = try await readOnly.recordRejection(file: file, messageRowID: 1, source: "x")
            }
            try await readOnly.close()
        }
    }
}
