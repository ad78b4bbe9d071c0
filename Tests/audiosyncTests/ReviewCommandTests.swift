import Foundation
import GRDB
import Sync
import Testing

/// `audiosync review` as users run it: list, reject (remembered, and gone from the next list),
/// accept (written in a run that `undo` gives back), and a pair not under review refused.
@Suite(.serialized)
struct ReviewCommandTests {
    static func json(_ outcome: BinaryTests.Outcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    /// Review items' (file, message) pairs whose message holds no file yet, in list order.
    static func pairs(_ list: [String: Any]) -> [(String, Int64)] {
        var pairs: [(String, Int64)] = []
        for item in list["items"] as? [[String: Any]] ?? [] where item["kind"] as? String == "review" {
            guard let file = (item["file"] as? [String: Any])?["path"] as? String else { continue }
            for candidate in item["candidates"] as? [[String: Any]] ?? [] {
                let message = candidate["message"] as? [String: Any]
                if message?["local_path"] is NSNull, let id = (message?["message_id"] as? NSNumber)?.int64Value {
                    pairs.append((file, id))
                }
            }
        }
        return pairs
    }

    static func latestReviewRun(_ database: String) throws -> Int64? {
        try DatabaseQueue(path: database).read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM audiosync_run WHERE command = 'review' ORDER BY id DESC")
        }
    }

    @Test("list, reject, accept and undo from a terminal")
    func reviewFromATerminal() async throws {
        let store = try await TestStore(seed: 13)
        _ = try await store.syncRunner().run()
        let common = [
            "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache", store.folder + "/c.sqlite",
        ]

        let listed = try BinaryTests.run(["review", "list", "--json"] + common)
        #expect(listed.status == 0, "\(listed.stderr)")
        try SchemaTests.check(listed, against: "review-list")
        let list = try Self.json(listed)
        let pairs = Self.pairs(list)
        let (file, message) = try #require(pairs.first, "the generated store (seed 13) sends a file to review")
        let text = try BinaryTests.run(["review", "list"] + common)
        #expect(text.status == 0 && text.stdout.contains(file))

        // Accept, then undo the review's run: every row as it was.
        let before = try store.conteudos()
        let accepted = try BinaryTests.run(["review", "accept"] + common + [file, String(message)])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("linked to message \(message)"))
        #expect(try store.conteudos() != before)
        let run = try #require(try Self.latestReviewRun(store.database))
        let undone = try BinaryTests.run(["undo", "--database", store.database, String(run)])
        #expect(undone.status == 0)
        #expect(try store.conteudos() == before)

        // Accepted again with --json (its schema), and given back again.
        let acceptedJSON = try BinaryTests.run(["review", "accept", "--json"] + common + [file, String(message)])
        try SchemaTests.check(acceptedJSON, against: "review-decision", "(accept)")
        let secondRun = try #require(try Self.latestReviewRun(store.database))
        #expect(secondRun != run)
        #expect(try BinaryTests.run(["undo", "--database", store.database, String(secondRun)]).status == 0)
        #expect(try store.conteudos() == before)

        // The same pair, now rejected: remembered, and gone from the next list.
        let rejected = try BinaryTests.run(["review", "reject", "--json"] + common + [file, String(message)])
        #expect(rejected.status == 0, "\(rejected.stderr)")
        try SchemaTests.check(rejected, against: "review-decision", "(reject)")
        #expect(try Self.json(rejected)["remembered"] as? Bool == true)
        let after = Self.pairs(try Self.json(try BinaryTests.run(["review", "list", "--json"] + common)))
        #expect(!after.contains { $0 == (file, message) })
        #expect(try store.conteudos() == before, "rejecting a pair no message holds writes no row")

        let refused = try BinaryTests.run(["review", "accept"] + common + ["no/such/file.ogg", "1"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasPrefix(
                "audiosync review accept: file no/such/file.ogg with message 1 is not a pair under review"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }
}
