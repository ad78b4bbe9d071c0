import Foundation
import Testing

/// Every command's `--json` is checked against its JSON Schema in `docs/schemas/`: keys the docs
/// promise are present (`null` when there is nothing), no key is left undocumented, and every
/// document carries `schema_version`.
@Suite(.serialized)
struct SchemaTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/schemas")

    static func check(_ outcome: BinaryTests.Outcome, against name: String, _ comment: String = "") throws {
        #expect(outcome.status == 0 || outcome.status == 3, "\(name) \(comment): \(outcome.stderr)")
        let schema = try JSONSchema(contentsOf: folder.appendingPathComponent("\(name).schema.json"))
        let document = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
        let violations = try schema.violations(of: document)
        #expect(violations.isEmpty, "\(name) \(comment): \(violations.prefix(10).joined(separator: "\n"))")
    }

    @Test("The validator finds what breaks a schema: a missing key, an extra key, a wrong type, a wrong constant")
    func validatorFindsViolations() throws {
        let schema = try JSONSchema(contentsOf: Self.folder.appendingPathComponent("undo.schema.json"))
        let good: [String: Any] = [
            "schema_version": 1, "dry_run": false, "run": 3, "status": "undone", "restored": 2, "already_undone": 0,
            "changed_since": [Int](), "missing_rows": [Int](), "rows": NSNull(),
        ]
        #expect(try schema.violations(of: good).isEmpty)
        var missing = good
        missing["rows"] = nil
        #expect(try schema.violations(of: missing) == ["$: missing key `rows`"])
        var extra = good
        extra["password"] = "x"
        #expect(try schema.violations(of: extra) == ["$: unexpected key `password`"])
        var wrongType = good
        wrongType["run"] = "3"
        #expect(try schema.violations(of: wrongType).count == 1)
        var wrongVersion = good
        wrongVersion["schema_version"] = 2
        #expect(try schema.violations(of: wrongVersion).count == 1)
        var wrongBool = good
        wrongBool["dry_run"] = 1
        #expect(try schema.violations(of: wrongBool).count == 1, "1 is not a boolean")
    }

    @Test("Every file of docs/schemas is used by a command, and every command with --json has a schema")
    func everyCommandHasASchema() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".schema.json")
        }
        #expect(
            Set(files)
                == Set(Self.commands.map { "\($0).schema.json" }))
    }

    /// (`review list` and `review accept|reject` are checked in `ReviewCommandTests`, on a store whose
    /// plan sends files to review; `watch`'s lines in `WatchTests`, with links in them.)
    static let commands = [
        "sync", "status", "explain", "undo", "runs", "clients", "scan", "config-show", "profile-show", "cache-prune",
        "generate", "evaluate", "tune", "review-list", "review-decision", "watch",
    ]

    @Test("Every command's --json follows its schema")
    func everyCommand() async throws {
        let store = try await TestStore(messages: 1_200, files: 360, chats: 20, seed: 41)
        let home = NSTemporaryDirectory() + "audiosync-schema-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment: [String: String?] = ["XDG_CACHE_HOME": home + "/cache"]
        let storeArguments = ["--media-root", store.mediaRoot, "--database", store.database]
        func run(_ arguments: [String]) throws -> BinaryTests.Outcome {
            try BinaryTests.run(arguments + ["--json"], environment: environment)
        }
        try Self.check(try run(["watch", "--once", "-n"] + storeArguments), against: "watch", "(one batch, dry run)")
        let dryRun = try run(["sync", "-n"] + storeArguments)
        try Self.check(dryRun, against: "sync", "(dry run)")
        let plan = try #require(
            (try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [String: Any])?["plan"]
                as? [String: Any])
        let link = try #require((plan["links"] as? [[String: Any]])?.first)
        let unmatched = try #require((plan["unmatched"] as? [[String: Any]])?.first)
        try Self.check(try run(["sync"] + storeArguments), against: "sync")
        try Self.check(try run(["sync", "--repair", "--strict"] + storeArguments), against: "sync", "(repair)")
        try Self.check(try run(["status"] + storeArguments), against: "status")
        try Self.check(try run(["status", "--database", store.database]), against: "status", "(database only)")
        try Self.check(try run(["runs", "--database", store.database]), against: "runs")
        try Self.check(try run(["undo", "-n", "1", "--database", store.database]), against: "undo", "(dry run)")
        try Self.check(try run(["undo", "1", "--database", store.database]), against: "undo")
        try Self.check(
            try run(["explain", "--message", String(link["message_id"] as! Int)] + storeArguments), against: "explain")
        try Self.check(
            try run(["explain", "--file", link["file"] as! String] + storeArguments), against: "explain", "(file)")
        try Self.check(
            try run(["explain", "--file", unmatched["file"] as! String] + storeArguments), against: "explain",
            "(unmatched)")
        try Self.check(try run(["clients"] + storeArguments), against: "clients")
        try Self.check(try run(["clients", "--database", store.database]), against: "clients", "(no media root)")
        try Self.check(try run(["scan", "--media-root", store.mediaRoot]), against: "scan")
        try Self.check(try run(["config", "show"] + storeArguments), against: "config-show")
        try Self.check(try run(["profile", "show"]), against: "profile-show")
        try Self.check(try run(["cache", "prune", "-n"]), against: "cache-prune")
        try Self.check(
            try run(["generate", "--out", home + "/generated", "--messages", "50", "--files", "15", "--chats", "3"]),
            against: "generate")
        try Self.check(try run(["evaluate", "--truth", store.truth] + storeArguments), against: "evaluate")
        try Self.check(try run(["tune", "--out", home + "/tuned.yml"] + storeArguments), against: "tune")
        try Self.check(
            try run(["tune", "--truth", store.truth, "--out", home + "/tuned.yml"] + storeArguments), against: "tune",
            "(labelled)")
    }
}
