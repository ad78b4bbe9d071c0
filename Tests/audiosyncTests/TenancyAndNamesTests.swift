import Foundation
import GRDB
import MatchEngine
import MediaStore
import MessageStore
import Sync
import Testing

/// Issue 14's findings 1 to 3 through the library's main job on hand-made stores: no link across
/// clients or chats, and no path written or trusted that names no file.
@Suite(.serialized)
struct TenancyAndNamesTests {
    /// The name time of the notes: 2025-08-09 17:49:18 in the server's UTC−03:00.
    static let name = "msg_9D07958D_20250809_174918.ogg"
    /// Sent six seconds before the file was written.
    static let sent = LocalTime(text: "2025-08-09 20:49:12")!.secondsSinceEpoch
    static let id = "9D07958D2C41A7E05B3F"
    /// A second note, eleven minutes later by its name, and its message.
    static let otherName = "msg_0C9F1A22_20250809_180000.ogg"
    static let otherID = "0C9F1A2200000000AAAA"
    static let otherSent = LocalTime(text: "2025-08-09 20:59:55")!.secondsSinceEpoch

    @Test("A client without audio messages still owns its folder: nothing of it reaches a look-alike client")
    func noLinkAcrossLookAlikeClients() async throws {
        let store = try HandStore()
        try await store.clients([(1, "Jo\u{E3}o Silva"), (2, "Joao Silva")])
        try await store.instances([(row: 20, id: "INST-B", client: 2)])
        try await store.chats([(row: 100, id: "556999267344@s.whatsapp.net", client: 1, instance: nil)])
        let note = try store.note(at: "Joao_Silva/instance_INST-B/chats/556999267344/audio/\(Self.name)", seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: note, sent: Self.sent)
        try await store.close()
        let report = try await store.syncRunner().run()
        #expect(report.plan.links.isEmpty, "client 2's file was linked to client 1's message")
        #expect(try store.conteudos()[1_000]?.contains("localPath") == false)
    }

    @Test(
        "The client's own folder links, in NFC or NFD, accents kept or stripped",
        arguments: ["Jo\u{E3}o_Silva", "Joa\u{303}o_Silva", "Joao_Silva"])
    func theOwnFolderLinks(folder: String) async throws {
        let store = try HandStore()
        try await store.clients([(1, "Jo\u{E3}o Silva"), (2, "Maria Souza")])
        try await store.instances([(row: 10, id: "INST-A", client: 1)])
        try await store.chats([(row: 100, id: "556999267344@s.whatsapp.net", client: 1, instance: 10)])
        let note = try store.note(at: "\(folder)/instance_INST-A/chats/556999267344/audio/\(Self.name)", seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: note, sent: Self.sent)
        try await store.close()
        let report = try await store.syncRunner().run()
        #expect(report.plan.links.map(\.messageRowID) == [1_000])
    }

    @Test(
        """
        A sync of one instance reads its client's chats that name no instance, as the whole store's plan \
        does, and leaves alone their links into the client's other instance folders
        """
    )
    func oneInstanceReadsItsClientsChatsOfNoInstance() async throws {
        let store = try HandStore()
        try await store.clients([(1, "Ana")])
        try await store.instances([(row: 10, id: "INST-A", client: 1), (row: 11, id: "INST-B", client: 1)])
        try await store.chats([
            (row: 100, id: "556999267344@s.whatsapp.net", client: 1, instance: nil),
            (row: 101, id: "556988887777@s.whatsapp.net", client: 1, instance: nil),
        ])
        let inA = try store.note(at: "Ana/instance_INST-A/chats/556999267344/audio/\(Self.name)", seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: inA, sent: Self.sent)
        let inB = try store.note(at: "Ana/instance_INST-B/chats/556988887777/audio/\(Self.otherName)", seed: 2)
        try await store.message(1_001, chat: 101, whatsappID: Self.otherID, note: inB, sent: Self.otherSent)
        try await store.close()
        // A sync of INST-B links the note in its folder to its row of no instance.
        let ofB = try await store.syncRunner(instance: "INST-B").run()
        #expect(ofB.plan.links.map(\.messageRowID) == [1_001], "\(ofB.plan.unmatched)")
        #expect(try store.conteudos()[1_001]?.contains("instance_INST-B") == true)
        // A sync of INST-A links its own, and cannot see INST-B's folder: row 1,001's link is not
        // called missing, and a repair leaves it.
        let ofA = try await store.syncRunner(dryRun: true, repair: true, instance: "INST-A").run()
        #expect(ofA.plan.links.map(\.messageRowID) == [1_000])
        let claim = try #require(ofA.plan.claims.first { $0.messageRowID == 1_001 })
        #expect(claim.status == .unverified, "\(claim.detail)")
        let repaired = try await store.syncRunner(repair: true, instance: "INST-A").run()
        #expect(repaired.changes.removals == 0)
        #expect(try store.conteudos()[1_001]?.contains("instance_INST-B") == true)
        #expect(try store.conteudos()[1_000]?.contains("instance_INST-A") == true)
    }

    @Test("Chats whose ids hold no digits are told apart")
    func chatsWithoutDigits() async throws {
        let store = try HandStore()
        try await store.clients([(1, "Ana")])
        try await store.instances([(row: 10, id: "INST-A", client: 1)])
        try await store.chats([
            (row: 100, id: "familia@g.us", client: 1, instance: 10),
            (row: 101, id: "trabalho@g.us", client: 1, instance: 10),
        ])
        // The note of familia's message, in trabalho's folder.
        let note = try store.note(at: "Ana/instance_INST-A/chats/trabalho@g.us/audio/\(Self.name)", seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: note, sent: Self.sent)
        let other = try store.note(at: "Ana/instance_INST-A/chats/trabalho@g.us/audio/\(Self.otherName)", seed: 2)
        try await store.message(1_001, chat: 101, whatsappID: Self.otherID, note: other, sent: Self.otherSent)
        try await store.close()
        let report = try await store.syncRunner().run()
        #expect(
            !report.plan.links.contains { $0.messageRowID == 1_000 }, "a file of trabalho@g.us went to familia@g.us")
        #expect(report.plan.links.map(\.messageRowID) == [1_001])
    }

    @Test("A name that is not UTF-8 is skipped and counted, never linked under a lossy spelling")
    func namesThatAreNotUTF8() async throws {
        let store = try HandStore()
        try await store.clients([(1, "Ana")])
        try await store.instances([(row: 10, id: "INST-A", client: 1)])
        try await store.chats([(row: 100, id: "556999267344@s.whatsapp.net", client: 1, instance: 10)])
        let folder = "Ana/instance_INST-A/chats/556999267344/audio/"
        let note = try store.note(
            at: Array((folder + "msg_9D07958D_20250809_174918").utf8) + [0xFF] + Array(".ogg".utf8), seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: note, sent: Self.sent)
        try await store.close()
        let report = try await store.syncRunner().run()
        #expect(report.plan.links.isEmpty)
        #expect(report.scan.skipped["name_not_utf8"] == 1)
        #expect(try store.conteudos()[1_000]?.contains("\u{FFFD}") == false)
    }

    @Test("status checks each link by the exact bytes it names")
    func statusChecksTheBytes() async throws {
        let store = try HandStore()
        try await store.clients([(1, "Ana")])
        try await store.instances([(row: 10, id: "INST-A", client: 1)])
        try await store.chats([(row: 100, id: "556999267344@s.whatsapp.net", client: 1, instance: 10)])
        let folder = "Ana/instance_INST-A/chats/556999267344/audio/"
        let note = try store.note(
            at: Array((folder + "msg_9D07958D_20250809_174918").utf8) + [0xFF] + Array(".ogg".utf8), seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: note, sent: Self.sent)
        try await store.close()
        // What the old version wrote: the name with U+FFFD for the byte. No such file exists.
        let lossy = folder + "msg_9D07958D_20250809_174918\u{FFFD}.ogg"
        let edit = try ConteudoEditor.apply(
            .link(localPath: lossy, localUrl: "/api/audio/hash-mapping/1000/"), to: try store.conteudos()[1_000]!)
        guard case .changed(let text) = edit else {
            Issue.record("not edited")
            return
        }
        try SQLiteScript.execute(
            "UPDATE core_mensagem SET conteudo = ? WHERE id = 1000", arguments: [text], database: store.database)
        let status = try await StatusRunner(
            database: DatabaseLocation(database: store.database),
            media: MediaLocation(root: store.mediaRoot, probeCache: .disabled)
        ).run()
        #expect(status.linkedMessages == 1)
        #expect(status.linksToMissingFiles == 1)
    }

    @Test("A newline or other control character in a name never splits a line of the text reports")
    func controlCharactersAreEscaped() async throws {
        let store = try HandStore()
        try await store.clients([(1, "Ana")])
        try await store.instances([(row: 10, id: "INST-A", client: 1)])
        try await store.chats([(row: 100, id: "556999267344@s.whatsapp.net", client: 1, instance: 10)])
        let path =
            "Ana/instance_INST-A/chats/556999267344/audio/msg_9D07958D_20250809_174918\nforged line\t\u{1B}[2J.ogg"
        let note = try store.note(at: path, seed: 1)
        try await store.message(1_000, chat: 100, whatsappID: Self.id, note: note, sent: Self.sent)
        try await store.close()
        let report = try await store.syncRunner(dryRun: true).run()
        #expect(report.plan.links.map(\.file) == [path], "the JSON keeps the name as it is")
        let text = report.text(links: 20)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("forged line") })
        #expect(!text.contains("\u{1B}") && !text.contains("\t"))
        #expect(text.contains(#"\nforged line\t\u{1B}[2J.ogg"#))
    }
}

/// One SQL statement on a SQLite file, outside the store under test.
enum SQLiteScript {
    static func execute(_ sql: String, arguments: [String], database: String) throws {
        let queue = try DatabaseQueue(path: database)
        try queue.write { try $0.execute(sql: sql, arguments: StatementArguments(arguments)) }
        try queue.close()
    }
}
