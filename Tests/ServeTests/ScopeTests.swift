import Foundation
import GRDB
import NIOHTTP1
import Serve
import Sync
import Testing

/// `serve --client`: a server scoped to one client shows and plays that client's notes only — the
/// audio endpoint, the review items and the files the page plays.
@Suite(.serialized)
struct ScopeTests {
    @Test("--client: the endpoint, the review items and the page's files are that client's only")
    func clientScope() async throws {
        // 30 chats make two clients (the generator gives one client per 15 chats).
        let store = try await ServedStore(chats: 30)
        let clientOfRow: [Int64: Int64] = try store.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db,
                    sql: """
                        SELECT m.id, c.cliente_id FROM core_mensagem m JOIN core_chat c ON c.id = m.chat_id
                        WHERE m.tipo = 'audio'
                        """
                ).map { ($0[0] as Int64, $0[1] as Int64) })
        }
        try #require(Set(clientOfRow.values).count >= 2, "the store has two clients")

        // The unscoped plan's items: the client of the first is the one the server is scoped to.
        let everyone = try await RunningServer.start(store.configuration())
        let allItems = try await ReviewTests.items(everyone)
        let first = try #require(allItems.first, "the unscoped plan has review items")
        let firstMessage = try #require(Self.messageIDs(of: first).first)
        let client = try #require(clientOfRow[firstMessage])
        let folder = try #require(Self.clientFolder(of: first))
        // A file of another client's item, which the unscoped server plays.
        let foreignItem = try #require(
            allItems.first { Self.clientFolder(of: $0) != folder }, "the unscoped plan has another client's item")
        let foreignPath = try #require((foreignItem["file"] as? [String: Any])?["path"] as? String)
        let foreignFile =
            "/api/review/file?path=" + foreignPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(try await Client.send(everyone.base + foreignFile, method: .HEAD).status == .ok)
        try await everyone.stop()
        let linked = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT message_id FROM audiosync_change WHERE action = 'link' ORDER BY id")
                .map { $0[0] as Int64 }
        }
        let ownRow = try #require(linked.first { clientOfRow[$0] == client })
        let foreignRow = try #require(linked.first { clientOfRow[$0] != nil && clientOfRow[$0] != client })

        let server = try await RunningServer.start(store.configuration(client: String(client)))
        let own = try await Client.send("\(server.base)/api/audio/hash-mapping/\(ownRow)/", method: .HEAD)
        #expect(own.status == .ok)
        let foreign = try await Client.send("\(server.base)/api/audio/hash-mapping/\(foreignRow)/")
        #expect(foreign.status == .notFound && foreign.json["error"] as? String == "no_message")

        let items = try await ReviewTests.items(server)
        #expect(!items.isEmpty)
        for item in items {
            #expect(Self.clientFolder(of: item) == folder, "\(item["file"] ?? "")")
            for id in Self.messageIDs(of: item) { #expect(clientOfRow[id] == client, "message \(id)") }
        }
        let refused = try await Client.send(server.base + foreignFile)
        #expect(refused.status == .notFound && refused.json["error"] as? String == "not_under_review")
        try await server.stop()
    }

    /// The candidates' and rivals' messages of an item.
    static func messageIDs(of item: [String: Any]) -> [Int64] {
        let candidates = (item["candidates"] as? [[String: Any]] ?? []).compactMap {
            (($0["message"] as? [String: Any])?["message_id"] as? NSNumber)?.int64Value
        }
        let rivals = (item["rivals"] as? [[String: Any]] ?? []).compactMap {
            ($0["message_id"] as? NSNumber)?.int64Value
        }
        return candidates + rivals
    }

    static func clientFolder(of item: [String: Any]) -> String? {
        ((item["file"] as? [String: Any])?["path"] as? String)?.split(separator: "/").first.map(String.init)
    }
}
