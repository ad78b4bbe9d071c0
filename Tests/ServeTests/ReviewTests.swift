import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import MatchEngine
import MessageStore
import NIOHTTP1
import Serve
import Sync
import Testing

/// Review decisions through the page's API and the library: Accept writes through the sync's path in
/// one journalled run per session, undoable; Reject is remembered and later plans respect it.
@Suite(.serialized)
struct ReviewTests {
    /// The items of the server's latest plan.
    static func items(_ server: RunningServer, query: String = "limit=500") async throws -> [[String: Any]] {
        let reply = try await Client.send("\(server.base)/api/review/items?\(query)")
        #expect(reply.status == .ok)
        return reply.json["items"] as? [[String: Any]] ?? []
    }

    static func csrf(_ server: RunningServer) async throws -> String {
        try #require(AccessTests.csrf(in: try await Client.send("\(server.base)/review").text))
    }

    /// The first open pair of a review item whose message holds no file yet.
    static func freshPair(in items: [[String: Any]]) -> (file: String, message: Int64)? {
        for item in items where item["kind"] as? String == "review" {
            let file = (item["file"] as? [String: Any])?["path"] as? String
            for candidate in item["candidates"] as? [[String: Any]] ?? [] {
                let message = candidate["message"] as? [String: Any]
                if let file, message?["local_path"] == nil || message?["local_path"] is NSNull,
                    let id = (message?["message_id"] as? NSNumber)?.int64Value
                {
                    return (file, id)
                }
            }
        }
        return nil
    }

    static func post(_ server: RunningServer, _ action: String, file: String, message: Int64?, csrf: String)
        async throws -> Client.Reply
    {
        var body: [String: Any] = ["file": file]
        if let message { body["message_id"] = message }
        return try await Client.send(
            "\(server.base)/api/review/\(action)", method: .POST,
            headers: [("Content-Type", "application/json"), ("X-CSRF-Token", csrf)],
            body: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    @Test("The plan's reviews are listed with candidates, probabilities and waterfalls, and their files play")
    func listsTheReviewBand() async throws {
        let store = try await ServedStore()
        let server = try await RunningServer.start(store.configuration())
        let items = try await Self.items(server)
        #expect(!items.isEmpty, "the generated store sends files to review")
        let dry = try await SyncRunner(
            database: store.database, media: store.media, profile: .test, options: SyncOptions(dryRun: true)
        ).run()
        let reviewed = Set(
            items.filter { $0["kind"] as? String == "review" }.compactMap {
                ($0["file"] as? [String: Any])?["path"] as? String
            })
        #expect(reviewed == Set(dry.plan.reviews.map(\.file)), "the page shows exactly the dry plan's review band")
        let first = try #require(items.first { $0["kind"] as? String == "review" })
        let candidate = try #require((first["candidates"] as? [[String: Any]])?.first)
        #expect(candidate["probability"] is NSNumber && candidate["score"] is NSNumber)
        #expect((candidate["waterfall"] as? [String: Any])?["lines"] is [Any])
        let path = try #require((first["file"] as? [String: Any])?["path"] as? String)
        let audio = try await Client.send(
            "\(server.base)/api/review/file?path=\(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
            headers: [("Range", "bytes=0-3")])
        #expect(audio.status == .partialContent && audio.text == "OggS")
        // A file of the store that no item plays is not served by that route.
        let other = try await Client.send("\(server.base)/api/review/file?path=_nope/x.ogg")
        #expect(other.status == .notFound && other.json["error"] as? String == "not_under_review")
        let paging = try await Client.send("\(server.base)/api/review/items?offset=1&limit=1")
        #expect((paging.json["items"] as? [Any])?.count == min(1, max(0, items.count - 1)))
        #expect((paging.json["matching"] as? Int) == items.count)
        try await server.stop()
    }

    @Test("Accept writes the link through the sync's path, in one run per session that undo gives back")
    func acceptIsJournalledAndUndoable() async throws {
        let store = try await ServedStore()
        let before = try store.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem").map {
                    ($0[0] as Int64, $0[1] as String?)
                })
        }
        let server = try await RunningServer.start(store.configuration())
        let csrf = try await Self.csrf(server)
        let items = try await Self.items(server)
        let (file, message) = try #require(Self.freshPair(in: items))

        let accepted = try await Self.post(server, "accept", file: file, message: message, csrf: csrf)
        #expect(accepted.status == .ok)
        #expect((accepted.json["item"] as? [String: Any])?["state"] as? String == "accepted")
        let run = try #require((accepted.json["run"] as? NSNumber)?.int64Value)
        #expect(try store.localPath(of: message) == file)
        let conteudo = try store.read { db in
            try String.fetchOne(db, sql: "SELECT conteudo FROM core_mensagem WHERE id = ?", arguments: [message])
        }
        #expect(conteudo?.contains("/api/audio/hash-mapping/\(message)/") == true)
        // Deciding the same file twice is refused, and writes nothing.
        let again = try await Self.post(server, "accept", file: file, message: message, csrf: csrf)
        #expect(again.status == .conflict)
        // The linked file now plays from the CRM's route.
        let played = try await Client.send("\(server.base)/api/audio/hash-mapping/\(message)/", method: .HEAD)
        #expect(played.status == .ok && played.header("Content-Type") == "audio/ogg; codecs=opus")

        // A second accept in the same session goes to the same run.
        if let (secondFile, secondMessage) = Self.freshPair(
            in: try await Self.items(server, query: "state=open&limit=500")),
            secondMessage != message
        {
            let second = try await Self.post(server, "accept", file: secondFile, message: secondMessage, csrf: csrf)
            if second.status == .ok { #expect((second.json["run"] as? NSNumber)?.int64Value == run) }
        }
        try await server.stop()

        let database = try await openMessageStore(location: store.databasePath, logger: Logger(label: "test"))
        let record = try #require(try await database.runs().first { $0.id.rawValue == run })
        #expect(record.command == "review")
        #expect(record.status == .finished, "stopping the server finishes the session's run")
        let undo = try await database.undo(run: RunID(run))
        #expect(undo.restored >= 1 && undo.changedSince.isEmpty)
        try await database.close()
        let after = try store.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem").map {
                    ($0[0] as Int64, $0[1] as String?)
                })
        }
        #expect(after == before, "undo gives every row its conteudo back")
    }

    @Test("Reject is remembered in audiosync_rejection and no later plan, review or sync, proposes the pair")
    func rejectIsRespected() async throws {
        let store = try await ServedStore()
        let server = try await RunningServer.start(store.configuration())
        let csrf = try await Self.csrf(server)
        let (file, message) = try #require(Self.freshPair(in: try await Self.items(server)))
        let rejected = try await Self.post(server, "reject", file: file, message: message, csrf: csrf)
        #expect(rejected.status == .ok)
        #expect(rejected.json["remembered"] as? Bool == true)
        #expect(try store.localPath(of: message) == nil, "rejecting writes no link")
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT file_path, message_id, source FROM audiosync_rejection")
        }
        #expect(rows.count == 1)
        #expect(rows.first?[0] == file && rows.first?[1] == message && rows.first?[2] == "review page")

        let refreshed = try await Client.send(
            "\(server.base)/api/review/refresh", method: .POST,
            headers: [("Content-Type", "application/json"), ("X-CSRF-Token", csrf)], body: "{}")
        #expect(refreshed.status == .ok)
        for item in try await Self.items(server) where (item["file"] as? [String: Any])?["path"] as? String == file {
            let messages = (item["candidates"] as? [[String: Any]] ?? []).compactMap {
                (($0["message"] as? [String: Any])?["message_id"] as? NSNumber)?.int64Value
            }
            #expect(!messages.contains(message))
        }
        try await server.stop()

        let dry = try await SyncRunner(
            database: store.database, media: store.media, profile: .test, options: SyncOptions(dryRun: true)
        ).run()
        let proposed =
            dry.plan.links.contains { $0.file == file && $0.messageRowID == message }
            || dry.plan.reviews.contains { $0.candidates.contains { $0.file == file && $0.messageRowID == message } }
            || dry.plan.unmatched.contains { $0.best?.file == file && $0.best?.messageRowID == message }
        #expect(!proposed, "a later sync never proposes a rejected pair")
    }

    @Test("The terminal's session: a pair not under review is refused and nothing is written")
    func refusesPairsNotUnderReview() async throws {
        let store = try await ServedStore()
        let digest = try Data(contentsOf: URL(fileURLWithPath: store.databasePath))
        let session = ReviewSession(
            database: store.database, media: store.media, profile: .test, source: "review command")
        try await session.refresh()
        await #expect(throws: ReviewError.notUnderReview(file: "no/such/file.ogg", messageRowID: 1)) {
            _ = try await session.accept(file: "no/such/file.ogg", messageRowID: 1)
        }
        await #expect(throws: ReviewError.self) {
            _ = try await session.reject(file: "no/such/file.ogg", messageRowID: 1)
        }
        try await session.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.databasePath)) == digest)
    }
}
